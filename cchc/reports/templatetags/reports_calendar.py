"""Template filter for a due's status on a day (methods with arguments are not callable there)."""

from __future__ import annotations

from datetime import date

from django import template

from cchc.reports.calendar import Due

register = template.Library()


@register.filter
def due_status(due: Due, today: date) -> tuple[str, str]:
    """(label, tone) of the due on `today`."""
    return due.status_label(today), due.tone(today)
