"""Reads for the calendar page and the API."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import Http404

from cchc.accounts import permissions
from cchc.organizations.models import Unit
from cchc.workdays.calendar import DayEntry, WorkCalendar
from cchc.workdays.models import CalendarOverride

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser


def year_entries(calendar: WorkCalendar, year: int) -> list[DayEntry]:
    """Days off that fall on a weekday and every make-up working day (the CLI/API contract).

    A weekend day inside a holiday break changes nothing for deadlines, so it is left out.
    """
    return [
        e
        for e in calendar.entries_for_year(year)
        if (e.is_day_off and e.date.weekday() < 5) or (not e.is_day_off)
    ]


def working_day_count(calendar: WorkCalendar, year: int) -> int:
    return calendar.working_days_between(date(year - 1, 12, 31), date(year, 12, 31))


def override_list_for_unit(*, user: AnyUser, unit: Unit) -> QuerySet[CalendarOverride]:
    """The unit's own overrides and those inherited from the units above it."""
    permissions.require(user, permissions.VIEW_UNIT, unit)
    chain = [int(p) for p in unit.path.split(".") if p] or [unit.pk]
    return (
        CalendarOverride.objects.filter(unit_id__in=chain)
        .select_related("unit", "created_by")
        .order_by("-date")
    )


def override_get_for_user(*, user: AnyUser, pk: int) -> CalendarOverride:
    override = (
        permissions.scope_to_units(CalendarOverride.objects.select_related("unit"), user)
        .filter(pk=pk)
        .first()
    )
    if override is None:
        raise Http404("Không tìm thấy điều chỉnh.")
    return override
