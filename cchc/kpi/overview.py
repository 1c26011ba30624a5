"""The landing page's reads: one unit's plan targets at a glance and the tasks due this month.

A user who may see several units (the commune officer, the system administrator) picks one;
everyone else sees their own. This is the seed of the KPI dashboard: the rows come from the
same registry the plan dashboard uses (`cchc.plans.selectors.target_statuses`), so a later
issue can add indicators, periods and roll-ups without another source of figures.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.safestring import SafeString

from cchc.accounts import permissions
from cchc.kpi import registry
from cchc.kpi.registry import Measure, Period
from cchc.kpi.selectors import last_snapshot, period_trends, plan_measures
from cchc.kpi.sparkline import sparkline
from cchc.organizations.models import Unit
from cchc.plans.models import Plan, PlanStatus, Task, TaskOccurrence, TaskStatus
from cchc.plans.selectors import TargetStatus, is_overdue, overdue_q, target_statuses

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser

_TREND = {
    "up": ("↑", "tăng"),
    "down": ("↓", "giảm"),
    "flat": ("→", "không đổi"),
}


@dataclass(frozen=True)
class TargetRow:
    status: TargetStatus
    trend_arrow: str = ""
    trend_words: str = ""
    previous: str = ""
    # The same trend line as the indicators' page (/quan-ly/chi-so/), from the nightly
    # snapshots of the plan's year: the arrow says which way, the line how it got there.
    spark: SafeString = field(default_factory=lambda: SafeString(""))


@dataclass(frozen=True)
class DueRow:
    task: Task
    due_on: date
    period_label: str
    is_done: bool
    is_overdue: bool
    late_periods: int = 0  # periods of this task still open past their due date


@dataclass
class Overview:
    unit: Unit | None
    units: QuerySet[Unit]
    plan: Plan | None = None
    targets: list[TargetRow] = field(default_factory=list)
    due: list[DueRow] = field(default_factory=list)
    month_start: date | None = None
    can_import: bool = False
    # The day the targets' figures are counted to (last night's snapshot), None when live.
    as_of: date | None = None


def _chosen_unit(user: AnyUser, units: QuerySet[Unit], unit_id: str | None) -> Unit | None:
    if unit_id:
        if not unit_id.isdigit():
            raise Http404("Không tìm thấy đơn vị.")
        unit = units.filter(pk=int(unit_id)).first()
        if unit is None:
            raise Http404("Không tìm thấy đơn vị.")
        return unit
    staff = permissions.acting_staff(user)
    if staff is not None and staff.is_active:
        return staff.unit
    with_plan = units.filter(plans__status=PlanStatus.ACTIVE).order_by("path").first()
    return with_plan or units.order_by("path").first()


def current_plan(unit: Unit, today: date) -> Plan | None:
    """The unit's active plan of this year, else its latest active plan."""
    plans = Plan.objects.filter(unit=unit, status=PlanStatus.ACTIVE)
    return plans.filter(year=today.year).order_by("-issued_on", "-pk").first() or (
        plans.order_by("-year", "-pk").first()
    )


def _trend(
    row: TargetStatus, plan: Plan, today: date, snapshotted: dict[str, Measure]
) -> TargetRow:
    """Year-to-date value now against the value at the end of last month: that day's snapshot
    (its year up to that day) when taken, else measured (none in January or for unbound
    targets)."""
    if not row.target.kpi_code or not row.measure.is_measurable or row.measure.label:
        return TargetRow(row)
    last_month_end = today.replace(day=1) - timedelta(days=1)
    if last_month_end.year != plan.year:
        return TargetRow(row)
    before = snapshotted.get(row.target.kpi_code)
    if before is None:
        units = Unit.objects.filter(pk=plan.unit_id)
        before = registry.measure(
            row.target.kpi_code, units, Period(date(plan.year, 1, 1), last_month_end)
        )
    if before.value is None or row.measure.value is None:
        return TargetRow(row)
    now, then = row.measure.value, before.value
    key = "flat" if abs(now - then) < 0.005 else ("up" if now > then else "down")
    arrow, words = _TREND[key]
    return TargetRow(row, arrow, words, before.display())


