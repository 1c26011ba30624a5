"""Fees, batch billing from a class list, cash with a reason, receipts, procedure fees."""

from __future__ import annotations

import io
import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone
from docx import Document
from openpyxl import Workbook

from cchc.core.audit import audit_verify
from cchc.core.official_docs import libreoffice_available
from cchc.dossiers import procedures
from cchc.dossiers.tests.factories import receive_dossier
from cchc.payments import papers, services
from cchc.payments.models import Bill, BillKind, BillStatus, Payment, Receipt
from cchc.payments.tests.factories import BillFactory, FeeFactory
from cchc.payments.tests.qr_reading import png_pixels, read_qr
from cchc.payments.vietqr import decode

HEADER = "Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Mô tả\n"


def _class_list(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH HỌC SINH LỚP 6A NĂM HỌC 2026-2027"])
    sheet.append(["STT", "Họ và tên học sinh", "Lớp", "Họ tên phụ huynh", "Điện thoại", "Email"])
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


PUPILS = [
    ["Nguyễn Minh Anh", "6A", "Nguyễn Văn Bình", "0912 345 678", "binh@phuhuynh.example"],
    ["Trần Gia Bảo", "6A", "Trần Thị Cúc", "0987654321", ""],
    ["Lê Hoàng Châu", "6A", "Lê Văn Dũng", "", ""],
]


@pytest.mark.django_db
def test_class_list_bills_every_pupil_once(principal, bank_school) -> None:
    fee = FeeFactory(unit=bank_school)

    first = services.bills_from_class_list(
        actor=principal.user,
        unit=bank_school,
        fee=fee,
        filename="6a.xlsx",
        content=_class_list(PUPILS),
        collector=principal,
    )
    namesake = ["Nguyễn Minh Anh", "6A", "Hồ Thị Giang", "", ""]
    again = services.bills_from_class_list(
        actor=principal.user,
        unit=bank_school,
        fee=fee,
        filename="6a.xlsx",
        content=_class_list([*PUPILS, ["Phạm Thu Dung", "6A", "Phạm Văn Em", "", ""], namesake]),
    )

    assert len(first.created) == 3
    assert (len(again.created), again.skipped) == (2, 3)
    assert Bill.objects.filter(student_name="Nguyễn Minh Anh").count() == 2
    bill = Bill.objects.get(student_name="Nguyễn Minh Anh", payer_name="Nguyễn Văn Bình")
    assert (bill.amount_vnd, bill.payer_phone, bill.due_on) == (884520, "0912345678", fee.due_on)
    assert bill.code.startswith("HP")
    assert len(bill.code) == 10
    assert audit_verify().ok


@pytest.mark.django_db
def test_bad_class_list_writes_nothing(principal, bank_school) -> None:
    fee = FeeFactory(unit=bank_school)
    rows = [
        PUPILS[0],
        ["", "6A", "Ai đó", "", ""],
        ["Bé Ba", "6A", "Mẹ Ba", "", "khong-phai-email"],
    ]

    with pytest.raises(ValidationError) as caught:
        services.bills_from_class_list(
            actor=principal.user,
            unit=bank_school,
            fee=fee,
            filename="6a.xlsx",
            content=_class_list(rows),
        )

    message = str(caught.value)
    assert "Dòng 4: thiếu họ tên học sinh" in message
    assert "Dòng 5: thư điện tử «khong-phai-email» không hợp lệ" in message
    assert not Bill.objects.exists()


@pytest.mark.django_db
def test_cash_needs_a_reason_and_counts_as_cash(principal, bank_school) -> None:
    bill = BillFactory(unit=bank_school, amount_vnd=100000)

    with pytest.raises(ValidationError) as caught:
        services.cash_payment_record(
            actor=principal.user, bill=bill, amount_vnd=100000, paid_on=date(2026, 9, 8), reason=" "
        )
    payment = services.cash_payment_record(
        actor=principal.user,
        bill=bill,
        amount_vnd=100000,
        paid_on=date(2026, 9, 8),
        reason="Gia đình không có tài khoản ngân hàng",
        notify=False,
    )

    assert "lý do" in caught.value.message_dict["reason"][0]
    assert payment.method == "cash"
    assert not payment.is_cashless
    bill.refresh_from_db()
    assert bill.status == BillStatus.PAID


@pytest.mark.django_db
def test_cash_in_the_future_or_zero_is_refused(principal, bank_school) -> None:
    bill = BillFactory(unit=bank_school)

    with pytest.raises(ValidationError) as caught:
        services.cash_payment_record(
            actor=principal.user,
            bill=bill,
            amount_vnd=0,
            paid_on=timezone.localdate() + timedelta(days=1),
            reason="x",
        )

    assert set(caught.value.message_dict) == {"amount_vnd", "paid_on"}
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_cash_on_a_day_off_is_refused_in_vietnamese(principal, bank_school) -> None:
    bill = BillFactory(unit=bank_school, amount_vnd=100000)

    for day_off in (date(2026, 9, 6), date(2026, 9, 2)):  # a Sunday; National Day
        with pytest.raises(ValidationError) as caught:
            services.cash_payment_record(
                actor=principal.user, bill=bill, amount_vnd=100000, paid_on=day_off, reason="x"
            )
        assert caught.value.message_dict["paid_on"] == [
            f"Ngày {day_off:%d/%m/%Y} là ngày nghỉ của đơn vị: tiền mặt chỉ được thu tại bộ phận "
            "kế toán trong ngày làm việc. Hãy ghi đúng ngày làm việc đã nhận tiền."
        ]
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_receipts_number_from_one_each_year_per_unit(principal, bank_school, other_school) -> None:
    bills = [BillFactory(unit=bank_school, amount_vnd=10) for _ in range(3)]
    theirs = BillFactory(unit=other_school, amount_vnd=10)

    for bill in [*bills, theirs]:
        services.cash_payment_record(
            actor=principal.user,
            bill=bill,
            amount_vnd=10,
            paid_on=date(2026, 9, 8),
            reason="Thử",
            notify=False,
        )

    year = timezone.localdate().year
    assert list(
        Receipt.objects.filter(unit=bank_school).order_by("number").values_list("number", "year")
    ) == [(1, year), (2, year), (3, year)]
    assert Receipt.objects.get(unit=other_school).number == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_cash_payments_get_gap_free_receipts(principal, bank_school) -> None:
    bills = [BillFactory(unit=bank_school, amount_vnd=10) for _ in range(8)]
    errors: list[BaseException] = []

    def worker(bill: Bill) -> None:
        try:
            services.cash_payment_record(
                actor=principal.user,
                bill=bill,
                amount_vnd=10,
                paid_on=date(2026, 9, 8),
                reason="Thử",
                notify=False,
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(b,)) for b in bills]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(Receipt.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 9))


