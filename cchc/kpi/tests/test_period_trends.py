"""The indicators page's trend lines go in the period's own steps (QA walk: a month's figures
stood above lines of year-to-date values): a month view month by month, a quarter view quarter by
quarter, each point that period's value on its last snapshot night; a year view as before."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from cchc.kpi.models import PeriodSnapshot, Snapshot
from cchc.kpi.registry import Period
from cchc.kpi.selectors import _periods_back
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
