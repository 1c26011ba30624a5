"""The tracking book (Sổ theo dõi hồ sơ, Mẫu 07 of Circular 03/2025; Mẫu 06 of Circular 01/2018)
as one spreadsheet: the XLSX the office downloads and edits is also what is printed.

One template for the book (design.md): the workbook carries the heading a printed book needs (the
parent body and the unit, the national motto, "SỔ THEO DÕI HỒ SƠ", the year; Times New Roman)
and Calc's page setup (A4 landscape fitted to the page width, the column headers repeated on
every page, "Trang x/y" in the footer, wrapped text in ruled cells). The PDF is that workbook
printed by LibreOffice Calc (`xlsx_to_pdf`), and Excel prints the downloaded file the same way.
Writer needed ~8 CPU-seconds to lay out a 1,000-row DOCX table; Calc prints the same book in
about one (bench/papers.py).

The sheet stays usable as data: one row per dossier under a single filter row (autofilter, frozen
panes), dates as real dates, the entry number a number. The desk's own columns (new date after an
apology, status, on time, the 2018 form's number of sets and the date the result came back) sit to
the right of the form's columns, outside the print area, so the printed book is exactly the form.

Pure functions, no Django: the caller (cchc.dossiers.exports) maps its models onto `BookRow`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from cchc.core.official_docs import date_line, reference
from cchc.core.spreadsheets import workbook_bytes
from cchc.core.timezones import VN
from cchc.dossiers.papers import NUMBER_CODES, TITLES, UnitInfo

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

FONT = "Times New Roman"
SHEET_TITLE = "Sổ theo dõi hồ sơ"
FORM = "07"
EXCEL_DATETIME = "dd/mm/yyyy hh:mm"
RECEIPT_GROUP = "Nhận và trả kết quả"

#: The columns of Mẫu 07 of Circular 03/2025 (domain-2025.md section 4) and the book's notes:
#: what is printed. Columns 7–11 sit under the form's group heading "Nhận và trả kết quả".
BOOK_COLUMNS = (
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Tên tổ chức, cá nhân",
    "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết",
    "Nhận hồ sơ",
    "Hẹn trả kết quả",
    "Trả kết quả",
    "Phương thức nhận kết quả",
    "Ký nhận",
    "Ghi chú",
)
_GROUP = (7, 11)  # first and last column (1-based) under RECEIPT_GROUP
#: What the desk adds beside the form (not printed): the 2018 book's number of sets (the
#: procedure's) and the dates of transfer to the processing body and of its result coming back
#: (domain.md 1.5; Mẫu 07 of 2025 dropped them), the apology's new date, the status and whether
#: the dossier was on time.
DESK_COLUMNS = (
    "Số bộ hồ sơ",
    "Chuyển bộ phận giải quyết",
    "Nhận kết quả từ bộ phận giải quyết",
    "Hẹn lại (văn bản xin lỗi)",
    "Trạng thái",
    "Đúng hạn?",
)
HEADERS = (*BOOK_COLUMNS, *DESK_COLUMNS)
# In character widths; the page is fitted to the A4 width, so only the proportions print.
_WIDTHS = (5, 25, 28, 18, 21, 19, 16, 16, 16, 12, 10, 15, 8, 16, 16, 16, 15, 14)
_DATE_COLUMNS = (7, 8, 9, 14, 15, 16)
_HEADING_ROWS = 5  # unit and motto (3 rows), title, year; then the two header rows
_SIZE_PT = 10
# Row heights are set here: neither Calc's import nor its print grows a row to its wrapped text
# (the lines would overprint), so each row gets the height of its tallest cell, measured with
# Liberation Serif (metric-compatible with Times New Roman, what Calc prints with).
_SERIF = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
_LINE_PT = 11.6  # one line of 10 pt Times New Roman in Calc
_PAD_PT = 2.5  # above and below the text of a cell
# A column `w` characters wide (digits of the 10 pt Normal font, 5 pt each) leaves this much for
# text; Excel draws columns a little wider than Calc, so Calc's width is the safe one.
_DIGIT_PT = 5.0
_CELL_MARGIN_PT = 4.0


@dataclass(frozen=True)
class BookRow:
    """One line of the book; a missing datetime is an empty cell."""

    entry: int | None
    code: str
    procedure_name: str
    applicant_name: str
    applicant_contact: str
    lead_body: str
    received_at: datetime | None
    due_at: datetime | None
    returned_at: datetime | None = None
    delivery: str = ""  # Phương thức nhận kết quả
    note: str = ""
    sets: int | None = None
    transferred_at: datetime | None = None
    result_at: datetime | None = None
    new_due_at: datetime | None = None
    status: str = ""
    on_time: str = ""


def _excel_time(moment: datetime | None) -> datetime | None:
    """A real Excel date-time in Vietnam wall time (Excel has no time zones); a naive value is
    taken to be Vietnam time already."""
    if moment is None:
        return None
    return moment.astimezone(VN).replace(tzinfo=None) if moment.tzinfo else moment


def _values(row: BookRow) -> list[object]:
    return [
        row.entry,
        row.code,
        row.procedure_name,
        row.applicant_name,
        row.applicant_contact,
        row.lead_body,
        _excel_time(row.received_at),
        _excel_time(row.due_at),
        _excel_time(row.returned_at),
        row.delivery,
        None,  # signed by the citizen on the printed book
        row.note,
        row.sets,
        _excel_time(row.transferred_at),
        _excel_time(row.result_at),
        _excel_time(row.new_due_at),
        row.status,
        row.on_time,
    ]


@functools.cache
def _font() -> FreeTypeFont | None:
    from PIL import ImageFont

    try:
        return ImageFont.truetype(str(_SERIF), 100)
    except OSError:  # no fonts-liberation2: an average width is close enough
        return None


@functools.cache
def _char_pt(char: str) -> float:
    """A character's advance at 10 pt."""
    font = _font()
    if font is None:
        return 0.5 * _SIZE_PT
    return font.getlength(char) * _SIZE_PT / 100


