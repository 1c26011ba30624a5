"""Official papers: the Decree 30/2020 DOCX builder and the LibreOffice PDF conversion.

The PDF tests run real LibreOffice and poppler (CI installs libreoffice-writer-nogui,
fonts-liberation2 and poppler-utils); they fail, not skip, when those are missing.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
import segno
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm

from cchc.core.official_docs import (
    OfficialDocError,
    OfficialDocument,
    OfficialHeader,
    Paragraph,
    QrCode,
    SignatureBlock,
    Table,
    build_docx,
    date_line,
    docx_to_pdf,
    libreoffice_available,
    reference,
)
from cchc.core.official_docs.pdf import cold_docx_to_pdf

FONT = "Times New Roman"
LOOKUP_URL = "https://cchc.example.vn/tra-cuu/000.00.01.H29-260305-0001"
INSTALL = "apt-get install libreoffice-writer-nogui fonts-liberation2 poppler-utils"


# --- sample papers ------------------------------------------------------------------------------


def school_header(
    *, number: str | None = "5", on: date | None = date(2026, 3, 5)
) -> OfficialHeader:
    return OfficialHeader(
        parent_body="Ủy ban nhân dân xã Bình Hưng",
        issuer="Trường Trung học cơ sở Nguyễn Thái Bình",
        number=number,
        symbol="KH-THCSNTB",
        place="Bình Hưng",
        date=on,
    )


def plan_document(*, tasks: int = 3) -> OfficialDocument:
    body: list[Paragraph | Table] = [
        Paragraph(
            "Căn cứ Kế hoạch số 211/KH-UBND ngày 19 tháng 01 năm 2026 của Ủy ban nhân dân xã "
            "Bình Hưng về thực hiện công tác cải cách hành chính trên địa bàn xã năm 2026;"
        ),
        Paragraph("I. Mục đích, yêu cầu", "heading1"),
        Paragraph("1. Mục đích", "heading2"),
        Paragraph(
            "Nâng cao kỹ năng, lẫn trách nhiệm của đội ngũ trong cải cách hành chính.\n"
            "Phát huy sáng kiến, cách làm hay của viên chức, người lao động.",
            "bullet",
        ),
        Paragraph("1.1. Tăng cường trách nhiệm người đứng đầu", "heading3"),
        Paragraph("Mức độ hài lòng của người dân đạt 95% trở lên; xử lý dứt điểm phản ánh."),
        Table(
            columns=["STT", "Chỉ tiêu", "Giá trị", "Người phụ trách"],
            rows=[
                ["1", "Hồ sơ giải quyết đúng hạn", "100%", "Đặng Thị Mỹ Hạnh"],
                ["2", "Mức độ hài lòng của người dân", "≥ 95%", "Nguyễn Văn Lực"],
            ],
            widths_cm=[1.2, 8.3, 2.5, 4.5],
        ),
    ]
    for number in range(2, 2 + tasks):
        body.append(Paragraph(f"{number}. Nhiệm vụ trọng tâm số {number}", "heading2"))
        body.append(
            Paragraph(
                "Thường xuyên rà soát, cập nhật niêm yết công khai thủ tục hành chính thuộc thẩm "
                "quyền giải quyết của cơ quan về lĩnh vực giáo dục trên Cổng thông tin điện tử; "
                "phân công công việc rõ ràng, phù hợp với chức năng, nhiệm vụ từng viên chức.",
                "bullet",
            )
        )
    return OfficialDocument(
        header=school_header(),
        doc_type="Kế hoạch",
        summary="Thực hiện công tác cải cách hành chính năm 2026\n"
        "tại trường Trung học cơ sở Nguyễn Thái Bình",
        body=body,
        signature=SignatureBlock(
            authority="KT. Hiệu trưởng",
            title="Phó Hiệu trưởng",
            name="Nguyễn Thị Thanh Trang",
            note="(Đã ký)",
        ),
        recipients=["UBND xã Bình Hưng (để báo cáo);", "Viên chức;", "Lưu: VT."],
    )


def qr_png() -> bytes:
    buffer = io.BytesIO()
    segno.make(LOOKUP_URL).save(buffer, kind="png", scale=4)
    return buffer.getvalue()


def receipt_slip() -> OfficialDocument:
    return OfficialDocument(
        header=OfficialHeader(
            parent_body="ỦY BAN NHÂN DÂN XÃ BÌNH HƯNG",
            issuer="TRƯỜNG TRUNG HỌC CƠ SỞ NGUYỄN THÁI BÌNH",
            number=None,
            symbol="PTN-THCSNTB",
            place="Bình Hưng",
            date=None,
        ),
        doc_type="GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        summary="Mã hồ sơ: 000.00.01.H29-260305-0001",
        body=[
            Paragraph("Tiếp nhận hồ sơ của: Bà Phạm Thị Ngọc Ánh", "plain"),
            Table(["TT", "Tên giấy tờ", "Số bản"], [["1", "Đơn xin chuyển trường", "01"]]),
            Paragraph("Thời gian trả kết quả: 14 giờ 00 phút, ngày 10/3/2026", "plain"),
        ],
        signature=SignatureBlock(title="Người tiếp nhận", name="Lê Văn Hùng"),
        recipients=[],
        page_size="A5",
        qr_png=qr_png(),
        qr_caption="Quét mã để tra cứu hồ sơ",
        extra_header_right="Mẫu số 01",
    )


# --- helpers ------------------------------------------------------------------------------------


def open_docx(data: bytes):
    return Document(io.BytesIO(data))


def xml_parts(document) -> list:
    """The root elements of the main document, its headers and its footers."""
    names = ("/word/document.xml", "/word/header", "/word/footer")
    return [
        part.element
        for part in document.part.package.iter_parts()
        if str(part.partname).startswith(names)
    ]


def paragraph_texts(document) -> list[str]:
    texts = []
    for root in xml_parts(document):
        for paragraph in root.iter(qn("w:p")):
            text = "".join(node.text or "" for node in paragraph.iter(qn("w:t")))
            if text:
                texts.append(text)
    return texts


def centimetres(*lengths) -> tuple[float, ...]:
    """Lengths in cm to 0.01 cm (DOCX stores page geometry in twips)."""
    return tuple(round(length.cm, 2) for length in lengths)


def require_tools() -> None:
    assert libreoffice_available(), f"LibreOffice is required for the PDF tests: {INSTALL}"
    for tool in ("pdftotext", "pdffonts", "pdfimages", "pdfinfo"):
        assert shutil.which(tool), f"{tool} is required for the PDF tests: {INSTALL}"


def run_tool(*args: str) -> str:
    result = subprocess.run(args, check=True, capture_output=True, text=True, timeout=30)  # noqa: S603
    return result.stdout


def pdf_text(pdf_path: Path, *, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return run_tool("pdftotext", "-layout", *pages, str(pdf_path), "-")


def zip_without_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "xin chào")
    return buffer.getvalue()


def broken_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def plan_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_tools()
    path = tmp_path_factory.mktemp("official_docs") / "ke-hoach.pdf"
    path.write_bytes(docx_to_pdf(build_docx(plan_document(tasks=12))))
    return path


# --- formatting rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 1, 1), "Bình Hưng, ngày 01 tháng 01 năm 2026"),
        (date(2026, 3, 5), "Bình Hưng, ngày 05 tháng 3 năm 2026"),
        (date(2026, 1, 19), "Bình Hưng, ngày 19 tháng 01 năm 2026"),
        (date(2026, 2, 9), "Bình Hưng, ngày 09 tháng 02 năm 2026"),
        (date(2025, 12, 10), "Bình Hưng, ngày 10 tháng 12 năm 2025"),
        (None, "Bình Hưng, ngày … tháng … năm …"),
    ],
)
def test_date_line_pads_days_and_first_two_months(on: date | None, expected: str) -> None:
    assert date_line("Bình Hưng", on) == expected


def test_date_line_without_place_starts_with_capital() -> None:
    assert date_line("", date(2026, 3, 5)) == "Ngày 05 tháng 3 năm 2026"


@pytest.mark.parametrize(
    ("number", "symbol", "expected"),
    [
        ("5", "KH-THCSNTB", "Số: 05/KH-THCSNTB"),
        ("05", "KH-THCSNTB", "Số: 05/KH-THCSNTB"),
        ("211", "KH-UBND", "Số: 211/KH-UBND"),
        ("012", "CT-UBND", "Số: 012/CT-UBND"),
        ("10", "BC-THCSNTB", "Số: 10/BC-THCSNTB"),
        (None, "KH-THCSNTB", "Số:      /KH-THCSNTB"),
        ("  ", "KH-THCSNTB", "Số:      /KH-THCSNTB"),
        ("6", "KH- UBND", "Số: 06/KH-UBND"),
    ],
)
def test_reference_zero_pads_and_leaves_blank_for_hand_numbering(
    number: str | None, symbol: str, expected: str
) -> None:
    assert reference(number, symbol) == expected


# --- DOCX ---------------------------------------------------------------------------------------


def test_plan_docx_contains_every_part_of_the_layout() -> None:
    document = open_docx(build_docx(plan_document()))

    texts = paragraph_texts(document)
    for expected in [
        "ỦY BAN NHÂN DÂN XÃ BÌNH HƯNG",
        "TRƯỜNG TRUNG HỌC CƠ SỞ",
        "NGUYỄN THÁI BÌNH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/KH-THCSNTB",
        "Bình Hưng, ngày 05 tháng 3 năm 2026",
        "KẾ HOẠCH",
        "Thực hiện công tác cải cách hành chính năm 2026",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "- Nâng cao kỹ năng, lẫn trách nhiệm của đội ngũ trong cải cách hành chính.",
        "- Phát huy sáng kiến, cách làm hay của viên chức, người lao động.",
        "KT. HIỆU TRƯỞNG",
        "PHÓ HIỆU TRƯỞNG",
        "(Đã ký)",
        "Nguyễn Thị Thanh Trang",
        "Nơi nhận:",
        "- Lưu: VT.",
    ]:
        assert expected in texts, expected
    header_table, body_table, closing_table = document.tables
    assert header_table.rows[1].cells[0].text == "Số: 05/KH-THCSNTB"
    assert [cell.text for cell in body_table.rows[0].cells] == [
        "STT",
        "Chỉ tiêu",
        "Giá trị",
        "Người phụ trách",
    ]
    assert body_table.rows[2].cells[3].text == "Nguyễn Văn Lực"
    # Table Grid's thin lines, written on the table (LibreOffice converts that faster).
    borders = body_table._tbl.tblPr.find(qn("w:tblBorders"))
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = borders.find(qn(f"w:{edge}"))
        assert (line.get(qn("w:val")), line.get(qn("w:sz"))) == ("single", "4"), edge
    assert closing_table.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:"
    assert closing_table.rows[0].cells[1].paragraphs[-1].text == "Nguyễn Thị Thanh Trang"


def test_every_run_is_times_new_roman_in_all_four_slots() -> None:
    document = open_docx(build_docx(plan_document()))

    runs = [run for root in xml_parts(document) for run in root.iter(qn("w:r"))]
    assert len(runs) > 40
    for run in runs:
        fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts is not None
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            assert fonts.get(qn(f"w:{slot}")) == FONT
    for paragraph in document.paragraphs:
        assert all(run.font.name == FONT for run in paragraph.runs)
    normal = document.styles["Normal"]
    assert normal.font.name == FONT
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == FONT


def test_a4_page_margins_and_page_numbers_from_page_two() -> None:
    document = open_docx(build_docx(plan_document()))

    section = document.sections[0]
    assert centimetres(section.page_width, section.page_height) == (21, 29.7)
    assert centimetres(section.top_margin, section.bottom_margin) == (2, 2)
    assert centimetres(section.left_margin, section.right_margin) == (3, 1.5)
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml


def test_body_paragraphs_are_justified_with_first_line_indent_and_spacing() -> None:
    document = open_docx(build_docx(plan_document()))

    paragraph = next(p for p in document.paragraphs if p.text.startswith("Căn cứ"))
    fmt = paragraph.paragraph_format
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert Cm(1) <= fmt.first_line_indent <= Cm(1.27)
    assert fmt.space_after.pt >= 6
    assert 1 <= fmt.line_spacing <= 1.5
    assert paragraph.runs[0].font.size.pt in (13, 14)


def test_cong_van_puts_summary_under_the_number_and_addresses_kinh_gui() -> None:
    letter = OfficialDocument(
        header=school_header(number=None, on=None),
        doc_type="",
        summary="báo cáo kết quả cải cách hành chính quý I năm 2026",
        body=[Paragraph("Thực hiện Kế hoạch số 211/KH-UBND, nhà trường báo cáo như sau: …")],
        signature=SignatureBlock(title="Hiệu trưởng", name="Trần Quốc Dũng"),
        recipients=["Như trên;", "Lưu: VT."],
        kinh_gui=["Ủy ban nhân dân xã Bình Hưng."],
    )

    document = open_docx(build_docx(letter))

    number_cell = document.tables[0].rows[1].cells[0]
    assert [p.text for p in number_cell.paragraphs] == [
        "Số:      /KH-THCSNTB",
        "V/v báo cáo kết quả cải cách hành chính quý I năm 2026",
    ]
    texts = paragraph_texts(document)
    assert "Kính gửi: Ủy ban nhân dân xã Bình Hưng." in texts
    assert "Bình Hưng, ngày … tháng … năm …" in texts
    assert "HIỆU TRƯỞNG" in texts


def test_decomposed_unicode_input_is_stored_composed() -> None:
    doc = plan_document()
    doc.signature = SignatureBlock(
        title="Hiệu trưởng", name="Nguye\u0302\u0303n Thi\u0323 Thanh Trang"
    )

    texts = paragraph_texts(open_docx(build_docx(doc)))

    assert "Nguyễn Thị Thanh Trang" in texts


def test_a5_slip_places_the_qr_image_on_page_one() -> None:
    slip = receipt_slip()

    document = open_docx(build_docx(slip))

    section = document.sections[0]
    assert centimetres(section.page_width, section.page_height) == (14.8, 21)
    footer = section.first_page_footer
    assert footer._element.findall(f".//{qn('w:drawing')}")
    images = [
        part.blob for part in document.part.package.iter_parts() if part.content_type == "image/png"
    ]
    assert images == [slip.qr_png]
    assert "Quét mã để tra cứu hồ sơ" in footer._element.xml
    assert document.paragraphs[0].text == "Mẫu số 01"
    assert document.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"body": [Table(["A", "B"], [["1"]])]}, "dòng 1: có 1 ô, cần 2 ô"),
        ({"body": [Table(["A", "B"], [["1", "2"]], widths_cm=[3.0])]}, "độ rộng cột"),
        ({"body": [Table([], [])]}, "không có cột"),
        ({"body": [Paragraph("x", "title")]}, "kiểu trình bày"),  # type: ignore[arg-type]
        ({"page_size": "A3"}, "Khổ giấy"),
        ({"qr_png": b"not a png"}, "mã QR"),
    ],
)
def test_bad_input_is_refused_with_a_vietnamese_message(change: dict, message: str) -> None:
    doc = plan_document()
    for name, value in change.items():
        setattr(doc, name, value)

    with pytest.raises(OfficialDocError, match=message):
        build_docx(doc)


# --- options for the one-stop papers ------------------------------------------------------------


def side_signed_slip(**changes) -> OfficialDocument:
    doc = receipt_slip()
    doc.signature = None
    doc.side_signatures = (
        SignatureBlock(title="Người nộp hồ sơ", note="(Ký và ghi rõ họ tên)", name="Phạm Thị Ánh"),
        SignatureBlock(title="Người tiếp nhận hồ sơ", note="(Ký và ghi rõ họ tên)", name="Lê Hùng"),
    )
    for name, value in changes.items():
        setattr(doc, name, value)
    return doc


def test_side_signatures_take_the_qr_codes_beside_them_out_of_the_footer() -> None:
    doc = side_signed_slip(side_codes=(QrCode(qr_png(), "Đánh giá mức độ hài lòng"),))

    document = open_docx(build_docx(doc))
    last = document.tables[-1]
    cells = [cell.text for cell in last.rows[0].cells]

    assert len(cells) == 4  # submitter, officer, the look-up code, the other code
    # Narrow beside two codes: each title on two lines, so that the names stay level.
    assert cells[0].splitlines() == ["NGƯỜI NỘP", "HỒ SƠ", "(Ký và ghi rõ họ tên)", "Phạm Thị Ánh"]
    assert cells[1].splitlines() == [
        "NGƯỜI TIẾP NHẬN",
        "HỒ SƠ",
        "(Ký và ghi rõ họ tên)",
        "Lê Hùng",
    ]
    assert [cell.strip() for cell in cells[2:]] == [
        "Quét mã để tra cứu hồ sơ",
        "Đánh giá mức độ hài lòng",
    ]
    assert len(last._tbl.findall(f".//{qn('w:drawing')}")) == 2
    footer = document.sections[0].first_page_footer
    assert footer.tables == []  # the look-up code is no longer in the page-1 footer
    assert last.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


def test_landscape_turns_an_a4_page_and_is_refused_on_a5() -> None:
    doc = plan_document()
    doc.landscape = True

    section = open_docx(build_docx(doc)).sections[0]

    assert centimetres(section.page_width, section.page_height) == (29.7, 21.0)
    assert section.orientation == 1  # WD_ORIENT.LANDSCAPE
    doc.page_size = "A5"
    with pytest.raises(OfficialDocError, match="Chỉ in ngang được trên khổ A4"):
        build_docx(doc)


def test_compact_sets_body_lines_single_spaced_and_rows_whole() -> None:
    plain, compact = side_signed_slip(), side_signed_slip(compact=True, keep_rows_whole=True)

    def first_body_line(doc: OfficialDocument):
        document = open_docx(build_docx(doc))
        paragraph = next(p for p in document.paragraphs if p.text.startswith("Tiếp nhận hồ sơ"))
        return paragraph, document.tables[1]

    loose, loose_table = first_body_line(plain)
    tight, tight_table = first_body_line(compact)

    assert (loose.paragraph_format.line_spacing, loose.runs[0].font.size.pt) == (1.15, 12)
    assert (tight.paragraph_format.line_spacing, tight.runs[0].font.size.pt) == (1.0, 11)
    assert tight.paragraph_format.space_after.pt == 0
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in tight_table.rows)
    assert loose_table.rows[1]._tr.trPr is None or (
        loose_table.rows[1]._tr.trPr.find(qn("w:cantSplit")) is None
    )


# --- PDF ----------------------------------------------------------------------------------------


def test_pdf_has_vietnamese_text_with_diacritics(plan_pdf: Path) -> None:
    assert plan_pdf.read_bytes().startswith(b"%PDF")
    text = pdf_text(plan_pdf, page=1)

    for expected in [
        "ỦY BAN NHÂN DÂN XÃ BÌNH HƯNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/KH-THCSNTB",
        "Bình Hưng, ngày 05 tháng 3 năm 2026",
        "KẾ HOẠCH",
        "lẫn trách nhiệm",
        "Đặng Thị Mỹ Hạnh",
    ]:
        assert expected in text, expected
    # The national title stays on one line: no wrap inside its 9.5 cm column.
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in line for line in text.splitlines())
    assert "Nguyễn Thị Thanh Trang" in pdf_text(plan_pdf)


def test_pdf_embeds_liberation_serif(plan_pdf: Path) -> None:
    fonts = run_tool("pdffonts", str(plan_pdf)).splitlines()[2:]

    names = {line.split()[0].split("+")[-1] for line in fonts}
    assert {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"} <= names
    assert all(line.split()[-5] == "yes" for line in fonts), "every font must be embedded"


def test_pdf_numbers_pages_from_two_in_the_top_margin(plan_pdf: Path) -> None:
    first_page = pdf_text(plan_pdf, page=1).strip().splitlines()
    second_page = pdf_text(plan_pdf, page=2).strip().splitlines()

    assert first_page[0].split()[0] != "1"
    assert second_page[0].strip() == "2"


def test_a5_slip_pdf_shows_the_qr_image() -> None:
    require_tools()

    pdf = docx_to_pdf(build_docx(receipt_slip()))

    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        path = Path(handle.name)
        images = run_tool("pdfimages", "-list", str(path)).splitlines()[2:]
        text = pdf_text(path)
        info = run_tool("pdfinfo", str(path))
    assert len(images) == 1
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert "Mẫu số 01" in text
    assert "Số:" in text
    assert "/PTN-THCSNTB" in text
    page_size = next(line for line in info.splitlines() if line.startswith("Page size:"))
    width, _, height = page_size.split()[2:5]
    assert (round(float(width)), round(float(height))) == (420, 595)  # A5 in points


def test_two_conversions_at_once_do_not_block_each_other() -> None:
    require_tools()
    data = build_docx(plan_document())

    with ThreadPoolExecutor(max_workers=2) as pool:
        pdfs = list(pool.map(lambda _: docx_to_pdf(data), range(2)))

    assert all(pdf.startswith(b"%PDF") for pdf in pdfs)


def leftovers(directory: Path) -> list[str]:
    return [name for name in os.listdir(directory) if name.startswith("cchc-")]


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point tempfile at an empty directory so anything left behind shows up."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a docx", "không phải tệp DOCX"),
        (b"", "không phải tệp DOCX"),
        (zip_without_document(), "thiếu word/document.xml"),
    ],
)
def test_not_a_docx_is_refused_in_vietnamese(private_tmp: Path, data: bytes, message: str) -> None:
    require_tools()

    with pytest.raises(OfficialDocError, match=message):
        docx_to_pdf(data)

    assert leftovers(private_tmp) == []


def test_libreoffice_failure_is_reported_and_cleaned_up(private_tmp: Path) -> None:
    require_tools()

    with pytest.raises(OfficialDocError, match="LibreOffice không chuyển được văn bản sang PDF"):
        docx_to_pdf(broken_docx())

    assert leftovers(private_tmp) == []


def test_missing_libreoffice_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")

    assert not libreoffice_available()
    with pytest.raises(OfficialDocError, match="Không tìm thấy LibreOffice"):
        cold_docx_to_pdf(build_docx(plan_document()))


def test_hung_libreoffice_is_killed_at_the_timeout(
    private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = private_tmp / "bin"
    bin_dir.mkdir()
    pid_file = private_tmp / "soffice.pid"
    fake = bin_dir / "soffice"
    fake.write_text(f"#!/bin/sh\necho $$ > {pid_file}\nexec /bin/sleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))

    started = time.perf_counter()
    with pytest.raises(OfficialDocError, match="trong 1 giây"):
        cold_docx_to_pdf(build_docx(plan_document()), timeout=1)

    assert time.perf_counter() - started < 10
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)
    assert leftovers(private_tmp) == []
