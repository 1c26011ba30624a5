"""Low-level OOXML helpers under the Decree 30/2020 builder in :mod:`.layout`.

python-docx covers only part of WordprocessingML, and its defaults (theme fonts, Word's cell
margins) are not what an official paper needs. These helpers write the XML directly, always in
schema order (Word rejects out-of-order children): fonts on runs and paragraph marks, paragraphs
and short rules, fixed table layout, borders and cell margins, the PAGE field, document
defaults and page geometry. They know nothing of the paper's layout: every size comes from the
caller.

The helpers are public to the package: :mod:`.layout` composes the paper from them.
"""

from __future__ import annotations

import unicodedata

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Cm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

FONT = "Times New Roman"
LANGUAGE = "vi-VN"


_Container = DocxDocument | _Cell


# Child order of the WordprocessingML complex types we touch (ECMA-376 part 1, 17.3 and 17.4):
# Word rejects out-of-order children as "unreadable content" even where LibreOffice does not.
def _tags(names: str) -> tuple[str, ...]:
    return tuple(f"w:{name}" for name in names.split())


_PPR_ORDER = _tags(
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers"
    " pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct"
    " autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing"
    " mirrorIndents suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl"
    " divId cnfStyle rPr sectPr pPrChange"
)
_RPR_ORDER = _tags(
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint"
    " noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u"
    " effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
)
_TBLPR_ORDER = _tags(
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc"
    " tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption"
    " tblDescription tblPrChange"
)


def _child(parent: BaseOxmlElement, tag: str, order: tuple[str, ...]) -> BaseOxmlElement:
    """The `tag` child of `parent`, created in its schema position if missing."""
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        successors = {qn(name) for name in order[order.index(tag) + 1 :]}
        following = next((child for child in parent if child.tag in successors), None)
        if following is None:
            parent.append(element)
        else:
            following.addprevious(element)
    return element


def paragraph_rpr(paragraph: DocxParagraph) -> BaseOxmlElement:
    """The paragraph mark's run properties (they set the height of an empty line)."""
    return _child(paragraph._p.get_or_add_pPr(), "w:rPr", _PPR_ORDER)


# --- text and paragraphs ------------------------------------------------------------------------


def nfc(text: str) -> str:
    """NFC, so NFD-composed input (macOS, some web forms) renders and searches like typed text."""
    return unicodedata.normalize("NFC", text)


def set_fonts(rpr: BaseOxmlElement, size_pt: float | None = None) -> None:
    """Times New Roman for all four script slots, so no theme font is ever used."""
    rfonts = _child(rpr, "w:rFonts", _RPR_ORDER)
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        rfonts.attrib.pop(qn(f"w:{attribute}"), None)
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{slot}"), FONT)
    if size_pt is not None:
        half_points = str(round(size_pt * 2))
        for tag in ("w:sz", "w:szCs"):
            _child(rpr, tag, _RPR_ORDER).set(qn("w:val"), half_points)


def add_run(
    paragraph: DocxParagraph,
    text: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
) -> Run:
    run = paragraph.add_run(nfc(text))
    run.font.name = FONT
    run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if italic:
        run.font.italic = True
    set_fonts(run._r.get_or_add_rPr(), size)
    return run


def add_paragraph(
    container: _Container,
    *,
    size: float,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT,
    first_line_cm: float = 0,
    left_cm: float = 0,
    before_pt: float = 0,
    after_pt: float = 0,
    line_spacing: float = 1.0,
    keep_with_next: bool = False,
) -> DocxParagraph:
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(before_pt)
    fmt.space_after = Pt(after_pt)
    fmt.line_spacing = line_spacing
    if first_line_cm:
        fmt.first_line_indent = Cm(first_line_cm)
    if left_cm:
        fmt.left_indent = Cm(left_cm)
    if keep_with_next:
        fmt.keep_with_next = True
    fmt.widow_control = True
    # The paragraph mark's font sets the height of an empty line; keep it Times too.
    set_fonts(paragraph_rpr(paragraph), size)
    return paragraph


def add_text(
    container: _Container,
    text: str,
    *,
    size: float,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    before_pt: float = 0,
    after_pt: float = 0,
) -> DocxParagraph:
    paragraph = add_paragraph(
        container, size=size, align=align, before_pt=before_pt, after_pt=after_pt
    )
    add_run(paragraph, text, size=size, bold=bold, italic=italic)
    return paragraph


def add_rule(
    container: _Container,
    *,
    width_cm: float,
    available_cm: float,
    before_pt: float = 0,
    after_pt: float = 0,
) -> None:
    """A short centred horizontal rule: an empty 1 pt paragraph with a bottom border."""
    paragraph = add_paragraph(
        container, size=1, align=WD_ALIGN_PARAGRAPH.CENTER, before_pt=before_pt, after_pt=after_pt
    )
    width_cm = min(width_cm, available_cm)
    side = max((available_cm - width_cm) / 2, 0)
    fmt = paragraph.paragraph_format
    fmt.left_indent = Cm(side)
    fmt.right_indent = Cm(side)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(1)
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    _child(paragraph._p.get_or_add_pPr(), "w:pBdr", _PPR_ORDER).append(bottom)


