"""The daily digest: one e-mail per handler and per principal (never one per dossier), listing
dossiers due within one working day and late dossiers that have no apology."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone

from cchc.accounts.models import Role
from cchc.core import digest
from cchc.core.timezones import VN
from cchc.dossiers.deadlines import end_of_day
from cchc.dossiers.models import Dossier
from cchc.dossiers.workflow import CLOCK_RUNNING
from cchc.organizations.models import Staff
from cchc.workdays.services import calendar_for_unit

# Waiting for the citizen stops the clock (Decree 61 Art. 19(4)): not "due", not "late".
OPEN = CLOCK_RUNNING


def digest_lists(now: datetime | None = None) -> dict[int, dict[str, list[Dossier]]]:
    """staff id -> {"due_soon": [...], "late": [...]} for handlers and principals."""
    now = now or timezone.now()
    today = now.astimezone(VN).date()
    open_dossiers = (
        Dossier.objects.filter(status__in=OPEN, due_at__isnull=False)
        .with_late_flag(now)
        .select_related("unit", "procedure", "assignee", "apology")
        .order_by("due_at")
    )
    by_staff: dict[int, dict[str, list[Dossier]]] = defaultdict(
        lambda: {"due_soon": [], "late": []}
    )
    principals: dict[int, list[int]] = {}
    horizon: dict[int, datetime] = {}
    for dossier in open_dossiers:
        unit_id = dossier.unit_id
        if unit_id not in horizon:
            calendar = calendar_for_unit(dossier.unit)
            horizon[unit_id] = end_of_day(calendar, calendar.add_working_days(today, 1))
            principals[unit_id] = list(
                Staff.objects.filter(
                    unit_id=unit_id, is_active=True, role_assignments__role=Role.PRINCIPAL
                ).values_list("pk", flat=True)
            )
        has_apology = hasattr(dossier, "apology")
        if dossier.is_overdue and not has_apology:
            kind = "late"
        elif now <= dossier.effective_due_at <= horizon[unit_id]:
            kind = "due_soon"
        else:
            continue
        people = set(principals[unit_id])
        if dossier.assignee_id:
            people.add(dossier.assignee_id)
        for staff_id in people:
            by_staff[staff_id][kind].append(dossier)
    return dict(by_staff)


def send_digests(now: datetime | None = None) -> dict[str, int]:
    """One mail per person: their dossiers, plus the sections other apps register in
    cchc.core.digest (e.g. feedback due soon or late)."""
    now = now or timezone.now()
    lists = digest_lists(now)
    extra = digest.sections(now)
    staff = Staff.objects.in_bulk(set(lists) | set(extra))
    messages, skipped = [], 0
    for staff_id in sorted(set(lists) | set(extra)):
        content = lists.get(staff_id, {"due_soon": [], "late": []})
        person = staff[staff_id]
        address = person.email or (person.user.email if person.user is not None else "")
        if not address:
            skipped += 1
            continue
        body = render_to_string(
            "dossiers/email/daily_digest.txt",
            {
                "staff": person,
                "today": now.astimezone(VN).date(),
                "site_name": settings.CCHC_SITE_NAME,
                "has_dossiers": bool(content["late"] or content["due_soon"]),
                "sections": extra.get(staff_id, []),
                **content,
            },
        )
        late = len(content["late"])
        day = f"{now.astimezone(VN):%d/%m/%Y}"
        subject = (
            f"[CCHC] Hồ sơ TTHC ngày {day}: "
            + (f"{late} quá hạn chưa xin lỗi, " if late else "")
            + f"{len(content['due_soon'])} sắp đến hạn"
            + ("; kèm phản ánh, kiến nghị" if extra.get(staff_id) else "")
            if content["late"] or content["due_soon"]
            else f"[CCHC] Việc cần chú ý ngày {day}: phản ánh, kiến nghị"
        )
        messages.append(EmailMessage(subject, body, to=[address]))
    sent = 0
    if messages:
        with get_connection() as connection:
            sent = connection.send_messages(messages) or 0
    return {"sent": sent, "skipped": skipped}
