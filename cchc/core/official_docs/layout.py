"""Official papers in the Decree 30/2020/NĐ-CP layout (Phụ lục I), built with python-docx.

Pure functions over dataclasses, no Django: a caller (plan export, dossier slips, reports) fills
an `OfficialDocument` and gets DOCX bytes back; `pdf.docx_to_pdf` turns them into a PDF.

The page is built from direct formatting only (no Word heading styles, which carry theme fonts
and colours), so that Word and LibreOffice render the same thing: Times New Roman on every run
(LibreOffice substitutes the metric-compatible Liberation Serif from fonts-liberation2), the
header block and the signature block as borderless two-column tables, one paragraph per line
(a justified paragraph with line breaks spreads its last words across the line, recipes.md 4).

Decree 30 draws one signature on a portrait page. The one-stop papers (Circular 03/2025 forms
01–07, cchc.dossiers.papers) need more, asked for by options on `OfficialDocument`: two
signatures side by side with QR codes beside them (`side_signatures`, `side_codes`), an A4 page
turned sideways (`landscape`), body lines and tables tight enough for one A5 page (`compact`,
`table_pt`) and table rows that never split across pages (`keep_rows_whole`).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal, get_args

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.exceptions import UnrecognizedImageError
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Cm, Pt

from cchc.core.official_docs.ooxml import (
    FONT,
    LANGUAGE,
    add_page_field,
    add_paragraph,
    add_rule,
    add_run,
    add_text,
    borderless,
    cant_split,
    cell_margins,
    drop_initial_paragraph,
    grid_borders,
    nfc,
    paragraph_rpr,
    repeat_header_row,
    set_fonts,
    set_page,
    set_table_layout,
    setup_styles,
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
    "QrCode",
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
# Compact papers (the A5 slips): body lines and table cells this far apart (pt), and the
# space around the title this share of the usual. With all four papers of a procedure listed,
# the fee's and the rating's QR codes beside the signatures and the longest names, a receipt
# still keeps to one A5 page (tests/test_dossier_hooks.py).
_COMPACT_AFTER_PT = 0
_COMPACT_CELL_PT = 1
_COMPACT_TITLE_SPACE = 0.6


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
    Art. 13), `title` the signer's own title, `note` e.g. "(Đã ký)" on a copy. `sealed`: the
    unit's seal goes over this signature (a letter released with the seal), so the space to
    sign is tall enough for the seal at real size without covering the title or the name
    (domain.md 6.2).
    """

    authority: str = ""
    title: str
    name: str
    note: str = ""
    sealed: bool = False


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


@dataclass(frozen=True)
class QrCode:
    """A QR code (PNG) printed beside the side-by-side signatures, its short caption under it."""

    png: bytes
    caption: str = ""


@dataclass
class OfficialDocument:
    """A whole paper. An empty `doc_type` makes a công văn: its summary goes under the number.

    Options beyond Decree 30 (the one-stop forms): `side_signatures` prints two signatures
    side by side under the body (submitter left, officer right, each `note` under its title),
    with the look-up QR (`qr_png`) and `side_codes` beside them instead of in the page-1
    footer; `landscape` turns an A4 page sideways; `compact` sets body lines smaller and
    single-spaced; `table_pt` sets the type size of body tables; `keep_rows_whole` keeps each
    body table row on one page.
    """

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
    side_signatures: tuple[SignatureBlock, SignatureBlock] | None = None
    side_codes: Sequence[QrCode] = ()
    landscape: bool = False
    compact: bool = False
    table_pt: float | None = None
    keep_rows_whole: bool = False


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
    compact_pt: float

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
    compact_pt=13,
)
# A4 turned sideways (the tracking book, form 07): the same type, narrower margins, and the
# header block spread over the wider page (issuer left, national title right).
_A4_LANDSCAPE = replace(
    _A4,
    width_cm=29.7,
    height_cm=21.0,
    top_cm=1.5,
    bottom_cm=1.5,
    left_cm=1.5,
    right_cm=1.0,
    header_cols_cm=(10.5, 16.7),
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
    compact_pt=11,
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
    place = nfc(place.strip())
    return f"{place}, {when}" if place else when[0].upper() + when[1:]


def reference(number: str | None, symbol: str) -> str:
    """Number and symbol (box 3): "Số: 05/KH-THCSNTB"; a blank number leaves room to write it."""
    text = str(number).strip() if number is not None else ""
    if text.isdigit() and int(text) < 10:
        text = f"{int(text):02d}"
    symbol = "".join(nfc(symbol).split())
    if not text:
        return f"Số:{BLANK_NUMBER}/{symbol}"
    return f"Số: {text}/{symbol}" if symbol else f"Số: {text}"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in nfc(text).split("\n") if line.strip()]


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
    set_fonts(paragraph_rpr(paragraph), m.page_number_pt)
    add_page_field(paragraph, size=m.page_number_pt)
    first = section.first_page_header
    first.is_linked_to_previous = False
    set_fonts(paragraph_rpr(first.paragraphs[0]), m.small_pt)
    for footer in (section.footer, section.first_page_footer):
        footer.is_linked_to_previous = False
        set_fonts(paragraph_rpr(footer.paragraphs[0]), m.small_pt)


