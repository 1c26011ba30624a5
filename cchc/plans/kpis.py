"""Plan indicators: tasks and recurring periods finished on time."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from cchc.kpi.registry import Measure, Period, indicator
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
