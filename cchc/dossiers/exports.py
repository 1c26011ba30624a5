"""The tracking book (Mẫu 07) as XLSX and PDF from one template (`book_sheet`): the current
form's columns, one row per dossier in receipt order, dates as real dates; the PDF is the same
workbook printed by LibreOffice Calc, the whole book however long (no row cap), and is kept
(PDF_STORE_DIR) until anything it shows changes."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from cchc.core.official_docs import converter, xlsx_to_pdf
from cchc.dossiers import book_sheet
from cchc.dossiers.models import Dossier, DossierEvent, DossierQuerySet
from cchc.dossiers.workflow import DossierStatus

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = book_sheet.HEADERS


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


def book_note(dossier: Dossier) -> str:
    """The book's "Ghi chú": the dossier's own note, then a new appointment made by an apology
    (domain.md section 1.4: the original due date stays in its column, the new one is written
    beside it) with the apology letter's number once it is issued. A supplement that restarted
    the clock cleared that appointment (`services.dossier_supplement_received`): the book then
    says it no longer holds, so the stale date is never read as the appointment."""
    parts = [dossier.subject.strip()] if dossier.subject.strip() else []
    apology = getattr(dossier, "apology", None)
    if apology is not None:
        text = f"Hẹn lại {timezone.localtime(apology.new_due_at):%d/%m/%Y %H:%M}"
        symbol = apology.outgoing.symbol if apology.outgoing is not None else ""
        text = f"{text} (văn bản xin lỗi số {symbol})" if symbol else text
        if dossier.new_due_at is None:
            text += ", không còn hiệu lực: thời hạn tính lại từ đầu sau khi nhận đủ hồ sơ bổ sung"
        parts.append(text)
    return "; ".join(parts)


def in_receipt_order(dossiers: DossierQuerySet) -> DossierQuerySet:
    """One row per dossier, in the order they were received (book entry order); dossiers not
    yet accepted come last."""
    return (
        dossiers.with_late_flag()
        .select_related("procedure", "unit", "apology__outgoing")
        .order_by(F("received_at").asc(nulls_last=True), "book_entry", "id")
    )


def _rows(dossiers: DossierQuerySet, show_personal: bool) -> list[book_sheet.BookRow]:
    # The 2018 book's "transferred to the processing body": the first move to "Đang xử lý".
    transferred = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), to_status=DossierStatus.PROCESSING)
        .order_by("at")
        .values("at")[:1]
    )
    return [
        book_sheet.BookRow(
            entry=d.book_entry,
            code=d.code,
            procedure_name=d.procedure.name,
            applicant_name=d.applicant_name,
            applicant_contact=_contact(d, show_personal),
            lead_body=d.unit.name,
            received_at=d.received_at,
            due_at=d.due_at,
            returned_at=d.returned_at,
            delivery=d.result_delivery_label,
            note=book_note(d),
            sets=d.procedure.sets,
            transferred_at=d.transferred_at,
            result_at=d.result_at,
            new_due_at=d.new_due_at,
            status=d.get_status_display(),
            on_time=_on_time(d),
        )
        for d in in_receipt_order(dossiers).annotate(transferred_at=Subquery(transferred))
    ]


def book_unit(dossiers: DossierQuerySet, *, chosen_id: int | None, reader_unit: Any) -> Any:
    """Whose book this is, for its heading (name, parent's line, "Số: …/STD-<symbol>").

    A school's tracking book is the school's whoever prints it: the commune officer who reads a
    school's book (chosen in the unit filter, or the only unit among the rows) gets the school's
    heading, not the commune's. Only a list spanning several units (or none) is headed with the
    reader's own unit.
    """
    from cchc.organizations.models import Unit

    if chosen_id is None:
        units = list(dossiers.order_by().values_list("unit_id", flat=True).distinct()[:2])
        chosen_id = units[0] if len(units) == 1 else None
    if chosen_id is None or chosen_id == reader_unit.pk:
        return reader_unit
    return Unit.objects.select_related("parent").get(pk=chosen_id)


def tracking_book(
    dossiers: DossierQuerySet, fmt: str, unit: Any, *, show_personal: bool
) -> tuple[bytes, str, str]:
    """The book as the XLSX the office edits, or that same workbook printed by Calc (PDF)."""
    from cchc.dossiers.papers_service import unit_info

    today = timezone.localdate()
    stamp = today.strftime("%Y%m%d")
    if fmt == "pdf":
        # Made once for what it shows (rows, who may see personal data, the day, the layout).
        key = _book_key(dossiers, unit, show_personal)
        stored = converter.stored_paper(key)
        if stored is not None:
            return stored, "application/pdf", f"so-theo-doi-ho-so-{stamp}.pdf"
    xlsx = book_sheet.workbook(
        unit_info(unit), _rows(dossiers, show_personal), year=today.year, issued_on=today
    )
    if fmt == "xlsx":
        return xlsx, XLSX_TYPE, f"so-theo-doi-ho-so-{stamp}.xlsx"
    pdf = xlsx_to_pdf(xlsx)
    converter.store_paper(key, pdf)
    return pdf, "application/pdf", f"so-theo-doi-ho-so-{stamp}.pdf"


def _book_key(dossiers: DossierQuerySet, unit: Any, show_personal: bool) -> str:
    """Everything the printed book shows, as a key: each row's dossier, procedure and unit with
    the moment each last changed (in book order), the unit and its parent body the heading
    names, who may see personal data, today's date (the book is dated) and the code that lays
    it out. One query of three columns per dossier."""
    from cchc.dossiers.papers_service import layout_version

    digest = hashlib.sha256()
    for row in in_receipt_order(dossiers).values_list(
        "pk", "updated_at", "procedure__updated_at", "unit__updated_at",
        "apology__new_due_at", "apology__outgoing__symbol",
    ):  # fmt: skip
        digest.update(repr(row).encode())
    # The heading names the unit's parent body (the commune) too: its change time is an input.
    parent = unit.parent.updated_at.isoformat() if unit.parent is not None else ""
    return converter.record_key(
        "tracking-book", unit.pk, unit.updated_at.isoformat(), parent, show_personal,
        timezone.localdate().isoformat(), layout_version(), digest.hexdigest(),
    )  # fmt: skip