def _add_qr(section: Section, doc: OfficialDocument, m: _Metrics) -> None:
    """The look-up QR at the bottom right of page 1, with its caption to the left."""
    if doc.qr_png is None:
        return
    footer = section.first_page_footer
    widths = (m.text_width_cm - m.qr_cm - 0.4, m.qr_cm + 0.4)
    table = footer.add_table(rows=1, cols=2, width=Cm(sum(widths)))
    set_table_layout(table, widths)
    borderless(table)
    caption_cell, image_cell = table.rows[0].cells
    caption_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if doc.qr_caption:
        for line in _lines(doc.qr_caption):
            add_text(
                caption_cell, line, size=m.small_pt, italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT
            )
        drop_initial_paragraph(caption_cell)
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
    set_page(
        section,
        width_cm=m.width_cm,
        height_cm=m.height_cm,
        top_cm=m.top_cm,
        bottom_cm=m.bottom_cm,
        left_cm=m.left_cm,
        right_cm=m.right_cm,
        edge_distance_cm=m.edge_distance_cm,
        landscape=doc.landscape,
    )
    _add_page_number(section, m)
    if doc.side_signatures is None:  # otherwise the look-up QR goes beside the signatures
        _add_qr(section, doc, m)


def _add_header_block(document: DocxDocument, doc: OfficialDocument, m: _Metrics) -> None:
    """Boxes 1–4 and, for a công văn, 5b: a borderless 2×2 table."""
    header = doc.header
    left_cm, right_cm = m.header_cols_cm
    inner_left = left_cm - 2 * _CELL_MARGIN_CM
    inner_right = right_cm - 2 * _CELL_MARGIN_CM
    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    set_table_layout(table, m.header_cols_cm, indent_cm=m.header_indent_cm)
    borderless(table)
    cell_margins(table, _CELL_MARGIN_CM)
    bodies, nation = table.rows[0].cells
    number_cell, date_cell = table.rows[1].cells

    for line in _unit_lines(header.parent_body, size_pt=m.org_pt, width_cm=inner_left, bold=False):
        add_text(bodies, line, size=m.org_pt)
    issuer_lines = _unit_lines(header.issuer, size_pt=m.org_pt, width_cm=inner_left, bold=True)
    for line in issuer_lines:
        add_text(bodies, line, size=m.org_pt, bold=True)
    longest = (
        max((len(line) for line in issuer_lines), default=0) * _BOLD_UPPER_CM_PER_PT * m.org_pt
    )
    # Phụ lục I: a rule 1/3 to 1/2 the length of the issuer's line.
    add_rule(bodies, width_cm=max(min(longest, inner_left) * 0.4, 1.5), available_cm=inner_left)
    drop_initial_paragraph(bodies)

    add_text(nation, NATIONAL_TITLE, size=m.national_pt, bold=True)
    add_text(nation, MOTTO, size=m.motto_pt, bold=True)
    add_rule(nation, width_cm=_MOTTO_CM_PER_PT * m.motto_pt, available_cm=inner_right)
    drop_initial_paragraph(nation)

    add_text(number_cell, reference(header.number, header.symbol), size=m.number_pt, before_pt=6)
    if not doc.doc_type:
        # Box 5b: a công văn's summary sits under its number, after "V/v".
        for index, line in enumerate(_lines(doc.summary)):
            prefix = "V/v " if index == 0 and not line.lower().startswith("v/v") else ""
            add_text(number_cell, prefix + line, size=m.org_pt, before_pt=2 if index == 0 else 0)
    drop_initial_paragraph(number_cell)
    add_text(
        date_cell, date_line(header.place, header.date), size=m.date_pt, italic=True, before_pt=6
    )
    drop_initial_paragraph(date_cell)


