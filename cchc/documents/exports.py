"""The incoming and outgoing registers as papers (DOCX/PDF via official_docs) and XLSX.

Columns are those of the official books (Decree 30/2020 Phụ lục IV; domain.md 6.3). A system
register must be printed with all the book's fields and bound, so the paper has every column.
User text is written as text in XLSX (never a live formula).
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.documents import selectors
from cchc.documents.services import place_of

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_PAPER_ROWS = 400

INCOMING_COLUMNS = [
    ("Ngày đến", 1.7),
    ("Số đến", 1.1),
    ("Tác giả", 2.4),
    ("Số, ký hiệu", 2.2),
    ("Ngày văn bản", 1.7),
    ("Tên loại và trích yếu nội dung", 3.6),
    ("Đơn vị hoặc người nhận", 2.0),
    ("Ký nhận", 1.0),
    ("Ghi chú", 1.3),
]
OUTGOING_COLUMNS = [
    ("Số, ký hiệu văn bản", 2.4),
    ("Ngày tháng văn bản", 1.7),
    ("Tên loại và trích yếu nội dung", 3.8),
    ("Người ký", 2.2),
    ("Nơi nhận văn bản", 2.6),
    ("Đơn vị, người nhận bản lưu", 1.6),
    ("Số lượng bản", 1.0),
    ("Ghi chú", 1.7),
]


def _text(value: Any) -> str:
    """Cell text that a spreadsheet will never read as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _incoming_rows(rows: Any) -> list[list[str]]:
    return [
        [
            f"{timezone.localtime(d.received_at):%d/%m/%Y}",
            str(d.incoming_number),
            d.author,
            d.reference,
            f"{d.issued_on:%d/%m/%Y}",
            f"{d.doc_type}: {d.summary}",
            d.lead_handler.full_name if d.lead_handler else "",
            "",
            "; ".join(
                x
                for x in (d.get_secrecy_display() if d.secrecy else "", d.get_channel_display())
                if x
            ),
        ]
        for d in rows
    ]


def _outgoing_rows(rows: Any) -> list[list[str]]:
    return [
        [
            d.symbol,
            f"{d.issued_on:%d/%m/%Y}" if d.issued_on else "",
            f"{d.doc_type}: {d.summary}",
            d.signer.full_name if d.signer else "",
            "; ".join(d.recipients.splitlines()),
            "VT" + (f", {d.drafting_unit}" if d.drafting_unit else ""),
            str(d.copies),
            "; ".join(
                x
                for x in (
                    d.get_secrecy_display() if d.secrecy else "",
                    f"{d.get_amend_kind_display()} văn bản {d.amends.symbol}"
                    if d.amends_id
                    else "",
                )
                if x
            ),
        ]
        for d in rows
    ]


def _xlsx(title: str, columns: list[tuple[str, float]], rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([name for name, _ in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([_text(value) for value in row])
    for index, (_, width) in enumerate(columns):
        sheet.column_dimensions[chr(ord("A") + index)].width = width * 7
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def register_paper(
    unit: Any,
    title: str,
    columns: list[tuple[str, float]],
    rows: list[list[str]],
    period: str,
    fmt: str,
) -> bytes:
    from cchc.core.official_docs import (
        OfficialDocument,
        OfficialHeader,
        Paragraph,
        Table,
        build_docx,
        docx_to_pdf,
    )

    paper = OfficialDocument(
        header=OfficialHeader(
            unit.parent.name.upper() if unit.parent_id else "",
            unit.name.upper(),
            None,
            "",
            place_of(unit),
            timezone.localdate(),
        ),
        doc_type=title.upper(),
        summary=period,
        body=[
            Table(
                columns=[c for c, _ in columns],
                rows=rows or [[""] * len(columns)],
                widths_cm=[w for _, w in columns],
            ),
            Paragraph(f"Sổ có {len(rows)} văn bản."),
        ],
        signature=None,
        recipients=[],
    )
    docx = build_docx(paper)
    return docx if fmt == "docx" else docx_to_pdf(docx)


def may_export_register(user: permissions.AnyUser) -> bool:
    """The check `register_export` makes, so the list pages offer the links only to who may open
    them (a teacher sees some documents but may not print the unit's whole register)."""
    staff = permissions.acting_staff(user)
    return staff is not None and permissions.can(user, permissions.VIEW_DOCUMENTS, staff.unit)


@require_safe
@login_required
def register_export(request: AuthedHttpRequest, book: str, fmt: str) -> HttpResponse:
    """`den` or `di` as xlsx, docx or pdf, with the list page's filters (period: Từ/Đến ngày)."""
    if book not in ("den", "di") or fmt not in ("xlsx", "docx", "pdf"):
        raise Http404("Không có sổ này.")
    unit = permissions.acting_unit_or_404(request.user)
    permissions.require(request.user, permissions.VIEW_DOCUMENTS, unit)
    filters = request.GET.dict()
    if book == "den":
        incoming = selectors.incoming_for_user(user=request.user, filters=filters).filter(unit=unit)
        incoming = incoming.order_by("year", "incoming_number")
        title, columns, cells = "Sổ đăng ký văn bản đến", INCOMING_COLUMNS, _incoming_rows(incoming)
    else:
        outgoing = (
            selectors.outgoing_for_user(user=request.user, filters=filters)
            .filter(unit=unit, number__isnull=False)
            .select_related("amends")
        )
        outgoing = outgoing.order_by("year", "secret_sequence", "number")
        title, columns, cells = "Sổ đăng ký văn bản đi", OUTGOING_COLUMNS, _outgoing_rows(outgoing)
    stamp = f"{timezone.localdate():%Y%m%d}"
    name = f"so-van-ban-{book}-{stamp}.{fmt}"
    if fmt == "xlsx":
        data, kind = _xlsx(title, columns, cells), XLSX_TYPE
    else:
        if len(cells) > MAX_PAPER_ROWS:
            return HttpResponse(
                f"Sổ có {len(cells)} văn bản, quá {MAX_PAPER_ROWS} dòng để in một lần: hãy lọc "
                "theo tháng hoặc xuất Excel.",
                status=422,
                content_type="text/plain; charset=utf-8",
            )
        start, end = filters.get("tu_ngay", ""), filters.get("den_ngay", "")
        period = (
            "Từ ngày {} đến ngày {}".format(
                *(
                    date.fromisoformat(x).strftime("%d/%m/%Y") if _iso(x) else "…"
                    for x in (start, end)
                )
            )
            if (start or end)
            else f"Năm {timezone.localdate().year}"
        )
        data = register_paper(unit, title, columns, cells, period, fmt)
        kind = DOCX_TYPE if fmt == "docx" else "application/pdf"
    response = HttpResponse(data, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _iso(raw: str) -> bool:
    try:
        date.fromisoformat(raw)
    except ValueError:
        return False
    return True
