"""Which bill a bank credit pays: by the bill code in its note, else by amount and date.

1. Codes: every well-formed code in the note (spaces, case, diacritics and bank prefixes
   ignored, see `codes.find_codes`) that names a bill of the unit; the first one wins.
2. No code: open bills whose outstanding amount equals the credit, issued on or before the
   credit date and not more than 60 days past due. The one candidate is a match only when no
   other bill of the unit in that window has the same amount (a class fee is the same for every
   pupil: the last unpaid one must not catch every anonymous transfer). Otherwise the pupil's or
   payer's name in the note must single one out; failing that, the line waits in the unmatched
   queue for a person.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F

from cchc.organizations.models import Unit
from cchc.payments.codes import find_codes
from cchc.payments.models import OPEN_STATUSES, Bill, BillStatus, MatchRule, StatementLine
from cchc.payments.statements import fold

LATE_WINDOW = timedelta(days=60)


def match_line(unit: Unit, line: StatementLine) -> tuple[Bill | None, str]:
    found = find_codes(line.description)
    if found:
        bills = {
            b.code: b
            for b in Bill.objects.filter(unit=unit, code__in=found).exclude(
                status=BillStatus.CANCELLED
            )
        }
        for code in found:
            if code in bills:
                return bills[code], MatchRule.CODE
    window = Bill.objects.filter(
        unit=unit, issued_on__lte=line.posted_on, due_on__gte=line.posted_on - LATE_WINDOW
    ).exclude(status=BillStatus.CANCELLED)
    candidates = list(
        window.filter(status__in=OPEN_STATUSES)
        .annotate(outstanding=F("amount_vnd") - F("paid_vnd"))
        .filter(outstanding=line.amount_vnd)[:50]
    )
    shared = len(candidates) > 1 or window.filter(amount_vnd=line.amount_vnd).count() > 1
    if shared:
        note = fold(line.description)
        candidates = [
            b
            for b in candidates
            if (b.student_name and fold(b.student_name) in note) or fold(b.payer_name) in note
        ]
    if len(candidates) == 1:
        return candidates[0], MatchRule.AMOUNT_DATE
    return None, ""


def suggestions(unit: Unit, line: StatementLine, limit: int = 10) -> list[Bill]:
    """Open bills a person is likely to pick for an unmatched credit: same amount first."""
    return list(
        Bill.objects.filter(unit=unit, status__in=OPEN_STATUSES)
        .annotate(outstanding=F("amount_vnd") - F("paid_vnd"))
        .filter(outstanding=line.amount_vnd)
        .order_by("due_on")[:limit]
    )
