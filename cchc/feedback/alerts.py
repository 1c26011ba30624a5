"""Feedback in the daily digest: items due within one working day, late, or approved and
waiting too long for publication. The section joins the one daily mail of `cchc dossiers
digest` (cchc.core.digest); `send_digests` here sends it alone, for installations that do not
run the dossiers digest."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone

from cchc.accounts.models import Role
from cchc.core.timezones import VN
from cchc.feedback.models import Feedback
from cchc.feedback.workflow import OPEN, FeedbackStatus
from cchc.organizations.models import Staff
from cchc.workdays.services import calendar_for_unit

# Who hears about a unit's items besides the handler: the desk and the head.
_WATCHERS = (Role.PRINCIPAL, Role.CLERK)


def digest_lists(now: datetime | None = None) -> dict[int, dict[str, list[Feedback]]]:
    """staff id -> {"due_soon", "late", "unpublished"} for handlers, clerks and principals."""
    now = now or timezone.now()
    today = now.astimezone(VN).date()
    items = (
        Feedback.objects.filter(status__in=[*OPEN, FeedbackStatus.APPROVED])
        .select_related("unit", "assignee")
        .order_by("due_at")
    )
    lists: dict[int, dict[str, list[Feedback]]] = defaultdict(
        lambda: {"due_soon": [], "late": [], "unpublished": []}
    )
    horizon: dict[int, datetime] = {}
    watchers: dict[int, list[int]] = {}
    for item in items:
        if item.unit_id not in horizon:
            calendar = calendar_for_unit(item.unit)
            next_day = calendar.add_working_days(today, 1)
            horizon[item.unit_id] = datetime.combine(next_day, time(23, 59), tzinfo=VN)
            watchers[item.unit_id] = list(
                Staff.objects.filter(
                    unit_id=item.unit_id, is_active=True, role_assignments__role__in=_WATCHERS
                ).values_list("pk", flat=True)
            )
        if item.status == FeedbackStatus.APPROVED:
            if item.publish_due_at is None or item.publish_due_at > horizon[item.unit_id]:
                continue
            kind = "unpublished"
        elif item.is_late(now):
            kind = "late"
        elif item.due_at <= horizon[item.unit_id]:
            kind = "due_soon"
        else:
            continue
        people = set(watchers[item.unit_id])
        # A conduct complaint is not sent to a teacher who happens to be the handler's pick.
        if item.assignee_id and item.classification != "conduct":
            people.add(item.assignee_id)
        for staff_id in people:
            lists[staff_id][kind].append(item)
    return dict(lists)


def _section(item_lists: dict[str, list[Feedback]]) -> str:
    return render_to_string(
        "feedback/email/digest_section.txt",
        {"base": settings.CCHC_PUBLIC_URL.rstrip("/"), **item_lists},
    )


def digest_section(now: datetime) -> dict[int, str]:
    """staff id -> the feedback block of their daily mail (registered in apps.ready)."""
    return {staff_id: _section(content) for staff_id, content in digest_lists(now).items()}


def send_digests(now: datetime | None = None) -> dict[str, int]:
    """The feedback section alone, one mail per person."""
    now = now or timezone.now()
    lists = digest_lists(now)
    staff = Staff.objects.select_related("user").in_bulk(lists.keys())
    messages, skipped = [], 0
    for staff_id, content in lists.items():
        person = staff[staff_id]
        address = person.email or (person.user.email if person.user is not None else "")
        if not address:
            skipped += 1
            continue
        body = render_to_string(
            "feedback/email/daily_digest.txt",
            {
                "staff": person,
                "today": now.astimezone(VN).date(),
                "site_name": settings.CCHC_SITE_NAME,
                "section": _section(content),
            },
        )
        late = len(content["late"])
        subject = (
            f"[CCHC] Phản ánh, kiến nghị ngày {now.astimezone(VN):%d/%m/%Y}: "
            + (f"{late} quá hạn, " if late else "")
            + f"{len(content['due_soon'])} sắp đến hạn"
            + (f", {len(content['unpublished'])} chờ công khai" if content["unpublished"] else "")
        )
        messages.append(EmailMessage(subject, body, to=[address]))
    sent = 0
    if messages:
        with get_connection() as connection:
            sent = connection.send_messages(messages) or 0
    return {"sent": sent, "skipped": skipped}
