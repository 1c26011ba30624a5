"""The tracking book (Mẫu 07) as XLSX and PDF: the current form's columns, one row per dossier in
receipt order, dates as real dates; the PDF prints the whole book however long (no row cap) and
is kept (PDF_STORE_DIR) until anything it shows changes."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.db.models import F
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from cchc.core.official_docs import converter
from cchc.core.spreadsheets import append_row, workbook_bytes
from cchc.core.timezones import VN
from cchc.dossiers import papers
from cchc.dossiers.models import Dossier, DossierQuerySet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The columns of Mẫu 07 (Circular 03/2025, domain-2025.md section 4), then what the desk adds:
# the apology's new date, the status and whether it was on time.
HEADERS = [
    *papers.BOOK_COLUMNS,
    "Hẹn lại (văn bản xin lỗi)",
    "Trạng thái",
    "Đúng hạn?",
    "Ghi chú",
]
WIDTHS = (6, 26, 40, 24, 30, 28, 17, 17, 17, 16, 14, 17, 20, 14, 30)
DATE_COLUMNS = ("G", "H", "I", "L")
EXCEL_DATETIME = "dd/mm/yyyy hh:mm"


def _excel_time(moment: datetime | None) -> datetime | None:
    """A real Excel date-time (Vietnam wall time; Excel has no time zones), or an empty cell."""
    return moment.astimezone(VN).replace(tzinfo=None) if moment else None


def _on_time(dossier: Dossier) -> str:
    """In words, from the one definition of late (`with_late_flag`)."""
    if dossier.due_at is None or dossier.received_at is None:
        return ""
    if dossier.is_overdue:
        return "Quá hạn"
    return "Đúng hạn" if dossier.finished_at or dossier.stopped_at else "Đang giải quyết"


def _contact(dossier: Dossier, show_personal: bool) -> str:
    """Address and phone only for those allowed to see personal data."""
    if not show_personal:
        return ""
    return ", ".join(p for p in (dossier.applicant_address, dossier.applicant_phone) if p)


def in_receipt_order(dossiers: DossierQuerySet) -> DossierQuerySet:
    """One row per dossier, in the order they were received (book entry order); dossiers not
    yet accepted come last."""
    return (
        dossiers.with_late_flag()
        .select_related("procedure", "unit")
        .order_by(F("received_at").asc(nulls_last=True), "book_entry", "id")
    )


def _xlsx(dossiers: DossierQuerySet, show_personal: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ theo dõi hồ sơ"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for dossier in in_receipt_order(dossiers):
        append_row(
            sheet,
            [
                dossier.book_entry,
                dossier.code,
                dossier.procedure.name,
                dossier.applicant_name,
                _contact(dossier, show_personal),
                dossier.unit.name,
                _excel_time(dossier.received_at),
                _excel_time(dossier.due_at),
                _excel_time(dossier.returned_at),
                dossier.result_delivery_label,
                None,  # signed by the citizen on the printed book
                _excel_time(dossier.new_due_at),
                dossier.get_status_display(),
                _on_time(dossier),
                dossier.subject,
            ],
        )
        for column in DATE_COLUMNS:
            sheet[f"{column}{sheet.max_row}"].number_format = EXCEL_DATETIME
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    return workbook_bytes(book)


def tracking_book(
    dossiers: DossierQuerySet, fmt: str, unit: Any, *, show_personal: bool
) -> tuple[bytes, str, str]:
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "xlsx":
        return _xlsx(dossiers, show_personal), XLSX_TYPE, f"so-theo-doi-ho-so-{stamp}.xlsx"
    filename = f"so-theo-doi-ho-so-{stamp}.pdf"
    # A book of a thousand rows takes LibreOffice several seconds: made once for what it shows.
    key = _book_key(dossiers, unit, show_personal)
    stored = converter.stored_paper(key)
    if stored is not None:
        return stored, "application/pdf", filename
    from cchc.dossiers.papers_service import unit_info

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
            due_at=d.due_at,
            returned_at=d.returned_at,
            delivery=d.result_delivery_label,
            note=d.subject,
        )
        for d in in_receipt_order(dossiers)
    ]
    document = papers.tracking_book(unit_info(unit), rows, year=timezone.localdate().year)
    pdf = papers.render(document, "pdf")
    converter.store_paper(key, pdf)
    return pdf, "application/pdf", filename


def _book_key(dossiers: DossierQuerySet, unit: Any, show_personal: bool) -> str:
    """Everything the printed book shows, as a key: each row's dossier, procedure and unit with
    the moment each last changed (in book order), who may see personal data, today's date (the
    book is dated) and the code that lays it out. One query of three columns per dossier."""
    from cchc.dossiers.papers_service import layout_version

    digest = hashlib.sha256()
    for row in in_receipt_order(dossiers).values_list(
        "pk", "updated_at", "procedure__updated_at", "unit__updated_at"
    ):
        digest.update(repr(row).encode())
    return converter.record_key(
        "tracking-book", unit.pk, unit.updated_at.isoformat(), show_personal,
        timezone.localdate().isoformat(), layout_version(), digest.hexdigest(),
    )  # fmt: skip
