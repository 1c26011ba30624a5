"""The plan parser: the seed plan exactly, four plans of other shapes, bad input, fuzzing.

Pure tests (no database). The seed is the real school plan; the other plans under ``data/``
were written for these tests in the style of real commune and school plans, and the DOCX one
is generated here with python-docx (header table, task table, inline image, Word numbering).
"""

from __future__ import annotations

import io
import json
import struct
import textwrap
import unicodedata
import zlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.shared import Inches
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.plans.parsing import (
    ParsedPlan,
    PlanParseError,
    decode_plan_bytes,
    match_kpi,
    parse_plan,
    read_plan_file,
    short_title,
)

DATA = Path(__file__).parent / "data"
SEED_NAME = "ke-hoach-cchc-2026.txt"
SEED_CANDIDATES = (
    Path(__file__).resolve().parents[3].parent / "shared" / "seed" / SEED_NAME,
    Path(__file__).resolve().parents[1] / "demo_data" / SEED_NAME,
)

CONTRACT_KEYS = {
    "number", "symbol", "title", "unit", "date", "basis", "sections", "targets", "tasks",
    "assignments",
}  # fmt: skip
EXTRA_KEYS = {
    "issuer", "parent_body", "place", "year", "parent_plan", "purposes", "requirements",
    "recipients", "signer", "signer_title", "warnings", "recognised",
}  # fmt: skip


def seed_bytes() -> bytes:
    for path in SEED_CANDIDATES:
        if path.exists():
            return path.read_bytes()
    raise FileNotFoundError(f"seed plan {SEED_NAME} not found in {SEED_CANDIDATES}")


def test_packaged_seed_is_the_users_document() -> None:
    """The demo imports the copy in demo_data/; it must stay identical to the user's seed."""
    shared, packaged = SEED_CANDIDATES
    if shared.exists():  # the team's checkout; an installed copy has only the packaged one
        assert shared.read_bytes() == packaged.read_bytes()
    assert packaged.exists()


def read_data(name: str) -> ParsedPlan:
    return parse_plan(read_plan_file((DATA / name).read_bytes(), name))


def to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 does: base letters precomposed where the code page has them
    (â, ê, ô, ơ, ư, ă, đ), the five tone marks as combining characters."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        tones = "".join(c for c in decomposed if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out += (base + tones).encode("cp1258")
    return bytes(out)


def tiny_png() -> bytes:
    def chunk(kind: bytes, payload: bytes) -> bytes:
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


# =========================================================================== the seed


@pytest.fixture(scope="module")
def seed() -> ParsedPlan:
    return parse_plan(decode_plan_bytes(seed_bytes()))


def test_seed_header_title_and_unit(seed: ParsedPlan) -> None:
    assert seed.number is None
    assert seed.symbol is None
    assert seed.title == (
        "Thực hiện công tác cải cách hành chính năm 2026 "
        "tại trường Trung học cơ sở Nguyễn Thái Bình"
    )
    assert seed.unit == "Trường Trung học cơ sở Nguyễn Thái Bình"
    assert seed.year == 2026
    assert seed.date is None


def test_seed_basis_cites_the_commune_plan(seed: ParsedPlan) -> None:
    assert len(seed.basis) == 1
    [reference] = seed.basis[0].references
    assert reference.number == "211"
    assert reference.symbol == "211/KH-UBND"
    assert reference.doc_type == "Kế hoạch"
    assert reference.date == date(2026, 1, 19)
    assert reference.issuer == "Ủy ban nhân dân xã Bình Hưng"
    assert seed.parent_plan is reference


def test_seed_has_nine_targets_with_figures_and_kpis(seed: ParsedPlan) -> None:
    got = [(t.number, t.comparator, t.value, t.unit, t.kpi) for t in seed.targets]

    assert got == [
        ("1", ">=", "Tốt", "xếp loại", "cchc_self_score"),
        ("2", "=", Decimal("100"), "%", "dossier_on_time_rate"),
        ("3", ">=", Decimal("95"), "%", "satisfaction_rate"),
        ("4", "=", Decimal("100"), "%", "feedback_on_time_rate"),
        # Target 5's words count staff ("100% viên chức ứng dụng thanh toán điện tử"), and
        # target 6 ("môi trường làm việc điện tử") is measured by staff-weeks of work done in it.
        ("5", "=", Decimal("100"), "%", "e_payment_staff_rate"),
        ("6", None, None, None, "e_workplace_rate"),
        ("7", "=", Decimal("100"), "%", "e_document_rate"),
        ("8", "=", Decimal("100"), "%", "digital_signature_rate"),
        ("9", "=", Decimal("100"), "%", "official_email_rate"),
    ]
    assert seed.targets[5].text == "Xây dựng môi trường làm việc điện tử."


def test_seed_tasks_are_groups_one_to_three(seed: ParsedPlan) -> None:
    numbers = [t.number for t in seed.tasks]
    groups = {t.group_number: t.group_title for t in seed.tasks}

    assert numbers == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2"] + [f"3.{i}" for i in range(1, 7)]
    assert groups == {
        "1": "Công tác chỉ đạo, điều hành và truyền thông về cải cách hành chính",
        "2": "Công tác cải cách thể chế",
        "3": "Cải cách thủ tục hành chính",
    }
    assert seed.tasks[0].title == (
        "Tiếp tục triển khai nội dung, nhiệm vụ về công tác cải cách hành chính (CCHC)"
    )
    assert all(len(t.title) <= 150 and not t.title.endswith((".", ";", ",")) for t in seed.tasks)


