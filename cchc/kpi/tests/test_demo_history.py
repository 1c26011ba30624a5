"""Trend lines from the snapshots (QA walk: the demo's were empty): a point a week from the
latest night of that week, and the demo's past nights taken from its own records."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.kpi import selectors
from cchc.kpi.demo_history import seed_snapshot_history, snapshot_days
from cchc.kpi.models import Snapshot
from cchc.kpi.registry import Measure, Period, measure
from cchc.organizations.models import Unit
from tests.fixtures import client_for


@pytest.mark.django_db
def test_a_trend_point_is_the_latest_night_of_its_week(school) -> None:
    until = date(2026, 11, 29)
    # Nights taken now and then (a worker down, a weekly history): 2 in one week, 1 in another.
    for day, n in ((date(2026, 11, 20), 1), (date(2026, 11, 27), 2), (date(2026, 11, 28), 3)):
        Snapshot.objects.create(
            unit=school, code="satisfaction_rate", day=day, numerator=n, denominator=4
        )

    lines = selectors.trends(
        Unit.objects.filter(pk=school.pk),
        ["satisfaction_rate"],
        since=date(2026, 11, 1),
        until=until,
    )

    assert lines["satisfaction_rate"] == [(date(2026, 11, 20), 25), (date(2026, 11, 28), 75)]


def test_the_demo_takes_month_ends_and_a_night_a_week() -> None:
    days = snapshot_days(date(2026, 11, 30))

    assert date(2026, 1, 31) in days
    assert date(2026, 10, 31) in days  # the landing page's "end of last month"
    assert date(2026, 11, 29) in days  # last night
    assert date(2026, 9, 13) in days  # the 12th week back
    assert date(2026, 9, 6) not in days
    assert all(day.year == 2026 and day < date(2026, 11, 30) for day in days)
    assert days == sorted(set(days))


@pytest.mark.django_db
def test_the_demo_history_is_measured_from_the_records_and_drawn(principal, school) -> None:
    today = timezone.localdate()

    lines = seed_snapshot_history()
    again = seed_snapshot_history()  # a second demo run keeps the nights it has

    days = snapshot_days(today)
    assert len(lines) == 1
    assert again == []
    assert sorted(set(Snapshot.objects.values_list("day", flat=True))) == days
    last = days[-1]
    units = Unit.objects.filter(pk=school.pk)
    held = Snapshot.objects.get(unit=school, code="official_email_rate", day=last)
    measured = measure("official_email_rate", units, Period.year(last.year).up_to(last))
    assert Measure(int(held.numerator), int(held.denominator)) == measured
    if len(days) >= 2:  # not the first days of January: the unit page draws the trend
        page = client_for(principal).get(reverse("kpi:unit")).content.decode()
        assert 'class="sparkline"' in page