@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_one_statement_count_once(principal, bank_school) -> None:
    bill = BillFactory(unit=bank_school, code="HP26GGGG77", amount_vnd=300000)
    content = (
        HEADER + "08/09/2026,FT1,,100000,HP26GGGG77\n09/09/2026,,,100000,HP26GGGG77\n"
    ).encode()
    overlapping = (HEADER + "09/09/2026,,,100000,HP26GGGG77\n08/09/2026,FT1,,100000,x\n").encode()
    outcomes: list[str] = []

    def worker(data: bytes) -> None:
        try:
            services.statement_import(
                actor=principal.user,
                unit=bank_school,
                filename="sk.csv",
                content=data,
                notify=False,
            )
            outcomes.append("ok")
        except services.PaymentConflict:
            outcomes.append("conflict")
        except BaseException as error:
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(d,)) for d in [content] * 4 + [overlapping] * 2
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict"] * 4 + ["ok"] * 2, (connection.vendor, outcomes)
    bill.refresh_from_db()
    assert bill.paid_vnd == 200000
    assert Payment.objects.count() == 2


@pytest.mark.django_db
def test_receipt_email_reaches_a_real_smtp_server(
    principal, bank_school, smtp_server, django_capture_on_commit_callbacks
) -> None:
    bill = BillFactory(unit=bank_school, payer_email="binh@phuhuynh.example", amount_vnd=120000)

    with django_capture_on_commit_callbacks(execute=True):
        services.cash_payment_record(
            actor=principal.user,
            bill=bill,
            amount_vnd=120000,
            paid_on=date(2026, 9, 8),
            reason="Nộp tại trường",
        )

    assert smtp_server.received.wait(10)
    message = smtp_server.messages[0]
    assert message["To"] == "binh@phuhuynh.example"
    assert str(message["Subject"]).strip().startswith("Biên lai 000001/")
    body = message.get_body(("plain",)).get_content()
    assert "120.000 đ" in body
    attachment = next(message.iter_attachments())
    assert attachment.get_filename().startswith("bien-lai-")
    if libreoffice_available():
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_content().startswith(b"%PDF")
    assert Receipt.objects.get().emailed_to == "binh@phuhuynh.example"