def test_seed_task_3_2_cites_three_documents(seed: ParsedPlan) -> None:
    task = next(t for t in seed.tasks if t.number == "3.2")

    got = [(r.symbol, r.doc_type, r.date, r.issuer) for r in task.references]

    assert got == [
        ("131/NQ-CP", "Nghị quyết", date(2022, 10, 6), "Chính phủ"),
        ("27/CT-TTg", "Chỉ thị", date(2023, 10, 27), "Thủ tướng Chính phủ"),
        ("06/CT-UBND", "Chỉ thị", date(2023, 10, 18), "Chủ tịch UBND Thành phố"),
    ]


def test_seed_has_six_assignments_with_duties(seed: ParsedPlan) -> None:
    got = [(a.honorific, a.name, a.title, len(a.duties)) for a in seed.assignments]

    assert got == [
        ("Bà", "Nguyễn Thị Thanh Trang", "Hiệu trưởng", 5),
        ("Bà", "Dương Thị Huyền Trân", "Phó hiệu trưởng", 5),
        ("Ông", "La Nguyễn Hoàng Anh", "Phó hiệu trưởng", 5),
        ("Bà", "Lê Thị Thanh Thủy", "nhân viên Văn thư", 2),
        ("Bà", "Trần Thị Thoa", "Trưởng ban Thanh tra nhân dân", 1),
        ("Ông", "Nguyễn Tấn Vinh", "Tổ trưởng tổ Tin học, Lịch sử - Địa lý", 2),
    ]
    assert seed.assignments[4].duties == [
        "Thực hiện rà soát công tác kiểm tra và phản ánh khiếu nại của người dân"
    ]
    assert seed.assignments[5].duties[0] == (
        "Thực hiện công tác chuyển đổi số trong hoạt động dạy học của đơn vị"
    )


def test_seed_repeated_roman_numeral_is_read_as_the_next_one(seed: ParsedPlan) -> None:
    assert [s.number for s in seed.sections] == ["I", "II", "III", "IV"]
    assert seed.sections[3].title == "TỔ CHỨC THỰC HIỆN"
    assert "Dòng 83: số La Mã III lặp lại (đã hiểu là IV)" in seed.warnings


def test_seed_purposes_requirements_and_ending(seed: ParsedPlan) -> None:
    assert seed.purposes.count("\n") == 2
    assert seed.purposes.startswith("- Tiếp tục triển khai đồng bộ")
    assert seed.requirements.count("\n") == 3
    assert seed.closing.startswith("Trên đây là Kế hoạch")
    assert not seed.closing.endswith("./.")
    assert seed.recipients == ["Viên chức", "Lưu: VT"]
    assert seed.signer == "Nguyễn Thị Thanh Trang"
    assert seed.signer_title == "Hiệu trưởng"


def test_seed_json_has_the_contract_keys(seed: ParsedPlan) -> None:
    data = json.loads(json.dumps(seed.to_json(), ensure_ascii=False))

    assert set(data) == CONTRACT_KEYS | EXTRA_KEYS
    assert set(data["basis"][0]) == {"text", "references"}
    assert set(data["basis"][0]["references"][0]) >= {"number", "symbol", "type", "date", "issuer"}
    assert data["basis"][0]["references"][0]["date"] == "2026-01-19"
    assert set(data["sections"][0]) >= {"number", "title", "children"}
    assert set(data["sections"][0]["children"][0]) >= {"number", "title", "children"}
    assert set(data["targets"][0]) == {"number", "text", "comparator", "value", "unit", "kpi"}
    assert data["targets"][1]["value"] == 100
    assert isinstance(data["targets"][1]["value"], int)
    assert data["targets"][0]["value"] == "Tốt"
    assert set(data["tasks"][0]) >= {"number", "title"}
    assert set(data["assignments"][0]) >= {"name", "title", "duties"}
    assert data["date"] is None
    assert data["parent_plan"] == "211/KH-UBND"


def test_seed_decodes_the_same_from_windows_1258_nfd_and_bom() -> None:
    text = decode_plan_bytes(seed_bytes())
    variants = [
        to_cp1258(text),
        unicodedata.normalize("NFD", text).encode("utf-8"),
        b"\xef\xbb\xbf" + text.encode("utf-8"),
        text.encode("utf-16"),
        text.replace("\n", "\r\n").encode("utf-8"),
    ]

    decoded = [decode_plan_bytes(data) for data in variants]

    assert all(d == text for d in decoded)
    assert parse_plan(decoded[0]).to_json() == parse_plan(text).to_json()


# =========================================================================== a commune plan


@pytest.fixture(scope="module")
def commune() -> ParsedPlan:
    return read_data("ke-hoach-xa-binh-hung-2026.txt")


def test_commune_header_from_side_by_side_columns(commune: ParsedPlan) -> None:
    assert commune.issuer == "ỦY BAN NHÂN DÂN XÃ BÌNH HƯNG"
    assert commune.parent_body == ""
    assert (commune.number, commune.symbol) == ("211", "211/KH-UBND")
    assert commune.place == "Bình Hưng"
    assert commune.date == date(2026, 1, 19)
    assert commune.title == "Cải cách hành chính năm 2026 trên địa bàn xã Bình Hưng"
    assert commune.unit == "Ủy ban nhân dân xã Bình Hưng"


def test_commune_basis_references_several_documents(commune: ParsedPlan) -> None:
    got = [[(r.symbol, r.doc_type, r.date, r.issuer) for r in b.references] for b in commune.basis]

    assert got == [
        [("76/NQ-CP", "Nghị quyết", date(2021, 7, 15), "Chính phủ")],
        [("766/QĐ-TTg", "Quyết định", date(2022, 6, 23), "Thủ tướng Chính phủ")],
        [
            ("30/2020/NĐ-CP", "Nghị định", date(2020, 3, 5), "Chính phủ"),
            ("61/2018/NĐ-CP", "Nghị định", date(2018, 4, 23), "Chính phủ"),
        ],
        [("45/KH-UBND", "Kế hoạch", date(2026, 1, 8), "Ủy ban nhân dân Thành phố")],
    ]
    assert commune.basis[3].text.endswith(
        "của Ủy ban nhân dân Thành phố về cải cách hành chính năm 2026"
    )
    assert commune.introduction.startswith("Ủy ban nhân dân xã Bình Hưng ban hành")


