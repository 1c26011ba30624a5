"""The tracking book is one spreadsheet: the XLSX the office edits is the book that is printed.

Its PDF is Calc's print of the workbook, so it is not laid out as the old Writer book was; instead
of comparing text line for line, the PDF is read back (pdftotext) and every row must be found, in
book order, with its entry number, code, applicant and dates on the row's line, on pages that each
repeat the column headers and carry their page number.
"""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from cchc.core.official_docs import converter, xlsx_to_pdf
from cchc.dossiers import book_sheet
from cchc.dossiers.tests.paper_reading import require_tools
from cchc.dossiers.tests.test_papers import UNIT, utc

LONG_NAME = (
    "Xét, duyệt chính sách hỗ trợ đối với học sinh trung học cơ sở ở xã, thôn đặc biệt khó khăn"
)


def rows(count: int) -> list[book_sheet.BookRow]:
    """Rows of one to four lines, blank times, long and short names, notes now and then."""
    names = ("Chuyển trường đối với học sinh trung học cơ sở", LONG_NAME, "Cấp bản sao")
    start = utc(2026, 1, 5, 1, 30)
    return [
        book_sheet.BookRow(
            entry=n,
            code=f"000.31.41.H29-2601{n % 28 + 1:02d}-{n:04d}",
            procedure_name=names[n % 3],
            applicant_name=("Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc")[n % 3],
            applicant_contact="12 đường Nguyễn Văn Linh, ấp 2, 0912345678" if n % 2 else "",
            lead_body="Trường THCS Nguyễn Thái Bình",
            received_at=start + timedelta(days=n, minutes=n),
            due_at=start + timedelta(days=n + 5),
            returned_at=start + timedelta(days=n + 4) if n % 4 else None,
            delivery="Trực tiếp" if n % 2 else "Dịch vụ bưu chính",
            note="Bổ sung học bạ của năm học trước, bản sao có chứng thực" if n % 7 == 0 else "",
            sets=1,
            status="Đã trả kết quả",
            on_time="Đúng hạn",
        )
        for n in range(1, count + 1)
    ]


