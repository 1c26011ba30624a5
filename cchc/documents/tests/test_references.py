"""The "số, ký hiệu" parser on reference strings collected from real documents."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cchc.documents.references import (
    DocRefError,
    find_references,
    format_reference,
    parse_reference,
    type_table,
)

# Each row: the text, then the seven fields of the JSON contract in order.
REAL_WORLD = [
    ("211/KH-UBND", 211, None, "KH", "Kế hoạch", "UBND", None, "211/KH-UBND"),
    ("05/KH-THCSNTB", 5, None, "KH", "Kế hoạch", "THCSNTB", None, "05/KH-THCSNTB"),
    ("15/2026/TT-BGDĐT", 15, 2026, "TT", "Thông tư", "BGDĐT", None, "15/2026/TT-BGDĐT"),
    ("30/2020/NĐ-CP", 30, 2020, "NĐ", "Nghị định", "CP", None, "30/2020/NĐ-CP"),
    ("01/2018/TT-VPCP", 1, 2018, "TT", "Thông tư", "VPCP", None, "01/2018/TT-VPCP"),
    ("766/QĐ-TTg", 766, None, "QĐ", "Quyết định", "TTg", None, "766/QĐ-TTg"),
    ("76/NQ-CP", 76, None, "NQ", "Nghị quyết", "CP", None, "76/NQ-CP"),
    ("51-KL/TW", 51, None, "KL", "Kết luận", "TW", None, "51-KL/TW"),
    ("05-NQ/TU", 5, None, "NQ", "Nghị quyết", "TU", None, "05-NQ/TU"),
    ("123-CV/ĐU", 123, None, "CV", "Công văn", "ĐU", None, "123-CV/ĐU"),
    ("05/BNV-VP", 5, None, None, "Công văn", "BNV", "VP", "05/BNV-VP"),
    ("1234/SGDĐT-VP", 1234, None, None, "Công văn", "SGDĐT", "VP", "1234/SGDĐT-VP"),
    ("12/QĐ-UBND-VP", 12, None, "QĐ", "Quyết định", "UBND", "VP", "12/QĐ-UBND-VP"),
    ("08/QyĐ-THCSNTB", 8, None, "QyĐ", "Quy định", "THCSNTB", None, "08/QyĐ-THCSNTB"),
    ("08/QYĐ-THCSNTB", 8, None, "QyĐ", "Quy định", "THCSNTB", None, "08/QyĐ-THCSNTB"),
    ("03/CTr-UBND", 3, None, "CTr", "Chương trình", "UBND", None, "03/CTr-UBND"),
    ("03/CTR-UBND", 3, None, "CTr", "Chương trình", "UBND", None, "03/CTr-UBND"),
    ("45/TTr-THCS", 45, None, "TTr", "Tờ trình", "THCS", None, "45/TTr-THCS"),
    ("02/TrS-VP", 2, None, "TrS", "Bản trích sao", "VP", None, "02/TrS-VP"),
    ("012/CT-UBND", 12, None, "CT", "Chỉ thị", "UBND", None, "12/CT-UBND"),
    (
        "01/2015/TTLT-BGDĐT-BNV",
        1,
        2015,
        "TTLT",
        "Thông tư liên tịch",
        "BGDĐT-BNV",
        None,
        "01/2015/TTLT-BGDĐT-BNV",
    ),
    ("22/2008/QH12", 22, 2008, None, "Luật", "QH12", None, "22/2008/QH12"),
    ("07/GM-UBND", 7, None, "GM", "Giấy mời", "UBND", None, "07/GM-UBND"),
    ("09/BB-HĐTĐKT", 9, None, "BB", "Biên bản", "HĐTĐKT", None, "09/BB-HĐTĐKT"),
    # spacing, dashes and hyphen-for-slash variants
    ("211 / KH - UBND", 211, None, "KH", "Kế hoạch", "UBND", None, "211/KH-UBND"),
    ("06/KH- UBND", 6, None, "KH", "Kế hoạch", "UBND", None, "06/KH-UBND"),
    ("12 / KH – UBND", 12, None, "KH", "Kế hoạch", "UBND", None, "12/KH-UBND"),
    ("211-KH-UBND", 211, None, "KH", "Kế hoạch", "UBND", None, "211/KH-UBND"),
    ("15 / 2026 / TT-BGDĐT", 15, 2026, "TT", "Thông tư", "BGDĐT", None, "15/2026/TT-BGDĐT"),
    # prefixes and phrases
    ("Số: 01 /KH-UBND", 1, None, "KH", "Kế hoạch", "UBND", None, "01/KH-UBND"),
    ("Số:211/KH-UBND", 211, None, "KH", "Kế hoạch", "UBND", None, "211/KH-UBND"),
    ("SỐ: 12/BC-THCS", 12, None, "BC", "Báo cáo", "THCS", None, "12/BC-THCS"),
    ("Nghị quyết số 76/NQ-CP ngày 15/7/2021", 76, None, "NQ", "Nghị quyết", "CP", None, "76/NQ-CP"),
    (
        "Căn cứ Kế hoạch số 211/KH-UBND ngày 19 tháng 01 năm 2026 của UBND xã",
        211,
        None,
        "KH",
        "Kế hoạch",
        "UBND",
        None,
        "211/KH-UBND",
    ),
    (
        "Thực hiện Kết luận số 51-KL/TW ngày 30/5/2019 của Ban Bí thư",
        51,
        None,
        "KL",
        "Kết luận",
        "TW",
        None,
        "51-KL/TW",
    ),
    (
        "theo Thông tư 15/2026/TT-BGDĐT,",
        15,
        2026,
        "TT",
        "Thông tư",
        "BGDĐT",
        None,
        "15/2026/TT-BGDĐT",
    ),
    ("(V/v: 05/BNV-VP)", 5, None, None, "Công văn", "BNV", "VP", "05/BNV-VP"),
]


@pytest.mark.parametrize(
    ("text", "number", "year", "type_code", "type_", "issuer", "unit", "normalized"), REAL_WORLD
)
def test_parses_real_world_references(
    text: str,
    number: int,
    year: int | None,
    type_code: str | None,
    type_: str,
    issuer: str,
    unit: str | None,
    normalized: str,
) -> None:
    ref = parse_reference(text)

    assert ref.to_json() == {
        "number": number,
        "year": year,
        "type_code": type_code,
        "type": type_,
        "issuer_code": issuer,
        "unit_code": unit,
        "normalized": normalized,
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.000948.H38", "mã thủ tục hành chính"),
        ("2.001824.000.00.00.H38", "mã thủ tục hành chính"),
        ("Số: /PXL", "chưa có số văn bản"),
        ("Số:      /KH-UBND", "chưa có số văn bản"),
        ("/QĐ-UBND", "chưa có số văn bản"),
        ("", "Chưa nhập"),
        ("   ", "Chưa nhập"),
        ("ngày 15/7/2021", "không phải số, ký hiệu"),
        ("15-7-2021", "không phải số, ký hiệu"),
        ("đạt 1/2 số hồ sơ", "không phải số, ký hiệu"),
        ("H29.01-260101-0001", "không phải số, ký hiệu"),
        ("Kế hoạch cải cách hành chính", "không phải số, ký hiệu"),
        ("12/abc-def", "không phải số, ký hiệu"),
        ("5-XX/TW", "không phải số, ký hiệu"),
        ("x" * 600, "quá dài"),
    ],
)
def test_rejects_what_is_not_a_reference(text: str, message: str) -> None:
    with pytest.raises(DocRefError, match=message):
        parse_reference(text)


def test_finds_every_reference_in_a_basis_paragraph() -> None:
    text = (
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ; Nghị quyết số "
        "76/NQ-CP ngày 15/7/2021; Kết luận 51-KL/TW và Công văn số 05/BNV-VP, mã thủ tục "
        "1.000948.H38, ngày 15-7-2021."
    )

    assert [r.normalized for r in find_references(text)] == [
        "30/2020/NĐ-CP",
        "76/NQ-CP",
        "51-KL/TW",
        "05/BNV-VP",
    ]


def test_format_composes_symbol_from_type_and_unit_abbreviation() -> None:
    assert format_reference(5, "KH", "THCSNTB") == "05/KH-THCSNTB"
    assert format_reference(12, "qyđ", "THCSNTB") == "12/QyĐ-THCSNTB"
    assert format_reference(7, None, "THCSNTB", "VP") == "07/THCSNTB-VP"
    for bad in ((0, "KH", "UBND"), (1, "ZZ", "UBND"), (1, "KH", "ubnd xã")):
        with pytest.raises(DocRefError):
            format_reference(*bad)


def test_round_trip_of_every_appendix_iii_type() -> None:
    for code, name in type_table()["administrative"]:
        ref = parse_reference(format_reference(3, code, "UBND"))
        assert (ref.type_code, ref.type, ref.issuer_code) == (code, name, "UBND")


def test_cli_prints_the_json_contract() -> None:
    out = StringIO()
    call_command("docref", "parse", "211/KH-UBND", "--json", stdout=out)

    assert json.loads(out.getvalue()) == {
        "number": 211,
        "year": None,
        "type_code": "KH",
        "type": "Kế hoạch",
        "issuer_code": "UBND",
        "unit_code": None,
        "normalized": "211/KH-UBND",
    }


def test_cli_rejects_with_vietnamese_message_and_code_2() -> None:
    with pytest.raises(CommandError, match="mã thủ tục") as caught:
        call_command("docref", "parse", "1.000948.H38", "--json")
    assert caught.value.returncode == 2


def test_plan_parser_uses_the_same_definition() -> None:
    from cchc.plans.parsing import extract_references

    [party, normative] = extract_references(
        "Thực hiện Kết luận số 51-KL/TW và Thông tư số 15/2026/TT-BGDĐT ngày 02/3/2026"
    )
    assert (party.symbol, party.doc_type) == ("51-KL/TW", "Kết luận")
    assert (normative.symbol, normative.doc_type) == ("15/2026/TT-BGDĐT", "Thông tư")