def test_commune_targets_under_the_specific_subheading(commune: ParsedPlan) -> None:
    got = [(t.number, t.comparator, t.value, t.unit, t.kpi) for t in commune.targets]

    assert got == [
        ("2.a", ">=", "Tốt", "xếp loại", "cchc_self_score"),
        ("2.b", ">=", Decimal("98"), "%", "dossier_on_time_rate"),
        ("2.c", ">", Decimal("90"), "%", "satisfaction_rate"),
        ("2.d", "=", Decimal("100"), "%", "feedback_on_time_rate"),
        ("2.đ", ">=", Decimal("80"), "%", "cashless_rate"),
        ("2.e", "=", Decimal("100"), "%", "digital_signature_rate"),
        ("2.g", "<=", Decimal("2"), "%", None),
        ("2.h", ">=", Decimal("2"), "tin", None),
    ]


def test_commune_tasks_from_letters_bullets_and_a_bare_group(commune: ParsedPlan) -> None:
    got = [(t.number, t.group_number) for t in commune.tasks]

    assert got == [
        ("1.a", "1"), ("1.b", "1"), ("1.c", "1"), ("2.a", "2"), ("2.b", "2"), ("2.c", "2"),
        ("3.1", "3"), ("3.2", "3"), ("4", "4"),
    ]  # fmt: skip
    assert commune.tasks[0].deadline == "tháng 01/2026"
    assert commune.tasks[3].references[0].symbol == "1085/QĐ-UBND"
    assert commune.tasks[8].title == "Xây dựng chính quyền điện tử, chính quyền số"


def test_commune_assignments_to_units_and_a_person(commune: ParsedPlan) -> None:
    got = [(a.kind, a.name, a.title, len(a.duties)) for a in commune.assignments]

    assert got == [
        ("unit", "", "Văn phòng HĐND và UBND xã", 2),
        ("unit", "", "Công an xã", 1),
        ("unit", "", "Các trường học trên địa bàn xã", 1),
        ("person", "Nguyễn Văn Hùng", "Phó Chủ tịch UBND xã", 1),
    ]
    assert commune.assignments[1].duties[0].startswith("Chủ trì, phối hợp Văn phòng")
    assert commune.assignments[3].duties == [
        "Chỉ đạo chung công tác cải cách hành chính trên địa bàn xã"
    ]
    assert any("Chế độ báo cáo" in w for w in commune.warnings)


def test_commune_signature_block_and_recipients(commune: ParsedPlan) -> None:
    assert commune.signature_lines == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert commune.signer == "Nguyễn Văn Hùng"
    assert commune.signer_title == "Phó chủ tịch"
    assert commune.recipients[0] == "UBND Thành phố (Sở Nội vụ)"
    assert commune.recipients[-1] == "Lưu: VT, VP"
    assert len(commune.recipients) == 6
    assert not [w for w in commune.warnings if "không nhận ra dòng" in w]


# =========================================================================== a kindergarten plan


KINDERGARTEN = "ke-hoach-mam-non-hoa-sen-2026.txt"


@pytest.fixture(scope="module")
def kindergarten_text() -> str:
    return (DATA / KINDERGARTEN).read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ["cp1258", "nfd"])
def test_kindergarten_in_legacy_encodings_reads_like_utf8(
    kindergarten_text: str, encoding: str
) -> None:
    data = (
        to_cp1258(kindergarten_text)
        if encoding == "cp1258"
        else unicodedata.normalize("NFD", kindergarten_text).encode("utf-8")
    )

    plan = parse_plan(read_plan_file(data, "ke-hoach.txt"))

    assert plan.to_json() == parse_plan(kindergarten_text).to_json()
    assert plan.unit == "Trường Mầm non Hoa Sen"


def test_kindergarten_structure(kindergarten_text: str) -> None:
    plan = parse_plan(kindergarten_text)

    assert (plan.parent_body, plan.issuer) == ("UBND XÃ BÌNH HƯNG", "TRƯỜNG MẦM NON HOA SEN")
    assert plan.symbol == "05/KH-MNHS"
    assert plan.date is None
    assert plan.year == 2026
    assert plan.place == "Bình Hưng"
    assert any("chỉ đọc được năm 2026" in w for w in plan.warnings)
    assert (
        plan.title == "Triển khai công tác cải cách hành chính năm 2026 của trường Mầm non Hoa Sen"
    )
    assert plan.basis[0].text.endswith("trên địa bàn xã năm 2026")
    assert plan.basis[0].references[0].issuer == "Ủy ban nhân dân xã Bình Hưng"
    assert [s.number for s in plan.sections] == ["I", "II", "III", "IV"]
    assert [(t.number, t.comparator, t.value, t.kpi) for t in plan.targets] == [
        ("1", "=", Decimal("100"), "dossier_on_time_rate"),
        ("2", ">=", Decimal("95"), "satisfaction_rate"),
        ("3", "=", Decimal("100"), "cashless_rate"),
        ("4", "=", Decimal("100"), "official_email_rate"),
    ]
    assert plan.targets[0].text.endswith("được tiếp nhận và giải quyết đúng hạn.")


