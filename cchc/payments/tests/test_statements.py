"""Statement reading: bank layouts as data, manual mapping, amounts, encodings, bad files."""

from __future__ import annotations

import io
import unicodedata
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from cchc.payments.codes import find_codes, normalise_code
from cchc.payments.statements import (
    StatementError,
    UnknownColumns,
    parse,
    parse_amount,
)

VCB_CSV = (
    "Sao kê tài khoản 113000041410\n"
    "Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Mô tả\n"
    "08/09/2026,FT2609001,,884.520,MBVCB.3312.hp26 k7m3-q9.NGUYEN VAN A chuyen tien\n"
    "08/09/2026,FT2609002,50.000,,Phi quan ly tai khoan\n"
    "09/09/2026,FT2609003,,884.520,HOANG THI B NOP BHYT CHO CON\n"
    ",,,,Tổng cộng\n"
)


def test_vietcombank_csv_keeps_credits_only() -> None:
    parsed = parse("vcb.csv", VCB_CSV.encode("utf-8"))

    assert parsed.format_code == "vietcombank"
    assert [(x.posted_on, x.amount_vnd, x.reference) for x in parsed.lines] == [
        (date(2026, 9, 8), 884520, "FT2609001"),
        (date(2026, 9, 9), 884520, "FT2609003"),
    ]
    assert parsed.skipped_debits == 1


def _cp1258(text: str) -> bytes:
    """Windows-1258 as old Vietnamese Excel writes it: base letter, then a combining tone."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = b""
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + "".join(c for c in parts if c in tones)).encode("cp1258")
    return out


def test_windows_1258_csv_is_read() -> None:
    parsed = parse("vcb.csv", _cp1258(VCB_CSV.replace("chuyen tien", "chuyển tiền")))

    assert parsed.format_code == "vietcombank"
    assert len(parsed.lines) == 2
    assert parsed.lines[0].description.endswith("chuyển tiền")


def test_signed_amount_layout_from_xlsx() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["NGÂN HÀNG TMCP QUÂN ĐỘI"])
    sheet.append(["Ngày giao dịch", "Số bút toán", "Số tiền", "Nội dung"])
    sheet.append([datetime(2026, 9, 10, 9, 30), "MB001", 884520, "HP26K7M3Q9"])
    sheet.append([datetime(2026, 9, 10, 10, 0), "MB002", -20000, "Phi SMS"])
    buffer = io.BytesIO()
    book.save(buffer)

    parsed = parse("mb.xlsx", buffer.getvalue())

    assert parsed.format_code == "mbbank"
    assert [(x.amount_vnd, x.description) for x in parsed.lines] == [(884520, "HP26K7M3Q9")]


def test_unknown_columns_list_the_headers_then_manual_mapping_reads_them() -> None:
    content = b"Ngay,Tien vao,Dien giai ngan hang\n10/09/2026,120000,HP26K7M3Q9\n"

    with pytest.raises(UnknownColumns) as caught:
        parse("la.csv", content)
    parsed = parse(
        "la.csv",
        content,
        mapping={"date": "Ngay", "credit": "Tien vao", "description": "Dien giai ngan hang"},
    )

    assert caught.value.headers == ["Ngay", "Tien vao", "Dien giai ngan hang"]
    assert "Không nhận ra mẫu sao kê" in str(caught.value)
    assert parsed.lines[0].amount_vnd == 120000


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.200.000", 1200000),
        ("1,200,000", 1200000),
        ("1200000.00", 1200000),
        ("1.200.000,00", 1200000),
        ("120 000 VND", 120000),
        ("-50.000", -50000),
        (884520.0, 884520),
        ("12,5", None),
        ("abc", None),
        ("", 0),
    ],
)
def test_amounts_in_bank_notations(raw, expected) -> None:
    assert parse_amount(raw) == expected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "trống"),
        (b"\x00\x01\x02binary", "không phải CSV"),
        (b"PK\x03\x04broken", "Excel bị hỏng"),
        (
            "Ngày giao dịch,Số tiền ghi có,Mô tả\n31/02/2026,100000,x\n".encode(),
            "ngày «31/02/2026» không hợp lệ",
        ),
        ("Ngày giao dịch,Số tiền ghi có,Mô tả\n01/09/2026,12.5,x\n".encode(), "số tiền"),
        ("Ngày giao dịch,Số tiền ghi có,Mô tả\n01/09/2026,,x\n".encode(), "không có giao dịch"),
    ],
)
def test_bad_statements_get_a_vietnamese_message(content, message) -> None:
    with pytest.raises(StatementError, match=message):
        parse("x.csv", content)


def test_duplicated_lines_without_reference_get_distinct_fingerprints_per_occurrence() -> None:
    row = "08/09/2026,,884520,NOP TIEN HOC\n"
    content = ("Ngày giao dịch,Số tham chiếu,Số tiền ghi có,Mô tả\n" + row + row).encode()

    lines = parse("x.csv", content).lines
    again = parse("y.csv", ("Ngày giao dịch,Số tham chiếu,Số tiền ghi có,Mô tả\n" + row).encode())

    assert lines[0].fingerprint != lines[1].fingerprint
    assert again.lines[0].fingerprint == lines[0].fingerprint


@pytest.mark.parametrize(
    ("note", "codes"),
    [
        ("MBVCB.3312.hp26 k7m3-q9.NGUYEN VAN A", ["HP26K7M3Q9"]),
        ("IBFT HP26K7M3Q9 HP26K7M3Q9", ["HP26K7M3Q9"]),
        ("chuyển tiền học phí hp26-k7m3q9", ["HP26K7M3Q9"]),
        ("HP26K7MOQ9 (O typed for 0)", ["HP26K7M0Q9"]),
        ("nop tien hoc cho con", []),
    ],
)
def test_codes_found_in_bank_notes(note, codes) -> None:
    assert find_codes(note) == codes


def test_typed_code_normalised() -> None:
    assert normalise_code(" hp26 k7m3-q9 ") == "HP26K7M3Q9"
