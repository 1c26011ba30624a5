"""The registry's periods and definitions, target 6's indicator, `cchc kpi`, daily snapshots."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from cchc.core.audit import audit_record
from cchc.core.audit_verbs import AuditVerb
from cchc.core.timezones import VN
from cchc.kpi import registry, selectors, services
from cchc.kpi.models import Snapshot
from cchc.kpi.registry import Period, measure
from cchc.organizations.kpis import working_weeks
from cchc.organizations.models import Unit


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-H1", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026-H2", date(2026, 7, 1), date(2026, 12, 31)),
        ("2028-02", date(2028, 2, 1), date(2028, 2, 29)),
    ],
)
def test_periods_are_read_as_reports_name_them(text: str, start: date, end: date) -> None:
    assert Period.parse(text) == Period(start, end)


@pytest.mark.parametrize("text", ["", "26", "2026-Q5", "2026-H3", "2026-13", "2026-00", "năm"])
def test_a_period_that_does_not_exist_is_refused_in_vietnamese(text: str) -> None:
    with pytest.raises(ValueError, match=r"Kỳ|Tháng|Năm"):
        Period.parse(text)


def test_every_registered_indicator_says_what_it_counts() -> None:
    missing = [i.code for i in registry.all_indicators() if not registry.definition_of(i.code)]

    assert missing == []
    assert "÷" in registry.definition_of("dossier_on_time_rate")


def test_an_indicator_whose_module_is_missing_names_that_module() -> None:
    assert registry.definition_of("cchc_self_score")
    registry.MISSING_MODULES["future_code"] = "thử (kpi)"
    try:
        assert "Chưa đo được: cần phân hệ thử" in registry.definition_of("future_code")
    finally:
        del registry.MISSING_MODULES["future_code"]


def test_working_weeks_skip_the_tet_holiday_week() -> None:
    # Tết 2026: 14–22/02 are days off (Mon 16/02 – Fri 20/02 the whole working week).
    weeks = working_weeks(Period(date(2026, 2, 9), date(2026, 2, 27)), date(2026, 12, 31))

    assert weeks == [date(2026, 2, 9), date(2026, 2, 23)]


def _work(user, unit, when: datetime) -> None:
    with mock.patch("django.utils.timezone.now", return_value=when):
        audit_record(
            actor=user, unit=unit, verb=AuditVerb.TASK_PROGRESS, object_type="x", object_id="1"
        )


@pytest.mark.django_db
def test_e_workplace_rate_counts_staff_weeks_with_recorded_work(school, principal, clerk) -> None:
    # Two staff in post, two working weeks (02/03 and 09/03/2026): the principal worked in both
    # weeks (twice in the first), the clerk in none → 2 of 4 staff-weeks.
    _work(principal.user, school, datetime(2026, 3, 3, 9, 0, tzinfo=VN))
    _work(principal.user, school, datetime(2026, 3, 4, 9, 0, tzinfo=VN))
    _work(principal.user, school, datetime(2026, 3, 13, 16, 0, tzinfo=VN))
    _work(principal.user, school, datetime(2026, 3, 16, 8, 0, tzinfo=VN))  # after the period
    period = Period(date(2026, 3, 2), date(2026, 3, 15))

    result = measure("e_workplace_rate", Unit.objects.filter(pk=school.pk), period)

    assert (result.numerator, result.denominator) == (2, 4)
    assert result.value == Decimal(50)


@pytest.mark.django_db
def test_e_workplace_rate_is_not_measurable_without_staff(school) -> None:
    result = measure("e_workplace_rate", Unit.objects.filter(pk=school.pk), Period.year(2026))

    assert not result.is_measurable


@pytest.mark.django_db
def test_kpi_show_prints_every_indicator_as_json(school, principal) -> None:
    out = StringIO()

    call_command("kpi", "show", "--unit", school.code, "--period", "2026-Q1", "--json", stdout=out)

    payload = json.loads(out.getvalue())
    codes = {row["code"]: row for row in payload["indicators"]}
    assert payload["period"] == {"start": "2026-01-01", "end": "2026-03-31"}
    assert set(codes) == {i.code for i in registry.all_indicators()}
    assert codes["e_workplace_rate"]["definition"]
    assert codes["dossier_on_time_rate"]["value"] is None  # no dossiers: N/A, never 0%
    assert codes["dossier_on_time_rate"]["display"] == "chưa đo được"


@pytest.mark.django_db
def test_kpi_show_refuses_an_unknown_unit_and_period(school) -> None:
    with pytest.raises(CommandError, match="Không có đơn vị"):
        call_command("kpi", "show", "--unit", "999.99.99.H99")
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("kpi", "show", "--unit", school.code, "--period", "quý 1")


@pytest.mark.django_db
def test_snapshots_are_one_row_per_unit_code_and_day_and_roll_up_by_parts(
    school, other_school, principal, clerk
) -> None:
    _work(principal.user, school, datetime(2026, 3, 3, 9, 0, tzinfo=VN))
    day = date(2026, 3, 13)
    both = Unit.objects.filter(pk__in=[school.pk, other_school.pk])

    services.snapshot_take(day=day, units=list(both))
    services.snapshot_take(day=day, units=list(both))  # a crashed night run, run again

    assert Snapshot.objects.filter(day=day).count() == 2 * len(registry.all_indicators())
    mine = Snapshot.objects.get(unit=school, code="e_workplace_rate", day=day)
    # 2 staff × 9 weeks to 13/03: 01–04/01 are all off (02/01 swapped for Saturday 10/01) and
    # 16–20/02 is the Tết week, so neither week counts.
    assert (mine.numerator, mine.denominator) == (1, 18)
    ((when, value),) = selectors.trend(both, "e_workplace_rate", since=day, until=day)
    assert when == day
    assert value == Decimal(100) / 18  # the other school has no staff: parts add, no average


@pytest.mark.django_db
def test_snapshot_refuses_a_day_not_yet_come(school) -> None:
    with pytest.raises(CommandError, match="chưa tới"):
        call_command("kpi", "snapshot", "--day", "2999-01-01")


# --------------------------------------------------------------------------- pages


@pytest.mark.django_db
def test_unit_page_shows_every_indicator_with_its_definition(principal) -> None:
    from django.urls import reverse

    from tests.fixtures import client_for

    response = client_for(principal).get(reverse("kpi:unit") + "?ky=2026-Q1")

    body = response.content.decode()
    assert response.status_code == 200
    assert "01/01/2026–31/03/2026" in body
    assert body.count('class="definition"') == len(registry.all_indicators())
    assert registry.definition_of("e_workplace_rate") in body


@pytest.mark.django_db
def test_unit_page_explains_a_bad_period(principal) -> None:
    from django.urls import reverse

    from tests.fixtures import client_for

    response = client_for(principal).get(reverse("kpi:unit") + "?ky=quy-1")

    assert response.status_code == 400
    assert "không hợp lệ" in response.content.decode()


@pytest.mark.django_db
def test_commune_sees_each_school_ranked_with_a_summed_total(
    commune_officer, school, other_school, principal, clerk
) -> None:
    from django.urls import reverse

    from tests.fixtures import client_for

    _work(principal.user, school, datetime(2026, 3, 3, 9, 0, tzinfo=VN))

    body = client_for(commune_officer).get(reverse("kpi:rollup") + "?ky=2026-Q1").content.decode()

    assert school.name in body
    assert other_school.name in body
    assert "Chưa có kế hoạch CCHC năm" in body
    assert "Tổng cộng" in body


@pytest.mark.django_db
def test_a_school_has_no_rollup_and_no_menu_entry_for_it(principal) -> None:
    from django.urls import reverse

    from tests.fixtures import client_for

    client = client_for(principal)

    assert client.get(reverse("kpi:rollup")).status_code == 404
    assert reverse("kpi:rollup") not in client.get(reverse("kpi:unit")).content.decode()


def test_a_measure_writes_its_parts_the_vietnamese_way() -> None:
    """QA: money-weighted rates showed "(32027860/33102380)" and a rating "(44.00/100.00)"."""
    from decimal import Decimal

    from cchc.kpi.registry import Measure

    assert Measure(32027860, 33102380).display() == "96,75% (32.027.860/33.102.380)"
    assert Measure(Decimal("44.00"), Decimal("100.00")).display() == "44% (44/100)"
    assert Measure(Decimal("12.5"), 50).display() == "25% (12,5/50)"


@pytest.mark.django_db
def test_indicator_list_follows_the_plans_targets(principal, school) -> None:
    """/quan-ly/chi-so/ in the plan's order (QA walk): targets 1 → 10 as numbered (10 after 9,
    not after 1), then the indicators no target binds."""
    from django.urls import reverse

    from cchc.plans.models import Plan, Target
    from tests.fixtures import client_for

    plan = Plan.objects.create(unit=school, title="Kế hoạch CCHC 2026", year=2026)
    bound = {"10": "official_email_rate", "2": "satisfaction_rate", "1": "dossier_on_time_rate"}
    for order, (number, code) in enumerate(bound.items()):
        Target.objects.create(plan=plan, order=order, number=number, text=code, kpi_code=code)

    response = client_for(principal).get(reverse("kpi:unit") + "?ky=2026")

    shown = [row[0].indicator.code for row in response.context["rows"]]
    assert shown[:3] == ["dossier_on_time_rate", "satisfaction_rate", "official_email_rate"]
    assert len(shown) == len(registry.all_indicators())
    unbound = [f.code for f in registry.all_indicators() if f.code not in bound.values()]
    assert shown[3:] == unbound