# --- tables -------------------------------------------------------------------------------------


def set_table_layout(
    table: DocxTable, widths_cm: list[float] | tuple[float, ...], *, indent_cm: float = 0
) -> None:
    """Fixed column widths (grid, cells and table) so Word and LibreOffice agree."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    width = _child(tbl_pr, "w:tblW", _TBLPR_ORDER)
    width.set(qn("w:w"), str(Cm(sum(widths_cm)).twips))
    width.set(qn("w:type"), "dxa")
    indent = _child(tbl_pr, "w:tblInd", _TBLPR_ORDER)
    indent.set(qn("w:w"), str(Cm(indent_cm).twips))
    indent.set(qn("w:type"), "dxa")
    for index, column in enumerate(table.columns):
        column.width = Cm(widths_cm[index])
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            cell.width = Cm(widths_cm[index])


def borderless(table: DocxTable) -> None:
    borders = _child(table._tbl.tblPr, "w:tblBorders", _TBLPR_ORDER)
    order = _tags("top left bottom right insideH insideV")
    for edge in order:
        _child(borders, edge, order).set(qn("w:val"), "nil")


def grid_borders(table: DocxTable) -> None:
    """Thin single lines around and between all cells: Word's "Table Grid" look, written on the
    table itself. LibreOffice's DOCX import resolves a table style for every cell, which made a
    1,000-row book take 40 % longer to convert than the same borders set directly."""
    borders = _child(table._tbl.tblPr, "w:tblBorders", _TBLPR_ORDER)
    order = _tags("top left bottom right insideH insideV")
    for edge in order:
        element = _child(borders, edge, order)
        for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "auto")):
            element.set(qn(f"w:{key}"), value)


def cell_margins(table: DocxTable, margin_cm: float) -> None:
    """Left and right cell margins (Word's default 0.19 cm wraps "STT" in a 1.2 cm column)."""
    margins = _child(table._tbl.tblPr, "w:tblCellMar", _TBLPR_ORDER)
    order = _tags("top left bottom right")
    for edge in ("w:left", "w:right"):
        element = _child(margins, edge, order)
        element.set(qn("w:w"), str(Cm(margin_cm).twips))
        element.set(qn("w:type"), "dxa")


def cant_split(table: DocxTable) -> None:
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))


def drop_initial_paragraph(cell: _Cell) -> None:
    """A new cell holds one empty paragraph; remove it once the cell has real content."""
    paragraphs = cell.paragraphs
    if len(paragraphs) > 1 and not paragraphs[0].runs:
        cell._tc.remove(paragraphs[0]._p)


def repeat_header_row(row: _Row) -> None:
    """Repeat ``row`` at the top of every page the table runs onto."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


# --- document and page --------------------------------------------------------------------------


def setup_styles(document: DocxDocument, body_pt: float) -> None:
    """Times New Roman and Vietnamese in the document defaults and the styles we use."""
    styles_element = document.styles.element
    defaults = styles_element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            set_fonts(rpr, body_pt)
            lang = rpr.find(qn("w:lang"))
            if lang is not None:
                lang.set(qn("w:val"), LANGUAGE)
        spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
        if spacing is not None:
            spacing.set(qn("w:after"), "0")
            spacing.set(qn("w:line"), "240")
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(body_pt)
    set_fonts(normal.element.get_or_add_rPr(), body_pt)
    for name in ("Header", "Footer", "Table Grid"):
        style = document.styles[name]
        set_fonts(style.element.get_or_add_rPr())


def add_page_field(paragraph: DocxParagraph, *, size: float) -> None:
    """A PAGE field showing the current page number ("2" until Word or LibreOffice updates it)."""
    for kind, text in (
        ("begin", ""),
        ("instr", " PAGE "),
        ("separate", ""),
        ("result", "2"),
        ("end", ""),
    ):
        run = add_run(paragraph, text if kind == "result" else "", size=size)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind != "result":
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)


def set_page(
    section: Section,
    *,
    width_cm: float,
    height_cm: float,
    top_cm: float,
    bottom_cm: float,
    left_cm: float,
    right_cm: float,
    edge_distance_cm: float,
    landscape: bool = False,
) -> None:
    """Page size, orientation and margins; header and footer ``edge_distance_cm`` from the edge.

    ``width_cm`` is the width as the page is read (29.7 for A4 landscape)."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width = Cm(width_cm)
    section.page_height = Cm(height_cm)
    section.top_margin = Cm(top_cm)
    section.bottom_margin = Cm(bottom_cm)
    section.left_margin = Cm(left_cm)
    section.right_margin = Cm(right_cm)
    section.header_distance = Cm(edge_distance_cm)
    section.footer_distance = Cm(edge_distance_cm)
    section.gutter = Cm(0)
