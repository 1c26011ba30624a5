"""Template filter for a due's status on a day (methods with arguments are not callable there)."""

from __future__ import annotations

from datetime import date

from django import template

from cchc.reports.builder import period_label
from cchc.reports.calendar import Due

register = template.Library()


@register.filter
def due_status(due: Due, today: date) -> tuple[str, str]:
    """(label, tone) of the due on `today`."""
    return due.status_label(today), due.tone(today)


@register.filter
def ky(text: str) -> str:
    """A period code as people write it: "2026-Q3" → "Quý III/2026" (`builder.period_label`)."""
    return period_label(str(text))