def due_this_month(plan: Plan, today: date) -> list[DueRow]:
    """Tasks and periods due this month, and open ones already late, with their owners."""
    start = today.replace(day=1)
    end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    in_month = Q(due_on__gte=start, due_on__lte=end)
    late = overdue_q(start)
    rows: list[DueRow] = []
    tasks = (
        Task.objects.filter(plan=plan, parent__isnull=False)
        .filter(in_month | late)
        .exclude(occurrences__isnull=False)
        .select_related("owner")
    )
    for task in tasks:
        if task.due_on is None:
            continue  # the query asks for dated tasks only
        rows.append(
            DueRow(
                task,
                task.due_on,
                "",
                task.status == TaskStatus.DONE,
                is_overdue(task, today),
            )
        )
    occurrences = (
        TaskOccurrence.objects.filter(task__plan=plan)
        .filter(in_month | late)
        .select_related("task__owner")
        .order_by("due_on")
    )
    # One row per task for its late periods (the latest, with how many are late), so a plan
    # imported mid-year does not bury this month's work under every past quarter.
    latest_late: dict[int, tuple[TaskOccurrence, int]] = {}
    for occurrence in occurrences:
        if is_overdue(occurrence, today):
            count = latest_late.get(occurrence.task_id, (occurrence, 0))[1]
            latest_late[occurrence.task_id] = (occurrence, count + 1)
            continue
        rows.append(
            DueRow(
                occurrence.task,
                occurrence.due_on,
                occurrence.period_label,
                occurrence.status == TaskStatus.DONE,
                False,
            )
        )
    for occurrence, count in latest_late.values():
        rows.append(
            DueRow(occurrence.task, occurrence.due_on, occurrence.period_label, False, True, count)
        )
    rows.sort(key=lambda r: (not r.is_overdue, r.is_done, r.due_on, r.task.order))
    return rows


def overview_for_user(*, user: AnyUser, unit_id: str | None, today: date) -> Overview:
    """The landing page of `user`: a unit they may see, its plan's targets and due tasks."""
    permissions.require(user, permissions.VIEW_PLANS)
    units = permissions.visible_units(user).order_by("path")
    unit = _chosen_unit(user, units, unit_id)
    result = Overview(unit=unit, units=units, month_start=today.replace(day=1))
    if unit is None:
        return result
    permissions.require(user, permissions.VIEW_PLANS, unit)
    result.can_import = permissions.can(user, permissions.MANAGE_PLANS, unit)
    plan = current_plan(unit, today)
    if plan is None:
        return result
    result.plan = plan
    owners = {t.pk: t for t in plan.targets.select_related("owner")}
    # The same figures, counted to the same day, as the indicators page and the plan page.
    measures, result.as_of = plan_measures(plan, today=today)
    statuses = target_statuses(plan, today=today, measures=measures, with_companions=True)
    snapshotted = last_snapshot(
        unit,
        [s.target.kpi_code for s in statuses if s.target.kpi_code],
        today.replace(day=1) - timedelta(days=1),
    )
    codes = [s.target.kpi_code for s in statuses if s.target.kpi_code]
    # The year to date a month apart, as the indicators page draws a year (`period_trends`).
    lines = period_trends(
        Unit.objects.filter(pk=unit.pk), codes, Period.year(plan.year), today=today
    )
    result.targets = [
        replace(
            _trend(
                replace(s, target=owners[s.target.pk]),
                plan,
                today,
                snapshotted,
            ),
            spark=sparkline(lines.get(s.target.kpi_code, []), label=f"Diễn biến {s.kpi_name}")
            if s.target.kpi_code and not s.measure.label
            else SafeString(""),
        )
        for s in statuses
    ]
    result.due = due_this_month(plan, today)
    return result
