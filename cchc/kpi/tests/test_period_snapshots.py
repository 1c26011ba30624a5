"""Quarter and month snapshots: the nightly snapshot measures the quarter and the month to date
beside the year (`PeriodSnapshot`), so the commune's roll-up of a quarter or a month reads one
night's rows, stamped, like the year; a past quarter reads the rows of its last day; a half-year
or a period without rows is measured live, and the page says which."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.core.timezones import VN
from cchc.kpi import registry, rollup, services
from cchc.kpi.models import PeriodSnapshot, Snapshot
from cchc.kpi.registry import Period
from cchc.kpi.tests.test_kpi import _work
from cchc.organizations.models import Unit
from tests.fixtures import client_for


def test_each_period_names_its_snapshot_rows() -> None:
    assert Period.year(2026).snapshot_key == ""
    assert Period.parse("2026-Q4").snapshot_key == "2026-Q4"
    assert Period.parse("2026-11").snapshot_key == "2026-11"
    assert Period.parse("2026-H1").snapshot_key is None
    assert Period(date(2026, 3, 2), date(2026, 3, 15)).snapshot_key is None
    assert [p.snapshot_key for p in Period.snapshotted(date(2026, 8, 31))] == [
        "",
        "2026-Q3",
        "2026-08",
    ]


@pytest.mark.django_db
def test_the_nightly_snapshot_measures_the_quarter_and_the_month_to_date(
    school, other_school, principal, clerk
) -> None:
    _work(principal.user, school, datetime(2026, 1, 6, 9, 0, tzinfo=VN))
    _work(principal.user, school, datetime(2026, 3, 3, 9, 0, tzinfo=VN))
    _work(clerk.user, school, datetime(2026, 3, 12, 9, 0, tzinfo=VN))
    day = date(2026, 3, 13)
    both = Unit.objects.filter(pk__in=[school.pk, other_school.pk])

    services.snapshot_take(day=day, units=list(both))
    services.snapshot_take(day=day, units=list(both))  # run again: rows replaced, not added

    codes = len(registry.all_indicators())
    assert Snapshot.objects.filter(day=day).count() == 2 * codes
    assert PeriodSnapshot.objects.filter(day=day, period="2026-Q1").count() == 2 * codes
    assert PeriodSnapshot.objects.filter(day=day, period="2026-03").count() == 2 * codes
    single = Unit.objects.filter(pk=school.pk)
    for key, period in (("2026-Q1", "2026-Q1"), ("2026-03", "2026-03")):
        row = PeriodSnapshot.objects.get(unit=school, code="e_workplace_rate", period=key, day=day)
        live = registry.measure("e_workplace_rate", single, Period.parse(period).up_to(day))
        assert (row.numerator, row.denominator) == (live.numerator, live.denominator)
    month = PeriodSnapshot.objects.get(
        unit=school, code="e_workplace_rate", period="2026-03", day=day
    )
    # March to 13/03: two working weeks, two staff; the principal's and the clerk's weeks: 2 of 4.
    assert (month.numerator, month.denominator) == (2, 4)


def _row(unit, period: str, day: date, code: str, numerator: int, denominator: int) -> None:
    PeriodSnapshot.objects.create(
        unit=unit,
        period=period,
        day=day,
        code=code,
        numerator=numerator,
        denominator=denominator,
    )


@pytest.mark.django_db
def test_a_quarter_and_a_month_are_read_from_their_snapshot_and_stamped(
    commune_officer, school, other_school
) -> None:
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    quarter = f"{yesterday.year}-Q{(yesterday.month + 2) // 3}"
    month = f"{yesterday.year}-{yesterday.month:02d}"
    # No dossier exists: these figures can only come from the rows.
    _row(school, quarter, yesterday, "dossier_on_time_rate", 9, 10)
    _row(other_school, quarter, yesterday, "dossier_on_time_rate", 1, 4)
    _row(school, month, yesterday, "dossier_on_time_rate", 3, 3)

    board = rollup.board([school, other_school], Period.parse(quarter), today=today)
    assert (board.source.kind, board.source.as_of, board.source.live_units) == (
        "snapshot",
        yesterday,
        0,
    )
    on_time = board.codes.index("dossier_on_time_rate")
    total = board.totals[on_time].measure
    assert (total.numerator, total.denominator) == (10, 14)

    board = rollup.board([school, other_school], Period.parse(month), today=today)
    # The other school has no row of the month: measured live up to the same day.
    assert (board.source.kind, board.source.live_units) == ("snapshot", 1)

    body = client_for(commune_officer).get(reverse("kpi:rollup") + f"?ky={quarter}").content
    assert f"Số liệu đến hết ngày {yesterday:%d/%m/%Y}" in body.decode()
    assert "90% (9/10)" in body.decode()


@pytest.mark.django_db
def test_a_past_quarter_reads_its_last_day_and_a_half_year_is_live(
    commune_officer, school, other_school
) -> None:
    today = timezone.localdate()
    last_year = today.year - 1
    _row(school, f"{last_year}-Q2", date(last_year, 6, 29), "dossier_on_time_rate", 1, 2)
    _row(school, f"{last_year}-Q2", date(last_year, 6, 30), "dossier_on_time_rate", 5, 8)
    _row(other_school, f"{last_year}-Q2", date(last_year, 6, 30), "dossier_on_time_rate", 0, 0)

    board = rollup.board([school, other_school], Period.parse(f"{last_year}-Q2"), today=today)
    assert (board.source.kind, board.source.as_of) == ("snapshot", date(last_year, 6, 30))
    on_time = board.codes.index("dossier_on_time_rate")
    mine = next(row for row in board.rows if row.unit == school).figures[on_time].measure
    assert (mine.numerator, mine.denominator) == (5, 8)

    half = rollup.board([school, other_school], Period.parse(f"{last_year}-H1"), today=today)
    assert (half.source.kind, half.source.snapshotted) == ("live", False)
    body = client_for(commune_officer).get(reverse("kpi:rollup") + f"?ky={last_year}-H1")
    assert "Kỳ nửa năm không có ảnh chụp hằng đêm" in body.content.decode()


@pytest.mark.django_db
def test_a_snapshot_keeps_a_figures_whole_label(school) -> None:
    """QA: the dashboard showed "…: 3 dưới 7 ngày, 1": the snapshot cut the label at 40."""
    from cchc.feedback.kpis import _open_late

    measure = _open_late(late=1, total=104, young=3, old=100)
    day = date(2026, 3, 13)
    parts = services._parts(measure)
    Snapshot.objects.create(unit=school, code="feedback_open_late_rate", day=day, **parts)
    PeriodSnapshot.objects.create(
        unit=school, code="feedback_open_late_rate", period="2026-Q1", day=day, **parts
    )

    assert len(measure.label) > 60
    assert Snapshot.objects.get(unit=school, day=day).label == measure.label
    assert PeriodSnapshot.objects.get(unit=school, day=day).label == measure.label
    assert measure.label.endswith("100 trên 21 ngày")
