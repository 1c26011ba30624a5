"""The tracking book (Mẫu 07) as XLSX and PDF."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cchc.core.spreadsheets import append_row, workbook_bytes
from cchc.dossiers import papers
from cchc.dossiers.deadlines import VN
from cchc.dossiers.models import Dossier

# LibreOffice needs about 2.5 s per 100 rows on 2 cores; past this the PDF is refused with advice
# to filter (a month at a time), instead of timing out.
MAX_PDF_ROWS = 400


class TooManyRows(ValueError):
    """The book is too long to print at once."""


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [
    "Số TT",
    "Mã hồ sơ",
    "Tên thủ tục",
    "Số bộ",
    "Người nộp",
    "Địa chỉ, điện thoại",
    "Cơ quan chủ trì",
    "Ngày nhận",
    "Hẹn trả",
    "Hẹn lại (xin lỗi)",
    "Ngày có kết quả",
    "Ngày trả",
    "Trạng thái",
    "Đúng hạn?",
    "Ghi chú",
]


def _local(moment: Any) -> str:
    return moment.astimezone(VN).strftime("%d/%m/%Y %H:%M") if moment else ""


def _on_time(dossier: Dossier) -> str:
    if dossier.due_at is None:
        return ""
    finished = dossier.finished_at
    if finished is None:
        return "Quá hạn" if timezone.now() > dossier.due_at else "Đang giải quyết"
    return "Quá hạn" if finished > dossier.due_at else "Đúng hạn"


def _contact(dossier: Dossier, show_personal: bool) -> str:
    """Address and phone only for those allowed to see personal data."""
    if not show_personal:
        return ""
    return ", ".join(p for p in (dossier.applicant_address, dossier.applicant_phone) if p)


def _xlsx(dossiers: QuerySet[Dossier], show_personal: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ theo dõi hồ sơ"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for dossier in dossiers:
        append_row(
            sheet,
            [
                dossier.book_entry,
                dossier.code,
                dossier.procedure.name,
                dossier.procedure.sets,
                dossier.applicant_name,
                _contact(dossier, show_personal),
                dossier.unit.name,
                _local(dossier.received_at),
                _local(dossier.due_at),
                _local(dossier.new_due_at),
                _local(dossier.result_at),
                _local(dossier.returned_at),
                dossier.get_status_display(),
                _on_time(dossier),
                dossier.subject,
            ],
        )
    for column, width in zip(
        "ABCDEFGHIJKLMNO", (7, 26, 40, 7, 24, 30, 28, 17, 17, 17, 17, 17, 20, 14, 30), strict=True
    ):
        sheet.column_dimensions[column].width = width
    return workbook_bytes(book)


def tracking_book(
    dossiers: QuerySet[Dossier], fmt: str, unit: Any, *, show_personal: bool
) -> tuple[bytes, str, str]:
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "xlsx":
        return _xlsx(dossiers, show_personal), XLSX_TYPE, f"so-theo-doi-ho-so-{stamp}.xlsx"
    from cchc.dossiers.papers_service import unit_info

    total = dossiers.count()
    if total > MAX_PDF_ROWS:
        raise TooManyRows(
            f"Sổ có {total} hồ sơ, quá {MAX_PDF_ROWS} dòng để in một lần: hãy lọc theo tháng "
            "(Từ ngày, Đến ngày) hoặc xuất Excel."
        )

    rows = [
        papers.BookRow(
            entry=d.book_entry or 0,
            code=d.code,
            procedure_name=d.procedure.name,
            sets=d.procedure.sets,
            applicant_name=d.applicant_name,
            applicant_contact=_contact(d, show_personal),
            lead_body=d.unit.name,
            received_at=d.received_at,
            due_at=d.new_due_at or d.due_at,
            transferred_at=None,
            result_received_at=d.result_at,
            returned_at=d.returned_at,
            note=d.subject,
        )
        for d in dossiers
    ]
    document = papers.tracking_book(unit_info(unit), rows, year=timezone.localdate().year)
    return papers.render(document, "pdf"), "application/pdf", f"so-theo-doi-ho-so-{stamp}.pdf"
