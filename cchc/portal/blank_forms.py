"""Blank application forms ("Đơn …") a parent can download from a procedure's public page and
fill in before coming to the counter (issue 8 point 18).

The catalogue lists the papers of each procedure; those that are applications (their name starts
with "Đơn", or the procedure's own list of forms) get a blank A4 form: the national motto, the
title, "Kính gửi" the unit's head, dotted lines for the data the desk asks for, the date line
and "NGƯỜI LÀM ĐƠN (Ký và ghi rõ họ tên)". The PDF is the same DOCX through LibreOffice.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from cchc.core.official_docs import docx_to_pdf
from cchc.dossiers.models import Procedure
from cchc.organizations.models import Unit

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOTS = "…" * 40
LINES = [
    "Họ và tên người làm đơn",
    "Số định danh cá nhân (CCCD)",
    "Địa chỉ",
    "Số điện thoại",
    "Họ và tên học sinh",
    "Ngày sinh",
    "Lớp, trường đang học",
]


def forms_of(procedure: Procedure) -> list[str]:
    """The blank forms the procedure offers: its listed forms, else its applications."""
    listed = [str(name).strip() for name in procedure.forms or [] if str(name).strip()]
    if listed:
        return listed
    return [
        d.get("name", "")
        for d in procedure.documents
        if d.get("name", "").lower().startswith("đơn")
    ]


def _paragraph(document, text: str, *, bold=False, italic=False, size=13, center=False):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size, run.font.name = bold, italic, Pt(size), "Times New Roman"
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(4)
    return paragraph


def build_docx(unit: Unit, procedure: Procedure, title: str) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.0)
    section.left_margin, section.right_margin = Cm(3.0), Cm(1.5)
    _paragraph(document, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, center=True)
    _paragraph(document, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13, center=True)
    _paragraph(document, "")
    _paragraph(document, title.upper(), bold=True, size=14, center=True)
    _paragraph(document, f"Kính gửi: Hiệu trưởng {unit.name}", size=13, center=True)
    _paragraph(document, "")
    for label in LINES:
        _paragraph(document, f"{label}: {DOTS}")
    _paragraph(document, f"Nội dung đề nghị ({procedure.name}): {DOTS}")
    _paragraph(document, DOTS * 2)
    _paragraph(document, f"Lý do: {DOTS}")
    _paragraph(document, DOTS * 2)
    _paragraph(document, "Tôi xin cam đoan những nội dung trên là đúng sự thật.")
    _paragraph(document, "")
    date_line = _paragraph(document, "……………, ngày …… tháng …… năm ……", italic=True)
    date_line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signer = _paragraph(document, "NGƯỜI LÀM ĐƠN", bold=True)
    signer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    note = _paragraph(document, "(Ký và ghi rõ họ tên)", italic=True)
    note.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_blank(unit: Unit, procedure: Procedure, title: str, fmt: str) -> tuple[bytes, str]:
    docx = build_docx(unit, procedure, title)
    if fmt == "pdf":
        return docx_to_pdf(docx), "application/pdf"
    return docx, DOCX_TYPE