@pytest.mark.django_db
def test_receipt_docx_has_amount_in_words_and_opens(principal, bank_school) -> None:
    bill = BillFactory(unit=bank_school, amount_vnd=120000)
    payment = services.cash_payment_record(
        actor=principal.user,
        bill=bill,
        amount_vnd=120000,
        paid_on=date(2026, 9, 8),
        reason="Nộp tại trường",
        notify=False,
    )

    docx = papers.receipt_docx(payment.receipt)

    text = "\n".join(
        c.text for t in Document(io.BytesIO(docx)).tables for r in t.rows for c in r.cells
    )
    assert "Một trăm hai mươi nghìn đồng" in text
    assert "120.000 đ" in text
    assert "BIÊN LAI THU TIỀN" in "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)


@pytest.mark.django_db
def test_class_notices_carry_each_bills_vietqr(principal, bank_school) -> None:
    bills = [BillFactory(unit=bank_school, amount_vnd=884520) for _ in range(5)]

    docx = papers.notices_docx(bank_school, bills, title="BHYT – lớp 6A")

    document = Document(io.BytesIO(docx))
    images = [rel.target_part.blob for rel in document.part.rels.values() if "image" in rel.reltype]
    payloads = {read_qr(png_pixels(blob))[0] for blob in images}
    assert {decode(p).purpose.split()[0] for p in payloads} == {b.code for b in bills}
    assert all(decode(p).amount == 884520 and decode(p).valid for p in payloads)


@pytest.mark.django_db
def test_bill_for_dossier_is_created_once_for_a_fee_bearing_procedure(
    principal, clerk, bank_school
) -> None:
    seeded = procedures.procedure_seed_defaults(actor=clerk.user, unit=bank_school)
    dossier = receive_dossier(clerk, next(p for p in seeded if p.name.startswith("Chuyển trường")))
    assert services.bill_for_dossier(dossier) is None
    dossier.procedure.fee_vnd = 50000
    dossier.procedure.save()

    bill = services.bill_for_dossier(dossier)
    again = services.bill_for_dossier(dossier)

    assert bill == again
    assert (bill.kind, bill.amount_vnd, bill.dossier_code) == (
        BillKind.PROCEDURE,
        50000,
        dossier.code,
    )
    assert bill.code.startswith("LP")


@pytest.mark.django_db
def test_cash_cannot_overpay_or_pay_a_paid_bill(principal, bank_school) -> None:
    bill = BillFactory(unit=bank_school, amount_vnd=100000)

    with pytest.raises(ValidationError, match=r"chỉ còn phải nộp 100\.000 đ"):
        services.cash_payment_record(
            actor=principal.user,
            bill=bill,
            amount_vnd=150000,
            paid_on=date(2026, 9, 8),
            reason="Nộp tại trường",
        )
    services.cash_payment_record(
        actor=principal.user,
        bill=bill,
        amount_vnd=100000,
        paid_on=date(2026, 9, 8),
        reason="Nộp tại trường",
        notify=False,
    )
    with pytest.raises(ValidationError, match="đã nộp đủ"):
        services.cash_payment_record(
            actor=principal.user, bill=bill, amount_vnd=1, paid_on=date(2026, 9, 8), reason="x"
        )

    assert Payment.objects.count() == 1
