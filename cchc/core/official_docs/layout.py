"""Official papers in the Decree 30/2020/NĐ-CP layout (Phụ lục I), built with python-docx.

Pure functions over dataclasses, no Django: a caller (plan export, dossier slips, reports) fills
an `OfficialDocument` and gets DOCX bytes back; `pdf.docx_to_pdf` turns them into a PDF.

The page is built from direct formatting only (no Word heading styles, which carry theme fonts
and colours), so that Word and LibreOffice render the same thing: Times New Roman on every run
(LibreOffice substitutes the metric-compatible Liberation Serif from fonts-liberation2), the
header block and the signature block as borderless two-column tables, one paragraph per line
(a justified paragraph with line breaks spreads its last words across the line, recipes.md 4).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Literal, get_args

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.exceptions import UnrecognizedImageError
from docx.section import Section
from docx.shared import Cm

from cchc.core.official_docs.ooxml import (
    FONT,
    LANGUAGE,
    _add_page_field,
    _borderless,
    _cant_split,
    _cell_margins,
    _drop_initial_paragraph,
    _nfc,
    _paragraph,
    _paragraph_rpr,
    _repeat_header_row,
    _rule,
    _run,
    _set_fonts,
    _set_page,
    _set_table_layout,
    _setup_styles,
    _text,
)

__all__ = [
    "BLANK_NUMBER",
    "FONT",
    "LANGUAGE",
    "MOTTO",
    "NATIONAL_TITLE",
    "RECIPIENTS_TITLE",
    "OfficialDocError",
    "OfficialDocument",
    "OfficialHeader",
    "PageSize",
    "Paragraph",
    "ParagraphStyle",
    "SignatureBlock",
    "Table",
    "build_docx",
    "date_line",
    "reference",
]


NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_TITLE = "Nơi nhận:"
# Six spaces: room to write the number by hand after signing (Decree 30/2020 Art. 15).
BLANK_NUMBER = " " * 6


ParagraphStyle = Literal[
    "body", "heading1", "heading2", "heading3", "bullet", "plain", "center", "italic"
]
PageSize = Literal["A4", "A5"]

# Unit-type prefixes after which a long unit name is broken onto a second line, the way clerks
# break "TRƯỜNG TRUNG HỌC CƠ SỞ / NGUYỄN THÁI BÌNH" by hand. Longest first.
_UNIT_PREFIXES = (
    "TRƯỜNG TIỂU HỌC VÀ TRUNG HỌC CƠ SỞ",
    "TRƯỜNG TRUNG HỌC CƠ SỞ VÀ TRUNG HỌC PHỔ THÔNG",
    "TRƯỜNG TRUNG HỌC PHỔ THÔNG",
    "TRƯỜNG TRUNG HỌC CƠ SỞ",
    "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
    "TRƯỜNG TIỂU HỌC",
    "TRƯỜNG MẦM NON",
    "ỦY BAN NHÂN DÂN",
    "UỶ BAN NHÂN DÂN",
)
# Average advance of Times New Roman / Liberation Serif Bold, in cm per character per point,
# measured on Vietnamese upper-case and sentence-case lines. Used only to size short rules and
# to decide where to break unit names, never for anything that must be exact.
_BOLD_UPPER_CM_PER_PT = 0.0221
_REGULAR_UPPER_CM_PER_PT = 0.0213
_BOLD_MIXED_CM_PER_PT = 0.0161
# The motto's rule is as long as the motto (Phụ lục I): its width in Times Bold is fixed.
_MOTTO_CM_PER_PT = 5.61 / 13
_CELL_MARGIN_CM = 0.1


class OfficialDocError(RuntimeError):
    """A paper could not be built or converted; the message is Vietnamese, meant for the user."""


@dataclass
class OfficialHeader:
    """Boxes 1–4 of Phụ lục I: issuing bodies, number and symbol, place and date."""

    parent_body: str
    issuer: str
    number: str | None
    symbol: str
    place: str
    date: dt.date | None


@dataclass(kw_only=True)
class SignatureBlock:
    """Box 7: "KT. HIỆU TRƯỞNG" / "PHÓ HIỆU TRƯỞNG" / (space to sign) / name.

    `authority` is the signing word with the head's title (KT., TM., TL., TUQ., Q.; Decree 30
    Art. 13), `title` the signer's own title, `note` e.g. "(Đã ký)" on a copy.
    """

    authority: str = ""
    title: str
    name: str
    note: str = ""


@dataclass
class Paragraph:
    """One body paragraph; a "\\n" in the text starts a new paragraph of the same style."""

    text: str
    style: ParagraphStyle = "body"


@dataclass
class Table:
    """A bordered body table: a bold header row, then the rows."""

    columns: list[str]
    rows: list[list[str]]
    widths_cm: list[float] | None = None


@dataclass
class OfficialDocument:
    """A whole paper. An empty `doc_type` makes a công văn: its summary goes under the number."""

    header: OfficialHeader
    doc_type: str
    summary: str
    body: list[Paragraph | Table]
    signature: SignatureBlock | None
    recipients: list[str]
    kinh_gui: list[str] = field(default_factory=list)
    page_size: PageSize = "A4"
    qr_png: bytes | None = None
    extra_header_right: str = ""
    qr_caption: str = ""


@dataclass(frozen=True)
class _Metrics:
    """Page geometry and type sizes for one paper size."""

    width_cm: float
    height_cm: float
    top_cm: float
    bottom_cm: float
    left_cm: float
    right_cm: float
    edge_distance_cm: float
    header_cols_cm: tuple[float, float]
    org_pt: float
    national_pt: float
    motto_pt: float
    number_pt: float
    date_pt: float
    type_pt: float
    body_pt: float
    table_pt: float
    signature_pt: float
    recipients_title_pt: float
    recipients_pt: float
    page_number_pt: float
    small_pt: float
    first_line_cm: float
    title_space_pt: float
    signature_gap_cm: float
    qr_cm: float

    @property
    def text_width_cm(self) -> float:
        return self.width_cm - self.left_cm - self.right_cm

    @property
    def header_indent_cm(self) -> float:
        """The header table reaches into the left margin so that both columns fit."""
        return self.text_width_cm - sum(self.header_cols_cm)


# A4: Phụ lục I (margins 20/20/30/15 mm). "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" is 8.8 cm wide at
# 12 pt bold and 9.6 cm at 13 pt, so it is set at 12 pt in a 9.5 cm column to stay on one line.
_A4 = _Metrics(
    width_cm=21.0,
    height_cm=29.7,
    top_cm=2.0,
    bottom_cm=2.0,
    left_cm=3.0,
    right_cm=1.5,
    edge_distance_cm=1.0,
    header_cols_cm=(7.5, 9.5),
    org_pt=12,
    national_pt=12,
    motto_pt=13,
    number_pt=13,
    date_pt=13,
    type_pt=14,
    body_pt=14,
    table_pt=13,
    signature_pt=14,
    recipients_title_pt=12,
    recipients_pt=11,
    page_number_pt=13,
    small_pt=10,
    first_line_cm=1.27,
    title_space_pt=18,
    signature_gap_cm=2.6,
    qr_cm=2.5,
)
# A5 slips (receipt and appointment slip, Circular 01/2018 forms): Decree 30 sets no A5 layout,
# so the A4 arrangement is kept with narrower margins and smaller type: at 9.5 pt the national
# title (7.0 cm) and "TRƯỜNG TRUNG HỌC CƠ SỞ" (4.8 cm) each still fit on one line.
_A5 = _Metrics(
    width_cm=14.8,
    height_cm=21.0,
    top_cm=1.5,
    bottom_cm=1.5,
    left_cm=1.5,
    right_cm=1.0,
    edge_distance_cm=0.8,
    header_cols_cm=(5.2, 7.5),
    org_pt=9.5,
    national_pt=9.5,
    motto_pt=10.5,
    number_pt=10.5,
    date_pt=10.5,
    type_pt=12,
    body_pt=12,
    table_pt=11,
    signature_pt=12,
    recipients_title_pt=11,
    recipients_pt=10,
    page_number_pt=11,
    small_pt=9,
    first_line_cm=1.0,
    title_space_pt=10,
    signature_gap_cm=1.8,
    qr_cm=2.2,
)
_METRICS: dict[str, _Metrics] = {"A4": _A4, "A5": _A5}


# --- text helpers -------------------------------------------------------------------------------


def date_line(place: str, d: dt.date | None) -> str:
    """The place-and-date line (box 4): "Bình Hưng, ngày 05 tháng 3 năm 2026".

    Days below 10 and the months 1 and 2 get a leading zero (Phụ lục I, domain.md 6.2); without a
    date the blanks are left for the clerk to fill in by hand.
    """
    if d is None:
        when = "ngày … tháng … năm …"
    else:
        month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
        when = f"ngày {d.day:02d} tháng {month} năm {d.year}"
    place = _nfc(place.strip())
    return f"{place}, {when}" if place else when[0].upper() + when[1:]


def reference(number: str | None, symbol: str) -> str:
    """Number and symbol (box 3): "Số: 05/KH-THCSNTB"; a blank number leaves room to write it."""
    text = str(number).strip() if number is not None else ""
    if text.isdigit() and int(text) < 10:
        text = f"{int(text):02d}"
    symbol = "".join(_nfc(symbol).split())
    if not text:
        return f"Số:{BLANK_NUMBER}/{symbol}"
    return f"Số: {text}/{symbol}" if symbol else f"Số: {text}"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in _nfc(text).split("\n") if line.strip()]


def _unit_lines(text: str, *, size_pt: float, width_cm: float, bold: bool) -> list[str]:
    """Upper-case unit-name lines, breaking a too-long name after its unit-type prefix."""
    result: list[str] = []
    rate = _BOLD_UPPER_CM_PER_PT if bold else _REGULAR_UPPER_CM_PER_PT
    max_chars = width_cm / (rate * size_pt)
    for line in _lines(text):
        line = line.upper()
        if len(line) > max_chars:
            prefix = next((p for p in _UNIT_PREFIXES if line.startswith(p + " ")), None)
            if prefix is not None:
                result.extend([prefix, line[len(prefix) :].strip()])
                continue
        result.append(line)
    return result


# --- document parts -----------------------------------------------------------------------------


def _add_page_number(section: Section, m: _Metrics) -> None:
    """Page number centred in the top margin from page 2 on (Phụ lục I: not shown on page 1)."""
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_fonts(_paragraph_rpr(paragraph), m.page_number_pt)
    _add_page_field(paragraph, size=m.page_number_pt)
    first = section.first_page_header
    first.is_linked_to_previous = False
    _set_fonts(_paragraph_rpr(first.paragraphs[0]), m.small_pt)
    for footer in (section.footer, section.first_page_footer):
        footer.is_linked_to_previous = False
        _set_fonts(_paragraph_rpr(footer.paragraphs[0]), m.small_pt)


def _add_qr(section: Section, doc: OfficialDocument, m: _Metrics) -> None:
    """The look-up QR at the bottom right of page 1, with its caption to the left."""
    if doc.qr_png is None:
        return
    footer = section.first_page_footer
    widths = (m.text_width_cm - m.qr_cm - 0.4, m.qr_cm + 0.4)
    table = footer.add_table(rows=1, cols=2, width=Cm(sum(widths)))
    _set_table_layout(table, widths)
    _borderless(table)
    caption_cell, image_cell = table.rows[0].cells
    caption_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if doc.qr_caption:
        for line in _lines(doc.qr_caption):
            _text(caption_cell, line, size=m.small_pt, italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
        _drop_initial_paragraph(caption_cell)
    paragraph = image_cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    try:
        paragraph.add_run().add_picture(io.BytesIO(doc.qr_png), width=Cm(m.qr_cm))
    except UnrecognizedImageError as exc:
        raise OfficialDocError("Ảnh mã QR không hợp lệ: cần một tệp ảnh PNG.") from exc
    # A footer must end with a paragraph: put the table before the footer's own empty one.
    footer.paragraphs[0]._p.addprevious(table._tbl)


def _setup_section(document: DocxDocument, doc: OfficialDocument, m: _Metrics) -> None:
    section = document.sections[0]
    _set_page(
        section,
        width_cm=m.width_cm,
        height_cm=m.height_cm,
        top_cm=m.top_cm,
        bottom_cm=m.bottom_cm,
        left_cm=m.left_cm,
        right_cm=m.right_cm,
        edge_distance_cm=m.edge_distance_cm,
    )
    _add_page_number(section, m)
    _add_qr(section, doc, m)


def _add_header_block(document: DocxDocument, doc: OfficialDocument, m: _Metrics) -> None:
    """Boxes 1–4 and, for a công văn, 5b: a borderless 2×2 table."""
    header = doc.header
    left_cm, right_cm = m.header_cols_cm
    inner_left = left_cm - 2 * _CELL_MARGIN_CM
    inner_right = right_cm - 2 * _CELL_MARGIN_CM
    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _set_table_layout(table, m.header_cols_cm, indent_cm=m.header_indent_cm)
    _borderless(table)
    _cell_margins(table, _CELL_MARGIN_CM)
    bodies, nation = table.rows[0].cells
    number_cell, date_cell = table.rows[1].cells

    for line in _unit_lines(header.parent_body, size_pt=m.org_pt, width_cm=inner_left, bold=False):
        _text(bodies, line, size=m.org_pt)
    issuer_lines = _unit_lines(header.issuer, size_pt=m.org_pt, width_cm=inner_left, bold=True)
    for line in issuer_lines:
        _text(bodies, line, size=m.org_pt, bold=True)
    longest = (
        max((len(line) for line in issuer_lines), default=0) * _BOLD_UPPER_CM_PER_PT * m.org_pt
    )
    # Phụ lục I: a rule 1/3 to 1/2 the length of the issuer's line.
    _rule(bodies, width_cm=max(min(longest, inner_left) * 0.4, 1.5), available_cm=inner_left)
    _drop_initial_paragraph(bodies)

    _text(nation, NATIONAL_TITLE, size=m.national_pt, bold=True)
    _text(nation, MOTTO, size=m.motto_pt, bold=True)
    _rule(nation, width_cm=_MOTTO_CM_PER_PT * m.motto_pt, available_cm=inner_right)
    _drop_initial_paragraph(nation)

    _text(number_cell, reference(header.number, header.symbol), size=m.number_pt, before_pt=6)
    if not doc.doc_type:
        # Box 5b: a công văn's summary sits under its number, after "V/v".
        for index, line in enumerate(_lines(doc.summary)):
            prefix = "V/v " if index == 0 and not line.lower().startswith("v/v") else ""
            _text(number_cell, prefix + line, size=m.org_pt, before_pt=2 if index == 0 else 0)
    _drop_initial_paragraph(number_cell)
    _text(date_cell, date_line(header.place, header.date), size=m.date_pt, italic=True, before_pt=6)
    _drop_initial_paragraph(date_cell)


def _add_title(document: DocxDocument, doc: OfficialDocument, m: _Metrics) -> None:
    """Box 5a: type name, then the summary in bold, then a short rule."""
    _text(document, doc.doc_type.upper(), size=m.type_pt, bold=True, before_pt=m.title_space_pt)
    lines = _lines(doc.summary)
    for line in lines:
        _text(document, line, size=m.type_pt, bold=True)
    if lines:
        longest = max(len(line) for line in lines) * _BOLD_MIXED_CM_PER_PT * m.type_pt
        _rule(
            document,
            width_cm=max(min(longest, m.text_width_cm) / 3, 2.0),
            available_cm=m.text_width_cm,
            before_pt=2,
            after_pt=m.title_space_pt * 2 / 3,
        )


def _add_kinh_gui(document: DocxDocument, doc: OfficialDocument, m: _Metrics) -> None:
    """The address block: "Kính gửi: X" centred for one addressee, a hanging list for several."""
    addressees = [line for item in doc.kinh_gui for line in _lines(item)]
    if not addressees:
        return
    before = m.title_space_pt if not doc.doc_type else 0
    if len(addressees) == 1:
        paragraph = _paragraph(
            document, size=m.body_pt, align=WD_ALIGN_PARAGRAPH.CENTER, before_pt=before, after_pt=12
        )
        _run(paragraph, f"Kính gửi: {addressees[0]}", size=m.body_pt)
        return
    label_cm = m.text_width_cm * 0.2
    items_cm = label_cm + 2.4 * m.body_pt / 14
    for index, addressee in enumerate(addressees):
        last = index == len(addressees) - 1
        paragraph = _paragraph(
            document,
            size=m.body_pt,
            left_cm=items_cm,
            before_pt=before if index == 0 else 0,
            after_pt=12 if last else 0,
        )
        item = addressee if addressee.startswith("-") else f"- {addressee}"
        if index == 0:
            paragraph.paragraph_format.first_line_indent = Cm(label_cm - items_cm)
            paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(items_cm))
            _run(paragraph, "Kính gửi:\t", size=m.body_pt)
        _run(paragraph, item, size=m.body_pt)


_STYLE_FORMAT: dict[str, tuple[WD_ALIGN_PARAGRAPH, bool, bool, bool, bool]] = {
    # style: (alignment, indent first line, bold, italic, keep with next)
    "body": (WD_ALIGN_PARAGRAPH.JUSTIFY, True, False, False, False),
    "heading1": (WD_ALIGN_PARAGRAPH.JUSTIFY, True, True, False, True),
    "heading2": (WD_ALIGN_PARAGRAPH.JUSTIFY, True, True, False, True),
    "heading3": (WD_ALIGN_PARAGRAPH.JUSTIFY, True, True, True, True),
    "bullet": (WD_ALIGN_PARAGRAPH.JUSTIFY, True, False, False, False),
    "plain": (WD_ALIGN_PARAGRAPH.LEFT, False, False, False, False),
    "center": (WD_ALIGN_PARAGRAPH.CENTER, False, False, False, False),
    "italic": (WD_ALIGN_PARAGRAPH.JUSTIFY, True, False, True, False),
}


def _add_body_paragraph(document: DocxDocument, item: Paragraph, m: _Metrics) -> None:
    align, indent, bold, italic, keep = _STYLE_FORMAT[item.style]
    for line in _lines(item.text):
        text = line
        if item.style == "heading1":
            text = line.upper()
        elif item.style == "bullet" and not line.startswith(("-", "–", "+", "•")):
            text = f"- {line}"
        paragraph = _paragraph(
            document,
            size=m.body_pt,
            align=align,
            first_line_cm=m.first_line_cm if indent else 0,
            before_pt=6 if item.style == "heading1" else 0,
            after_pt=6,
            line_spacing=1.15,
            keep_with_next=keep,
        )
        _run(paragraph, text, size=m.body_pt, bold=bold, italic=italic)


def _add_body_table(document: DocxDocument, item: Table, m: _Metrics) -> None:
    columns = len(item.columns)
    widths = item.widths_cm or [m.text_width_cm / columns] * columns
    table = document.add_table(rows=1 + len(item.rows), cols=columns)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _set_table_layout(table, widths)
    _cell_margins(table, _CELL_MARGIN_CM)
    _repeat_header_row(table.rows[0])
    for row_index, values in enumerate([item.columns, *item.rows]):
        is_header = row_index == 0
        for cell, value in zip(table.rows[row_index].cells, values, strict=True):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            lines = _lines(value) or [""]
            # Numbers, percentages and dates are centred; text reads from the left.
            short = not any(character.isalpha() for character in value)
            for line in lines:
                _text(
                    cell,
                    line,
                    size=m.table_pt,
                    bold=is_header,
                    align=WD_ALIGN_PARAGRAPH.CENTER
                    if is_header or short
                    else WD_ALIGN_PARAGRAPH.LEFT,
                    before_pt=2,
                    after_pt=2,
                )
            _drop_initial_paragraph(cell)
    _paragraph(document, size=6)


def _add_closing(document: DocxDocument, doc: OfficialDocument, m: _Metrics) -> None:
    """Boxes 7 and 9: "Nơi nhận" on the left, the signature block on the right."""
    if doc.signature is None and not doc.recipients:
        return
    _paragraph(document, size=m.body_pt, after_pt=0)
    table = document.add_table(rows=1, cols=2)
    _set_table_layout(table, m.header_cols_cm, indent_cm=m.header_indent_cm)
    _borderless(table)
    _cell_margins(table, _CELL_MARGIN_CM)
    _cant_split(table)
    recipients_cell, signature_cell = table.rows[0].cells

    if doc.recipients:
        _text(
            recipients_cell,
            RECIPIENTS_TITLE,
            size=m.recipients_title_pt,
            bold=True,
            italic=True,
            align=WD_ALIGN_PARAGRAPH.LEFT,
        )
        for recipient in doc.recipients:
            for line in _lines(recipient):
                item = line if line.startswith("-") else f"- {line}"
                _text(recipients_cell, item, size=m.recipients_pt, align=WD_ALIGN_PARAGRAPH.LEFT)
        _drop_initial_paragraph(recipients_cell)

    signature = doc.signature
    if signature is not None:
        for line in [*_lines(signature.authority), *_lines(signature.title)]:
            _text(signature_cell, line.upper(), size=m.signature_pt, bold=True)
        gap = _paragraph(signature_cell, size=m.signature_pt, align=WD_ALIGN_PARAGRAPH.CENTER)
        gap.paragraph_format.space_before = Cm(m.signature_gap_cm * 0.4)
        gap.paragraph_format.space_after = Cm(m.signature_gap_cm * 0.6)
        if signature.note:
            _run(gap, signature.note, size=m.signature_pt, italic=True)
        _text(signature_cell, signature.name, size=m.signature_pt, bold=True)
        for paragraph in signature_cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True
        _drop_initial_paragraph(signature_cell)


def _validate(doc: OfficialDocument) -> _Metrics:
    metrics = _METRICS.get(doc.page_size)
    if metrics is None:
        raise OfficialDocError(f"Khổ giấy không được hỗ trợ: {doc.page_size!r} (chỉ A4 hoặc A5).")
    if not doc.header.issuer.strip():
        raise OfficialDocError("Thiếu tên cơ quan, tổ chức ban hành văn bản.")
    styles = get_args(ParagraphStyle)
    for position, item in enumerate(doc.body, start=1):
        if isinstance(item, Paragraph):
            if item.style not in styles:
                raise OfficialDocError(
                    f"Đoạn {position}: kiểu trình bày không hợp lệ {item.style!r}."
                )
            continue
        columns = len(item.columns)
        if columns == 0:
            raise OfficialDocError(f"Bảng ở vị trí {position} không có cột nào.")
        if item.widths_cm is not None and len(item.widths_cm) != columns:
            raise OfficialDocError(
                f"Bảng ở vị trí {position}: có {len(item.widths_cm)} độ rộng cột cho {columns} cột."
            )
        for row_number, row in enumerate(item.rows, start=1):
            if len(row) != columns:
                raise OfficialDocError(
                    f"Bảng ở vị trí {position}, dòng {row_number}: "
                    f"có {len(row)} ô, cần {columns} ô."
                )
    return metrics


def build_docx(doc: OfficialDocument) -> bytes:
    """Render an official paper in the Decree 30/2020 layout and return the DOCX bytes."""
    m = _validate(doc)
    document = Document()
    _setup_styles(document, m.body_pt)
    _setup_section(document, doc, m)
    properties = document.core_properties
    properties.title = _nfc(" ".join([doc.doc_type, *_lines(doc.summary)]).strip())
    properties.author = _nfc(doc.header.issuer)
    properties.language = LANGUAGE

    if doc.extra_header_right:
        _text(
            document,
            doc.extra_header_right,
            size=m.org_pt,
            bold=True,
            align=WD_ALIGN_PARAGRAPH.RIGHT,
            after_pt=4,
        )
    _add_header_block(document, doc, m)
    if doc.doc_type:
        _add_title(document, doc, m)
    else:
        _paragraph(document, size=m.body_pt, after_pt=6)
    _add_kinh_gui(document, doc, m)
    for item in doc.body:
        if isinstance(item, Table):
            _add_body_table(document, item, m)
        else:
            _add_body_paragraph(document, item, m)
    _add_closing(document, doc, m)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
