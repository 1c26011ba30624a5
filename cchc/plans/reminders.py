"""Weekly reminders: one digest e-mail per person (never one mail per task).

Each person gets their open tasks due within the next two weeks and their overdue tasks; the
principal of a unit also gets every overdue task of the unit (escalation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone

from cchc.accounts.models import Role
from cchc.organizations.models import Staff
from cchc.plans.models import Task, TaskOccurrence
from cchc.plans.selectors import OPEN, is_overdue

HORIZON_DAYS = 14


@dataclass
class Item:
    number: str
    title: str
    plan: str
    due_on: date
    period: str = ""
    owner: str = ""
    overdue: bool = False


@dataclass
class Digest:
    staff: Staff
    upcoming: list[Item] = field(default_factory=list)
    overdue: list[Item] = field(default_factory=list)
    escalated: list[Item] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.upcoming or self.overdue or self.escalated)


def _open_items(today: date) -> list[tuple[Task, Item]]:
    """Every open one-off task and open period of an active plan due by the horizon."""
    until = today + timedelta(days=HORIZON_DAYS)
    items: list[tuple[Task, Item]] = []
    tasks = (
        Task.objects.filter(
            plan__status="active",
            parent__isnull=False,
            status__in=OPEN,
            due_on__lte=until,
            occurrences__isnull=True,
        )
        .select_related("plan", "owner")
        .prefetch_related("collaborators")
    )
    for task in tasks:
        if task.due_on is None:  # the query asks for dated tasks only
            continue
        item = Item(task.number, task.title, task.plan.title, task.due_on)
        item.overdue = is_overdue(task, today)
        items.append((task, item))
    periods = (
        TaskOccurrence.objects.filter(
            task__plan__status="active", status__in=OPEN, due_on__lte=until
        )
        .select_related("task__plan", "task__owner")
        .prefetch_related("task__collaborators")
    )
    for occurrence in periods:
        task = occurrence.task
        items.append(
            (
                task,
                Item(
                    task.number,
                    task.title,
                    task.plan.title,
                    occurrence.due_on,
                    occurrence.period_label,
                    overdue=is_overdue(occurrence, today),
                ),
            )
        )
    return items


def build_digests(*, today: date | None = None) -> list[Digest]:
    today = today or timezone.localdate()
    digests: dict[int, Digest] = {}
    overdue_by_unit: dict[int, list[Item]] = {}
    for task, item in _open_items(today):
        item.owner = task.owner.full_name if task.owner else "Chưa phân công"
        people = [p for p in [task.owner, *task.collaborators.all()] if p is not None]
        for person in people:
            digest = digests.setdefault(person.pk, Digest(person))
            (digest.overdue if item.overdue else digest.upcoming).append(item)
        if item.overdue:
            overdue_by_unit.setdefault(task.plan.unit_id, []).append(item)
    principals = Staff.objects.filter(
        unit_id__in=overdue_by_unit, is_active=True, role_assignments__role=Role.PRINCIPAL
    )
    for principal in principals:
        digest = digests.setdefault(principal.pk, Digest(principal))
        digest.escalated = sorted(overdue_by_unit[principal.unit_id], key=lambda i: i.due_on)
    for digest in digests.values():
        digest.upcoming.sort(key=lambda i: i.due_on)
        digest.overdue.sort(key=lambda i: i.due_on)
    return [d for d in digests.values() if not d.is_empty]


def _recipient(staff: Staff) -> str:
    if staff.email:
        return staff.email
    return staff.user.email if staff.user is not None and staff.user.email else ""


def send_digests(*, today: date | None = None) -> dict[str, int]:
    """Send every digest over one SMTP connection; people without an address are counted."""
    today = today or timezone.localdate()
    sent = skipped = 0
    messages = []
    for digest in build_digests(today=today):
        address = _recipient(digest.staff)
        if not address:
            skipped += 1
            continue
        context = {"digest": digest, "today": today, "site_name": settings.CCHC_SITE_NAME}
        body = render_to_string("plans/email/weekly_digest.txt", context)
        subject = f"[CCHC] Nhiệm vụ kế hoạch tuần từ {today:%d/%m/%Y}"
        if digest.overdue or digest.escalated:
            subject += f" — {len(digest.overdue) + len(digest.escalated)} việc quá hạn"
        messages.append(EmailMessage(subject, body, to=[address]))
    if messages:
        with get_connection() as connection:
            sent = connection.send_messages(messages) or 0
    return {"sent": sent, "skipped": skipped}


__all__ = ["Digest", "Item", "build_digests", "send_digests"]
