"""Reconciliation: codes (tolerant), amount and date, partial, over and duplicate payments, the
unmatched queue, idempotent re-import."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cchc.core.models import AuditEvent
from cchc.payments import services
from cchc.payments.models import (
    BillStatus,
    LineStatus,
    MatchRule,
    Payment,
    Receipt,
    StatementLine,
)
from cchc.payments.tests.factories import BillFactory

HEADER = "Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Mô tả\n"


def _csv(*rows: tuple[str, str, int, str]) -> bytes:
    body = "".join(f"{d},{ref},,{amount},{note}\n" for d, ref, amount, note in rows)
    return (HEADER + body).encode()


def _import(principal, school, content: bytes, name: str = "vcb.csv"):
    return services.statement_import(
        actor=principal.user, unit=school, filename=name, content=content, notify=False
    )


@pytest.mark.django_db
def test_code_in_a_mangled_note_pays_the_bill(principal, bank_school) -> None:
    bill = BillFactory(unit=bank_school, code="HP26K7M3Q9")

    result = _import(
        principal,
        bank_school,
        _csv(("08/09/2026", "FT1", 884520, "MBVCB.3312.hp26 k7m3-q9.NGUYEN A")),
    )

    bill.refresh_from_db()
    assert bill.status == BillStatus.PAID
    assert result.matched[0].match_rule == MatchRule.CODE
    payment = Payment.objects.get(bill=bill)
    assert (payment.method, payment.paid_on) == ("transfer", date(2026, 9, 8))
    assert payment.receipt.number == 1


@pytest.mark.django_db
def test_partial_then_rest_then_duplicate(principal, bank_school) -> None:
    bill = BillFactory(unit=bank_school, code="HP26AAAA11", amount_vnd=300000)

    _import(
        principal, bank_school, _csv(("08/09/2026", "FT1", 100000, "HP26AAAA11 dot 1")), "a.csv"
    )
    bill.refresh_from_db()
    assert (bill.status, bill.paid_vnd) == (BillStatus.PARTIAL, 100000)
    _import(
        principal, bank_school, _csv(("15/09/2026", "FT2", 200000, "HP26AAAA11 dot 2")), "b.csv"
    )
    bill.refresh_from_db()
    assert bill.status == BillStatus.PAID
    _import(principal, bank_school, _csv(("16/09/2026", "FT3", 300000, "HP26AAAA11")), "c.csv")

    bill.refresh_from_db()
    assert (bill.status, bill.paid_vnd, bill.overpaid_vnd) == (BillStatus.OVERPAID, 600000, 300000)
    assert list(Receipt.objects.order_by("number").values_list("number", flat=True)) == [1, 2, 3]


@pytest.mark.django_db
def test_reimport_and_overlapping_statement_count_each_credit_once(principal, bank_school) -> None:
    bill = BillFactory(unit=bank_school, code="HP26BBBB22", amount_vnd=500000)
    first = _csv(("08/09/2026", "FT1", 200000, "HP26BBBB22"), ("09/09/2026", "", 999, "lai"))
    overlapping = _csv(
        ("09/09/2026", "", 999, "lai"),
        ("08/09/2026", "FT1", 200000, "HP26BBBB22"),
        ("10/09/2026", "FT9", 300000, "HP26BBBB22"),
    )
    _import(principal, bank_school, first)
    events = AuditEvent.objects.count()

    with pytest.raises(services.PaymentConflict, match="đã được nhập"):
        _import(principal, bank_school, first)
    assert AuditEvent.objects.count() == events
    result = _import(principal, bank_school, overlapping, "thang9.csv")

    bill.refresh_from_db()
    assert result.statement.duplicate_lines == 2
    assert (bill.paid_vnd, bill.status) == (500000, BillStatus.PAID)
    assert Payment.objects.count() == 2
    assert StatementLine.objects.count() == 3


@pytest.mark.django_db
def test_duplicated_line_in_one_file_counts_once_when_it_has_a_reference(
    principal, bank_school
) -> None:
    bill = BillFactory(unit=bank_school, code="HP26CCCC33", amount_vnd=100000)

    result = _import(
        principal,
        bank_school,
        _csv(
            ("08/09/2026", "FT7", 100000, "HP26CCCC33"), ("08/09/2026", "FT7", 100000, "HP26CCCC33")
        ),
    )

    bill.refresh_from_db()
    assert result.statement.duplicate_lines == 1
    assert bill.paid_vnd == 100000


@pytest.mark.django_db
def test_amount_and_date_match_when_code_missing_and_name_narrows(principal, bank_school) -> None:
    alone = BillFactory(unit=bank_school, amount_vnd=123000, student_name="Lê Văn Một")
    twin_a = BillFactory(unit=bank_school, amount_vnd=884520, student_name="Trần Thị Hai")
    BillFactory(unit=bank_school, amount_vnd=884520, student_name="Phạm Văn Ba")

    result = _import(
        principal,
        bank_school,
        _csv(
            ("08/09/2026", "F1", 123000, "nop tien cho con"),
            ("08/09/2026", "F2", 884520, "TRAN THI HAI 6A NOP BHYT"),
            ("08/09/2026", "F3", 884520, "nop bhyt"),
        ),
    )

    alone.refresh_from_db()
    twin_a.refresh_from_db()
    assert alone.status == twin_a.status == BillStatus.PAID
    assert [x.match_rule for x in result.matched] == [MatchRule.AMOUNT_DATE] * 2
    assert [x.description for x in result.unmatched] == ["nop bhyt"]


@pytest.mark.django_db
def test_credit_before_the_bill_was_issued_is_not_matched_by_amount(principal, bank_school) -> None:
    BillFactory(unit=bank_school, amount_vnd=123000, issued_on=date(2026, 9, 7))

    result = _import(principal, bank_school, _csv(("01/09/2026", "F1", 123000, "tien")))

    assert result.unmatched
    assert not result.matched


@pytest.mark.django_db
def test_manual_match_and_ignore_from_the_queue(principal, bank_school) -> None:
    bill = BillFactory(unit=bank_school, code="HP26DDDD44", amount_vnd=40000)
    result = _import(
        principal,
        bank_school,
        _csv(("08/09/2026", "F1", 45000, "x"), ("08/09/2026", "F2", 7, "lai")),
    )
    first, second = result.unmatched

    services.line_match_manual(actor=principal.user, line=first, bill=bill, version=1, notify=False)
    services.line_ignore(actor=principal.user, line=second, version=1, reason="Tiền lãi")

    bill.refresh_from_db()
    assert (bill.status, bill.overpaid_vnd) == (BillStatus.OVERPAID, 5000)
    assert StatementLine.objects.get(pk=first.pk).match_rule == MatchRule.MANUAL
    assert StatementLine.objects.get(pk=second.pk).status == LineStatus.IGNORED
    with pytest.raises(services.PaymentConflict):
        services.line_match_manual(actor=principal.user, line=first, bill=bill, version=1)


@pytest.mark.django_db
def test_cancelled_bill_is_never_matched(principal, bank_school) -> None:
    bill = BillFactory(unit=bank_school, code="HP26EEEE55")
    services.bill_cancel(
        actor=principal.user, bill=bill, version=1, reason="Học sinh chuyển trường"
    )

    result = _import(principal, bank_school, _csv(("08/09/2026", "F1", 884520, "HP26EEEE55")))

    assert result.unmatched
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_other_schools_bill_code_is_not_matched(principal, bank_school, other_school) -> None:
    BillFactory(unit=other_school, code="HP26FFFF66")

    result = _import(principal, bank_school, _csv(("08/09/2026", "F1", 884520, "HP26FFFF66")))

    assert result.unmatched


@pytest.mark.django_db
def test_unknown_columns_are_a_validation_error_with_the_headers(principal, bank_school) -> None:
    with pytest.raises(ValidationError) as caught:
        _import(principal, bank_school, b"A,B\n1,2\n")

    problem = caught.value.error_dict["file"][0]
    assert problem.code == "unknown_columns"
    assert problem.params["headers"] == ["A", "B"]
