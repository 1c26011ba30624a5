"""What people can do on a plan task, as data (the shape of `cchc.dossiers.workflow.ACTIONS`).

Each action names who may take it, its form, its service and its labels. The services call
`check_task_action` first, the task page offers exactly what `offered_task_actions` returns,
and the views dispatch through the table: the commune officer, who reads every school's tasks
(issue 16 point 7), is offered nothing he would be refused.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from django.core.exceptions import PermissionDenied

from cchc.accounts import permissions
from cchc.core.refusals import NO_PERMISSION

if TYPE_CHECKING:
    from cchc.accounts.models import User
    from cchc.plans.models import Task


def may_update_task(user: User | None, task: Task) -> bool:
    """Owners and collaborators update their own task; plan managers update any in their unit."""
    if permissions.can(user, permissions.MANAGE_PLANS, task.plan.unit):
        return True
    staff = permissions.acting_staff(user)
    if staff is None or staff.unit_id != task.plan.unit_id:
        return False
    return task.owner_id == staff.pk or task.collaborators.filter(pk=staff.pk).exists()


def may_plan_task(user: User | None, task: Task) -> bool:
    """Who does a task, by when and how often: the unit's plan managers."""
    return permissions.can(user, permissions.MANAGE_PLANS, task.plan.unit)


def may_comment(user: User | None, task: Task) -> bool:
    """Only the unit's own staff discuss its tasks (the commune reads them, it does not chat)."""
    if user is not None and user.is_superuser:
        return True
    if not permissions.can(user, permissions.VIEW_PLANS, task.plan.unit):
        return False
    staff = permissions.acting_staff(user)
    return staff is not None and staff.unit_id == task.plan.unit_id


@dataclass(frozen=True)
class TaskAction:
    """One action of the task page (its key in TASK_ACTIONS is `name`)."""

    name: str
    label: str  # the button
    title: str  # the heading of its section on the page
    may: Callable[[User | None, Task], bool]  # the guard
    refusal: str  # the 403 message when `may` says no
    service: str  # a function of cchc.plans.services, called (actor=, task=, **arguments)
    form: str = ""  # a form class of cchc.plans.forms ("" = posted per period, no form)
    url: str = ""  # the URL name it is posted to
    done: str = ""  # the message after it went through
    primary: bool = False


TASK_ACTIONS: Final[Mapping[str, TaskAction]] = {
    a.name: a
    for a in (
        TaskAction(
            "progress",
            "Lưu tiến độ",
            "Cập nhật tiến độ",
            may=may_update_task,
            refusal="Chỉ người chủ trì, người phối hợp hoặc lãnh đạo được cập nhật.",
            service="task_update_progress",
            form="TaskProgressForm",
            url="plans:task_progress",
            done="Đã cập nhật tiến độ.",
            primary=True,
        ),
        TaskAction(
            "plan",
            "Lưu phân công",
            "Phân công và thời hạn",
            may=may_plan_task,
            refusal=NO_PERMISSION,
            service="task_plan",
            form="TaskPlanForm",
            url="plans:task_plan",
            done="Đã lưu phân công.",
        ),
        TaskAction(
            "evidence",
            "Thêm minh chứng",
            "Thêm minh chứng",
            may=may_update_task,
            refusal="Bạn không được thêm minh chứng cho nhiệm vụ này.",
            service="evidence_add",
            form="EvidenceForm",
            url="plans:task_evidence",
            done="Đã thêm minh chứng.",
        ),
        TaskAction(
            "comment",
            "Gửi",
            "Trao đổi",
            may=may_comment,
            refusal="Chỉ viên chức của đơn vị được trao đổi về nhiệm vụ.",
            service="comment_add",
            form="CommentForm",
            url="plans:task_comment",
        ),
        TaskAction(
            "occurrence",
            "Đánh dấu hoàn thành",
            "Các kỳ thực hiện",
            may=may_update_task,
            refusal="Bạn không được cập nhật nhiệm vụ này.",
            service="occurrence_complete",
            url="plans:occurrence_toggle",
        ),
    )
}


def check_task_action(actor: User | None, task: Task, name: str) -> None:
    """Raise PermissionDenied unless `actor` may take action `name` on `task`; the services
    call it before changing anything."""
    action = TASK_ACTIONS[name]
    if not action.may(actor, task):
        raise PermissionDenied(action.refusal)


def offered_task_actions(actor: User | None, task: Task) -> list[TaskAction]:
    """The actions `actor` may take on `task`, in the table's order."""
    return [a for a in TASK_ACTIONS.values() if a.may(actor, task)]
