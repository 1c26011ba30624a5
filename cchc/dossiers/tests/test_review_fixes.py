"""Regression tests for defects found in review: each failed before its fix."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document
from openpyxl import Workbook, load_workbook

from cchc.core.timezones import VN
from cchc.dossiers import selectors, services
from cchc.dossiers.provincial import import_provincial
from cchc.dossiers.workflow import InvalidTransition
from cchc.kpi.registry import Period, measure
from cchc.organizations.models import Unit
from tests.factories import StaffFactory
from tests.fixtures import client_for

APPLICANT = {
    "applicant_name": "Nguyễn Văn An",
    "applicant_phone": "0912345678",
    "applicant_id_number": "079123456789",
    "applicant_email": "an@nguoidan.example",
    "applicant_address": "12 Lê Lợi",
}


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN)


def later(when: datetime):
    return mock.patch("django.utils.timezone.now", return_value=when)


def receive(clerk, school, procedure, when, **extra):
    with later(when):
        return services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=procedure,
            applicant=APPLICANT,
            provided_documents=[d["name"] for d in procedure.documents],
            **extra,
        )


def rates(school) -> tuple:
    units = Unit.objects.filter(pk=school.pk)
    period = Period.year(2026)
    legal = measure("dossier_on_time_rate", units, period)
    strict = measure("dossier_on_time_rate_766", units, period)
    return (legal.numerator, legal.denominator), (strict.numerator, strict.denominator)


@pytest.mark.django_db
def test_766_rate_is_not_more_lenient_than_the_legal_one(
    clerk, principal, school, transfer
) -> None:
    dossier = receive(clerk, school, transfer, at(2026, 3, 2, 9, 0))
    with later(at(2026, 3, 3, 9, 0)):
        services.dossier_request_supplement(
            actor=principal.user, dossier=dossier, items=["Học bạ"], reason="thiếu"
        )
    with later(at(2026, 3, 16, 9, 0)):
        services.dossier_supplement_received(actor=clerk.user, dossier=dossier)
    with later(at(2026, 3, 26, 10, 0)):
        services.dossier_decide(actor=principal.user, dossier=dossier, granted=True)

    assert rates(school) == ((0, 1), (0, 1))


@pytest.mark.django_db
def test_766_ignores_a_supplement_asked_before_acceptance(
    clerk, principal, school, transfer
) -> None:
    transfer.online_level, transfer.channels = "full", ["in_person", "online"]
    transfer.save()
    with later(at(2026, 3, 2, 9, 0)):
        dossier = services.dossier_submit_online(
            unit=school, procedure=transfer, applicant=APPLICANT
        )
    with later(at(2026, 3, 2, 10, 0)):
        services.dossier_request_supplement(
            actor=principal.user, dossier=dossier, items=["Học bạ"], reason="thiếu"
        )
    with later(at(2026, 4, 1, 9, 0)):
        services.dossier_supplement_received(actor=clerk.user, dossier=dossier)
    with later(at(2026, 4, 20, 10, 0)):
        services.dossier_decide(actor=principal.user, dossier=dossier, granted=True)

    assert rates(school) == ((0, 1), (0, 1))


@pytest.mark.django_db
def test_waiting_for_the_citizen_is_not_late(clerk, principal, school, transfer) -> None:
    dossier = receive(clerk, school, transfer, at(2026, 3, 2, 9, 0))
    with later(at(2026, 3, 3, 9, 0)):
        services.dossier_request_supplement(
            actor=principal.user, dossier=dossier, items=["Học bạ"], reason="thiếu"
        )
    dossier.refresh_from_db()

    with later(at(2026, 3, 20, 9, 0)):
        assert not dossier.is_late()
        assert list(selectors.late_without_apology(user=principal.user)) == []
        # Counted (received in the period), measured at the request: within its due date.
        assert rates(school) == ((1, 1), (1, 1))


@pytest.mark.django_db
def test_supplement_after_three_working_days_is_refused(clerk, principal, school, transfer) -> None:
    dossier = receive(clerk, school, transfer, at(2026, 3, 2, 9, 0))

    with (
        later(at(2026, 3, 9, 16, 0)),
        pytest.raises(ValidationError, match="Đã quá hạn yêu cầu bổ sung"),
    ):
        services.dossier_request_supplement(
            actor=principal.user, dossier=dossier, items=["Học bạ"], reason="muộn"
        )


@pytest.mark.django_db
def test_accept_cannot_rewrite_the_receipt_time(clerk, principal, school, transfer) -> None:
    dossier = receive(clerk, school, transfer, at(2026, 3, 2, 9, 0))
    with later(at(2026, 3, 3, 9, 0)):
        services.dossier_request_supplement(
            actor=principal.user, dossier=dossier, items=["Học bạ"], reason="thiếu"
        )

    with later(at(2026, 3, 30, 9, 0)), pytest.raises(InvalidTransition):
        services.dossier_accept(actor=clerk.user, dossier=dossier)

    dossier.refresh_from_db()
    assert dossier.received_at == at(2026, 3, 2, 9, 0)


@pytest.mark.django_db
def test_procedure_cutoff_is_applied(clerk, school, copy_from_register) -> None:
    copy_from_register.cutoff = time(11, 0)
    copy_from_register.save()

    before = receive(clerk, school, copy_from_register, at(2026, 3, 2, 10, 0))
    after = receive(clerk, school, copy_from_register, at(2026, 3, 2, 14, 0))

    assert before.due_at.astimezone(VN).date() == date(2026, 3, 2)
    assert after.due_at.astimezone(VN).date() == date(2026, 3, 3)


@pytest.mark.django_db
def test_external_codes_are_normalised_and_checked(clerk, school, transfer) -> None:
    dossier = receive(
        clerk,
        school,
        transfer,
        at(2026, 3, 2, 9, 0),
        external_code=f" {school.code.lower()}-260302-0099 ",
    )

    assert dossier.code == f"{school.code.upper()}-260302-0099"
    for bad in ("A/B-260302-0001", "x" * 70, "abc"):
        with pytest.raises(ValidationError):
            receive(clerk, school, transfer, at(2026, 3, 2, 9, 0), external_code=bad)


@pytest.mark.django_db
def test_nul_and_bad_email_are_refused(clerk, school, transfer) -> None:
    with pytest.raises(ValidationError) as raised, later(at(2026, 3, 2, 9, 0)):
        services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={**APPLICANT, "applicant_name": "A\x00B", "applicant_email": "x"},
            provided_documents=[d["name"] for d in transfer.documents],
        )

    assert {"applicant_name", "applicant_email"} <= set(raised.value.message_dict)


@pytest.mark.django_db
def test_exports_and_papers_hide_personal_data_without_the_right(clerk, school, transfer) -> None:
    dossier = receive(clerk, school, transfer, at(2026, 3, 2, 9, 0))
    inspector = StaffFactory(unit=school, roles=["inspection_head"])

    def book(staff) -> str:
        content = client_for(staff).get(reverse("dossiers:book") + "?xuat=xlsx").content
        return " ".join(
            str(c.value) for row in load_workbook(io.BytesIO(content)).active for c in row
        )

    def receipt(staff) -> str:
        content = (
            client_for(staff)
            .get(reverse("dossiers:paper", args=[dossier.pk, "tiep-nhan", "docx"]))
            .content
        )
        document = Document(io.BytesIO(content))
        cells = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
        return " ".join(p.text for p in document.paragraphs) + cells

    assert "0912345678" not in book(inspector)
    assert "0912345678" in book(clerk)
    assert "079123456789" not in receipt(inspector)
    assert "079123456789" in receipt(clerk)


@pytest.mark.django_db
def test_provincial_date_only_due_is_end_of_day_and_returned_counts(
    clerk, school, transfer
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "Mã hồ sơ",
            "Mã thủ tục",
            "Chủ hồ sơ",
            "Ngày tiếp nhận",
            "Ngày hẹn trả",
            "Ngày trả kết quả",
            "Trạng thái",
        ]
    )
    code = f"{school.code}-260302-0007".upper()
    sheet.append(
        [code, "2.002481", "Lê Văn Tám", "02/03/2026 09:00", "09/03/2026", "09/03/2026 10:00", "10"]
    )
    buffer = io.BytesIO()
    book.save(buffer)

    import_provincial(actor=clerk.user, unit=school, data=buffer.getvalue())

    dossier = selectors.Dossier.objects.get(code=code)
    assert dossier.due_at == at(2026, 3, 9, 17, 0)
    assert not dossier.is_late()
    assert rates(school)[0] == (1, 1)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example/phish", "data:text/html,x"])
def test_evidence_links_must_be_web_or_local(principal, url) -> None:
    from cchc.plans import services as plan_services
    from cchc.plans.models import Plan, Task

    plan = Plan.objects.create(unit=principal.unit, title="Kế hoạch", year=2026)
    task = Task.objects.create(plan=plan, number="1.1", title="Việc")

    with pytest.raises(ValidationError):
        plan_services.evidence_add(actor=principal.user, task=task, title="x", url=url)
    with pytest.raises(ValidationError):
        plan_services.activity_create(
            actor=principal.user,
            unit=principal.unit,
            kind="communication",
            title="Bài viết",
            held_on=date(2026, 5, 1),
            evidence_url=url,
        )
    plan_services.evidence_add(actor=principal.user, task=task, title="ok", url="/thu-tuc/")
    assert task.evidence.count() == 1


@pytest.mark.django_db
def test_hand_over_is_judged_against_the_step_budget(clerk, principal, school, transfer) -> None:
    transfer.step_budgets = {"reception": 0.5, "appraisal": 1}
    transfer.save()
    dossier = receive(clerk, school, transfer, at(2026, 3, 2, 9, 0))  # Monday
    with later(at(2026, 3, 2, 10, 0)):  # reception took 1 h of its half day
        services.dossier_hand_over(
            actor=clerk.user, dossier=dossier, to_staff=principal, step="appraisal"
        )
    with later(at(2026, 3, 4, 10, 0)):  # appraisal took 2 working days of its 1
        services.dossier_hand_over(
            actor=principal.user, dossier=dossier, to_staff=principal, step="signature"
        )

    results = list(dossier.events.order_by("at", "id").values_list("result", flat=True))

    assert results == ["", "on_time", "late"]
    assert not dossier.is_late(now=at(2026, 3, 4, 10, 0))  # still within its 5 days
