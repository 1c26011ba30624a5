"""Target 6, "Xây dựng môi trường làm việc điện tử": is the unit's work really done in the system?

Holding accounts proves nothing; the measure is use. Each week of the period that has a working
day, each staff member in post either did some recorded work in the system (a change through a
service, which the audit log keeps: a dossier handled, a document registered, a task updated …)
or did not. The figure is staff-weeks with work ÷ staff in post × such weeks, so it rolls up
across units by adding parts (design.md section 1) and a unit where half the staff work on paper
half the time reads 50%, whatever its number of accounts.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from cchc.core.models import AuditEvent
from cchc.core.timezones import VN
from cchc.kpi.registry import Measure, PartsByUnit, Period, indicator, indicator_group
from cchc.organizations.models import Staff, Unit
from cchc.workdays.services import calendar_for_unit


def working_weeks(period: Period, today: date) -> list[date]:
    """Mondays of the weeks of the period, up to today, that hold a working day in that span."""
    last = min(period.end, today)
    calendar = calendar_for_unit(None)
    monday = period.start - timedelta(days=period.start.weekday())
    weeks = []
    while monday <= last:
        span = [
            monday + timedelta(days=i)
            for i in range(7)
            if period.start <= monday + timedelta(days=i) <= last
        ]
        if any(calendar.is_working_day(day) for day in span):
            weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


@indicator(
    "e_workplace_rate",
    name="Mức độ làm việc trên môi trường điện tử (viên chức-tuần có xử lý việc trên hệ thống)",
    source="Kế hoạch CCHC 2026, mục tiêu 6; Quyết định 766/QĐ-TTg nhóm 4",
)
def e_workplace_rate(units: QuerySet[Unit], period: Period) -> Measure:
    """Staff-weeks with recorded work ÷ staff in post × working weeks up to today."""
    weeks = set(working_weeks(period, timezone.localdate()))
    staff = Staff.objects.filter(unit__in=units, is_active=True)
    in_post = staff.count()
    if not weeks or not in_post:
        return Measure()
    start = datetime.combine(period.start, time.min, tzinfo=VN)
    end = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=VN)
    days = (
        AuditEvent.objects.filter(
            actor_id__in=staff.filter(user__isnull=False).values("user_id"),
            at__gte=start,
            at__lt=end,
        )
        .annotate(day=TruncDate("at", tzinfo=VN))
        .order_by()  # the model's ordering would make DISTINCT keep every event
        .values_list("actor_id", "day")
        .distinct()
    )
    worked = {(actor, day - timedelta(days=day.weekday())) for actor, day in days}
    return Measure(sum(1 for _, monday in worked if monday in weeks), in_post * len(weeks))


@indicator_group("e_workplace_rate", empty=lambda: {"e_workplace_rate": Measure()})
def e_workplace_group(units: QuerySet[Unit], period: Period) -> PartsByUnit:
    """`e_workplace_rate` of each unit with one query for the staff and one for the days worked
    of all the units (the same counts as the indicator, split by the staff member's unit)."""
    weeks = set(working_weeks(period, timezone.localdate()))
    if not weeks:
        return {}
    staff = list(
        Staff.objects.filter(unit__in=units, is_active=True).values_list("unit_id", "user_id")
    )
    in_post: dict[int, int] = {}
    users: dict[int, set[int]] = {}
    for unit_id, user_id in staff:
        in_post[unit_id] = in_post.get(unit_id, 0) + 1
        if user_id is not None:
            users.setdefault(unit_id, set()).add(user_id)
    start = datetime.combine(period.start, time.min, tzinfo=VN)
    end = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=VN)
    everyone = Staff.objects.filter(unit__in=units, is_active=True, user__isnull=False)
    days = (
        AuditEvent.objects.filter(
            actor_id__in=everyone.values("user_id"), at__gte=start, at__lt=end
        )
        .annotate(day=TruncDate("at", tzinfo=VN))
        .order_by()
        .values_list("actor_id", "day")
        .distinct()
    )
    worked = {(actor, day - timedelta(days=day.weekday())) for actor, day in days}
    units_of: dict[int, list[int]] = {}
    for unit_id, mine in users.items():
        for user in mine:
            units_of.setdefault(user, []).append(unit_id)
    weeks_worked: dict[int, int] = {}
    for actor, monday in worked:
        if monday in weeks:
            for unit_id in units_of.get(actor, []):
                weeks_worked[unit_id] = weeks_worked.get(unit_id, 0) + 1
    return {
        unit_id: {"e_workplace_rate": Measure(weeks_worked.get(unit_id, 0), count * len(weeks))}
        for unit_id, count in in_post.items()
    }
