"""The indicators page's trend lines go in the period's own steps (QA walk: a month's figures
stood above lines of year-to-date values): a month view month by month, a quarter view quarter by
quarter, a half-year month by month over that half, each point that period's value on its last
snapshot night; a year view the year to date a month apart."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from cchc.kpi.models import PeriodSnapshot, Snapshot
from cchc.kpi.registry import Period
from cchc.kpi.selectors import _periods_back, trend_step
from tests.fixtures import client_for

CODE = "dossier_on_time_rate"
NAME = "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn"


def _trend_cell(body: str) -> str:
    row = body.split(NAME, 1)[1].split("</tr>", 1)[0]
    return row.split('data-label="Diễn biến"', 1)[1]


def _period(unit, key: str, day: date, n: int, d: int) -> None:
    PeriodSnapshot.objects.create(
        unit=unit, code=CODE, period=key, day=day, numerator=n, denominator=d
    )


@pytest.fixture
def history(school) -> None:
    """Year to date 50% every night; the months and quarters each their own figure."""
    for day in (date(2025, 9, 30), date(2025, 10, 31), date(2025, 11, 15), date(2025, 11, 30)):
        Snapshot.objects.create(unit=school, code=CODE, day=day, numerator=50, denominator=100)
    _period(school, "2025-09", date(2025, 9, 30), 1, 4)
    _period(school, "2025-10", date(2025, 10, 31), 3, 4)
    _period(school, "2025-11", date(2025, 11, 15), 1, 2)  # an earlier night of the month
    _period(school, "2025-11", date(2025, 11, 30), 2, 2)
    _period(school, "2025-Q3", date(2025, 9, 30), 1, 5)
    _period(school, "2025-Q4", date(2025, 11, 30), 4, 5)


@pytest.mark.django_db
def test_a_month_view_draws_each_months_value(principal, history) -> None:
    body = client_for(principal).get(reverse("kpi:unit") + "?ky=2025-11").content.decode()

    cell = _trend_cell(body)
    points = [title.split("</title>")[0] for title in cell.split("<circle")[1:]]
    points = [p.split("<title>")[1] for p in points]
    assert points == ["Tháng 9/2025: 25,0%", "Tháng 10/2025: 75,0%", "Tháng 11/2025: 100,0%"]
    assert "25,0% tháng 9/2025 đến 100,0% tháng 11/2025" in cell
    assert "50,0%" not in cell  # no year-to-date value under a month's figure


@pytest.mark.django_db
def test_a_quarter_view_draws_each_quarters_value(principal, history) -> None:
    body = client_for(principal).get(reverse("kpi:unit") + "?ky=2025-Q4").content.decode()

    cell = _trend_cell(body)
    assert "20,0% quý III/2025 đến 80,0% quý IV/2025" in cell
    assert "<title>Quý III/2025: 20,0%</title>" in cell  # the numeral stays upper case
    assert "50,0%" not in cell


@pytest.mark.django_db
def test_a_year_view_still_draws_the_year_to_date(principal, history) -> None:
    body = client_for(principal).get(reverse("kpi:unit") + "?ky=2025").content.decode()

    cell = _trend_cell(body)
    assert "50,0% ngày 30/09/2025 đến 50,0% ngày 30/11/2025" in cell


def test_the_periods_before_cross_the_new_year() -> None:
    assert _periods_back(Period.parse("2026-02"), 6) == [
        "2025-09",
        "2025-10",
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    assert _periods_back(Period.parse("2026-Q1"), 4) == ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"]


def _points(cell: str) -> list[str]:
    return [c.split("<title>", 1)[1].split("</title>", 1)[0] for c in cell.split("<circle")[1:]]


@pytest.mark.django_db
def test_a_year_view_steps_by_month_throughout(principal, school) -> None:
    """QA walk: a history taken monthly until August, then every night, drew a line monthly up
    to September and weekly after it (and only the last 180 days). One point a month: the year
    to date on that month's last snapshot night."""
    month_ends = [date(2024, month, 28) for month in range(1, 9)]
    nights = [date(2024, 9, 1) + timedelta(days=n) for n in range(0, 122, 2)]  # to 30/12
    for day in month_ends + nights:
        Snapshot.objects.create(
            unit=school, code=CODE, day=day, numerator=day.month, denominator=100
        )

    body = client_for(principal).get(reverse("kpi:unit") + "?ky=2024").content.decode()

    points = _points(_trend_cell(body))
    assert len(points) == 12
    assert points[0] == "28/01/2024: 1,0%"
    assert points[8:] == [
        "29/09/2024: 9,0%",
        "31/10/2024: 10,0%",
        "30/11/2024: 11,0%",
        "30/12/2024: 12,0%",
    ]


@pytest.mark.django_db
def test_a_half_year_view_draws_the_months_of_that_half_only(principal, school) -> None:
    """QA walk: a half-year view drew the year to date. H2 draws July … December, each that
    month's own value on its last night, never a month of H1 nor a year-to-date value."""
    for day in (date(2024, 5, 31), date(2024, 7, 31), date(2024, 8, 31), date(2024, 9, 30)):
        Snapshot.objects.create(unit=school, code=CODE, day=day, numerator=50, denominator=100)
    _period(school, "2024-05", date(2024, 5, 31), 1, 10)
    _period(school, "2024-07", date(2024, 7, 15), 1, 2)  # an earlier night of July
    _period(school, "2024-07", date(2024, 7, 31), 1, 4)
    _period(school, "2024-08", date(2024, 8, 31), 3, 4)
    _period(school, "2024-09", date(2024, 9, 30), 2, 2)

    body = client_for(principal).get(reverse("kpi:unit") + "?ky=2024-H2").content.decode()

    cell = _trend_cell(body)
    assert _points(cell) == ["Tháng 7/2024: 25,0%", "Tháng 8/2024: 75,0%", "Tháng 9/2024: 100,0%"]
    assert "25,0% tháng 7/2024 đến 100,0% tháng 9/2024" in cell
    assert "50,0%" not in cell  # no year-to-date value
    assert "10,0%" not in cell  # nor May's


def test_the_step_of_each_view() -> None:
    steps = {text: trend_step(Period.parse(text)) for text in ("2026", "2026-H2", "2026-Q3")}
    assert steps == {"2026": "day", "2026-H2": "month", "2026-Q3": "quarter"}
    assert trend_step(Period.parse("2026-11")) == "month"