def local(moment: datetime | None) -> str:
    return book_sheet._excel_time(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def test_the_workbook_carries_the_printed_books_heading_and_page_setup() -> None:
    content = book_sheet.workbook(UNIT, rows(401), year=2026, issued_on=date(2026, 12, 31))
    sheet = load_workbook(io.BytesIO(content)).active
    texts = [c.value for row in sheet.iter_rows(max_row=5) for c in row if c.value]

    assert texts == [
        "ỦY BAN NHÂN DÂN XÃ BÌNH HƯNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "TRƯỜNG TRUNG HỌC CƠ SỞ NGUYỄN THÁI BÌNH",
        "Độc lập - Tự do - Hạnh phúc",
        "Số:      /STD-THCSNTB",
        "Bình Hưng, ngày 31 tháng 12 năm 2026",
        "SỔ THEO DÕI HỒ SƠ",
        "Năm 2026",
    ]
    assert sheet["A1"].font.name == "Times New Roman"
    assert sheet["G6"].value == "Nhận và trả kết quả"
    assert [sheet.cell(7, c).value for c in range(7, 12)] == list(book_sheet.BOOK_COLUMNS[6:11])
    # No cap: every row, the last one too, as data (a number, a real date).
    assert sheet.max_row == 7 + 401
    assert sheet["A408"].value == 401
    assert sheet["A408"].number_format == "00"
    assert sheet["G8"].is_date
    assert sheet["G8"].value == datetime(2026, 1, 6, 8, 31)
    assert sheet.auto_filter.ref == "A7:R408"
    assert sheet.freeze_panes == "C8"
    # A4 landscape, one page wide, the two header rows on every page, only the form's columns.
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$6:$7"
    assert str(sheet.print_area) == "'Sổ theo dõi hồ sơ'!$A$1:$L$408"
    assert sheet.oddFooter.center.text == "Trang &P/&N"
    # A row grows to its longest wrapped text (Calc would overprint the lines otherwise).
    assert sheet.row_dimensions[8].height > sheet.row_dimensions[9].height  # the long name


def test_a_row_height_counts_wrapped_lines() -> None:
    assert book_sheet._line_count("", 100) == 1
    assert book_sheet._line_count("An", 100) == 1
    assert book_sheet._line_count("An\nBình", 100) == 2
    assert book_sheet._line_count(LONG_NAME, 135) == 3
    assert book_sheet._line_count("x" * 200, 100) >= 5  # a word longer than the line breaks


def pdf_pages(pdf: bytes) -> list[str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        text = subprocess.run(  # noqa: S603
            ["pdftotext", "-layout", handle.name, "-"],  # noqa: S607
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
    return text.split("\f")[:-1]


def test_the_printed_book_keeps_every_row_in_order_across_pages(settings, pdf_server) -> None:
    require_tools()
    settings.PDF_SERVER = pdf_server
    settings.PDF_STORE_DIR = ""
    book = rows(150)
    warm_before = converter.stats.warm

    pages = pdf_pages(xlsx_to_pdf(book_sheet.workbook(UNIT, book, year=2026)))

    assert converter.stats.warm == warm_before + 1  # the warm Calc printed it, no cold fallback
    assert len(pages) >= 4
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pages[0]
    assert "Độc lập - Tự do - Hạnh phúc" in pages[0]
    assert "SỔ THEO DÕI HỒ SƠ" in pages[0]
    assert "Năm 2026" in pages[0]
    for number, page in enumerate(pages, start=1):
        assert "Mã hồ sơ" in page, number  # the headers repeat on every page
        assert "Nhận và trả kết quả" in page, number
        assert f"Trang {number}/{len(pages)}" in page, number
    text = "\n".join(pages)
    position = 0
    for row in book:
        # The row's first line: entry, code, applicant and the three dates, in that order.
        line = re.compile(
            rf"^ *{row.entry:02d} +{re.escape(row.code)} .*{re.escape(row.applicant_name)} .*"
            rf"{local(row.received_at)} +{local(row.due_at)} +{local(row.returned_at)}",
            re.MULTILINE,
        )
        found = line.search(text, position)
        assert found, f"row {row.entry} missing or out of order after:\n{text[position:][:2000]}"
        assert text.count(row.code) == 1, row.entry  # printed once: not split, not repeated
        position = found.end()


@pytest.mark.parametrize("data", [b"not a zip", b"PK\x05\x06" + b"\0" * 18])
def test_what_is_not_a_spreadsheet_is_refused_in_vietnamese(data: bytes) -> None:
    from cchc.core.official_docs import OfficialDocError

    with pytest.raises(OfficialDocError, match="XLSX"):
        xlsx_to_pdf(data)


def test_a_very_long_book_gets_a_calc_of_its_own(settings, pdf_server, monkeypatch) -> None:
    """Beyond ~4,000 rows the book would hold the warm converter for seconds: receipts must not
    queue behind it, so it is printed by a LibreOffice started for it (the cold path)."""
    require_tools()
    settings.PDF_SERVER = pdf_server
    settings.PDF_STORE_DIR = ""
    monkeypatch.setattr(converter, "_OWN_PROCESS_ABOVE_SHEET_BYTES", 1)
    warm_before, cold_before = converter.stats.warm, converter.stats.cold

    pages = pdf_pages(xlsx_to_pdf(book_sheet.workbook(UNIT, rows(3), year=2026)))

    assert (converter.stats.warm, converter.stats.cold) == (warm_before, cold_before + 1)
    assert "000.31.41.H29-260104-0003" in pages[-1]


@pytest.mark.django_db
def test_a_book_the_converter_cannot_print_in_time_is_a_clear_503(
    settings, clerk, principal, transfer
) -> None:
    from django.urls import reverse

    from cchc.dossiers.tests.factories import receive_dossier
    from tests.fixtures import client_for

    require_tools()
    receive_dossier(clerk, transfer)
    settings.PDF_SERVER = ""  # a LibreOffice of its own, given no time at all
    settings.PDF_STORE_DIR = ""
    settings.PDF_TIMEOUT = 0.01

    response = client_for(principal).get(reverse("dossiers:book") + "?xuat=pdf")

    assert response.status_code == 503
    assert "LibreOffice không chuyển xong văn bản sang PDF" in response.content.decode()


@pytest.mark.django_db
def test_the_communes_book_is_dated_at_its_own_place_like_the_schools(
    commune, school, settings, tmp_path
) -> None:
    """Box 4: the commune's place is in its own name, a school's in its commune's."""
    from cchc.dossiers import exports
    from cchc.dossiers.models import Dossier

    settings.PDF_STORE_DIR = tmp_path
    commune.name = "Ủy ban nhân dân xã Bình Hưng"
    commune.save()
    school.refresh_from_db()
    for unit in (commune, school):
        xlsx, _, _ = exports.tracking_book(
            Dossier.objects.none(), "xlsx", unit, show_personal=False
        )
        heading = load_workbook(io.BytesIO(xlsx)).active.cell(row=3, column=7).value
        assert re.fullmatch(r"Bình Hưng, ngày \d\d tháng \d\d năm \d{4}", heading), heading
