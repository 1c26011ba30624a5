"""Reads of plans, always scoped to the acting user; the dashboard's target statuses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cchc.accounts import permissions
from cchc.kpi import registry
from cchc.kpi.companions import Companion, companions_of
from cchc.kpi.registry import Measure, Period
from cchc.organizations.models import Staff, Unit
from cchc.plans.models import (
    NO_GOAL,
    Activity,
    Assignment,
    Plan,
    PlanImport,
    Target,
    Task,
    TaskOccurrence,
    TaskStatus,
)

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser

OPEN = [TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS]


def plan_list_for_user(*, user: AnyUser, year: int | None = None) -> QuerySet[Plan]:
    permissions.require(user, permissions.VIEW_PLANS)
    plans = permissions.scope_to_units(Plan.objects.select_related("unit"), user)
    if year:
        plans = plans.filter(year=year)
    return plans.annotate(
        task_count=Count("tasks", filter=Q(tasks__parent__isnull=False), distinct=True),
        done_count=Count(
            "tasks",
            filter=Q(tasks__parent__isnull=False, tasks__status=TaskStatus.DONE),
            distinct=True,
        ),
    )


def plan_get_for_user(*, user: AnyUser, pk: int) -> Plan:
    plan = (
        permissions.scope_to_units(Plan.objects.select_related("unit", "parent", "signer"), user)
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404("Không tìm thấy kế hoạch.")
    permissions.require(user, permissions.VIEW_PLANS, plan.unit)
    return plan


def task_get_for_user(*, user: AnyUser, pk: int) -> Task:
    task = (
        permissions.scope_to_units(
            Task.objects.select_related("plan__unit", "owner", "parent"), user, field="plan__unit"
        )
        .filter(pk=pk)
        .first()
    )
    if task is None:
        raise Http404("Không tìm thấy nhiệm vụ.")
    return task


def import_get_for_user(*, user: AnyUser, pk: int) -> PlanImport:
    pending = (
        permissions.scope_to_units(PlanImport.objects.select_related("unit"), user)
        .filter(pk=pk)
        .first()
    )
    if pending is None:
        raise Http404("Không tìm thấy lượt nhập.")
    permissions.require(user, permissions.MANAGE_PLANS, pending.unit)
    return pending


def occurrence_get_for_user(*, user: AnyUser, pk: int) -> TaskOccurrence:
    occurrence = (
        permissions.scope_to_units(
            TaskOccurrence.objects.select_related("task__plan__unit"),
            user,
            field="task__plan__unit",
        )
        .filter(pk=pk)
        .first()
    )
    if occurrence is None:
        raise Http404("Không tìm thấy kỳ thực hiện.")
    return occurrence


def activity_list_for_user(*, user: AnyUser) -> QuerySet[Activity]:
    """Activities of every unit the user may read (a commune officer: every school below him),
    newest first, as the API lists them."""
    return (
        permissions.scope_to_units(Activity.objects.all(), user)
        .select_related("task", "unit")
        .prefetch_related("participants")
    )


def activity_get_for_user(*, user: AnyUser, pk: int) -> Activity:
    activity = (
        permissions.scope_to_units(Activity.objects.select_related("unit"), user)
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404("Không tìm thấy hoạt động.")
    return activity


# ---------------------------------------------------------------- dashboard


@dataclass(frozen=True)
class TargetStatus:
    target: Target
    measure: Measure
    status: str  # met / at_risk / missed / not_measurable
    label: str
    tone: str
    kpi_name: str
    kpi_definition: str = ""
    # Figures shown beside the target without judging it (`cchc.kpi.companions`): target 8's
    # one-stop papers and outgoing documents signed, beside its staff-signing indicator.
    companions: tuple[Companion, ...] = ()


_STATUS = {
    "met": ("Đạt", "ok"),
    "at_risk": ("Có nguy cơ không đạt", "warn"),
    "missed": ("Không đạt", "bad"),
    "not_measurable": ("Chưa đo được", "neutral"),
    "no_goal": (NO_GOAL, "neutral"),
}
_RATINGS = ["kém", "không đạt", "trung bình", "khá", "tốt", "xuất sắc"]


def _satisfies(target: Target, measure: Measure) -> bool | None:
    if target.value_label:
        if not measure.label:
            return None
        have = (
            _RATINGS.index(measure.label.casefold()) if measure.label.casefold() in _RATINGS else -1
        )
        want = (
            _RATINGS.index(target.value_label.casefold())
            if target.value_label.casefold() in _RATINGS
            else 99
        )
        return have >= want
    value = measure.value
    if value is None or target.value is None:
        return None
    goal = Decimal(target.value)
    return {
        ">=": value >= goal,
        ">": value > goal,
        "<=": value <= goal,
        "=": value >= goal,  # "100%" means reaching the figure; exceeding is impossible for rates
        "": value >= goal,
    }[target.comparator]


def target_status(
    target: Target, measure: Measure, *, today: date, period: Period
) -> tuple[str, str, str]:
    """(status, label, tone) of `target` given its figure over `period`: the one rule, shared by
    the plan page and the commune's roll-up (which reads the figure from a snapshot)."""
    ok = _satisfies(target, measure) if measure.is_measurable else None
    if ok is None and measure.is_measurable and target.value is None and not target.value_label:
        status = "no_goal"  # measured, but the plan set no figure to compare it with
    elif ok is None:
        status = "not_measurable"
    elif ok:
        status = "met"
    else:
        status = "missed" if today > period.end else "at_risk"
    label, tone = _STATUS[status]
    return status, label, tone


