"""Writes of the payments module: one function per use case, one transaction, one audit record.

Every path that moves money goes through `_apply_payment`, which runs under the unit's ledger
lock (the row of this year's receipt counter, `select_for_update`): payments, bill balances and
receipt numbers of one unit change one at a time, receipt numbers have no gaps, and two imports
of the same statement (or of overlapping ones) count each credit once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb
from cchc.core.templatetags.vn import format_vnd
from cchc.payments import codes
from cchc.payments.class_lists import ClassListError, read_class_list
from cchc.payments.matching import match_line
from cchc.payments.models import (
    Bill,
    BillKind,
    BillStatus,
    Fee,
    LineStatus,
    MatchRule,
    Payment,
    PaymentMethod,
    Receipt,
    ReceiptCounter,
    Statement,
    StatementLine,
)
from cchc.payments.statements import StatementError, UnknownColumns, content_hash, parse
from cchc.workdays.services import calendar_for_unit

if TYPE_CHECKING:
    from cchc.accounts.models import User
    from cchc.organizations.models import Staff, Unit


class PaymentConflict(Exception):
    """Someone else changed the same thing first, or it was already done (HTTP 409)."""


def status_for(amount_vnd: int, paid_vnd: int) -> str:
    if paid_vnd <= 0:
        return BillStatus.UNPAID
    if paid_vnd < amount_vnd:
        return BillStatus.PARTIAL
    return BillStatus.PAID if paid_vnd == amount_vnd else BillStatus.OVERPAID


def _ledger_lock(unit: Unit, year: int) -> ReceiptCounter:
    ReceiptCounter.objects.get_or_create(unit=unit, year=year)
    return ReceiptCounter.objects.select_for_update().get(unit=unit, year=year)


# ----------------------------------------------------------------------------- fees and bills


@transaction.atomic
def fee_create(
    *,
    actor: User | None,
    unit: Unit,
    name: str,
    amount_vnd: int,
    due_on: date,
    legal_basis: str = "",
    period_label: str = "",
) -> Fee:
    """Declare a fee with its legal basis (2741/BGDĐT-KHTC: the reason on every payment)."""
    if amount_vnd <= 0:
        raise ValidationError({"amount_vnd": "Số tiền phải lớn hơn 0 đồng."})
    fee = Fee.objects.create(
        unit=unit,
        name=name.strip(),
        amount_vnd=amount_vnd,
        due_on=due_on,
        legal_basis=legal_basis.strip(),
        period_label=period_label.strip(),
    )
    audit_record(
        actor=actor, verb=AuditVerb.PAYMENTS_FEE_CREATE, obj=fee, unit=unit, after=snapshot(fee)
    )
    return fee


def _new_bill(unit: Unit, prefix: str, year: int, **fields: Any) -> Bill:
    for _ in range(8):
        try:
            with transaction.atomic():
                return Bill.objects.create(unit=unit, code=codes.new_code(prefix, year), **fields)
        except IntegrityError:
            continue  # a code clash (1 in 10^9): draw again
    raise PaymentConflict("Không tạo được mã khoản thu; hãy thử lại.")


@transaction.atomic
def bill_create(
    *,
    actor: User | None,
    unit: Unit,
    reason: str,
    amount_vnd: int,
    payer_name: str,
    due_on: date,
    fee: Fee | None = None,
    student_name: str = "",
    class_name: str = "",
    payer_phone: str = "",
    payer_email: str = "",
    collector: Staff | None = None,
    kind: str = BillKind.FEE,
    dossier_code: str = "",
    issued_on: date | None = None,
) -> Bill:
    """One bill with a fresh code."""
    if amount_vnd <= 0:
        raise ValidationError({"amount_vnd": "Số tiền phải lớn hơn 0 đồng."})
    if fee is not None and fee.unit_id != unit.pk:
        raise ValidationError({"fee": "Khoản thu không thuộc đơn vị này."})
    issued_on = issued_on or timezone.localdate()
    prefix = codes.PREFIX_PROCEDURE if kind == BillKind.PROCEDURE else codes.PREFIX_FEE
    bill = _new_bill(
        unit,
        prefix,
        issued_on.year,
        kind=kind,
        fee=fee,
        reason=reason.strip()[:200],
        amount_vnd=amount_vnd,
        payer_name=payer_name.strip()[:200],
        student_name=student_name.strip()[:200],
        class_name=class_name.strip()[:20],
        payer_phone=payer_phone,
        payer_email=payer_email,
        collector=collector,
        issued_on=issued_on,
        due_on=due_on,
        dossier_code=dossier_code,
    )
    audit_record(
        actor=actor, verb=AuditVerb.PAYMENTS_BILL_CREATE, obj=bill, unit=unit, after=snapshot(bill)
    )
    return bill


@dataclass(frozen=True)
class BatchResult:
    created: list[Bill]
    skipped: int


@transaction.atomic
def bills_from_class_list(
    *,
    actor: User | None,
    unit: Unit,
    fee: Fee,
    filename: str,
    content: bytes,
    collector: Staff | None = None,
    issued_on: date | None = None,
) -> BatchResult:
    """A bill of `fee` for every pupil of the list; pupils already billed for it are skipped,
    so importing the same list twice bills nobody twice."""
    if fee.unit_id != unit.pk:
        raise ValidationError({"fee": "Khoản thu không thuộc đơn vị này."})
    try:
        pupils = read_class_list(filename, content)
    except ClassListError as error:
        raise ValidationError({"file": str(error)}) from error
    # Pupils are told apart by name, class and payer; two rows alike are two pupils (namesakes
    # happen), so each key is billed as many times as the list has it, minus bills already made.
    billed = Counter(
        Bill.objects.filter(fee=fee)
        .exclude(status=BillStatus.CANCELLED)
        .values_list("student_name", "class_name", "payer_name")
    )
    issued_on = issued_on or timezone.localdate()
    created: list[Bill] = []
    for pupil in pupils:
        key = (pupil.student_name, pupil.class_name, pupil.payer_name)
        if billed[key] > 0:
            billed[key] -= 1
            continue
        created.append(
            _new_bill(
                unit,
                codes.PREFIX_FEE,
                issued_on.year,
                kind=BillKind.FEE,
                fee=fee,
                reason=fee.name[:200],
                amount_vnd=fee.amount_vnd,
                payer_name=pupil.payer_name,
                student_name=pupil.student_name,
                class_name=pupil.class_name,
                payer_phone=pupil.payer_phone,
                payer_email=pupil.payer_email,
                collector=collector,
                issued_on=issued_on,
                due_on=fee.due_on,
            )
        )
    audit_record(
        actor=actor,
        verb=AuditVerb.PAYMENTS_BILLS_FROM_CLASS_LIST,
        obj=fee,
        unit=unit,
        after={
            "file": filename,
            "codes": [b.code for b in created],
            "skipped": len(pupils) - len(created),
        },
    )
    return BatchResult(created, len(pupils) - len(created))


@transaction.atomic
def bill_cancel(*, actor: User, bill: Bill, version: int, reason: str) -> Bill:
    """Cancel a bill nobody has paid anything on."""
    locked = Bill.objects.select_for_update().get(pk=bill.pk)
    if locked.version != version:
        raise PaymentConflict("Khoản thu vừa được người khác thay đổi; hãy tải lại trang.")
    if locked.paid_vnd or locked.status == BillStatus.CANCELLED:
        raise ValidationError("Chỉ hủy được khoản thu chưa nộp đồng nào.")
    if not reason.strip():
        raise ValidationError({"reason": "Hãy ghi lý do hủy."})
    before = snapshot(locked, ["status"])
    locked.status = BillStatus.CANCELLED
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.PAYMENTS_BILL_CANCEL,
        obj=locked,
        unit=locked.unit,
        before=before,
        after={"status": locked.status, "reason": reason.strip()},
    )
    return locked


def bill_for_dossier(dossier: Any, *, actor: User | None = None) -> Bill | None:
    """The procedure-fee bill of a dossier (item 5 of issue 15), created once; None when the
    procedure has no fee. Called by the dossier desk at reception; the applicant pays by the
    VietQR on the receipt, and a cashless payment counts for 766 indicator 3.6."""
    fee_vnd = getattr(dossier.procedure, "fee_vnd", None) or 0
    if fee_vnd <= 0:
        return None
    existing = Bill.objects.filter(unit=dossier.unit, dossier_code=dossier.code).first()
    if existing is not None:
        return existing
    due = dossier.due_at or dossier.received_at or timezone.now()
    return bill_create(
        actor=actor,
        unit=dossier.unit,
        kind=BillKind.PROCEDURE,
        reason=f"Lệ phí: {dossier.procedure.name}"[:200],
        amount_vnd=int(fee_vnd),
        payer_name=dossier.applicant_name,
        payer_phone=getattr(dossier, "applicant_phone", "") or "",
        payer_email=getattr(dossier, "applicant_email", "") or "",
        due_on=timezone.localtime(due).date(),
        dossier_code=dossier.code,
    )


# ----------------------------------------------------------------------------- payments


def _apply_payment(
    *,
    actor: User | None,
    bill: Bill,
    amount_vnd: int,
    method: str,
    paid_on: date,
    line: StatementLine | None = None,
    cash_reason: str = "",
    notify: bool = True,
) -> Payment:
    """Record money against a bill (caller holds the ledger lock), update its balance and issue
    the receipt with the next number of the year."""
    locked = Bill.objects.select_for_update().get(pk=bill.pk)
    if locked.status == BillStatus.CANCELLED:
        raise ValidationError("Khoản thu đã bị hủy, không ghi nhận tiền vào được.")
    before = snapshot(locked, ["paid_vnd", "status"])
    payment = Payment.objects.create(
        unit=locked.unit,
        bill=locked,
        amount_vnd=amount_vnd,
        method=method,
        paid_on=paid_on,
        statement_line=line,
        cash_reason=cash_reason,
        collector=locked.collector,
        recorded_by=actor if actor is not None and actor.pk else None,
    )
    locked.paid_vnd += amount_vnd
    locked.status = status_for(locked.amount_vnd, locked.paid_vnd)
    locked.version += 1
    locked.save(update_fields=["paid_vnd", "status", "version", "updated_at"])
    now = timezone.now()
    counter = _ledger_lock(locked.unit, timezone.localtime(now).year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    receipt = Receipt.objects.create(
        unit=locked.unit,
        payment=payment,
        year=counter.year,
        number=counter.last_number,
        issued_at=now,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.PAYMENTS_PAYMENT_RECORD,
        obj=payment,
        unit=locked.unit,
        before=before,
        after={
            "bill": locked.code,
            "amount_vnd": amount_vnd,
            "method": method,
            "paid_on": paid_on,
            "paid_vnd": locked.paid_vnd,
            "status": locked.status,
            "receipt": receipt.display_number,
            "cash_reason": cash_reason,
            "statement_line": line.pk if line is not None else None,
        },
    )
    if notify and locked.payer_email:
        from cchc.payments.tasks import email_receipt

        transaction.on_commit(partial(email_receipt.enqueue, receipt.pk))
    return payment


@transaction.atomic
def cash_payment_record(
    *,
    actor: User | None,
    bill: Bill,
    amount_vnd: int,
    paid_on: date,
    reason: str,
    notify: bool = True,
) -> Payment:
    """Cash is still accepted, with the reason written down; it counts against the cashless
    rate (target 5 of the plan).

    Cash changes hands at the unit's accounts desk, which is open on the unit's working days
    only (the calendar of `cchc.workdays`, make-up Saturdays included), so a cash date on a
    Sunday or a holiday is a typo or money taken outside the ledger: refused. Transfers are
    dated by the bank statement and may fall on any day."""
    errors: dict[str, str] = {}
    if amount_vnd <= 0:
        errors["amount_vnd"] = "Số tiền phải lớn hơn 0 đồng."
    if not reason.strip():
        errors["reason"] = "Hãy ghi lý do thu tiền mặt (ví dụ: gia đình không có tài khoản)."
    if paid_on > timezone.localdate():
        errors["paid_on"] = "Ngày nộp không được sau hôm nay."
    elif not calendar_for_unit(bill.unit).is_working_day(paid_on):
        errors["paid_on"] = (
            f"Ngày {paid_on:%d/%m/%Y} là ngày nghỉ của đơn vị: tiền mặt chỉ được thu tại bộ phận "
            "kế toán trong ngày làm việc. Hãy ghi đúng ngày làm việc đã nhận tiền."
        )
    if errors:
        raise ValidationError(errors)
    _ledger_lock(bill.unit, timezone.localdate().year)
    # Read under the ledger lock: two clerks taking cash for one bill cannot both pass.
    outstanding = Bill.objects.get(pk=bill.pk).outstanding_vnd
    if amount_vnd > outstanding:
        raise ValidationError(
            {
                "amount_vnd": (
                    f"Khoản thu chỉ còn phải nộp {format_vnd(outstanding)}; không thu thừa "
                    "bằng tiền mặt."
                )
                if outstanding
                else "Khoản thu đã nộp đủ."
            }
        )
    return _apply_payment(
        actor=actor,
        bill=bill,
        amount_vnd=amount_vnd,
        method=PaymentMethod.CASH,
        paid_on=paid_on,
        cash_reason=reason.strip()[:300],
        notify=notify,
    )


# ----------------------------------------------------------------------------- statements


@dataclass(frozen=True)
class ImportResult:
    statement: Statement
    matched: list[StatementLine]
    unmatched: list[StatementLine]


def statement_import(
    *,
    actor: User | None,
    unit: Unit,
    filename: str,
    content: bytes,
    mapping: dict[str, str] | None = None,
    notify: bool = True,
) -> ImportResult:
    """Import a bank statement and reconcile its credits with the unit's bills.

    Re-importing the same file is refused (409); a credit already seen in another statement
    (same bank transaction id, or same content) is skipped, so no money is counted twice.
    """
    try:
        parsed = parse(filename, content, mapping=mapping)
    except UnknownColumns as error:
        raise ValidationError(
            {
                "file": ValidationError(
                    str(error), code="unknown_columns", params={"headers": error.headers}
                )
            }
        ) from error
    except StatementError as error:
        raise ValidationError({"file": str(error)}) from error
    with transaction.atomic():
        _ledger_lock(unit, timezone.localdate().year)
        try:
            with transaction.atomic():
                statement = Statement.objects.create(
                    unit=unit,
                    filename=filename[:255],
                    content_hash=content_hash(content),
                    format_code=parsed.format_code,
                    imported_by=actor if actor is not None and actor.pk else None,
                )
        except IntegrityError as error:
            raise PaymentConflict(
                "Sao kê này đã được nhập trước đây; không có gì thay đổi."
            ) from error
        matched: list[StatementLine] = []
        unmatched: list[StatementLine] = []
        duplicates = 0
        for credit in parsed.lines:
            try:
                with transaction.atomic():
                    line = StatementLine.objects.create(
                        unit=unit,
                        statement=statement,
                        row_number=credit.row_number,
                        fingerprint=credit.fingerprint,
                        bank_reference=credit.reference,
                        posted_on=credit.posted_on,
                        amount_vnd=credit.amount_vnd,
                        description=credit.description,
                    )
            except IntegrityError:
                duplicates += 1
                continue
            bill, rule = match_line(unit, line)
            if bill is None:
                unmatched.append(line)
                continue
            _apply_payment(
                actor=actor,
                bill=bill,
                amount_vnd=line.amount_vnd,
                method=PaymentMethod.TRANSFER,
                paid_on=line.posted_on,
                line=line,
                notify=notify,
            )
            line.status, line.match_rule, line.bill = LineStatus.MATCHED, rule, bill
            line.save(update_fields=["status", "match_rule", "bill", "updated_at"])
            matched.append(line)
        statement.credit_lines = len(parsed.lines)
        statement.new_lines = len(parsed.lines) - duplicates
        statement.duplicate_lines = duplicates
        statement.matched_lines = len(matched)
        statement.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.PAYMENTS_STATEMENT_IMPORT,
            obj=statement,
            unit=unit,
            after={
                "file": filename,
                "format": parsed.format_code,
                "credits": len(parsed.lines),
                "duplicates": duplicates,
                "matched": len(matched),
                "unmatched": len(unmatched),
            },
        )
    return ImportResult(statement, matched, unmatched)


def _locked_open_line(line: StatementLine, version: int) -> StatementLine:
    locked = StatementLine.objects.select_for_update().get(pk=line.pk)
    if locked.version != version or locked.status != LineStatus.UNMATCHED:
        raise PaymentConflict("Dòng sao kê này vừa được người khác xử lý; hãy tải lại trang.")
    return locked


@transaction.atomic
def line_match_manual(
    *, actor: User, line: StatementLine, bill: Bill, version: int, notify: bool = True
) -> Payment:
    """Match a credit from the unmatched queue to a bill chosen by a person."""
    if bill.unit_id != line.unit_id:
        raise ValidationError({"bill": "Khoản thu không thuộc đơn vị của sao kê."})
    _ledger_lock(line.unit, timezone.localdate().year)
    locked = _locked_open_line(line, version)
    payment = _apply_payment(
        actor=actor,
        bill=bill,
        amount_vnd=locked.amount_vnd,
        method=PaymentMethod.TRANSFER,
        paid_on=locked.posted_on,
        line=locked,
        notify=notify,
    )
    locked.status, locked.match_rule, locked.bill = LineStatus.MATCHED, MatchRule.MANUAL, bill
    locked.version += 1
    locked.save(update_fields=["status", "match_rule", "bill", "version", "updated_at"])
    return payment


@transaction.atomic
def line_ignore(*, actor: User, line: StatementLine, version: int, reason: str) -> StatementLine:
    """Mark a credit as not a fee payment (interest, a refund from a supplier …)."""
    if not reason.strip():
        raise ValidationError({"reason": "Hãy ghi lý do bỏ qua dòng này."})
    locked = _locked_open_line(line, version)
    locked.status = LineStatus.IGNORED
    locked.version += 1
    locked.save(update_fields=["status", "version", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.PAYMENTS_LINE_IGNORE,
        obj=locked,
        unit=locked.unit,
        before={"status": LineStatus.UNMATCHED},
        after={"status": locked.status, "reason": reason.strip()},
    )
    return locked
