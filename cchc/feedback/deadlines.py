"""Feedback deadlines from the unit's working-day calendar and its configurable limits.

Defaults are the 766 indicator 5.2 timings (domain.md 2.2): refuse within 2 working days, ask for
more information within 5, answer within 15, publish within 2 after approval; forwarding outside
our competence within 5 (Decree 20/2008 Art. 9(4)(d)). A unit may change them (FeedbackSettings).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from cchc.core.timezones import VN
from cchc.organizations.models import Unit
from cchc.workdays.calendar import WorkCalendar
from cchc.workdays.services import calendar_for_unit, due_for_unit


@dataclass(frozen=True)
class Limits:
    reject: int = 2
    info: int = 5
    forward: int = 5
    answer: int = 15
    publish: int = 2


def limits_for(unit: Unit) -> Limits:
    """The unit's limits, or the defaults when it has set none."""
    from cchc.feedback.models import FeedbackSettings

    row = FeedbackSettings.objects.filter(unit=unit).first()
    if row is None:
        return Limits()
    return Limits(
        reject=row.reject_within_days,
        info=row.info_within_days,
        forward=row.forward_within_days,
        answer=row.answer_within_days,
        publish=row.publish_within_days,
    )


def _aware(moment: datetime) -> datetime:
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=VN)


def due_after(unit: Unit, start: datetime, days: int) -> datetime:
    """The end of the `days`-th working day after `start` (the day of `start` not counted,
    after the 15:00 cut-off counting from the next working day: the unit's own rule)."""
    calendar = calendar_for_unit(unit)
    due = due_for_unit(unit=unit, received_at=_aware(start).astimezone(VN), days=days)
    if isinstance(due, datetime):
        return _aware(due)
    return datetime.combine(due, calendar.hours.day_end, tzinfo=VN)


def working_days_left(
    due_at: datetime | None, *, calendar: WorkCalendar, now: datetime | None = None
) -> int | None:
    """Working days from today to `due_at` (negative when late), for "còn 2 ngày làm việc"."""
    if due_at is None:
        return None
    today = (now or timezone.now()).astimezone(VN).date()
    return calendar.working_days_between(today, due_at.astimezone(VN).date())
