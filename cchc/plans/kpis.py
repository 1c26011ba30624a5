"""Plan indicators: tasks and recurring periods finished on time."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from cchc.kpi.registry import Measure, Period, indicator
from cchc.organizations.models import Unit
from cchc.plans.models import Task, TaskOccurrence, TaskStatus


@indicator(
    "task_on_time_rate",
    name="Tỷ lệ nhiệm vụ kế hoạch hoàn thành đúng hạn",
    source="Kế hoạch CCHC; Thông tư hướng dẫn Chỉ số CCHC (tiêu chí thực hiện kế hoạch)",
)
def task_on_time_rate(units: QuerySet[Unit], period: Period) -> Measure:
    """Among one-off tasks and recurring periods due in the period and already due (or done),
    those completed on or before their deadline. Two aggregate queries."""
    today = timezone.localdate()
    due_window = Q(due_on__gte=period.start, due_on__lte=period.end) & (
        Q(due_on__lt=today) | Q(status=TaskStatus.DONE)
    )
    on_time = Q(status=TaskStatus.DONE, completed_on__lte=F("due_on"))
    once = (
        Task.objects.filter(plan__unit__in=units, parent__isnull=False, occurrences__isnull=True)
        .filter(due_window)
        .exclude(status=TaskStatus.CANCELLED)
        .aggregate(n=Count("id", filter=on_time), d=Count("id"))
    )
    periods = (
        TaskOccurrence.objects.filter(task__plan__unit__in=units)
        .filter(due_window)
        .aggregate(n=Count("id", filter=on_time), d=Count("id"))
    )
    return Measure(once["n"] + periods["n"], once["d"] + periods["d"])