def _line_count(text: str, width_pt: float) -> int:
    """How many lines `text` wraps to in a column `width_pt` wide (at word boundaries, a word
    longer than the line broken where it overflows, as Calc does)."""
    space = _char_pt(" ")
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split():
            size = sum(_char_pt(char) for char in word)
            if used and used + space + size <= width_pt:
                used += space + size
                continue
            if used:
                lines += 1
            while size > width_pt:  # broken inside the word
                lines += 1
                size -= width_pt
            used = size
    return lines


def _row_height(values: Sequence[object], widths_pt: Sequence[float]) -> float:
    """The height the tallest text cell of a printed column needs."""
    lines = max(
        (
            _line_count(value, width)
            for value, width in zip(values, widths_pt, strict=False)
            if isinstance(value, str) and value
        ),
        default=1,
    )
    return round(lines * _LINE_PT + _PAD_PT, 1)


def _styles(book: Workbook) -> None:
    """Named styles, so that each of the thousands of cells takes one style, not four parts."""
    thin = Side(style="thin")
    ruled = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name=FONT, size=_SIZE_PT)
    top = Alignment(wrap_text=True, vertical="top")
    centred = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for style in (
        NamedStyle("book_text", font=font, border=ruled, alignment=top),
        NamedStyle("book_date", font=font, border=ruled, alignment=top,
                   number_format=EXCEL_DATETIME),
        NamedStyle("book_entry", font=font, border=ruled, number_format="00",
                   alignment=Alignment(horizontal="center", vertical="top")),
        NamedStyle("book_head", font=Font(name=FONT, size=_SIZE_PT, bold=True), border=ruled,
                   alignment=centred),
    ):  # fmt: skip
        book.add_named_style(style)


def _line(sheet: Worksheet, row: int, first: int, last: int, text: str, font: Font,
          *, height: float | None = None) -> None:  # fmt: skip
    """A centred line of the heading across columns `first`..`last`."""
    sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = sheet.cell(row=row, column=first, value=text)
    cell.font = font
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if height is not None:
        sheet.row_dimensions[row].height = height


def _heading(sheet: Worksheet, unit: UnitInfo, year: int, issued_on: date) -> None:
    """The Decree 30 header (boxes 1–4) and the title, in merged cells above the table."""
    left, right = (1, 5), (7, len(BOOK_COLUMNS))
    regular, bold = Font(name=FONT, size=12), Font(name=FONT, size=12, bold=True)
    # The unit's name may need two lines in its box: merged cells do not grow by themselves.
    lines = max(1, math.ceil(len(unit.name) / 48))
    _line(sheet, 1, *left, unit.parent_name.upper(), regular, height=17)
    _line(sheet, 1, *right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold)
    _line(sheet, 2, *left, unit.name.upper(), bold, height=17 * lines)
    _line(sheet, 2, *right, "Độc lập - Tự do - Hạnh phúc", bold)
    symbol = f"{NUMBER_CODES[FORM]}-{unit.symbol}" if unit.symbol else NUMBER_CODES[FORM]
    _line(sheet, 3, *left, reference(None, symbol), Font(name=FONT, size=12), height=20)
    _line(sheet, 3, *right, date_line(unit.place, issued_on), Font(name=FONT, size=12,
                                                                    italic=True))  # fmt: skip
    _line(sheet, 4, 1, len(BOOK_COLUMNS), TITLES[FORM], Font(name=FONT, size=14, bold=True),
          height=30)  # fmt: skip
    _line(sheet, 5, 1, len(BOOK_COLUMNS), f"Năm {year}", bold, height=20)