def test_kindergarten_glued_numbers_and_wrapped_lines(kindergarten_text: str) -> None:
    plan = parse_plan(kindergarten_text)

    assert [t.number for t in plan.tasks] == ["1.1", "1.2", "2.1", "2.2", "3.1"]
    assert plan.tasks[0].group_title == "Tiếp tục tuyên truyền, phổ biến về cải cách hành chính"
    assert plan.tasks[0].text == (
        "Tổ chức quán triệt Kế hoạch cải cách hành chính năm 2026 trong cuộc họp "
        "hội đồng sư phạm đầu học kỳ II."
    )
    assert plan.tasks[3].text.count("\n") == 2  # the two "+" details belong to task 2.2
    assert [(a.kind, a.honorific, a.name, a.title) for a in plan.assignments] == [
        ("person", "Cô", "Phạm Thị Hoa", "Hiệu trưởng"),
        ("person", "Cô", "Võ Ngọc Lan", "Phó Hiệu trưởng"),
        ("unit", "", "", "Giáo viên chủ nhiệm các nhóm, lớp"),
    ]
    assert plan.assignments[0].duties[0] == (
        "Chỉ đạo chung việc triển khai kế hoạch; phân công nhiệm vụ cho các bộ phận"
    )
    assert plan.assignments[1].duties == [
        "Phụ trách công tác tuyển sinh và công khai thủ tục hành chính"
    ]
    assert (plan.signer, plan.signer_title) == ("Phạm Thị Hoa", "Hiệu trưởng")


# =========================================================================== a lower-secondary plan


def test_secondary_plan_with_parts_parentheses_and_nested_bullets() -> None:
    plan = read_data("ke-hoach-thcs-chuyen-doi-so-2026.txt")

    assert plan.symbol == "08/KH-THCSNTB"
    assert plan.date == date(2026, 3, 5)
    assert plan.title == "CẢI CÁCH HÀNH CHÍNH VÀ CHUYỂN ĐỔI SỐ NĂM 2026"
    assert plan.unit == "Trường Trung học cơ sở Nguyễn Thái Bình"
    assert plan.parent_plan is not None
    assert plan.parent_plan.symbol == "12/KH-THCSNTB"
    assert [s.number for s in plan.sections] == ["I", "II", "III"]
    assert [(t.number, t.comparator, t.value, t.unit) for t in plan.targets] == [
        ("1", ">=", Decimal("90"), "%"),
        ("2", ">", Decimal("95"), "%"),
        ("3", "<=", Decimal("5"), "%"),
        ("4", ">=", Decimal("2"), "buổi"),
    ]
    assert any("mục 2 trùng hoặc lùi số" in w and "đã hiểu là 3" in w for w in plan.warnings)
    assert [t.number for t in plan.tasks] == ["1.1", "1.2", "2"]
    assert plan.tasks[0].text.count("\n") == 2
    assert [(a.name, a.title, len(a.duties)) for a in plan.assignments] == [
        ("La Nguyễn Hoàng Anh", "Phó hiệu trưởng", 1),
        ("Nguyễn Tấn Vinh", "Tổ trưởng tổ Tin học", 2),
        ("", "Các tổ chuyên môn", 1),
    ]
    assert plan.signature_lines == ["KT. HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG"]
    assert plan.signer == "La Nguyễn Hoàng Anh"
    assert plan.recipients == ["Các tổ chuyên môn", "Lưu: VT"]


# =========================================================================== a primary-school DOCX


