"""The body-table builder copies lxml elements instead of going cell by cell through python-docx
(a 1,000-row book took 18 s that way); the XML must be exactly what python-docx wrote."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx.document import Document as DocxDocument
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH

from cchc.core.official_docs import Paragraph, Table, build_docx, layout
from cchc.core.official_docs.ooxml import (
    add_paragraph,
    add_text,
    cant_split,
    cell_margins,
    drop_initial_paragraph,
    grid_borders,
    repeat_header_row,
    set_table_layout,
)
from cchc.core.tests.test_official_docs import plan_document


def python_docx_table(
    document: DocxDocument, item: Table, doc: layout.OfficialDocument, m: layout._Metrics
) -> None:
    """The builder as it was: python-docx's API for every cell (with today's borders)."""
    columns = len(item.columns)
    size = doc.table_pt or m.table_pt
    padding = layout._COMPACT_CELL_PT if doc.compact else 2
    widths = item.widths_cm or [m.text_width_cm / columns] * columns
    table = document.add_table(rows=1 + len(item.rows), cols=columns)
    grid_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_table_layout(table, widths)
    cell_margins(table, layout._CELL_MARGIN_CM)
    repeat_header_row(table.rows[0])
    for row_index, values in enumerate([item.columns, *item.rows]):
        is_header = row_index == 0
        for cell, value in zip(table.rows[row_index].cells, values, strict=True):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            short = not any(character.isalpha() for character in value)
            for line in layout._lines(value) or [""]:
                add_text(
                    cell,
                    line,
                    size=size,
                    bold=is_header,
                    align=WD_ALIGN_PARAGRAPH.CENTER
                    if is_header or short
                    else WD_ALIGN_PARAGRAPH.LEFT,
                    before_pt=padding,
                    after_pt=padding,
                )
            drop_initial_paragraph(cell)
    if doc.keep_rows_whole:
        cant_split(table)
    add_paragraph(document, size=layout._COMPACT_CELL_PT * 2 if doc.compact else 6)


def document_xml(docx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return archive.read("word/document.xml")


ROWS = [
    ["1", "Hồ sơ giải quyết đúng hạn", "100%", "Đặng Thị Mỹ Hạnh"],
    ["2", "", "≥ 95%", "Nguyễn Văn Lực\n0912 345 678"],
    ["03", "Tab\tgiữa chữ", "  ", "Hai dòng\n\ncó dòng trống giữa"],
    ["", "Chữ dựng sẵn NFD: Nguyê\u0303n", "12/01/2026\n08 giờ 30 phút", "x"],
]


@pytest.mark.parametrize("compact", [False, True])
@pytest.mark.parametrize("keep_rows_whole", [False, True])
def test_copied_rows_are_the_xml_python_docx_writes(
    monkeypatch: pytest.MonkeyPatch, compact: bool, keep_rows_whole: bool
) -> None:
    base = plan_document(tasks=1)
    doc = layout.replace(
        base,
        body=[
            Paragraph("Bảng chỉ tiêu"),
            Table(columns=["STT", "Chỉ tiêu", "Giá trị", "Người phụ trách"], rows=ROWS),
        ],
        compact=compact,
        keep_rows_whole=keep_rows_whole,
    )

    fast = document_xml(build_docx(doc))
    monkeypatch.setattr(layout, "_add_body_table", python_docx_table)
    reference = document_xml(build_docx(doc))

    assert b"Nguy\xc3\xaa\xcc\x83n" not in fast  # NFC, as python-docx's path wrote it
    assert fast == reference