def _column_headers(sheet: Worksheet) -> int:
    """Two header rows: the form's group "Nhận và trả kết quả" over its five columns, every
    other title in a cell two rows high. Returns the lower row (the filter row)."""
    upper, lower = _HEADING_ROWS + 1, _HEADING_ROWS + 2
    for column, title in enumerate(HEADERS, start=1):
        grouped = _GROUP[0] <= column <= _GROUP[1]
        sheet.cell(row=upper, column=column).style = "book_head"
        sheet.cell(row=lower, column=column, value=title if grouped else None).style = "book_head"
        if not grouped:
            sheet.cell(row=upper, column=column, value=title)
            sheet.merge_cells(start_row=upper, start_column=column, end_row=lower,
                              end_column=column)  # fmt: skip
    sheet.cell(row=upper, column=_GROUP[0], value=RECEIPT_GROUP)
    sheet.merge_cells(start_row=upper, start_column=_GROUP[0], end_row=upper,
                      end_column=_GROUP[1])  # fmt: skip
    # Two lines under the group ("Phương thức nhận kết quả"): rows do not grow by themselves.
    sheet.row_dimensions[upper].height = 18
    sheet.row_dimensions[lower].height = 2 * _LINE_PT + _PAD_PT + 2
    return lower


def _page_setup(sheet: Worksheet, header_rows: tuple[int, int], last_row: int) -> None:
    """A4 landscape, as wide as the page, the headers on every page, "Trang x/y" below."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages as the rows need
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    margins = sheet.page_margins
    margins.left, margins.right, margins.top, margins.bottom = 0.6, 0.4, 0.5, 0.6
    margins.header, margins.footer = 0.25, 0.3
    sheet.print_title_rows = f"{header_rows[0]}:{header_rows[1]}"
    sheet.print_area = f"A1:{get_column_letter(len(BOOK_COLUMNS))}{last_row}"
    sheet.oddHeader.right.text = f"Mẫu số {FORM}"
    sheet.oddHeader.right.font = f"{FONT},Italic"
    sheet.oddHeader.right.size = 10
    sheet.oddFooter.center.text = "Trang &P/&N"
    sheet.oddFooter.center.font = FONT
    sheet.oddFooter.center.size = 10


def _column_style(column: int) -> str:
    if column == 1:
        return "book_entry"
    return "book_date" if column in _DATE_COLUMNS else "book_text"


def workbook(
    unit: UnitInfo, rows: Sequence[BookRow], *, year: int, issued_on: date | None = None
) -> bytes:
    """The book as XLSX bytes, every row, in the order given (book order)."""
    book = Workbook()
    # Times New Roman 10 as the Normal style: column widths are counted in its digits.
    normal = Font(name=FONT, size=_SIZE_PT)
    book._fonts = IndexedList([normal])
    book._named_styles["Normal"].font = normal
    _styles(book)
    sheet = book.active
    sheet.title = SHEET_TITLE
    _heading(sheet, unit, year, issued_on or datetime.now(VN).date())
    filter_row = _column_headers(sheet)
    # Each cell made with its style's array (one named-style lookup per column, not per cell)
    # and appended as a row: about a third faster than `sheet.cell(...).style = name`.
    arrays = []
    for column in range(1, len(HEADERS) + 1):
        template = Cell(sheet)
        template.style = _column_style(column)
        arrays.append(template._style)
    widths_pt = [width * _DIGIT_PT - _CELL_MARGIN_PT for width in _WIDTHS]
    number = filter_row
    for row in rows:
        number += 1
        values = _values(row)
        pairs = zip(values, arrays, strict=True)
        sheet.append([Cell(sheet, value=value, style_array=array) for value, array in pairs])
        sheet.row_dimensions[number].height = _row_height(values, widths_pt)
    last = number
    for index, width in enumerate(_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"C{filter_row + 1}"
    sheet.auto_filter.ref = f"A{filter_row}:{get_column_letter(len(HEADERS))}{last}"
    _page_setup(sheet, (filter_row - 1, filter_row), last)
    return workbook_bytes(book)
