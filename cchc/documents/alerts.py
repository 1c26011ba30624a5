"""Deadline alerts for the incoming register (Decree 30/2020 Art. 24).

* not presented: registered but not yet presented to the leader after the next working day
  following receipt (the latest the rule allows);
* overdue: a handling deadline that has passed without the document being done;
* due soon: the deadline is today or within the next two working days.
Working days come from the unit's calendar (``cchc/workdays``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from cchc.documents.models import IncomingDocument
from cchc.documents.workflow import IncomingStatus
from cchc.workdays.services import calendar_for_unit


@dataclass
class Alerts:
    not_presented: list[IncomingDocument] = field(default_factory=list)
    overdue: list[IncomingDocument] = field(default_factory=list)
    due_soon: list[IncomingDocument] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.not_presented or self.overdue or self.due_soon)


def incoming_alerts(rows: QuerySet[IncomingDocument], today: date | None = None) -> Alerts:
    today = today or timezone.localdate()
    calendars: dict[int, Any] = {}
    result = Alerts()
    open_rows = rows.exclude(status=IncomingStatus.DONE).select_related("unit")[:500]
    for doc in open_rows:
        if doc.unit_id not in calendars:
            calendars[doc.unit_id] = calendar_for_unit(doc.unit)
        calendar = calendars[doc.unit_id]
        received = timezone.localtime(doc.received_at).date()
        if doc.status == IncomingStatus.REGISTERED and calendar.next_working_day(received) < today:
            result.not_presented.append(doc)
        if doc.due_on is None:
            continue
        if doc.due_on < today:
            result.overdue.append(doc)
        elif doc.due_on <= calendar.add_working_days(today, 2):
            result.due_soon.append(doc)
    return result
