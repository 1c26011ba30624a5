"""Target 8's companion figures (QA walk): the one-stop papers signed (Mẫu 01–03) are shown beside
target 8, with their definition, on the plan page, the landing page, the indicators page and in
the API, while target 8 stays bound to (and judged by) the staff-signing indicator."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.kpi import registry
from cchc.plans.models import Plan, PlanStatus, Target
from tests.fixtures import client_for

PAPERS = "one_stop_paper_signed_rate"
PAPERS_NAME = "Tỷ lệ giấy tờ một cửa (Mẫu 01, 02, 03) được ký số"


@pytest.fixture
def plan(school) -> Plan:
    plan = Plan.objects.create(
        unit=school,
        title="Kế hoạch CCHC",
        year=timezone.localdate().year,
        status=PlanStatus.ACTIVE,
    )
    Target.objects.create(
        plan=plan,
        order=8,
        number="8",
        text="100% viên chức sử dụng chữ ký số trong thực hiện nhiệm vụ",
        comparator="=",
        value=100,
        unit_label="%",
        kpi_code="digital_signature_rate",
    )
    return plan


def _row(body: str, marker: str) -> str:
    return body.split(marker, 1)[1].split("</tr>", 1)[0]


@pytest.mark.django_db
def test_the_indicators_page_lists_the_companion_under_target_8(principal, plan) -> None:
    response = client_for(principal).get(reverse("kpi:unit"))

    figures = [row[0] for row in response.context["rows"]]
    codes = [f.indicator.code for f in figures]
    at = codes.index("digital_signature_rate")
    assert codes[at + 1] == PAPERS  # right after target 8's own indicator
    assert figures[at].target_number == "8"
    assert (figures[at + 1].target_number, figures[at + 1].companion_target) == ("", "8")
    row = _row(response.content.decode(), PAPERS_NAME)
    assert "Chỉ số đi kèm mục tiêu 8" in row
    assert registry.definition_of(PAPERS)[:60] in row


@pytest.mark.django_db
def test_the_plan_page_and_landing_page_show_it_with_its_definition(principal, plan) -> None:
    client = client_for(principal)
    for url in (reverse("plans:detail", args=[plan.pk]), reverse("kpi:overview")):
        body = client.get(url).content.decode()
        row = _row(body, "100% viên chức sử dụng chữ ký số")
        assert "Đo bằng: Tỷ lệ viên chức sử dụng chữ ký số" in row, url
        assert f'data-kpi="{PAPERS}"' in row, url
        assert PAPERS_NAME in row, url
        assert registry.definition_of(PAPERS)[:60] in row, url
    # The target is still bound to, and judged by, the staff-signing indicator.
    assert plan.targets.get(number="8").kpi_code == "digital_signature_rate"


@pytest.mark.django_db
def test_the_api_says_which_target_a_companion_sits_beside(principal, plan) -> None:
    year = timezone.localdate().year
    indicators = {
        r["code"]: r
        for r in client_for(principal).get(f"/api/v1/kpi/?period={year}").json()["indicators"]
    }

    assert indicators[PAPERS]["companion_of_target"] == "8"
    assert indicators[PAPERS]["target"] is None
    assert indicators["digital_signature_rate"]["target"] == "8"
    assert indicators["digital_signature_rate"]["companion_of_target"] is None


@pytest.mark.django_db
def test_every_page_shows_the_same_figure_counted_to_the_same_day(principal, plan) -> None:
    """QA walk: the companion read 11,11 % (last night's snapshot) on the indicators page and
    11,69 % (live) on the plan and landing pages. No paper exists, so live it reads "chưa đo
    được": 1/9 can only come from the snapshot, on every page, under one "as of" stamp."""
    from datetime import timedelta

    from cchc.kpi.models import Snapshot

    yesterday = timezone.localdate() - timedelta(days=1)
    for code, n, d in (("dossier_on_time_rate", 9, 10), ("digital_signature_rate", 3, 4)):
        Snapshot.objects.create(
            unit=plan.unit, code=code, day=yesterday, numerator=n, denominator=d
        )
    Snapshot.objects.create(unit=plan.unit, code=PAPERS, day=yesterday, numerator=1, denominator=9)
    client = client_for(principal)

    indicators = client.get(reverse("kpi:unit")).content.decode()
    assert "11,11% (1/9)" in _row(indicators, PAPERS_NAME)
    assert f"Số liệu đến hết ngày {yesterday:%d/%m/%Y}" in indicators
    for url in (reverse("plans:detail", args=[plan.pk]), reverse("kpi:overview")):
        body = client.get(url).content.decode()
        row = _row(body, "100% viên chức sử dụng chữ ký số")
        companion = row.split(f'data-kpi="{PAPERS}"', 1)[1].split("</div>", 1)[0]
        assert "<strong>11,11% (1/9)</strong>" in companion, url
        assert "75% (3/4)" in row, url  # the target's own figure, from the same night
        assert f"Số liệu đến hết ngày {yesterday:%d/%m/%Y}" in body, url
        assert "truc_tiep=1" in body, url