def _add_title(document: DocxDocument, doc: OfficialDocument, m: _Metrics) -> None:
    """Box 5a: type name, then the summary in bold, then a short rule."""
    space = m.title_space_pt * _COMPACT_TITLE_SPACE if doc.compact else m.title_space_pt
    add_text(document, doc.doc_type.upper(), size=m.type_pt, bold=True, before_pt=space)
    lines = _lines(doc.summary)
    for line in lines:
        add_text(document, line, size=m.type_pt, bold=True)
    if lines:
        longest = max(len(line) for line in lines) * _BOLD_MIXED_CM_PER_PT * m.type_pt
        add_rule(
            document,
            width_cm=max(min(longest, m.text_width_cm) / 3, 2.0),
            available_cm=m.text_width_cm,
            before_pt=2,
            after_pt=space * 2 / 3,
        )


def _add_kinh_gui(document: DocxDocument, doc: OfficialDocument, m: _Metrics) -> None:
    """The address block: "Kính gửi: X" centred for one addressee, a hanging list for several."""
    addressees = [line for item in doc.kinh_gui for line in _lines(item)]
    if not addressees:
        return
    before = m.title_space_pt if not doc.doc_type else 0
    if len(addressees) == 1:
        paragraph = add_paragraph(
            document, size=m.body_pt, align=WD_ALIGN_PARAGRAPH.CENTER, before_pt=before, after_pt=12
        )
        add_run(paragraph, f"Kính gửi: {addressees[0]}", size=m.body_pt)
        return
    label_cm = m.text_width_cm * 0.2
    items_cm = label_cm + 2.4 * m.body_pt / 14
    for index, addressee in enumerate(addressees):
        last = index == len(addressees) - 1
        paragraph = add_paragraph(
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
            add_run(paragraph, "Kính gửi:\t", size=m.body_pt)
        add_run(paragraph, item, size=m.body_pt)


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


def _add_body_paragraph(
    document: DocxDocument, item: Paragraph, doc: OfficialDocument, m: _Metrics
) -> None:
    align, indent, bold, italic, keep = _STYLE_FORMAT[item.style]
    for line in _lines(item.text):
        text = line
        if item.style == "heading1":
            text = line.upper()
        elif item.style == "bullet" and not line.startswith(("-", "–", "+", "•")):
            text = f"- {line}"
        # Compact: single-spaced, 2 pt apart, a point smaller: a slip keeps to one A5 page.
        size = m.compact_pt if doc.compact else m.body_pt
        paragraph = add_paragraph(
            document,
            size=size,
            align=align,
            first_line_cm=m.first_line_cm if indent else 0,
            before_pt=6 if item.style == "heading1" else 0,
            after_pt=_COMPACT_AFTER_PT if doc.compact else 6,
            line_spacing=1.0 if doc.compact else 1.15,
            keep_with_next=keep,
        )
        add_run(paragraph, text, size=size, bold=bold, italic=italic)


def _set_run_text(run: BaseOxmlElement, text: str) -> None:
    """`text` into a copied run whose only text is one `w:t` (a stripped line, so no spaces to
    preserve); python-docx's own setter, for tabs and the like, is 7 times slower."""
    texts = run.findall(qn("w:t"))
    if text and text == text.strip() and len(texts) == 1 and not any(c in text for c in "\t\r"):
        texts[0].text = text
    else:
        run.text = text


def _add_body_table(
    document: DocxDocument, item: Table, doc: OfficialDocument, m: _Metrics
) -> None:
    """A bordered table with a repeated header row.

    python-docx makes the header row and one body paragraph of each alignment; every body row is
    then a copy of those lxml elements with its own text. Going through python-docx cell by cell
    cost ~18 ms a row (a 1,000-row tracking book took 18 s to build before LibreOffice even saw
    it); the copies are the same XML (tests/test_official_docs.py compares the two)."""
    columns = len(item.columns)
    size = doc.table_pt or m.table_pt
    padding = _COMPACT_CELL_PT if doc.compact else 2
    widths = item.widths_cm or [m.text_width_cm / columns] * columns
    table = document.add_table(rows=1, cols=columns)
    grid_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_table_layout(table, widths)
    cell_margins(table, _CELL_MARGIN_CM)
    header = table.rows[0]
    cells = header.cells
    for cell in cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    # A body row: the header's cells (widths, vertical centring) without their paragraphs.
    blank_row = copy.deepcopy(header._tr)
    for tc in blank_row.tc_lst:
        for paragraph in tc.p_lst:
            tc.remove(paragraph)

    def body_line(align: WD_ALIGN_PARAGRAPH) -> BaseOxmlElement:
        made = add_text(cells[0], "-", size=size, align=align, before_pt=padding, after_pt=padding)
        cells[0]._tc.remove(made._p)
        return made._p

    # Numbers, percentages and dates are centred; text reads from the left.
    lines_by_shortness = {
        True: body_line(WD_ALIGN_PARAGRAPH.CENTER),
        False: body_line(WD_ALIGN_PARAGRAPH.LEFT),
    }
    repeat_header_row(header)
    for cell, value in zip(cells, item.columns, strict=True):
        for line in _lines(value) or [""]:
            add_text(cell, line, size=size, bold=True, before_pt=padding, after_pt=padding)
        drop_initial_paragraph(cell)
    tbl = table._tbl
    for values in item.rows:
        row = copy.deepcopy(blank_row)
        for tc, value in zip(row.tc_lst, values, strict=True):
            line_template = lines_by_shortness[not any(c.isalpha() for c in value)]
            for line in _lines(value) or [""]:
                paragraph = copy.deepcopy(line_template)
                _set_run_text(paragraph.r_lst[0], line)
                tc.append(paragraph)
        tbl.append(row)
    if doc.keep_rows_whole:  # a row split over two pages is hard to read and to sign
        cant_split(table)
    add_paragraph(document, size=_COMPACT_CELL_PT * 2 if doc.compact else 6)


# The space to sign under a sealed signature: the seal at real size (86 pt, about 30 mm, as
# `cchc.documents.signing` draws it) plus a little air above and below.
SEAL_ROOM_CM = 3.1


def _add_closing(document: DocxDocument, doc: OfficialDocument, m: _Metrics) -> None:
    """Boxes 7 and 9: "Nơi nhận" on the left, the signature block on the right."""
    if doc.signature is None and not doc.recipients:
        return
    add_paragraph(document, size=m.body_pt, after_pt=0)
    table = document.add_table(rows=1, cols=2)
    set_table_layout(table, m.header_cols_cm, indent_cm=m.header_indent_cm)
    borderless(table)
    cell_margins(table, _CELL_MARGIN_CM)
    cant_split(table)
    recipients_cell, signature_cell = table.rows[0].cells

    if doc.recipients:
        add_text(
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
                add_text(recipients_cell, item, size=m.recipients_pt, align=WD_ALIGN_PARAGRAPH.LEFT)
        drop_initial_paragraph(recipients_cell)

    signature = doc.signature
    if signature is not None:
        gap_cm = max(m.signature_gap_cm, SEAL_ROOM_CM) if signature.sealed else m.signature_gap_cm
        for line in [*_lines(signature.authority), *_lines(signature.title)]:
            add_text(signature_cell, line.upper(), size=m.signature_pt, bold=True)
        gap = add_paragraph(signature_cell, size=m.signature_pt, align=WD_ALIGN_PARAGRAPH.CENTER)
        gap.paragraph_format.space_before = Cm(gap_cm * 0.4)
        gap.paragraph_format.space_after = Cm(gap_cm * 0.6)
        if signature.note:
            # "(Ký và ghi rõ họ tên)" sits under the title: the whole gap stays below it, room
            # for the signer's image between that line and the name (domain.md 6.2).
            gap.paragraph_format.space_before = Cm(0)
            gap.paragraph_format.space_after = Cm(gap_cm)
            add_run(gap, signature.note, size=m.signature_pt, italic=True)
        add_text(signature_cell, signature.name, size=m.signature_pt, bold=True)
        for paragraph in signature_cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True
        drop_initial_paragraph(signature_cell)


# Side-by-side signatures (forms 01 and 03): smaller than box 7, so that two fit across an A5
# page with the QR codes beside them. With more than one code every code is a little smaller,
# so that the signatures keep their room and the receipt its one A5 page (a phone still reads
# 1.5 cm).
_SIDE_PT = 10.5
_SIDE_GAP_CM = 1.6
_SIDE_SPACER_PT = 4
_SIDE_CODE = (2.0, 0.3, 8.0)  # QR width, padding beside it (cm), caption size (pt)
_SIDE_SMALL_CODE = (1.5, 0.15, 7.0)


def _add_side_signatures(
    document: DocxDocument,
    doc: OfficialDocument,
    signatures: tuple[SignatureBlock, SignatureBlock],
    m: _Metrics,
) -> None:
    """Submitter left, officer right, and the QR codes beside them, kept together on a page."""
    codes = [QrCode(doc.qr_png, doc.qr_caption)] if doc.qr_png else []
    codes += doc.side_codes
    code_cm, pad_cm, caption_pt = _SIDE_CODE if len(codes) < 2 else _SIDE_SMALL_CODE
    side_cm = (m.text_width_cm - len(codes) * (code_cm + pad_cm)) / 2
    widths = [side_cm, side_cm] + [code_cm + pad_cm] * len(codes)

    spacer = document.add_paragraph()
    spacer.paragraph_format.space_after = Pt(0)
    spacer.paragraph_format.line_spacing = Pt(_SIDE_SPACER_PT)
    spacer.paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_table_layout(table, widths)
    borderless(table)
    cell_margins(table, _CELL_MARGIN_CM)
    cant_split(table)
    cells = table.rows[0].cells
    for cell, signature in zip(cells, signatures, strict=False):
        for line in (signature.authority, signature.title):
            if line.strip():
                line = line.strip().upper()
                words = line.split()
                if len(codes) > 1 and len(words) > 2:  # narrow: two lines each, names aligned
                    line = " ".join(words[:-2]) + "\n" + " ".join(words[-2:])
                add_text(cell, line, size=_SIDE_PT, bold=True)
        if signature.note.strip():
            add_text(cell, signature.note.strip(), size=_SIDE_PT, italic=True)
        name = add_text(cell, signature.name.strip(), size=_SIDE_PT, bold=True)
        name.paragraph_format.space_before = Cm(_SIDE_GAP_CM)
    for cell, code in zip(cells[2:], codes, strict=True):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        picture = add_paragraph(cell, size=caption_pt, align=WD_ALIGN_PARAGRAPH.CENTER)
        try:
            picture.add_run().add_picture(io.BytesIO(code.png), width=Cm(code_cm))
        except UnrecognizedImageError as exc:
            raise OfficialDocError("Ảnh mã QR không hợp lệ: cần một tệp ảnh PNG.") from exc
        for line in _lines(code.caption):
            add_text(cell, line, size=caption_pt, italic=True)
    for cell in cells:
        drop_initial_paragraph(cell)


def _validate(doc: OfficialDocument) -> _Metrics:
    metrics = _METRICS.get(doc.page_size)
    if metrics is None:
        raise OfficialDocError(f"Khổ giấy không được hỗ trợ: {doc.page_size!r} (chỉ A4 hoặc A5).")
    if doc.landscape:
        if doc.page_size != "A4":
            raise OfficialDocError("Chỉ in ngang được trên khổ A4.")
        metrics = _A4_LANDSCAPE
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
    setup_styles(document, m.body_pt)
    _setup_section(document, doc, m)
    properties = document.core_properties
    properties.title = nfc(" ".join([doc.doc_type, *_lines(doc.summary)]).strip())
    properties.author = nfc(doc.header.issuer)
    properties.language = LANGUAGE

    if doc.extra_header_right:
        add_text(
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
        add_paragraph(document, size=m.body_pt, after_pt=6)
    _add_kinh_gui(document, doc, m)
    for item in doc.body:
        if isinstance(item, Table):
            _add_body_table(document, item, doc, m)
        else:
            _add_body_paragraph(document, item, doc, m)
    _add_closing(document, doc, m)
    if doc.side_signatures is not None:
        _add_side_signatures(document, doc, doc.side_signatures, m)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
