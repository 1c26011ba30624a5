"""Official papers of the one-stop workflow (Circular 03/2025 forms 01–07), read back.

DOCX is read back with python-docx; the PDF tests run real LibreOffice and poppler and fail, not
skip, when those are missing (same rule as cchc/core/tests/test_official_docs.py).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import segno
from docx import Document

from cchc.core.official_docs import OfficialDocument, build_docx
from cchc.dossiers import papers
from cchc.dossiers.papers import (
    ApplicantInfo,
    DocumentLine,
    DossierInfo,
    HandOver,
    UnitInfo,
    render,
)
from cchc.dossiers.tests.paper_reading import (
    A5_POINTS,
    docx_text,
    flat,
    pdf_info,
    require_tools,
    run_tool,
)

CODE = "000.31.41.H29-261128-0001"
LOOKUP_URL = f"https://truong.example/tra-cuu/{CODE}/"
ID_NUMBER = "079085001234"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

UNIT = UnitInfo(
    name="Trường Trung học cơ sở Nguyễn Thái Bình",
    parent_name="Ủy ban nhân dân xã Bình Hưng",
    place="Bình Hưng",
    symbol="THCSNTB",
)
APPLICANT = ApplicantInfo(
    name="Nguyễn Văn An",
    id_number=ID_NUMBER,
    phone="0912345678",
    email="an.nguyen@example.vn",
    address="12 đường Nguyễn Văn Linh, ấp 2, xã Bình Hưng",
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def make_dossier(**changes: object) -> DossierInfo:
    """A transfer dossier received 08:15 on 28/11/2026, due 16:00 on 04/12/2026 (Vietnam time)."""
    values: dict[str, object] = {
        "code": CODE,
        "procedure_name": "Chuyển trường đối với học sinh trung học cơ sở",
        "procedure_code": "1.005074",
        "received_at": utc(2026, 11, 28, 1, 15),
        "due_at": utc(2026, 12, 4, 9, 0),
        "time_limit_text": "05 ngày làm việc",
        "documents": [
            DocumentLine("Đơn xin chuyển trường", originals=1),
            DocumentLine("Học bạ", originals=1),
            DocumentLine("Bản sao giấy khai sinh", copies=2),
        ],
        "sets": 1,
        "applicant": APPLICANT,
        "receiver_name": "Trần Thị Bình",
        "return_place": "Văn phòng Trường THCS Nguyễn Thái Bình",
        "lookup_url": LOOKUP_URL,
        "book_entry": 12,
        "lead_body": "Ban Giám hiệu",
        "coordinating_bodies": "Phòng Văn hóa - Xã hội xã Bình Hưng",
        "handovers": [
            HandOver("Bộ phận tiếp nhận", "Phó Hiệu trưởng", utc(2026, 11, 28, 2, 0), "early"),
            HandOver("Phó Hiệu trưởng", "Hiệu trưởng", utc(2026, 12, 2, 3, 30), "on_time"),
            HandOver("Hiệu trưởng", "Bộ phận trả kết quả", utc(2026, 12, 5, 8, 0), "late", "Chậm"),
        ],
    }
    values.update(changes)
    return DossierInfo(**values)  # type: ignore[arg-type]


DOSSIER = make_dossier()
NEW_DUE = utc(2026, 12, 11, 9, 0)

FORMS: dict[str, Callable[[], OfficialDocument]] = {
    "01": lambda: papers.receipt_slip(UNIT, DOSSIER),
    "02": lambda: papers.supplement_request(
        UNIT,
        DOSSIER,
        items=["Bản sao giấy khai sinh có chứng thực", "Học bạ có xác nhận của trường nơi đi"],
        reason="Hồ sơ thiếu giấy tờ theo quy định",
        contact="cô Trần Thị Bình, số điện thoại 0283 123 4567",
        issued_on=date(2026, 11, 28),
    ),
    "03": lambda: papers.refusal(
        UNIT,
        DOSSIER,
        reason="Học sinh không thuộc địa bàn tuyển sinh của trường",
        issued_on=date(2026, 11, 28),
    ),
    "04": lambda: papers.apology(
        UNIT,
        DOSSIER,
        reason="Trường nơi đi chưa gửi xác nhận học bạ",
        new_due_at=NEW_DUE,
        signer_name="Lê Văn Cường",
        signer_title="Hiệu trưởng",
        issued_on=date(2026, 12, 3),
    ),
    "05": lambda: papers.stop_notice(
        UNIT,
        DOSSIER,
        stage="Thẩm định hồ sơ",
        reason="Người nộp hồ sơ đề nghị dừng giải quyết",
        settlement="Thủ tục không thu phí, lệ phí.",
        issued_on=date(2026, 12, 1),
    ),
    "06": lambda: papers.control_sheet(UNIT, DOSSIER, issued_on=date(2026, 12, 5)),
}


# --- reading back -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_tools()
    return tmp_path_factory.mktemp("papers")


@pytest.fixture(scope="module")
def receipt_pdf(pdf_dir: Path) -> Path:
    path = pdf_dir / "giay-tiep-nhan.pdf"
    path.write_bytes(render(FORMS["01"](), "pdf"))
    return path


@pytest.fixture(scope="module")
def apology_pdf(pdf_dir: Path) -> Path:
    path = pdf_dir / "van-ban-xin-loi.pdf"
    path.write_bytes(render(FORMS["04"](), "pdf"))
    return path


# --- every form -------------------------------------------------------------------------------


@pytest.mark.parametrize("form", sorted(FORMS))
def test_form_carries_code_applicant_dates_and_title(form: str) -> None:
    doc = FORMS[form]()

    text = docx_text(render(doc, "docx"))

    assert CODE in text
    assert APPLICANT.name in text
    assert "28/11/2026" in text
    assert papers.TITLES[form] in flat(text)
    assert f"Mẫu số {form}" in text.splitlines()[0]


@pytest.mark.parametrize("form", sorted(FORMS))
def test_slips_are_a5_portrait(form: str) -> None:
    section = Document(io.BytesIO(render(FORMS[form](), "docx"))).sections[0]

    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (14.8, 21.0)


@pytest.mark.parametrize("form", ["02", "03", "04", "05", "06"])
def test_id_number_is_printed_only_on_the_receipt(form: str) -> None:
    text = docx_text(render(FORMS[form](), "docx"))

    assert ID_NUMBER not in text


def test_header_numbers_carry_the_form_code() -> None:
    assert "/PBS-THCSNTB" in docx_text(render(FORMS["02"](), "docx"))
    assert "/PXL-THCSNTB" in docx_text(render(FORMS["04"](), "docx"))
    assert "Bình Hưng, ngày 03 tháng 12 năm 2026" in docx_text(render(FORMS["04"](), "docx"))


# --- 01 receipt -------------------------------------------------------------------------------


def test_receipt_prints_local_times_documents_and_both_signatures() -> None:
    text = docx_text(render(FORMS["01"](), "docx"))

    assert f"Mã hồ sơ: {CODE}" in text
    assert f"Số định danh cá nhân/tổ chức: {ID_NUMBER}" in text
    assert "Thời gian nhận hồ sơ: 08 giờ 15 phút, ngày 28/11/2026" in text
    assert "Thời gian trả kết quả giải quyết hồ sơ: 16 giờ 00 phút, ngày 04/12/2026" in text
    assert "Thời gian giải quyết hồ sơ theo quy định là: 05 ngày làm việc" in text
    assert "Số lượng hồ sơ: 01 (bộ)" in text
    assert "Đăng ký nhận kết quả tại: Văn phòng Trường THCS Nguyễn Thái Bình" in text
    assert "Vào Sổ theo dõi hồ sơ: Quyển số: 2026, Số thứ tự: 12" in text
    assert "Bình Hưng, ngày 28 tháng 11 năm 2026" in text
    for label in ("Tên giấy tờ", "Bản chính", "Bản sao", "Bản sao giấy khai sinh"):
        assert label in text
    for label in ("NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Trần Thị Bình"):
        assert label in text


def test_receipt_embeds_the_lookup_qr_png_and_caption() -> None:
    document = Document(io.BytesIO(render(FORMS["01"](), "docx")))
    images = [
        part.blob for part in document.part.package.iter_parts() if part.content_type == "image/png"
    ]
    expected = io.BytesIO()
    segno.make(LOOKUP_URL, error="m", micro=False).save(expected, kind="png", scale=8, border=2)

    assert len(document.inline_shapes) == 1
    assert images == [expected.getvalue()]
    assert images[0].startswith(PNG_SIGNATURE)
    assert papers.QR_CAPTION in docx_text(render(FORMS["01"](), "docx"))


def test_receipt_built_without_render_still_opens_with_its_qr() -> None:
    document = Document(io.BytesIO(build_docx(FORMS["01"]())))

    assert any(part.content_type == "image/png" for part in document.part.package.iter_parts())
    assert CODE in docx_text(build_docx(FORMS["01"]()))


def test_naive_datetimes_are_taken_as_vietnam_time() -> None:
    dossier = make_dossier(
        received_at=datetime(2026, 11, 28, 8, 15),
        due_at=datetime(2026, 12, 4, 16, 0),
    )

    text = docx_text(render(papers.receipt_slip(UNIT, dossier), "docx"))

    assert "08 giờ 15 phút, ngày 28/11/2026" in text
    assert "16 giờ 00 phút, ngày 04/12/2026" in text


def test_receipt_after_5pm_utc_is_dated_the_next_local_day() -> None:
    dossier = make_dossier(received_at=utc(2026, 11, 27, 23, 30))

    text = docx_text(render(papers.receipt_slip(UNIT, dossier), "docx"))

    assert "06 giờ 30 phút, ngày 28/11/2026" in text
    assert "ngày 28 tháng 11 năm 2026" in text


def test_receipt_pdf_is_one_a5_page_with_code_dates_and_form_number(receipt_pdf: Path) -> None:
    text = run_tool("pdftotext", "-layout", str(receipt_pdf), "-")

    assert pdf_info(receipt_pdf) == (1, A5_POINTS)
    assert "Mẫu số 01" in text
    assert CODE in text
    assert "08 giờ 15 phút, ngày 28/11/2026" in text
    assert "16 giờ 00 phút, ngày 04/12/2026" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text


def test_receipt_pdf_renders_to_png(receipt_pdf: Path, tmp_path: Path) -> None:
    run_tool(
        "pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", str(receipt_pdf), str(tmp_path / "p")
    )

    (png,) = tmp_path.glob("p*.png")
    assert png.read_bytes().startswith(PNG_SIGNATURE)


# --- 02–05 ------------------------------------------------------------------------------------


def test_supplement_request_lists_items_reason_and_contact() -> None:
    text = docx_text(render(FORMS["02"](), "docx"))

    assert "1. Bản sao giấy khai sinh có chứng thực" in text
    assert "2. Học bạ có xác nhận của trường nơi đi" in text
    assert "Lý do: Hồ sơ thiếu giấy tờ theo quy định" in text
    assert "cô Trần Thị Bình, số điện thoại 0283 123 4567" in text
    assert "NGƯỜI HƯỚNG DẪN" in text


def test_refusal_states_the_reason_with_both_signatures() -> None:
    text = docx_text(render(FORMS["03"](), "docx"))

    assert "- Học sinh không thuộc địa bàn tuyển sinh của trường" in text
    assert "NGƯỜI NỘP HỒ SƠ" in text
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in text


def test_apology_states_old_appointment_reason_and_new_date() -> None:
    text = docx_text(render(FORMS["04"](), "docx"))

    assert "Kính gửi: Ông/Bà Nguyễn Văn An" in text
    assert "Thời gian hẹn trả kết quả giải quyết hồ sơ: 16 giờ 00 phút, ngày 04/12/2026" in text
    assert "Lý do: Trường nơi đi chưa gửi xác nhận học bạ" in text
    assert "xin lỗi Ông/Bà" in text
    assert "vào ngày 11/12/2026" in text
    assert "HIỆU TRƯỞNG" in text
    assert "Lê Văn Cường" in text


def test_apology_pdf_has_code_dates_and_form_number(apology_pdf: Path) -> None:
    text = flat(run_tool("pdftotext", str(apology_pdf), "-"))

    assert pdf_info(apology_pdf) == (1, A5_POINTS)
    assert "Mẫu số 04" in text
    assert CODE in text
    assert "28/11/2026" in text
    assert "04/12/2026" in text
    assert "11/12/2026" in text
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in text


def test_stop_notice_gives_stage_reason_and_settlement() -> None:
    text = docx_text(render(FORMS["05"](), "docx"))

    assert "Hồ sơ đang ở bước: Thẩm định hồ sơ" in text
    assert "Lý do dừng giải quyết: Người nộp hồ sơ đề nghị dừng giải quyết" in text
    assert "kể từ ngày 01/12/2026" in text
    assert "Về phí, lệ phí và nghĩa vụ tài chính: Thủ tục không thu phí, lệ phí." in text


def test_stop_notice_without_settlement_omits_the_line() -> None:
    doc = papers.stop_notice(UNIT, DOSSIER, stage="Tiếp nhận", reason="Rút hồ sơ")

    assert "Về phí" not in docx_text(render(doc, "docx"))


# --- 06 control sheet -------------------------------------------------------------------------


def test_control_sheet_has_one_row_per_handover_with_its_result() -> None:
    document = Document(io.BytesIO(render(FORMS["06"](), "docx")))
    table = document.tables[1]
    rows = [[" ".join(cell.text.split()) for cell in row.cells] for row in table.rows]

    assert rows[0][4] == "Kết quả giải quyết (Trước hạn/ Đúng hạn/ Quá hạn)"
    assert [row[4] for row in rows[1:]] == ["Trước hạn", "Đúng hạn", "Quá hạn"]
    assert rows[1][0] == "Giao: Bộ phận tiếp nhận Nhận: Phó Hiệu trưởng"
    assert rows[1][1] == "09 giờ 00 phút 28/11/2026"
    assert rows[3][5] == "Chậm"
    assert "Hẹn trả kết quả vào 16 giờ 00 phút, ngày 04/12/2026" in docx_text(
        render(FORMS["06"](), "docx")
    )


def test_control_sheet_shows_the_new_date_after_an_apology() -> None:
    doc = papers.control_sheet(UNIT, make_dossier(new_due_at=NEW_DUE))

    assert "11/12/2026" in docx_text(render(doc, "docx"))


def test_control_sheet_rejects_an_unknown_result() -> None:
    dossier = make_dossier(handovers=[HandOver("A", "B", utc(2026, 11, 28, 2), "soon")])

    with pytest.raises(ValueError, match="Kết quả giao nhận không hợp lệ"):
        papers.control_sheet(UNIT, dossier)


# --- render -----------------------------------------------------------------------------------


def test_render_rejects_other_formats_in_vietnamese() -> None:
    with pytest.raises(ValueError, match="Định dạng không được hỗ trợ"):
        render(FORMS["01"](), "xls")


def test_render_accepts_a_plain_official_document() -> None:
    doc = OfficialDocument(
        header=papers.OfficialHeader(
            parent_body="UBND xã",
            issuer="Trường THCS",
            number=None,
            symbol="TB",
            place="",
            date=None,
        ),
        doc_type="THÔNG BÁO",
        summary="",
        body=[papers.Paragraph("Nội dung.")],
        signature=None,
        recipients=[],
    )

    assert "Nội dung." in docx_text(render(doc, "DOCX"))