def target_statuses(
    plan: Plan,
    *,
    today: date | None = None,
    period: Period | None = None,
    measures: Mapping[str, Measure] | None = None,
    with_companions: bool = False,
) -> list[TargetStatus]:
    """Each target with its live value over the plan's unit and year (or `period`), and whether
    it is met. `measures` (code → Measure, already computed over the plan's unit and `period`)
    saves measuring again a code it holds. `with_companions`: also the figures shown beside a
    target (pages that show them; the roll-ups do not measure them).

    While the period runs, a target not yet met is "at risk"; once it is over it is missed.
    """
    today = today or timezone.localdate()
    period = period or Period.year(plan.year)
    units = Unit.objects.filter(pk=plan.unit_id)
    measures = measures or {}
    out = []
    for target in plan.targets.all():
        measure = measures.get(target.kpi_code or "")
        if measure is None:
            measure = registry.measure(target.kpi_code, units, period)
        status, label, tone = target_status(target, measure, today=today, period=period)
        out.append(
            TargetStatus(
                target,
                measure,
                status,
                label,
                tone,
                registry.name_of(target.kpi_code),
                registry.definition_of(target.kpi_code),
                companions_of(target.kpi_code, units, period, measures) if with_companions else (),
            )
        )
    return out


def is_overdue(task: Task | TaskOccurrence, today: date) -> bool:
    """The one definition of a late task or period: still open and its due day has passed."""
    return task.status in OPEN and task.due_on is not None and task.due_on < today


def overdue_q(today: date) -> Q:
    """`is_overdue` as a filter, for the database."""
    return Q(status__in=OPEN, due_on__lt=today)


def task_rows(plan: Plan, *, today: date | None = None) -> list[dict[str, Any]]:
    """Leaf tasks with owner, status, next deadline and overdue flag; overdue first."""
    today = today or timezone.localdate()
    tasks = (
        plan.tasks.filter(parent__isnull=False)
        .select_related("owner", "parent")
        .prefetch_related(
            Prefetch("occurrences", queryset=TaskOccurrence.objects.order_by("period_start"))
        )
    )
    rows: list[dict[str, Any]] = []
    for task in tasks:
        occurrences = list(task.occurrences.all())
        late = [o for o in occurrences if is_overdue(o, today)]
        upcoming = [o for o in occurrences if o.status in OPEN and o.due_on >= today]
        next_due = upcoming[0].due_on if upcoming else task.due_on
        rows.append(
            {
                "task": task,
                "overdue": is_overdue(task, today) or bool(late),
                "late_periods": late,
                "next_due": next_due,
                "done_periods": sum(o.status == TaskStatus.DONE for o in occurrences),
                "periods": len(occurrences),
            }
        )
    rows.sort(key=lambda r: (not r["overdue"], r["next_due"] or date.max, r["task"].order))
    return rows


