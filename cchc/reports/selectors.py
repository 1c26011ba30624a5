"""Reads of the reports app, scoped to the units the caller passes (already the actor's)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from cchc.accounts import permissions
from cchc.organizations.models import Unit
from cchc.reports import calendar
from cchc.reports.models import Report

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser


def overdue_reports(
    units: QuerySet[Unit] | list[Unit], today: date
) -> dict[int, list[calendar.Due]]:
    """Unit id → the periodic reports it owes past their due date (none made), oldest first.

    For the commune's roll-up: `overdue_reports(children, today).get(unit.pk)` flags a school.
    Dues before the unit joined the system are not counted (`calendar.owed`).
    """
    dues = calendar.calendar_for(units, calendar.recent_years(today))
    result: dict[int, list[calendar.Due]] = {}
    for unit_id, rows in dues.items():
        late = [d for d in rows if d.status(today) == "overdue" and calendar.owed(d)]
        if late:
            result[unit_id] = late
    return result


def reports_for(user: AnyUser, *, unit: Unit | None = None) -> QuerySet[Report]:
    """Reports of the units the user may see (one unit if given), newest first."""
    found = permissions.scope_to_units(Report.objects.all(), user).select_related(
        "unit", "requested_by", "outgoing"
    )
    if unit is not None:
        found = found.filter(unit=unit)
    return found.order_by("-created_at", "-pk")