def primary_school_docx() -> bytes:
    document = docx.Document()
    header = document.add_table(rows=2, cols=2)
    header.cell(0, 0).text = "UBND XÃ BÌNH HƯNG"
    header.cell(0, 0).add_paragraph("TRƯỜNG TIỂU HỌC BÌNH HƯNG")
    header.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    header.cell(0, 1).add_paragraph("Độc lập - Tự do - Hạnh phúc")
    header.cell(1, 0).text = "Số: 06/KH- THBH"
    header.cell(1, 1).text = "Bình Hưng, ngày 05 tháng 3 năm 2026"
    document.add_paragraph().add_run().add_picture(io.BytesIO(tiny_png()), width=Inches(0.4))
    document.add_paragraph("KẾ HOẠCH")
    title = document.add_paragraph("Cải cách hành chính năm 2026")
    title.add_run().add_break(WD_BREAK.LINE)
    title.add_run("của Trường Tiểu học Bình Hưng")
    document.add_paragraph(
        "Căn cứ Kế hoạch số 211/KH-UBND ngày 19/01/2026 của UBND xã Bình Hưng về thực hiện "
        "công tác cải cách hành chính trên địa bàn xã Bình Hưng năm 2026;"
    )
    document.add_paragraph("I. MỤC ĐÍCH, YÊU CẦU")
    document.add_paragraph(
        "Nâng cao chất lượng giải quyết thủ tục hành chính trong tuyển sinh, chuyển trường."
    )
    document.add_paragraph("II. CHỈ TIÊU")
    for line in (
        "100% hồ sơ chuyển trường, tuyển sinh đầu cấp được giải quyết đúng hạn.",
        "Tỷ lệ cha mẹ học sinh hài lòng đạt ít nhất 90%.",
        "100% khoản thu được thanh toán không dùng tiền mặt.",
        "100% cán bộ quản lý sử dụng chữ ký số.",
    ):
        document.add_paragraph(line, style="List Bullet")
    document.add_paragraph("III. NHIỆM VỤ VÀ GIẢI PHÁP")
    rows = [
        ("TT", "Nội dung", "Người thực hiện", "Thời gian"),
        ("1", "Công tác chỉ đạo, điều hành", None, None),
        ("1.1", "Xây dựng, ban hành kế hoạch cải cách hành chính năm 2026", "Hiệu trưởng",
         "Tháng 3/2026"),
        ("1.2", "Lồng ghép nội dung cải cách hành chính trong họp hội đồng", "Phó hiệu trưởng",
         "Hằng tháng"),
        ("2", "Cải cách thủ tục hành chính", None, None),
        ("2.1", "Niêm yết công khai thủ tục tuyển sinh, chuyển trường", "Văn thư", "Thường xuyên"),
        ("2.2", "Tiếp nhận, trả kết quả hồ sơ chuyển trường đúng hẹn", "Văn thư", "Thường xuyên"),
        ("3", "Chuyển đổi số", None, None),
        ("3.1", "Thu các khoản thu qua ngân hàng", "Kế toán", "Từ tháng 9/2026"),
    ]  # fmt: skip
    table = document.add_table(rows=len(rows), cols=4)
    for row, values in zip(table.rows, rows, strict=True):
        if values[2] is None:
            merged = row.cells[1].merge(row.cells[3])
            row.cells[0].text = values[0]
            merged.text = values[1]
            continue
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("IV. TỔ CHỨC THỰC HIỆN")
    document.add_paragraph(
        "Ông Trần Văn Bình - Hiệu trưởng: chỉ đạo chung, chịu trách nhiệm về kết quả cải cách "
        "hành chính của nhà trường.",
        style="List Number",
    )
    document.add_paragraph("Bà Lê Thị Mai - Phó hiệu trưởng", style="List Number")
    document.add_paragraph("Phụ trách tuyển sinh, chuyển trường.", style="List Bullet")
    document.add_paragraph("Kiểm tra việc niêm yết thủ tục hành chính.", style="List Bullet")
    document.add_paragraph(
        "Các tổ khối chuyên môn: triển khai kế hoạch đến giáo viên.", style="List Number"
    )
    ending = document.add_table(rows=1, cols=2)
    ending.cell(0, 0).text = "Nơi nhận:"
    ending.cell(0, 0).add_paragraph("- UBND xã Bình Hưng (để báo cáo);")
    ending.cell(0, 0).add_paragraph("- Lưu: VT.")
    ending.cell(0, 1).text = "HIỆU TRƯỞNG"
    ending.cell(0, 1).add_paragraph("(Đã ký)")
    ending.cell(0, 1).add_paragraph("Trần Văn Bình")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def primary() -> ParsedPlan:
    return parse_plan(read_plan_file(primary_school_docx(), "Ke hoach CCHC 2026.DOCX"))


def test_docx_header_table_and_stray_space_in_symbol(primary: ParsedPlan) -> None:
    assert (primary.parent_body, primary.issuer) == (
        "UBND XÃ BÌNH HƯNG",
        "TRƯỜNG TIỂU HỌC BÌNH HƯNG",
    )
    assert (primary.number, primary.symbol) == ("06", "06/KH-THBH")
    assert primary.date == date(2026, 3, 5)
    assert primary.title == "Cải cách hành chính năm 2026 của Trường Tiểu học Bình Hưng"
    assert primary.unit == "Trường Tiểu học Bình Hưng"
    assert primary.parent_plan is not None
    assert primary.parent_plan.date == date(2026, 1, 19)
    assert primary.parent_plan.issuer == "UBND xã Bình Hưng"


def test_docx_word_bullets_become_targets(primary: ParsedPlan) -> None:
    got = [(t.number, t.comparator, t.value, t.kpi) for t in primary.targets]

    assert got == [
        ("1", "=", Decimal("100"), "dossier_on_time_rate"),
        ("2", ">=", Decimal("90"), "satisfaction_rate"),
        ("3", "=", Decimal("100"), "cashless_rate"),
        ("4", "=", Decimal("100"), "digital_signature_rate"),
    ]


def test_docx_task_table_rows_become_tasks_with_owner_and_time(primary: ParsedPlan) -> None:
    got = [(t.number, t.group_number, t.owner, t.deadline) for t in primary.tasks]

    assert got == [
        ("1.1", "1", "Hiệu trưởng", "Tháng 3/2026"),
        ("1.2", "1", "Phó hiệu trưởng", "Hằng tháng"),
        ("2.1", "2", "Văn thư", "Thường xuyên"),
        ("2.2", "2", "Văn thư", "Thường xuyên"),
        ("3.1", "3", "Kế toán", "Từ tháng 9/2026"),
    ]
    assert primary.tasks[2].group_title == "Cải cách thủ tục hành chính"
    assert primary.tasks[0].title == "Xây dựng, ban hành kế hoạch cải cách hành chính năm 2026"


def test_docx_word_numbering_and_signature_table(primary: ParsedPlan) -> None:
    got = [(a.name, a.title, a.duties) for a in primary.assignments]

    assert got == [
        (
            "Trần Văn Bình",
            "Hiệu trưởng",
            ["Chỉ đạo chung, chịu trách nhiệm về kết quả cải cách hành chính của nhà trường"],
        ),
        (
            "Lê Thị Mai",
            "Phó hiệu trưởng",
            ["Phụ trách tuyển sinh, chuyển trường", "Kiểm tra việc niêm yết thủ tục hành chính"],
        ),
        ("", "Các tổ khối chuyên môn", ["Triển khai kế hoạch đến giáo viên"]),
    ]
    assert primary.recipients == ["UBND xã Bình Hưng (để báo cáo)", "Lưu: VT"]
    assert (primary.signer, primary.signer_title) == ("Trần Văn Bình", "Hiệu trưởng")


def test_docx_text_keeps_table_rows_as_tab_separated_lines() -> None:
    text = read_plan_file(primary_school_docx(), "plan.docx")

    assert (
        "1.1\tXây dựng, ban hành kế hoạch cải cách hành chính năm 2026\tHiệu trưởng\tTháng 3/2026"
        in text
    )
    assert "\n1. Ông Trần Văn Bình - Hiệu trưởng" in text
    assert "\n- Phụ trách tuyển sinh" in text


