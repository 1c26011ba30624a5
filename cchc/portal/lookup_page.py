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
from cchc.dossiers.models import SupplementRule
from cchc.dossiers.selectors import PublicDossier
from cchc.dossiers.supplement_notes import on_receipt
from cchc.dossiers.workflow import DossierStatus

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


#: In place of the due date while the citizen's papers are awaited: the clock has stopped and
#: the due date comes back on receipt, by the procedure's rule (Decree 61 Art. 19(4): counted
#: again from zero, domain.md 1.3; or moved by the working days waited).
WAITING_NOTES: dict[str, str] = {
    SupplementRule.RESTART: "Đang chờ ông/bà nộp bổ sung giấy tờ, thời hạn giải quyết tạm "
    f"dừng. Khi đơn vị nhận đủ hồ sơ bổ sung, {on_receipt(SupplementRule.RESTART)} và đơn vị "
    "hẹn ngày trả kết quả mới.",
    SupplementRule.PAUSE: "Đang chờ ông/bà nộp bổ sung giấy tờ, thời hạn giải quyết tạm dừng. "
    f"Khi đơn vị nhận đủ hồ sơ bổ sung, {on_receipt(SupplementRule.PAUSE)}.",
}
#: Asked at the counter, before acceptance: the clock has not started (domain.md 1.3).
WAITING_NOT_RECEIVED = (
    "Đang chờ ông/bà nộp bổ sung giấy tờ. Thời hạn giải quyết được tính từ khi đơn vị tiếp "
    "nhận đủ hồ sơ; khi đó đơn vị hẹn ngày trả kết quả."
)
OVERDUE = "Đã quá hạn hẹn trả"
_SUPPLEMENT = str(DossierStatus.SUPPLEMENT)  # as the row holds it: no enum per request
ASK_COUNTER = (
    "Ông/bà có thể liên hệ bộ phận tiếp nhận và trả kết quả của đơn vị để được giải thích."
)


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


def _waiting(result: PublicDossier) -> str:
    """What replaces the due dates while the dossier waits for the citizen's papers."""
    if result.status_code != _SUPPLEMENT:
        return ""
    if result.received_at is None:
        return WAITING_NOT_RECEIVED
    return WAITING_NOTES.get(result.supplement_rule, WAITING_NOTES[SupplementRule.RESTART])


def _overdue(result: PublicDossier) -> str:
    """The plain sentence for an open dossier past its appointment, with the date in force."""
    if not result.past_due:
        return ""
    due = _when(result.due_at)
    if result.new_due_at is None:
        return f"{OVERDUE} kết quả ({due}) nhưng hồ sơ chưa giải quyết xong. {ASK_COUNTER}"
    new_due = _when(result.new_due_at)
    note = APOLOGY_NOTES.get(result.apology, "")
    apology = f" ({note})" if note else ""
    if result.past_new_due:
        return (
            f"{OVERDUE} kết quả, kể cả ngày hẹn lại {new_due}{apology}, nhưng hồ sơ chưa giải "
            f"quyết xong (hẹn ban đầu: {due}). {ASK_COUNTER}"
        )
    return (
        f"{OVERDUE} kết quả ban đầu ({due}). Đơn vị đã hẹn lại ngày trả kết quả: "
        f"{new_due}{apology}."
    )


#: The badge of a dossier whose result came after its due date.
DONE_LATE = "Trễ hạn"
#: After the late result: whether the unit apologised (Decree 61 Art. 19(9), domain.md 1.4).
DONE_LATE_APOLOGY = {
    "sent": "Đơn vị đã gửi văn bản xin lỗi ông/bà.",
    "pending": "Văn bản xin lỗi của đơn vị đang trình ký.",
    "": f"Đơn vị chưa gửi văn bản xin lỗi. {ASK_COUNTER}",
}


def _done_late(result: PublicDossier) -> str:
    """The plain sentence for a dossier whose result came after its due date (the tracking
    book's "Quá hạn"), with the dates and whether an apology was sent."""
    if not result.done_late:
        return ""
    ended = _when(result.result_at or result.returned_at)
    new_due = f" Ngày hẹn lại: {_when(result.new_due_at)}." if result.new_due_at is not None else ""
    apology = DONE_LATE_APOLOGY.get(result.apology, DONE_LATE_APOLOGY[""])
    return (
        f"Trả kết quả trễ hạn so với ngày hẹn {_when(result.due_at)}: hồ sơ có kết quả lúc "
        f"{ended}.{new_due} {apology}"
    )


def _result(result: PublicDossier) -> dict[str, Any]:
    waiting = _waiting(result)
    overdue = _overdue(result)
    done_late = "" if overdue else _done_late(result)
    return {
        "code": result.code,
        "phone_mismatch": result.phone_matched is False,
        "procedure": result.procedure,
        "applicant": result.applicant,
        "status": result.status,
        "submitted_at": _when(result.submitted_at),
        "received_at": _when(result.received_at),
        # While the papers are awaited the dates do not run: the page says so instead.
        "waiting": waiting,
        "due_at": "" if waiting else _when(result.due_at),
        "new_due_at": "" if waiting else _when(result.new_due_at),
        "overdue": OVERDUE if overdue else (DONE_LATE if done_late else ""),
        "overdue_text": overdue,
        "done_late": done_late,
        "apology_note": APOLOGY_NOTES.get(result.apology, ""),
        "returned_at": _when(result.returned_at),
        "supplement_items": result.supplement_items,
        "supplement_reason": result.supplement_reason,
        "steps": [
            {
                "at": _when(step.at),
                "label": step.label,
                "note": step.note,
                "replaced": (
                    f"Ngày hẹn này đã được sửa thành {_when(step.replaced_by)}."
                    if step.replaced_by and step.note
                    else ""
                ),
            }
            for step in result.steps
        ],
    }
