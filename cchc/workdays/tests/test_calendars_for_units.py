"""`calendars_for_units` (one query for a hundred schools' calendars, the commune's roll-up)
gives each unit the calendar `calendar_for_unit` gives it: the commune's overrides reach its
schools, the nearest unit's override wins, a unit without any keeps the official calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cchc.workdays import services
from cchc.workdays.models import CalendarOverride


@pytest.mark.django_db
def test_each_unit_gets_the_calendar_it_gets_alone(commune, school, other_school) -> None:
    CalendarOverride.objects.create(
        unit=commune, date=date(2026, 12, 1), is_working=False, reason="Xã nghỉ"
    )
    CalendarOverride.objects.create(
        unit=school, date=date(2026, 12, 1), is_working=True, reason="Trường làm bù"
    )
    CalendarOverride.objects.create(
        unit=other_school, date=date(2026, 12, 5), is_working=False, reason="Trường nghỉ"
    )
    units = [commune, school, other_school]

    together = services.calendars_for_units(units)

    days = [date(2026, 11, 28) + timedelta(days=n) for n in range(14)]
    for unit in units:
        alone = services.calendar_for_unit(unit)
        assert [together[unit.pk].is_working_day(d) for d in days] == [
            alone.is_working_day(d) for d in days
        ], unit
    assert together[school.pk].is_working_day(date(2026, 12, 1))
    assert not together[other_school.pk].is_working_day(date(2026, 12, 1))
    assert not together[other_school.pk].is_working_day(date(2026, 12, 5))


@pytest.mark.django_db
def test_a_unit_without_overrides_keeps_the_official_calendar(school) -> None:
    assert services.calendars_for_units([school])[school.pk] == services.calendar_for_unit(school)
