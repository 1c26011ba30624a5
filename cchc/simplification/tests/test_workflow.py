"""A review's life: draft → approved → sent up → accepted, the bad inputs on the way, the race
between two approvers, and where the result shows (plan evidence, public page, KPIs)."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from cchc.core.models import AuditEvent
from cchc.kpi.registry import Period, measure
from cchc.organizations.models import Unit
from cchc.plans.models import Evidence, Plan, Task
from cchc.simplification import services
from cchc.simplification.models import CostLine, Finding, Review, ReviewStatus
from cchc.simplification.tests.conftest import complete

pytestmark = pytest.mark.django_db


def _future() -> date:
    return timezone.localdate() + timedelta(days=14)


def test_open_prefills_parts_volume_and_measured_before_cost(review, procedure) -> None:
    assert review.status == ReviewStatus.DRAFT
    assert review.yearly_volume == 3
    assert "3 hồ sơ tiếp nhận trong hệ thống" in review.volume_basis
    parts = dict(review.findings.values_list("part", "current"))
    assert set(parts) == {"time_limit", "documents", "steps", "fee", "competence", "channel"}
    assert parts["time_limit"] == procedure.time_limit_public
    before = list(review.cost_lines.filter(scenario="before"))
    # Three in-person dossiers, none returned yet: one visit each → 1,5 h of travel and waiting.
    assert [line.hours for line in before] == [Decimal(2), Decimal("1.50")]
    assert AuditEvent.objects.filter(verb="simplification.review_open").count() == 1


def test_proposal_without_legal_ground_is_refused_and_nothing_saved(review, clerk) -> None:
    version = Review.objects.get(pk=review.pk).version
    with pytest.raises(ValidationError) as caught:
        services.finding_save(
            actor=clerk.user,
            review=review,
            expected_version=version,
            part="steps",
            finding="Nhiều bước",
            proposal="Bỏ bước trình ký",
            legal_ground="  ",
        )
    assert "căn cứ pháp lý" in caught.value.message_dict["legal_ground"][0]
    assert Finding.objects.get(review=review, part="steps").proposal == ""
    assert Review.objects.get(pk=review.pk).version == version


@pytest.mark.parametrize(
    ("hours", "other", "field"),
    [("-1", 0, "hours"), ("abc", 0, "hours"), ("1", -5, "other_vnd")],
)
def test_bad_cost_line_refused(review, clerk, hours, other, field) -> None:
    count = CostLine.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.cost_line_add(
            actor=clerk.user,
            review=review,
            expected_version=None,
            scenario="after",
            activity="Nộp trực tuyến",
            hours=hours,
            other_vnd=other,
        )
    assert field in caught.value.message_dict
    assert CostLine.objects.count() == count


def test_zero_wage_and_past_effective_date_refused(review, clerk) -> None:
    with pytest.raises(ValidationError) as caught:
        services.review_update(
            actor=clerk.user,
            review=review,
            expected_version=None,
            wage_per_hour_vnd=0,
            effective_on=_future(),
        )
    assert "lớn hơn 0" in caught.value.message_dict["wage_per_hour_vnd"][0]
    with pytest.raises(ValidationError) as caught:
        services.review_update(
            actor=clerk.user,
            review=review,
            expected_version=None,
            wage_per_hour_vnd=30_000,
            effective_on=timezone.localdate() - timedelta(days=1),
        )
    assert "quá khứ" in caught.value.message_dict["effective_on"][0]
    fresh = Review.objects.get(pk=review.pk)
    assert (fresh.wage_per_hour_vnd, fresh.effective_on) == (25_000, None)


def test_cannot_approve_incomplete_or_without_the_role(review, clerk, principal) -> None:
    with pytest.raises(PermissionDenied):
        services.review_act(
            actor=clerk.user, review=review, action="approve", expected_version=None
        )
    with pytest.raises(ValidationError, match="chưa có phương án"):
        services.review_act(
            actor=principal.user, review=review, action="approve", expected_version=None
        )
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.DRAFT


def test_two_approvers_at_once_one_wins(review, clerk, principal) -> None:
    complete(review, clerk.user, _future())
    seen = Review.objects.get(pk=review.pk).version  # both pages were built from this version
    services.review_act(
        actor=principal.user, review=review, action="approve", expected_version=seen
    )
    with pytest.raises(services.StaleReview, match="vừa được người khác thay đổi"):
        services.review_act(
            actor=principal.user, review=review, action="approve", expected_version=seen
        )
    assert AuditEvent.objects.filter(verb="simplification.review_approve").count() == 1


def test_full_workflow_shows_on_plan_public_page_and_kpis(
    review, clerk, principal, commune_officer, outsider, school, client
) -> None:
    plan = Plan.objects.create(unit=school, title="Kế hoạch CCHC năm 2026", year=review.year)
    task = Task.objects.create(plan=plan, number="3.5", title="Rà soát, đơn giản hóa TTHC")
    complete(review, clerk.user, _future())

    def act(actor, action, note=""):
        return services.review_act(
            actor=actor, review=review, action=action, expected_version=None, note=note
        )

    act(principal.user, "approve")
    act(principal.user, "submit")
    evidence = Evidence.objects.get(task=task)
    assert evidence.url == reverse("simplification:export", args=[review.pk, "pdf"])
    with pytest.raises(PermissionDenied):
        act(outsider.user, "accept")  # another school's principal is not the commune
    with pytest.raises(PermissionDenied):
        act(principal.user, "accept")  # nor may the school accept its own proposal
    with pytest.raises(ValidationError, match="lý do"):
        act(commune_officer.user, "reject")
    done = act(commune_officer.user, "accept", "Đồng ý")
    assert done.status == ReviewStatus.ACCEPTED
    assert done.decided_by == commune_officer.user

    page = client.get(reverse("portal:procedure_detail", args=[review.procedure.pk]))
    text = page.content.decode()
    assert "Phương án đơn giản hóa đã được chấp thuận" in text
    assert "Không yêu cầu bản sao giấy khai sinh." in text
    assert f"{done.effective_on:%d/%m/%Y}" in text

    units = Unit.objects.filter(pk=school.pk)
    year = Period.year(review.year)
    assert measure("procedures_reviewed_count", units, year).display() == "1 thủ tục"
    saving = services.review_saving(done)
    money = measure("compliance_cost_saved_vnd", units, year)
    assert money.numerator == saving.per_year_vnd > 0
    rate = measure("compliance_cost_saved_rate", units, year)
    assert (rate.numerator, rate.denominator) == (saving.per_year_vnd, saving.before.per_year_vnd)


def test_rejected_goes_back_to_draft(review, clerk, principal, commune_officer) -> None:
    complete(review, clerk.user, _future())
    for actor, action, note in (
        (principal.user, "approve", ""),
        (principal.user, "submit", ""),
        (commune_officer.user, "reject", "Thiếu căn cứ về thời hạn."),
        (clerk.user, "reopen", ""),
    ):
        review = services.review_act(
            actor=actor, review=review, action=action, expected_version=None, note=note
        )
    assert review.status == ReviewStatus.DRAFT
    assert review.decision_note == "Thiếu căn cứ về thời hạn."


@pytest.mark.django_db(transaction=True)
def test_two_threads_approving_at_once_exactly_one_wins(review, clerk, principal) -> None:
    """Real concurrency (row lock on PostgreSQL): both start from the same version."""
    complete(review, clerk.user, _future())
    seen = Review.objects.get(pk=review.pk).version
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            barrier.wait()
            services.review_act(
                actor=principal.user, review=review, action="approve", expected_version=seen
            )
            outcomes.append("ok")
        except services.StaleReview:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["ok", "refused"]
    assert Review.objects.get(pk=review.pk).version == seen + 1
    assert AuditEvent.objects.filter(verb="simplification.review_approve").count() == 1
