"""Plan indicators: tasks and recurring periods finished on time."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from cchc.kpi.registry import Measure, PartsByUnit, Period, indicator, indicator_group
from cchc.organizations.models import Unit
from cchc.plans.models import Task, TaskOccurrence, TaskStatus

# Done on or before the deadline: the one definition of an on-time task (or period).
TASK_ON_TIME = Q(status=TaskStatus.DONE, completed_on__lte=F("due_on"))


def _due_window(period: Period) -> Q:
    """Due in the period and already due (or done early): a task not yet due is not judged."""
    today = timezone.localdate()
    return Q(due_on__gte=period.start, due_on__lte=period.end) & (
        Q(due_on__lt=today) | Q(status=TaskStatus.DONE)
    )


def _counted(units: QuerySet[Unit], period: Period) -> tuple[QuerySet[Task], QuerySet]:
    """The one-off tasks and the recurring periods the on-time rate counts."""
    once = (
        Task.objects.filter(plan__unit__in=units, parent__isnull=False, occurrences__isnull=True)
        .filter(_due_window(period))
        .exclude(status=TaskStatus.CANCELLED)
    )
    periods = TaskOccurrence.objects.filter(task__plan__unit__in=units).filter(_due_window(period))
    return once, periods


@indicator(
    "task_on_time_rate",
    name="Tỷ lệ nhiệm vụ kế hoạch hoàn thành đúng hạn",
    source="Kế hoạch CCHC; Thông tư hướng dẫn Chỉ số CCHC (tiêu chí thực hiện kế hoạch)",
)
def task_on_time_rate(units: QuerySet[Unit], period: Period) -> Measure:
    """Among one-off tasks and recurring periods due in the period and already due (or done),
    those completed on or before their deadline. Two aggregate queries."""
    once, periods = _counted(units, period)
    a = once.aggregate(n=Count("id", filter=TASK_ON_TIME), d=Count("id"))
    b = periods.aggregate(n=Count("id", filter=TASK_ON_TIME), d=Count("id"))
    return Measure(a["n"] + b["n"], a["d"] + b["d"])


def task_on_time_by_owner(units: QuerySet[Unit], period: Period) -> dict[int, Measure]:
    """The same count per task owner (người chủ trì), for per-person scorecards: staff id →
    Measure. Two grouped queries; a recurring period belongs to its task's owner."""
    once, periods = _counted(units, period)
    result: dict[int, Measure] = {}
    for queryset, owner in ((once, "owner"), (periods, "task__owner")):
        rows = (
            queryset.filter(**{f"{owner}__isnull": False})
            .values(owner)
            .annotate(n=Count("id", filter=TASK_ON_TIME), d=Count("id"))
            .order_by()
        )
        for row in rows:
            result[row[owner]] = result.get(row[owner], Measure()) + Measure(row["n"], row["d"])
    return result


@indicator_group("task_on_time_rate", empty=lambda: {"task_on_time_rate": Measure()})
def task_on_time_group(units: QuerySet[Unit], period: Period) -> PartsByUnit:
    """`task_on_time_rate` of each unit: the same two counts, grouped by the plan's unit."""
    once, periods = _counted(units, period)
    found: dict[int, Measure] = {}
    for queryset, unit in ((once, "plan__unit_id"), (periods, "task__plan__unit_id")):
        rows = (
            queryset.order_by()
            .values(unit)
            .annotate(n=Count("id", filter=TASK_ON_TIME), d=Count("id"))
        )
        for row in rows:
            found[row[unit]] = found.get(row[unit], Measure()) + Measure(row["n"], row["d"])
    return {unit_id: {"task_on_time_rate": measure} for unit_id, measure in found.items()}