# What the plan page's "Tiến độ" counts (the commune roll-up's "Tiến độ kế hoạch" too).
PROGRESS_DEFINITION = (
    "Nhiệm vụ đã hoàn thành ÷ tất cả nhiệm vụ của kế hoạch (không tính tiêu đề nhóm và nhiệm vụ "
    "không thực hiện), dù hoàn thành đúng hạn hay trễ hạn. Cột “Tiến độ” của từng nhiệm vụ là "
    "phần trăm người chủ trì tự cập nhật."
)


@dataclass(frozen=True)
class PlanFigure:
    """A headline figure of the plan page, with the one line that says what it counts."""

    label: str
    measure: Measure
    definition: str


def plan_figures(plan: Plan, rows: list[dict[str, Any]]) -> list[PlanFigure]:
    """The plan's progress (tasks done, late or not) beside its on-time rate (tasks and
    recurring periods done by their deadline, `task_on_time_rate`): two figures that differ,
    each with its definition, as the dashboards show indicators."""
    counted = [r for r in rows if r["task"].status != TaskStatus.CANCELLED]
    done = sum(r["task"].status == TaskStatus.DONE for r in counted)
    units = Unit.objects.filter(pk=plan.unit_id)
    return [
        PlanFigure("Tiến độ", Measure(done, len(counted)), PROGRESS_DEFINITION),
        PlanFigure(
            "Đúng hạn",
            registry.measure("task_on_time_rate", units, Period.year(plan.year)),
            registry.definition_of("task_on_time_rate"),
        ),
    ]


def tasks_by_owner(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[Any, dict[str, Any]] = {}
    for row in rows:
        owner = row["task"].owner
        key = owner.pk if owner else None
        group = groups.setdefault(
            key, {"owner": owner, "open": 0, "done": 0, "overdue": 0, "total": 0}
        )
        group["total"] += 1
        group["overdue"] += row["overdue"]
        if row["task"].status == TaskStatus.DONE:
            group["done"] += 1
        else:
            group["open"] += 1
    return sorted(
        groups.values(), key=lambda g: (-g["overdue"], g["owner"].full_name if g["owner"] else "~")
    )


# ---------------------------------------------------------------- one person's work


def my_work(*, user: AnyUser, today: date | None = None) -> dict[str, Any]:
    """The acting person's duties from current plans and their open tasks, overdue first."""
    today = today or timezone.localdate()
    staff = permissions.acting_staff(user)
    if staff is None:
        return {"staff": None, "duties": [], "rows": []}
    duties = (
        Assignment.objects.filter(staff=staff, plan__status="active")
        .select_related("plan")
        .order_by("-plan__year", "order")
    )
    tasks = (
        Task.objects.filter(Q(owner=staff) | Q(collaborators=staff), parent__isnull=False)
        .filter(plan__status="active")
        .select_related("plan", "owner")
        .prefetch_related("occurrences")
        .distinct()
    )
    rows = []
    for task in tasks:
        late = [o for o in task.occurrences.all() if is_overdue(o, today)]
        open_periods = [o for o in task.occurrences.all() if o.status in OPEN]
        if task.status not in OPEN and not open_periods:
            continue
        rows.append(
            {
                "task": task,
                "overdue": is_overdue(task, today) or bool(late),
                "late_periods": late,
                "next_due": min((o.due_on for o in open_periods), default=task.due_on),
                "is_owner": task.owner_id == staff.pk,
            }
        )
    rows.sort(key=lambda r: (not r["overdue"], r["next_due"] or date.max))
    return {"staff": staff, "duties": duties, "rows": rows}


def staff_choices(unit: Unit) -> QuerySet[Staff]:
    return Staff.objects.filter(unit=unit, is_active=True).order_by("full_name")
