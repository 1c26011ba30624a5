"""The one writer of XLSX and CSV exports: user text always lands as text, never as a formula.

A citizen can type `=HYPERLINK("https://…"&B2,"Xem")` as their name in the online form; written
into a spreadsheet as is, openpyxl stores it as a live formula and the clerk who opens the book
runs it. Spreadsheet programs also read `+`, `-`, `@`, a tab or a carriage return at the start of
a CSV cell as the start of a formula (OWASP "CSV injection"). So:

- XLSX: every string is written as a string cell (never a formula) and a risky one also gets
  Excel's "quote prefix" flag, so editing the cell in Excel or LibreOffice keeps it text. The
  value itself is unchanged, so an exported catalogue still imports back the same.
- CSV: a risky string is prefixed with an apostrophe, the convention spreadsheet programs honour.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value: Any) -> bool:
    """True for a string a spreadsheet program could take as a formula."""
    return isinstance(value, str) and value.startswith(RISKY_STARTS)


def make_text(cell: Any) -> None:
    """Force a cell that holds a string to be plain text (no formula, quote-prefixed if risky)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if is_risky(cell.value):
            cell.quotePrefix = True


def append_row(sheet: Worksheet, values: Sequence[Any]) -> None:
    """`sheet.append(values)` with every string cell made plain text."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        make_text(cell)


def neutralise_sheet(sheet: Worksheet) -> None:
    """Make every string cell of a finished sheet plain text (for code that fills cells itself)."""
    for row in sheet.iter_rows():
        for cell in row:
            make_text(cell)


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as XLSX bytes, after a last pass over every sheet."""
    for sheet in book.worksheets:
        neutralise_sheet(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_cell(value: Any) -> Any:
    return f"'{value}" if is_risky(value) else value


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel reads Vietnamese right), risky text quoted."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
