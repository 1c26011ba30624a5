"""Exports: raw answers and results as XLSX (user text always stored as text, never a formula),
and a one-page PDF summary in the Decree 30 layout through `cchc.core.official_docs`."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

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
from cchc.surveys.models import NO_OPINION, SCALE, Answer, Campaign, Response
from cchc.surveys.reporting import mask_personal
from cchc.surveys.results import Results

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text_cell(sheet: Any, row: int, column: int, value: str) -> None:
    """Store as a string cell: "=HYPERLINK(…)" typed by a respondent stays inert text."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    cell.data_type = TYPE_STRING


def _bold_header(sheet: Any, headers: list[str]) -> None:
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def _answer_text(answer: Answer, show_personal: bool) -> str:
    if answer.no_opinion:
        return NO_OPINION
    if answer.scale is not None:
        return f"{answer.scale} – {SCALE[answer.scale]}"
    if answer.choice:
        return answer.choice
    if answer.choices:
        return "; ".join(answer.choices)
    return answer.text if show_personal else mask_personal(answer.text)


def results_xlsx(campaign: Campaign, computed: Results, *, show_personal: bool) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "Kết quả"
    _bold_header(
        summary,
        ["Nhóm / câu hỏi", "Rất không HL", "Không HL", "Bình thường", "Hài lòng", "Rất HL",
         "Không ý kiến", "Bỏ trống", "Hợp lệ", "Tỷ lệ hài lòng (%)", "KTC 95% thấp (%)",
         "KTC 95% cao (%)", "Điểm TB"],
    )  # fmt: skip
    rows = [("Chung", computed.overall)]
    rows += [(f"Nhóm: {g.label}", g.tally) for g in computed.groups]
    rows += [(q.text, q.tally) for q in computed.scale_questions]
    for label, tally in rows:
        interval = tally.interval
        summary.append(
            [None, *[tally.counts[k] for k in range(1, 6)], tally.no_opinion, tally.blank,
             tally.valid, None if tally.rate is None else round(tally.rate, 2),
             None if interval is None else round(interval[0], 2),
             None if interval is None else round(interval[1], 2),
             None if tally.mean is None else round(tally.mean, 2)]
        )  # fmt: skip
        _text_cell(summary, summary.max_row, 1, label)
    summary.column_dimensions["A"].width = 70

    raw = book.create_sheet("Phiếu trả lời")
    questions = computed.questions
    _bold_header(raw, ["Phiếu số", "Gửi lúc", "Kênh", "Lớp", "Phiên bản phiếu"])
    for index, question in enumerate(questions, start=6):
        _text_cell(raw, 1, index, question.text)
        raw.cell(row=1, column=index).font = Font(bold=True)
    column_of = {q.code: i for i, q in enumerate(questions, start=6)}
    responses = (
        Response.objects.filter(campaign=campaign)
        .select_related("version")
        .prefetch_related("answers__question")
        .order_by("submitted_at", "id")
    )
    for response in responses.iterator(chunk_size=500):
        raw.append(
            [
                response.pk,
                response.submitted_at.astimezone(VN).strftime("%d/%m/%Y %H:%M"),
                response.get_channel_display(),
                None,
                response.version.number,
            ]
        )
        row = raw.max_row
        _text_cell(raw, row, 4, response.segment)
        for answer in response.answers.all():
            column = column_of.get(answer.question.code)
            if column is not None:
                _text_cell(raw, row, column, _answer_text(answer, show_personal))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _place(unit: Any) -> str:
    """The commune's name from "Ủy ban nhân dân xã …" above the school, as the place line."""
    parent = unit.parent.name if unit.parent is not None else ""
    for prefix in ("Ủy ban nhân dân xã ", "Ủy ban nhân dân phường ", "UBND xã ", "UBND phường "):
        if parent.startswith(prefix):
            return parent[len(prefix) :]
    return ""


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}".replace(".", ",") + "%"


def summary_pdf(campaign: Campaign, computed: Results, *, signer_name: str = "") -> bytes:
    """One A4 page: what was asked, of whom, how many answered, the rates with intervals."""
    unit = campaign.unit
    today = timezone.localdate()
    period = (
        f"từ ngày {campaign.starts_on:%d/%m/%Y} đến ngày {campaign.ends_on:%d/%m/%Y}"
        if campaign.ends_on
        else f"năm {today.year}"
    )
    overall = computed.overall
    body: list[Paragraph | Table] = [
        Paragraph(
            f"Đợt khảo sát “{campaign.title}”, đối tượng: "
            f"{campaign.get_audience_display().lower()}"
            + (f" ({campaign.audience_detail})" if campaign.audience_detail else "")
            + f", {period}; mẫu phiếu: {campaign.template.name}. Số phiếu thu về: "
            f"{computed.responses}."
        ),
        Paragraph(
            f"Tỷ lệ hài lòng chung: {overall.rate_text()} ({overall.satisfied}/{overall.valid} câu "
            f"trả lời hợp lệ; {overall.interval_text() or 'chưa có câu trả lời hợp lệ'}); điểm "
            f"trung bình {overall.mean_text()}/5. Tỷ lệ hài lòng = (Hài lòng + Rất hài lòng) ÷ câu "
            "trả lời hợp lệ, không tính câu bỏ trống và “Không ý kiến”."
        ),
        Table(
            columns=["Nhóm tiêu chí", "Hợp lệ", "Tỷ lệ hài lòng", "KTC 95%", "Điểm TB"],
            rows=[
                [
                    g.label,
                    str(g.tally.valid),
                    _percent(g.tally.rate),
                    g.tally.interval_range(),
                    g.tally.mean_text(),
                ]
                for g in computed.groups
            ],
            widths_cm=[6.5, 1.8, 2.6, 3.4, 1.7],
        ),
        Paragraph(
            "Kết quả được công khai trên cổng thông tin của đơn vị; ý kiến viết tay của người trả "
            "lời không công khai."
        ),
    ]
    document = OfficialDocument(
        header=OfficialHeader(
            parent_body=unit.parent.name.upper() if unit.parent is not None else "",
            issuer=unit.name.upper(),
            number=None,
            symbol=f"BC-{unit.symbol or 'DV'}",
            place=_place(unit),
            date=today,
        ),
        doc_type="BÁO CÁO",
        summary="Kết quả khảo sát mức độ hài lòng",
        body=body,
        signature=SignatureBlock(title="HIỆU TRƯỞNG", name=signer_name),
        recipients=["Như trên;", "Lưu: VT."],
    )
    return docx_to_pdf(build_docx(document))
