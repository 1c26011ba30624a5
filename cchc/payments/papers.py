"""Papers of the payments module through `cchc.core.official_docs`: the receipt (biên lai) and
the class's payment notices (giấy báo thu), many per A4 page, each with its own VietQR.

The notice sheet is one official paper (header, title, a short instruction, signature) followed
by a grid of cut-out slips; the slips are appended to the DOCX the official layout built, so the
header and fonts stay those of every other paper.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt

from cchc.core.official_docs import (
    OfficialDocument,
    OfficialHeader,
    Paragraph,
    SignatureBlock,
    Table,
    build_docx,
)
from cchc.core.templatetags.vn import format_date, format_vnd
from cchc.organizations.models import Unit
from cchc.payments.banks import bank_by_bin
from cchc.payments.models import Bill, Receipt
from cchc.payments.qr_images import qr_png
from cchc.payments.vietqr import VietQRError, encode
from cchc.payments.words import amount_in_words

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SLIPS_PER_ROW = 2


def _place(unit: Unit) -> str:
    parent = unit.parent.name if unit.parent is not None else ""
    for prefix in ("Ủy ban nhân dân xã ", "Ủy ban nhân dân phường ", "UBND xã ", "UBND phường "):
        if parent.startswith(prefix):
            return parent[len(prefix) :]
    return ""


def _header(unit: Unit, *, number: str | None, symbol: str, on: date) -> OfficialHeader:
    return OfficialHeader(
        parent_body=unit.parent.name if unit.parent is not None else "",
        issuer=unit.name,
        number=number,
        symbol=symbol,
        place=_place(unit),
        date=on,
    )


def public_url(bill: Bill) -> str:
    base = getattr(settings, "CCHC_PUBLIC_URL", "").rstrip("/")
    return f"{base}{reverse('portal:payment', args=[bill.code])}"


def bill_purpose(bill: Bill) -> str:
    """The transfer note: the code first (what reconciliation needs), then the reason."""
    return f"{bill.code} {bill.reason}"


def bill_payload(bill: Bill) -> str | None:
    """The bill's VietQR payload, or None while the unit has no bank account on file."""
    unit = bill.unit
    if not (unit.bank_bin and unit.bank_account) or bill.outstanding_vnd <= 0:
        return None
    try:
        return encode(unit.bank_bin, unit.bank_account, bill.outstanding_vnd, bill_purpose(bill))
    except VietQRError:
        return None


def bank_line(unit: Unit) -> str:
    bank = bank_by_bin(unit.bank_bin)
    name = bank.short_name if bank else unit.bank_bin
    holder = f", chủ tài khoản {unit.bank_account_holder}" if unit.bank_account_holder else ""
    return f"Tài khoản {unit.bank_account} tại {name}{holder}"


def receipt_docx(receipt: Receipt) -> bytes:
    """The receipt: payer, reason, amount in figures and words, method, who collected."""
    payment = receipt.payment
    bill = payment.bill
    unit = bill.unit
    rows = [
        ["Mã khoản thu", bill.code],
        ["Người nộp", bill.payer_name],
        *(
            [["Học sinh", f"{bill.student_name} – lớp {bill.class_name}"]]
            if bill.student_name
            else []
        ),
        ["Nội dung thu", bill.reason],
        ["Số tiền", format_vnd(payment.amount_vnd)],
        ["Bằng chữ", amount_in_words(payment.amount_vnd)],
        ["Hình thức nộp", payment.get_method_display()],
        ["Ngày nộp", format_date(payment.paid_on)],
    ]
    if payment.cash_reason:
        rows.append(["Lý do nộp tiền mặt", payment.cash_reason])
    if bill.fee is not None and bill.fee.legal_basis:
        rows.append(["Căn cứ thu", bill.fee.legal_basis])
    issued_on = timezone.localtime(receipt.issued_at).date()
    doc = OfficialDocument(
        header=_header(unit, number=receipt.display_number, symbol="BL", on=issued_on),
        doc_type="BIÊN LAI THU TIỀN",
        summary="",
        body=[
            Table(columns=["Nội dung", "Chi tiết"], rows=rows, widths_cm=[4.5, 11.5]),
            Paragraph(f"Đơn vị nhận: {unit.name}. {bank_line(unit) if unit.bank_account else ''}"),
        ],
        signature=SignatureBlock(
            title="NGƯỜI THU TIỀN",
            name=payment.collector.full_name if payment.collector is not None else "",
        ),
        recipients=["Người nộp tiền;", "Lưu: Kế toán."],
        qr_png=qr_png(public_url(bill), scale=4),
        qr_caption="Quét mã để xem trạng thái khoản thu",
    )
    return build_docx(doc)


def notices_docx(unit: Unit, bills: Sequence[Bill], *, title: str) -> bytes:
    """Payment notices of a class: an instruction paper, then slips (2 per row) with QR codes."""
    today = timezone.localdate()
    doc = OfficialDocument(
        header=_header(unit, number=None, symbol="TB", on=today),
        doc_type="THÔNG BÁO",
        summary=f"Các khoản thu: {title}",
        body=[
            Paragraph(
                "Nhà trường gửi tới cha mẹ học sinh giấy báo thu của từng học sinh. Cha mẹ học "
                "sinh quét mã VietQR trên giấy bằng ứng dụng của bất kỳ ngân hàng nào để chuyển "
                "khoản: số tiền và nội dung (có mã khoản thu) đã điền sẵn, xin giữ nguyên nội "
                "dung để nhà trường đối soát tự động."
            ),
            Paragraph(bank_line(unit) if unit.bank_account else "Đơn vị chưa khai báo tài khoản."),
        ],
        signature=SignatureBlock(title="HIỆU TRƯỞNG", name=""),
        recipients=["Cha mẹ học sinh;", "Lưu: VT, Kế toán."],
    )
    document = Document(io.BytesIO(build_docx(doc)))
    document.add_page_break()
    rows = (len(bills) + SLIPS_PER_ROW - 1) // SLIPS_PER_ROW
    table = document.add_table(rows=rows, cols=SLIPS_PER_ROW)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in table.rows:  # a slip is cut out: never split over two pages
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for index, bill in enumerate(bills):
        _slip(table.cell(index // SLIPS_PER_ROW, index % SLIPS_PER_ROW), unit, bill)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _slip(cell, unit: Unit, bill: Bill) -> None:
    lines = [
        (f"GIẤY BÁO THU – {unit.short_name or unit.name}", True),
        (f"Học sinh: {bill.student_name}   Lớp: {bill.class_name}", False),
        (f"Nội dung: {bill.reason}", False),
        (
            f"Số tiền: {format_vnd(bill.outstanding_vnd)}   Hạn nộp: {format_date(bill.due_on)}",
            True,
        ),
        (f"Mã khoản thu: {bill.code}", True),
    ]
    first = cell.paragraphs[0]
    for number, (text, bold) in enumerate(lines):
        paragraph = first if number == 0 else cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold = bold
        run.font.size = Pt(10)
    payload = bill_payload(bill)
    if payload:
        picture = cell.add_paragraph()
        picture.add_run().add_picture(io.BytesIO(qr_png(payload, scale=4)), width=Cm(3.2))
        caption = cell.add_paragraph().add_run("Quét bằng ứng dụng ngân hàng (VietQR)")
        caption.font.size = Pt(8)
