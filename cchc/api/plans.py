"""Plans, tasks and activities over the API, through the same selectors and services."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Final

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.api.dossiers import Id, NoNul
from cchc.api.guards import in_own_unit, path_id, permitted
from cchc.api.types import BoundedDate, Percent, Year
from cchc.core.numbers import MAX_ID
from cchc.plans import selectors, services
from cchc.plans.models import Activity
from cchc.plans.workflow import check_task_action

router = Router(tags=["Kế hoạch CCHC"])


class TargetOut(Schema):
    number: str
    text: str
    comparator: str
    value: float | None
    value_label: str
    unit: str
    kpi: str
    current: str
    status: str


class PlanOut(Schema):
    id: int
    unit_id: int
    reference: str
    title: str
    year: int
    issued_on: date | None
    status: str


class PlanDetailOut(PlanOut):
    targets: list[TargetOut]


class TaskOut(Schema):
    id: int
    number: str
    title: str
    owner: str | None
    recurrence: str
    due_on: date | None
    next_due: date | None
    status: str
    progress: int
    overdue: bool
    version: int


# Activity.participant_count is a PositiveIntegerField; no school event has more attendees,
# and a larger number would overflow the column (a 500) instead of being a typo we can name.
MAX_PARTICIPANTS: Final = 100_000


class TaskPatch(Schema):
    status: Annotated[str, Field(max_length=20), NoNul]
    progress: Percent
    note: Annotated[str, Field(max_length=5000), NoNul] = ""
    version: Annotated[int, Field(ge=0, le=MAX_ID)]


class ActivityIn(Schema):
    kind: Annotated[str, Field(max_length=30), NoNul]
    title: Annotated[str, Field(max_length=300), NoNul]
    held_on: BoundedDate
    description: Annotated[str, Field(max_length=10_000), NoNul] = ""
    task_id: Id | None = None
    participant_ids: list[Id] = Field(default=[], max_length=1000)
    participant_count: Annotated[int, Field(ge=0, le=MAX_PARTICIPANTS)] | None = None


class ActivityOut(Schema):
    id: int
    kind: str
    title: str
    held_on: date
    task_id: int | None
    participant_count: int
    initiative_status: str


def _plan_out(plan) -> dict:
    return {
        "id": plan.pk,
        "unit_id": plan.unit_id,
        "reference": plan.reference,
        "title": plan.title,
        "year": plan.year,
        "issued_on": plan.issued_on,
        "status": plan.status,
    }


def _validation(error: ValidationError) -> HttpError:
    return HttpError(422, " ".join(error.messages))


@router.get("/plans", response=list[PlanOut], summary="Các kế hoạch được xem")
def plan_list(request: AuthedHttpRequest, year: Year | None = None) -> list[dict]:
    return [_plan_out(p) for p in selectors.plan_list_for_user(user=request.user, year=year)]


@router.get("/plans/{plan_id}", response=PlanDetailOut, summary="Một kế hoạch và mục tiêu")
def plan_get(request: AuthedHttpRequest, plan_id: int) -> dict:
    plan = selectors.plan_get_for_user(user=request.user, pk=plan_id)
    targets = [
        {
            "number": row.target.number,
            "text": row.target.text,
            "comparator": row.target.comparator,
            "value": float(row.target.value) if row.target.value is not None else None,
            "value_label": row.target.value_label,
            "unit": row.target.unit_label,
            "kpi": row.target.kpi_code,
            "current": row.measure.display(),
            "status": row.status,
        }
        for row in selectors.target_statuses(plan)
    ]
    return {**_plan_out(plan), "targets": targets}


@router.get("/plans/{plan_id}/tasks", response=list[TaskOut], summary="Nhiệm vụ của kế hoạch")
def plan_tasks(request: AuthedHttpRequest, plan_id: int, overdue: bool | None = None) -> list[dict]:
    plan = selectors.plan_get_for_user(user=request.user, pk=plan_id)
    rows = selectors.task_rows(plan)
    if overdue is not None:
        rows = [r for r in rows if r["overdue"] == overdue]
    return [
        {
            "id": r["task"].pk,
            "number": r["task"].number,
            "title": r["task"].title,
            "owner": r["task"].owner.full_name if r["task"].owner else None,
            "recurrence": r["task"].recurrence,
            "due_on": r["task"].due_on,
            "next_due": r["next_due"],
            "status": r["task"].status,
            "progress": r["task"].progress,
            "overdue": r["overdue"],
            "version": r["task"].version,
        }
        for r in rows
    ]


def _may_report_progress(request: HttpRequest, user: Any) -> None:
    task = selectors.task_get_for_user(user=user, pk=path_id(request, "task_id"))
    check_task_action(user, task, "progress")


@router.patch(
    "/tasks/{task_id}",
    response=TaskOut,
    summary="Cập nhật tiến độ nhiệm vụ",
    auth=permitted(_may_report_progress),
)
def task_patch(request: AuthedHttpRequest, task_id: int, payload: TaskPatch) -> dict:
    task = selectors.task_get_for_user(user=request.user, pk=task_id)
    try:
        task = services.task_update_progress(
            actor=request.user,
            task=task,
            progress=payload.progress,
            status=payload.status,
            note=payload.note,
            expected_version=payload.version,
        )
    except services.StaleEdit as error:
        raise HttpError(409, " ".join(error.messages)) from None
    except ValidationError as error:
        raise _validation(error) from None
    row = next(r for r in selectors.task_rows(task.plan) if r["task"].pk == task.pk)
    return {
        "id": task.pk,
        "number": task.number,
        "title": task.title,
        "owner": task.owner.full_name if task.owner else None,
        "recurrence": task.recurrence,
        "due_on": task.due_on,
        "next_due": row["next_due"],
        "status": task.status,
        "progress": task.progress,
        "overdue": row["overdue"],
        "version": task.version,
    }


@router.get("/activities", response=list[ActivityOut], summary="Hoạt động CCHC")
def activity_list(
    request: AuthedHttpRequest, kind: Annotated[str, Field(max_length=30)] = ""
) -> list[Activity]:
    permissions.require(request.user, permissions.VIEW_PLANS)
    if kind and "\x00" in kind:  # PostgreSQL refuses NUL in a query
        raise HttpError(422, "Loại hoạt động không hợp lệ.")
    activities = permissions.scope_to_units(Activity.objects.all(), request.user)
    if kind:
        activities = activities.filter(kind=kind)
    return list(activities[:500])


@router.post(
    "/activities",
    response={201: ActivityOut},
    summary="Ghi nhận hoạt động",
    auth=permitted(in_own_unit(permissions.RECORD_ACTIVITY)),
)
def activity_create(request: AuthedHttpRequest, payload: ActivityIn) -> Status:
    staff = permissions.acting_staff(request.user)
    if staff is None:
        raise HttpError(403, "Tài khoản chưa gắn với đơn vị nào.")
    task = None
    if payload.task_id is not None:
        task = selectors.task_get_for_user(user=request.user, pk=payload.task_id)
    people = list(selectors.staff_choices(staff.unit).filter(pk__in=payload.participant_ids))
    if len(people) != len(set(payload.participant_ids)):
        raise HttpError(422, "Có người tham gia không thuộc đơn vị.")
    try:
        activity = services.activity_create(
            actor=request.user,
            unit=staff.unit,
            kind=payload.kind,
            title=payload.title,
            held_on=payload.held_on,
            description=payload.description,
            task=task,
            participants=people,
            participant_count=payload.participant_count,
        )
    except ValidationError as error:
        raise _validation(error) from None
    return Status(201, activity)