def multilevel_numbered_docx() -> bytes:
    """Word's own multi-level list (I. / 1. / 1.1. / a) / bullet): no number is in the text."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    levels = [
        ("upperRoman", "%1."),
        ("decimal", "%2."),
        ("decimal", "%2.%3."),
        ("lowerLetter", "%4)"),
    ]
    level_xml = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate([*levels, ("bullet", "\uf0b7")])
    )
    numbering.append(
        parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{level_xml}</w:abstractNum>')
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    )
    document.add_paragraph("KẾ HOẠCH")
    document.add_paragraph("Cải cách hành chính năm 2026 của Trường Tiểu học Bình Hưng")
    for text, level in [
        ("MỤC TIÊU", 0),
        ("100% hồ sơ được giải quyết đúng hạn.", 1),
        ("NHIỆM VỤ", 0),
        ("Cải cách thủ tục hành chính", 1),
        ("Niêm yết công khai thủ tục hành chính.", 2),
        ("Rà soát quy trình nội bộ:", 2),
        ("quy trình tuyển sinh;", 3),
        ("quy trình chuyển trường.", 3),
        ("Áp dụng cho cả hồ sơ trực tuyến.", 4),
        ("Chuyển đổi số", 1),
        ("Sử dụng chữ ký số.", 2),
    ]:
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(
                f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'
            )
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_multilevel_word_numbering_is_rendered() -> None:
    text = read_plan_file(multilevel_numbered_docx(), "plan.docx")

    plan = parse_plan(text)

    assert "II. NHIỆM VỤ\n1. Cải cách thủ tục hành chính\n1.1. Niêm yết" in text
    assert "\na) quy trình tuyển sinh;\nb) quy trình chuyển trường.\n+ Áp dụng" in text
    assert [t.number for t in plan.tasks] == ["1.1", "1.2.a", "1.2.b", "2.1"]
    assert plan.tasks[2].text == "quy trình chuyển trường.\nÁp dụng cho cả hồ sơ trực tuyến."
    assert plan.targets[0].kpi == "dossier_on_time_rate"


def test_docx_that_inflates_too_much_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from cchc.plans.parsing import reading

    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 1000)

    with pytest.raises(PlanParseError, match="quá lớn"):
        read_plan_file(primary_school_docx(), "plan.docx")


# =========================================================================== text exports


def structure(plan: ParsedPlan) -> dict:
    """What the import saves, with line breaks inside texts ignored."""
    data = plan.to_json()
    kept = {key: data[key] for key in ("title", "basis", "targets", "tasks", "assignments")}
    kept |= {key: data[key] for key in ("recipients", "signer", "signer_title", "unit")}
    return json.loads(" ".join(json.dumps(kept, ensure_ascii=False).replace("\\n", " ").split()))


@pytest.mark.parametrize("width", [60, 72, 90])
def test_hard_wrapped_seed_reads_like_the_seed(seed: ParsedPlan, width: int) -> None:
    lines = decode_plan_bytes(seed_bytes()).split("\n")
    wrapped = "\n".join(part for line in lines for part in (textwrap.wrap(line, width) or [""]))

    plan = parse_plan(wrapped)

    assert structure(plan) == structure(seed)


def test_double_spaced_commune_plan_reads_the_same(commune: ParsedPlan) -> None:
    text = (DATA / "ke-hoach-xa-binh-hung-2026.txt").read_text(encoding="utf-8")

    plan = parse_plan(text.replace("\n", "\n\n"))

    assert structure(plan) == structure(commune)


def test_parts_named_otherwise_and_nested_assignments() -> None:
    plan = parse_plan(
        "KẾ HOẠCH\nCải cách hành chính năm 2026\n"
        "I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ NĂM 2025\n1. Hoàn thành 100% nhiệm vụ.\n"
        "II. MỤC ĐÍCH, YÊU CẦU VÀ MỤC TIÊU\n1. Mục đích\n- Nâng cao hiệu quả.\n"
        "2. Mục tiêu\n- 100% hồ sơ đúng hạn.\n- Mức độ hài lòng trên 90%.\n"
        "III. NỘI DUNG KẾ HOẠCH\n1. Nhiệm vụ trọng tâm\n1.1. Rà soát thủ tục.\n"
        "1.2. Niêm yết công khai.\n2. Giải pháp\n- Tăng cường kiểm tra.\n- Khen thưởng.\n"
        "IV. TỔ CHỨC THỰC HIỆN\n1. Trách nhiệm của Ban Giám hiệu\n"
        "a) Bà Nguyễn Thị An, Hiệu trưởng: chỉ đạo chung.\n"
        "b) Ông Trần Văn Bảo - Phó hiệu trưởng: phụ trách chuyên môn.\n"
        "2. Kế toán: thu không dùng tiền mặt.\nHIỆU TRƯỞNG\nThS. Nguyễn Thị An\n"
    )

    assert [(t.number, t.kpi) for t in plan.targets] == [
        ("2.1", "dossier_on_time_rate"),
        ("2.2", "satisfaction_rate"),
    ]
    assert [(t.number, t.group_title) for t in plan.tasks] == [
        ("1.1", "Nhiệm vụ trọng tâm"),
        ("1.2", "Nhiệm vụ trọng tâm"),
        ("2.1", "Giải pháp"),
        ("2.2", "Giải pháp"),
    ]
    assert [(a.kind, a.name, a.title, a.duties) for a in plan.assignments] == [
        ("person", "Nguyễn Thị An", "Hiệu trưởng", ["Chỉ đạo chung"]),
        ("person", "Trần Văn Bảo", "Phó hiệu trưởng", ["Phụ trách chuyên môn"]),
        ("unit", "", "Kế toán", ["Thu không dùng tiền mặt"]),
    ]
    assert plan.purposes == "- Nâng cao hiệu quả."
    assert (plan.signer, plan.signer_title) == ("Nguyễn Thị An", "Hiệu trưởng")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Căn cứ Luật Cán bộ, công chức số 22/2008/QH12 ngày 13/11/2008;",
            [("22/2008/QH12", "Luật", date(2008, 11, 13), "Quốc hội")],
        ),
        (
            "triển khai Quyết định số 1/QĐ-UBND và số 2/QĐ-UBND ngày 5-1-2026 của UBND xã",
            [
                ("1/QĐ-UBND", "Quyết định", None, ""),
                ("2/QĐ-UBND", "Quyết định", date(2026, 1, 5), "UBND xã"),
            ],
        ),
        (
            "theo Thông tư 01/2018/TT-VPCP; Kế hoạch 06/KH- UBND ngày 31/02/2026",
            [
                ("01/2018/TT-VPCP", "Thông tư", None, "Văn phòng Chính phủ"),
                ("06/KH-UBND", "Kế hoạch", None, ""),
            ],
        ),
        ("trước ngày 19/01/2026, đạt 1/2 số hồ sơ", []),
    ],
)
def test_references_in_free_text(text: str, expected: list) -> None:
    from cchc.plans.parsing import extract_references

    got = [(r.symbol, r.doc_type, r.date, r.issuer) for r in extract_references(text)]

    assert got == expected


# =========================================================================== bad input


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "ke-hoach.txt", "Tệp rỗng."),
        (b"  \r\n\t \n", "ke-hoach.txt", "Tệp rỗng."),
        (b"\xef\xbb\xbf\r\n", "ke-hoach.txt", "Tệp rỗng."),
        (tiny_png(), "ke-hoach.txt", "ảnh PNG"),
        (tiny_png(), "ke-hoach.docx", "không hợp lệ"),
        (b"PK\x03\x04 not really a zip", "ke-hoach.docx", "bị hỏng"),
        (b"%PDF-1.7 ...", "ke-hoach.pdf", "Chỉ nhận tệp .txt hoặc .docx"),
        (b"\xd0\xcf\x11\xe0", "ke-hoach.doc", "Chỉ nhận tệp .txt hoặc .docx"),
        (bytes(range(256)) * 8, "ke-hoach.txt", "không phải văn bản"),
    ],
)
def test_rejects_files_that_are_not_plans(data: bytes, filename: str, message: str) -> None:
    with pytest.raises(PlanParseError, match=message):
        read_plan_file(data, filename)


@pytest.mark.parametrize(
    "text",
    [
        "Thuyền về có nhớ bến chăng\nBến thì một dạ khăng khăng đợi thuyền.\n",
        "ma_ho_so,ngay_nhan,trang_thai\nH29.01-260101-0001,01/01/2026,da_tra\n",
        "Xin chào, đây là một đoạn văn bản bình thường.\n\nKhông có mục nào cả.",
        "BÁO CÁO\nKết quả công tác cải cách hành chính quý I năm 2026\n"
        "Trong quý I, đơn vị đã thực hiện tốt các nhiệm vụ được giao.",
        "BÁO CÁO\nKết quả quý I\nI. KẾT QUẢ ĐẠT ĐƯỢC\n1. Công tác chỉ đạo\nII. TỒN TẠI",
        "KẾ HOẠCH\nCải cách hành chính năm 2026\nĐơn vị sẽ cố gắng thực hiện tốt.",
        " \n\t\n",
    ],
)
def test_rejects_texts_that_are_not_plans(text: str) -> None:
    with pytest.raises(PlanParseError) as raised:
        parse_plan(text)

    assert str(raised.value)[0].isupper()
    assert any(word in str(raised.value) for word in ("kế hoạch", "Tệp rỗng"))


def test_partial_plan_is_parsed_with_warnings() -> None:
    plan = parse_plan("II. NHIỆM VỤ\n1. Rà soát thủ tục hành chính\n1.1. Niêm yết công khai\n")

    assert [t.number for t in plan.tasks] == ["1.1"]
    assert "Không thấy tiêu đề 'KẾ HOẠCH'; đọc theo các mục đánh số La Mã." in plan.warnings
    assert "Không thấy phần Mục tiêu / Chỉ tiêu." in plan.warnings
    assert "Không thấy phần Tổ chức thực hiện." in plan.warnings
    assert plan.symbol is None


def test_decodes_control_characters_and_utf16_without_bom() -> None:
    assert decode_plan_bytes("Kế\x00 hoạch\x07\r\nI.".encode()) == "Kế hoạch\nI."
    assert decode_plan_bytes("KẾ HOẠCH mẫu".encode("utf-16-le")) == "KẾ HOẠCH mẫu"


# =========================================================================== smaller rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tỷ lệ hồ sơ giải quyết đúng hạn đạt 100%", "dossier_on_time_rate"),
        ("đúng hạn 100% đối với hồ sơ TTHC", "dossier_on_time_rate"),
        ("100% hồ sơ trễ hẹn được xin lỗi người dân", "late_apology_rate"),
        ("Nâng cao chất lượng giải quyết hồ sơ. Thực hiện xin lỗi hồ sơ trễ hẹn.", None),
        ("Mức độ hài lòng của người dân đạt 95%", "satisfaction_rate"),
        ("MỨC ĐỘ HÀI LÒNG CỦA NGƯỜI DÂN", "satisfaction_rate"),
        ("100% phản ánh, kiến nghị được xử lý, phản hồi", "feedback_on_time_rate"),
        ("Thanh toán không dùng tiền mặt đạt 80%", "cashless_rate"),
        ("100% văn bản đi được ký số", "digital_signature_rate"),
        ("Văn bản trao đổi trên môi trường điện tử 100%", "e_document_rate"),
        ("sử dụng thư điện tử công vụ", "official_email_rate"),
        ("Chỉ số cải cách hành chính xếp loại Tốt", "cchc_self_score"),
        ("Xây dựng môi trường làm việc điện tử.", "e_workplace_rate"),
        ("", None),
    ],
)
def test_match_kpi(text: str, expected: str | None) -> None:
    assert match_kpi(text) == expected


@pytest.mark.parametrize(
    ("line", "comparator", "value", "unit"),
    [
        ("đạt 100%", "=", Decimal("100"), "%"),
        ("đạt 95% trở lên", ">=", Decimal("95"), "%"),
        ("tối thiểu 95%", ">=", Decimal("95"), "%"),
        ("ít nhất 95,5 %", ">=", Decimal("95.5"), "%"),
        ("đạt trên 95%", ">", Decimal("95"), "%"),
        ("không quá 5%", "<=", Decimal("5"), "%"),
        ("xếp loại Tốt", ">=", "Tốt", "xếp loại"),
        ("đạt từ loại tốt trở lên", ">=", "Tốt", "xếp loại"),
        ("Xây dựng môi trường làm việc điện tử", None, None, None),
    ],
)
def test_target_figures(line: str, comparator: str | None, value: object, unit: str | None) -> None:
    plan = parse_plan(f"KẾ HOẠCH\nThử\nI. MỤC TIÊU\n1. Chỉ tiêu {line}.\n")

    [target] = plan.targets
    assert (target.comparator, target.value, target.unit) == (comparator, value, unit)


@pytest.mark.parametrize(
    ("header", "number", "symbol"),
    [
        ("Số: 211/KH-UBND", "211", "211/KH-UBND"),
        ("Số:211/KH-UBND", "211", "211/KH-UBND"),
        ("Số 05 /KH-THCS", "05", "05/KH-THCS"),
        ("Số: 06/KH- UBND", "06", "06/KH-UBND"),
        ("SỐ: 12 / KH – UBND", "12", "12/KH-UBND"),
        ("Số:     /KH-UBND", None, None),
    ],
)
def test_number_and_symbol_variants(header: str, number: str | None, symbol: str | None) -> None:
    plan = parse_plan(f"{header}\nKẾ HOẠCH\nThử\nI. NHIỆM VỤ\n1. Làm việc\n")

    assert (plan.number, plan.symbol) == (number, symbol)


@pytest.mark.parametrize(
    ("line", "number", "title"),
    [
        ("Phần I: Mục tiêu", "I", "Mục tiêu"),
        ("I - MỤC TIÊU", "I", "MỤC TIÊU"),
        ("I/ MỤC TIÊU", "I", "MỤC TIÊU"),
        ("I.MỤC TIÊU", "I", "MỤC TIÊU"),
    ],
)
def test_roman_part_variants(line: str, number: str, title: str) -> None:
    plan = parse_plan(f"KẾ HOẠCH\nThử\n{line}\n1. 100% hồ sơ đúng hạn\n")

    assert [(s.number, s.title) for s in plan.sections] == [(number, title)]
    assert plan.targets[0].kpi == "dossier_on_time_rate"


def test_short_title_cuts_at_the_first_clause_and_limit() -> None:
    assert short_title("Tiếp tục triển khai; bám sát các chủ trương.") == "Tiếp tục triển khai"
    long = "Rà soát " + ", ".join(["thủ tục hành chính lĩnh vực giáo dục"] * 10)
    assert len(short_title(long)) <= 150
    assert not short_title(long).endswith(",")


# =========================================================================== fuzzing

_FRAGMENTS = [
    "KẾ HOẠCH", "I. MỤC TIÊU", "II. NHIỆM VỤ", "III. TỔ CHỨC THỰC HIỆN", "III.", "Phần IV",
    "1.", "1.1.", "1.Tiếp tục", "2.1.Thực hiện", "a)", "b) Làm", "- ", "+ ", "• ", "Căn cứ ",
    "Số: 211/KH-UBND", "Số:   /KH-", "ngày 19 tháng 01 năm 2026", "ngày 31/02/2026", "Nơi nhận:",
    "TM. ỦY BAN NHÂN DÂN", "HIỆU TRƯỞNG", "Nguyễn Văn A", "Bà Nguyễn Thị B, Hiệu trưởng",
    "Đ/c", "Văn phòng:", "100%", "95% trở lên", "không quá", "loại tốt", "Trên đây là", "./.",
    "\t", "   ", "của", "Kế hoạch số 1/KH-UBND ngày 99 tháng 99 năm 2026 của", "**", ":", ";",
    "Quyết định 766/QĐ-TTg", "30/2020/NĐ-CP", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "(Đã ký)",
]  # fmt: skip
_LINE = st.lists(
    st.one_of(st.sampled_from(_FRAGMENTS), st.text(max_size=12)), min_size=0, max_size=6
).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE, max_size=40))
def test_parse_plan_raises_only_plan_parse_error(lines: list[str]) -> None:
    try:
        plan = parse_plan("\n".join(lines))
    except PlanParseError:
        return
    json.dumps(plan.to_json(), ensure_ascii=False)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_decode_raises_only_plan_parse_error(data: bytes) -> None:
    try:
        text = decode_plan_bytes(data)
    except PlanParseError:
        return
    assert text.strip()
    assert unicodedata.is_normalized("NFC", text)
