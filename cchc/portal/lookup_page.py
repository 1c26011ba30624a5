"""What the look-up page shows, as plain names and strings (issue 11 item 2).

The page is the busiest public one: a template variable costs a lookup on every request, an
object's attribute more (Django tries it as a key first), a filter more again. So the page gets
flat names, the result as a dict of strings with dates already written out (dd/mm/yyyy HH:MM,
local time, as the `ngay` filter writes them), and the form's labels from `LookupForm` itself.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from cchc.core.timezones import VN
from cchc.dossiers.forms import LookupEntry, LookupForm
from cchc.dossiers.selectors import PublicDossier

_CODE = LookupForm.base_fields["code"]
_PHONE = LookupForm.base_fields["phone_last4"]
LABELS = {
    "code_label": str(_CODE.label),
    "phone_label": str(_PHONE.label),
    "phone_help": str(_PHONE.help_text),
}


#: Beside the new appointment: the apology is "sent" only once its letter is released
#: (Decree 61 Art. 19(9), domain.md 1.4); before, it awaits the head's signature.
APOLOGY_NOTES = {
    "sent": "đơn vị đã gửi văn bản xin lỗi",
    "pending": "đang trình ký văn bản xin lỗi",
}


def _when(value: datetime | None) -> str:
    """As `format_date` writes an instant (dd/mm/yyyy HH:MM in Vietnam's time, the system's one
    zone), without looking the active zone up for every date."""
    if value is None:
        return ""
    local = value.astimezone(VN)  # f-string fields: a third of strftime's time
    return f"{local.day:02d}/{local.month:02d}/{local.year} {local.hour:02d}:{local.minute:02d}"


def context(entry: LookupEntry, result: PublicDossier | None) -> dict[str, Any]:
    return {
        **LABELS,
        "code_value": entry.code.value,
        "code_errors": entry.code.errors,
        "phone_value": entry.phone_last4.value,
        "phone_errors": entry.phone_last4.errors,
        "result": _result(result) if result is not None else None,
    }


def _result(result: PublicDossier) -> dict[str, Any]:
    return {
        "code": result.code,
        "phone_mismatch": result.phone_matched is False,
        "procedure": result.procedure,
        "applicant": result.applicant,
        "status": result.status,
        "submitted_at": _when(result.submitted_at),
        "received_at": _when(result.received_at),
        "due_at": _when(result.due_at),
        "new_due_at": _when(result.new_due_at),
        "apology_note": APOLOGY_NOTES.get(result.apology, ""),
        "returned_at": _when(result.returned_at),
        "supplement_items": result.supplement_items,
        "supplement_reason": result.supplement_reason,
        "steps": [
            {"at": _when(step.at), "label": step.label, "note": step.note} for step in result.steps
        ],
    }
