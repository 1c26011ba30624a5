"""E-mail reminders of periodic reports: once before the due date, once when it is overdue.

Run daily (`cchc report remind`, or enqueued for `cchc db_worker`). A reminder is written to
`ReportReminder` in the same transaction as it is sent, under a unique constraint (unit, period,
due date, kind), so a second run on the same day, or two workers at once, never send it twice;
a mail server that refuses rolls the row back and the next run tries again. A due date moved by
the commune is a new due date, so it is reminded again.
"""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cchc.accounts.models import Role
from cchc.organizations.models import Staff, Unit
from cchc.reports import calendar
from cchc.reports.builder import period_name
from cchc.reports.models import ReportReminder

log = logging.getLogger(__name__)


def _address(staff: Staff) -> str:
    if staff.email:
        return staff.email
    return staff.user.email if staff.user is not None and staff.user.email else ""


def recipients(due: calendar.Due) -> list[str]:
    """The person responsible (the rule's) and the unit's principal, each once."""
    people: list[Staff] = []
    if due.responsible is not None and due.responsible.is_active:
        people.append(due.responsible)
    people += list(
        Staff.objects.filter(
            unit=due.unit, is_active=True, role_assignments__role=Role.PRINCIPAL
        ).select_related("user")
    )
    seen: list[str] = []
    for person in people:
        address = _address(person)
        if address and address.lower() not in (s.lower() for s in seen):
            seen.append(address)
    return seen


def _kind(due: calendar.Due, today: date) -> str | None:
    status = due.status(today)
    if status == "due_soon":
        return "before"
    if status == "overdue":
        return "overdue"
    return None


def _message(due: calendar.Due, kind: str, today: date, to: list[str]) -> EmailMessage:
    name = period_name(due.period)
    context = {
        "due": due,
        "name": name,
        "kind": kind,
        "today": today,
        "days_left": (due.due_on - today).days,
        "days_late": due.days_overdue(today),
        "site_name": settings.CCHC_SITE_NAME,
    }
    body = render_to_string("reports/email/reminder.txt", context)
    if kind == "before":
        subject = f"[CCHC] Hạn nộp báo cáo CCHC {name}: {due.due_on:%d/%m/%Y}"
    else:
        subject = f"[CCHC] Quá hạn báo cáo CCHC {name} (hạn {due.due_on:%d/%m/%Y})"
    return EmailMessage(subject, body, to=to)


class _NotSent(Exception):
    """The reminder left nothing (no mail server configured): its record is rolled back, so
    it is sent once a server is set."""


def send_reminders(*, today: date | None = None) -> dict[str, int]:
    """Remind every unit of the reports due soon or overdue that nobody has built yet."""
    today = today or timezone.localdate()
    units = list(Unit.objects.all())
    sent = skipped = already = 0
    dues = calendar.calendar_for(units, calendar.recent_years(today))
    for unit_dues in dues.values():
        for due in unit_dues:
            kind = _kind(due, today)
            if kind is None or not calendar.owed(due):
                continue
            if ReportReminder.objects.filter(
                unit=due.unit, period=due.period, due_on=due.due_on, kind=kind
            ).exists():
                already += 1
                continue
            to = recipients(due)
            if not to:
                skipped += 1
                continue
            try:
                with transaction.atomic():
                    ReportReminder.objects.create(
                        unit=due.unit,
                        period=due.period,
                        due_on=due.due_on,
                        kind=kind,
                        recipients="\n".join(to),
                    )
                    if not _message(due, kind, today, to).send():
                        raise _NotSent  # no mail server (cchc.core.unsent_mail): not recorded
            except IntegrityError:
                already += 1  # another worker sent it meanwhile
                continue
            except _NotSent:
                skipped += 1
                continue
            except OSError:
                log.exception("report reminder to %s failed", to)
                skipped += 1
                continue
            sent += 1
    return {"sent": sent, "skipped": skipped, "already": already}


__all__ = ["recipients", "send_reminders"]
