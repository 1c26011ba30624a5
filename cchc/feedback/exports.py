"""The feedback register (sổ tiếp nhận phản ánh, kiến nghị, Decree 20/2008 Art. 9(3)) as XLSX
and as an official DOCX/PDF for a period, through cchc.core.official_docs."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cchc.core.official_docs import (
    OfficialDocument,
    OfficialHeader,
    Paragraph,
    SignatureBlock,
    Table,
    build_docx,
    docx_to_pdf,
)
from cchc.core.timezones import VN
from cchc.feedback.models import Feedback

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# LibreOffice needs ~2.5 s per 100 rows on 2 cores: past this, print a shorter period.
MAX_PAPER_ROWS = 400
HEADERS = [
    "Số vào sổ",
    "Mã theo dõi",
    "Ngày tiếp nhận",
    "Kênh",
    "Người gửi",
    "Liên hệ",
    "Nội dung tóm tắt",
    "Phân loại",
    "Người xử lý",
    "Hạn trả lời",
    "Ngày trả lời",
    "Ngày công khai",
    "Trạng thái",
]


class TooManyRows(ValueError):
    """The register is too long to print at once."""


def _local(moment: Any, with_time: bool = True) -> str:
    if not moment:
        return ""
    return moment.astimezone(VN).strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")


def _text(value: str) -> str:
    """User text written as text: a leading =, +, - or @ would become a live formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _row(item: Feedback, show_personal: bool) -> list[Any]:
    contact = (
        ", ".join(p for p in (item.sender_address, item.sender_phone, item.sender_email) if p)
        if show_personal
        else ""
    )
    return [
        f"{item.register_number}/{item.year}",
        item.tracking_code,
        _local(item.received_at),
        item.get_channel_display(),
        _text(item.sender_name),
        _text(contact),
        _text(item.title),
        item.get_classification_display() if item.classification else "",
        item.assignee.full_name if item.assignee else "",
        _local(item.due_at, with_time=False),
        _local(item.approved_at),
        _local(item.published_at),
        item.get_status_display(),
    ]


def register_xlsx(items: Any, *, show_personal: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ tiếp nhận PAKN"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for item in items:
        sheet.append(_row(item, show_personal))
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type
    for column, width in zip(
        "ABCDEFGHIJKLM", (10, 14, 17, 20, 24, 30, 40, 24, 22, 12, 17, 17, 20), strict=True
    ):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def register_document(
    items: list[Feedback],
    unit: Any,
    *,
    start: date,
    end: date,
    show_personal: bool,
    signer: str = "",
) -> OfficialDocument:
    """The printable register for a period, in the Decree 30/2020 layout."""
    parent = unit.parent
    rows = [
        [
            f"{i.register_number}/{i.year}",
            _local(i.received_at, with_time=False),
            i.get_channel_display(),
            i.sender_name if show_personal else "",
            i.title,
            i.get_classification_display() if i.classification else "",
            _local(i.due_at, with_time=False),
            _local(i.approved_at, with_time=False),
            _local(i.published_at, with_time=False),
            i.get_status_display(),
        ]
        for i in items
    ]
    return OfficialDocument(
        header=OfficialHeader(
            parent_body=parent.name.upper() if parent else "",
            issuer=unit.name.upper(),
            number=None,
            symbol=f"STN-{unit.symbol or 'DV'}",
            place="",
            date=timezone.localdate(),
        ),
        doc_type="SỔ TIẾP NHẬN",
        summary=(f"Phản ánh, kiến nghị từ ngày {start:%d/%m/%Y} đến ngày {end:%d/%m/%Y}"),
        body=[
            Paragraph(
                f"Tổng số: {len(rows)} phản ánh, kiến nghị. Căn cứ Nghị định số 20/2008/NĐ-CP "
                "ngày 14/02/2008 của Chính phủ (sửa đổi bởi Nghị định số 48/2013/NĐ-CP), Điều 9."
            ),
            Table(
                columns=[
                    "Số",
                    "Ngày nhận",
                    "Kênh",
                    "Người gửi",
                    "Nội dung",
                    "Phân loại",
                    "Hạn trả lời",
                    "Ngày trả lời",
                    "Ngày công khai",
                    "Trạng thái",
                ],
                rows=rows,
                widths_cm=[1.4, 1.9, 1.8, 2.4, 4.2, 2.2, 1.9, 1.9, 1.9, 2.0],
            ),
        ],
        signature=SignatureBlock(title="NGƯỜI LẬP SỔ", name=signer),
        recipients=["Lưu: VT."],
    )


def register_paper(
    items: Any,
    unit: Any,
    fmt: str,
    *,
    start: date,
    end: date,
    show_personal: bool,
    signer: str = "",
) -> bytes:
    rows = list(items[: MAX_PAPER_ROWS + 1])
    if len(rows) > MAX_PAPER_ROWS:
        raise TooManyRows(
            f"Sổ có hơn {MAX_PAPER_ROWS} dòng, quá dài để in một lần: hãy chọn khoảng thời gian "
            "ngắn hơn hoặc xuất Excel."
        )
    docx = build_docx(
        register_document(
            rows, unit, start=start, end=end, show_personal=show_personal, signer=signer
        )
    )
    return docx if fmt == "docx" else docx_to_pdf(docx)
