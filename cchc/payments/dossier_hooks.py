"""Payments' part in the one-stop desk (issue 15 item 5): the procedure fee is billed when the
dossier is received, and its VietQR is printed on the receipt (Mẫu 01).

Registered in `PaymentsConfig.ready` on `cchc.dossiers.hooks`: payments already depends on
dossiers, so dossiers calls us through its registry instead of importing payments.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cchc.core.templatetags.vn import format_vnd
from cchc.dossiers.papers import CodeNote
from cchc.payments.models import Bill, BillKind, BillStatus
from cchc.payments.papers import bill_payload
from cchc.payments.services import bill_for_dossier

if TYPE_CHECKING:
    from cchc.accounts.models import User

RECEIPT = "tiep-nhan"
FEE_CAPTION = "Quét VietQR nộp lệ phí"


def bill_at_receipt(dossier: Any, actor: User) -> None:
    """Bill the procedure's fee in the receipt's own transaction: a receipt rolled back leaves
    no bill, and a bill that cannot be made stops the receipt (nothing half-written). Not
    `on_commit`: `bill_for_dossier` only writes rows (no mail, no outside call), and the
    receipt printed right after must already show the bill."""
    bill_for_dossier(dossier, actor=actor)


def procedure_bill(dossier: Any) -> Bill | None:
    return (
        Bill.objects.select_related("unit")
        .filter(unit=dossier.unit, kind=BillKind.PROCEDURE, dossier_code=dossier.code)
        .exclude(status=BillStatus.CANCELLED)
        .first()
    )


def fee_note(dossier: Any, kind: str) -> CodeNote | None:
    """On the receipt: the fee and the bill's code in the body, its VietQR beside the
    signatures (none once paid in full, or while the unit has no bank account on file: then
    the applicant pays at the desk)."""
    if kind != RECEIPT:
        return None
    bill = procedure_bill(dossier)
    if bill is None:
        return None
    line = f"Lệ phí: {format_vnd(bill.amount_vnd)} – Mã khoản thu: {bill.code}"
    if bill.outstanding_vnd <= 0:
        return CodeNote(lines=(f"{line} – đã nộp đủ",))
    payload = bill_payload(bill)
    if payload is None:
        return CodeNote(lines=(f"{line} – nộp tại bộ phận tiếp nhận",))
    return CodeNote(lines=(line,), payload=payload, caption=FEE_CAPTION)
