"""VietQR payloads against payloads published by libraries' documentation and tests."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.payments.banks import all_banks, bank_by_bin
from cchc.payments.qr_images import qr_png, qr_svg
from cchc.payments.tests.qr_reading import png_pixels, read_qr, svg_pixels
from cchc.payments.vietqr import (
    MAX_AMOUNT,
    VietQRError,
    clean_purpose,
    crc16_ccitt_false,
    decode,
    encode,
)

# (payload, bin, account, amount or None, purpose or None), each with its published CRC.
PUBLISHED = [
    # subiz/vietqr README (also the CLI example): VietinBank, "ủng hộ lũ lụt".
    (
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA5303704"
        "54061200005802VN62170813ung ho lu lut6304C15C",
        "970415",
        "0011001932418",
        120000,
        "ung ho lu lut",
    ),
    # xuannghia/vietnam-qr-pay README: static ACB code (no amount, no note).
    (
        "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN"
        "6304AE9F",
        "970416",
        "257678859",
        None,
        None,
    ),
    # xuannghia/vietnam-qr-pay README: dynamic ACB code, 10.000 đ.
    (
        "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704540510000"
        "5802VN62150811Chuyen tien630453E6",
        "970416",
        "257678859",
        10000,
        "Chuyen tien",
    ),
    # xuannghia/vietnam-qr-pay README, decode example: 1.000 đ.
    (
        "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704540410005802"
        "VN62150811Chuyen tien6304BBB8",
        "970416",
        "257678859",
        1000,
        "Chuyen tien",
    ),
    # A PHP library's unit test (QRServiceTest::testQR1): ACB, 80.100 đ.
    (
        "00020101021238500010A0000007270120000697041601065454460208QRIBFTTA53037045405801005802VN"
        "62250821Thanh toan anyLEARN 86304FA27",
        "970416",
        "545446",
        80100,
        "Thanh toan anyLEARN 8",
    ),
    # An invoice API's documented sample: Vietcombank, 1.943.000 đ, bill code as the note.
    (
        "00020101021238540010A00000072701240006970436011010234567890208QRIBFTTA5303704540719430005"
        "802VN62120808TT0000696304A8E5",
        "970436",
        "1023456789",
        1943000,
        "TT000069",
    ),
    # A payOS payment link stored in a public project's SQL dump: MB, virtual account.
    (
        "00020101021238570010A000000727012700069704220113VQRQADAIJ55120208QRIBFTTA53037045404700"
        "05802VN62120808TL89 1006304E346",
        "970422",
        "VQRQADAIJ5512",
        7000,
        "TL89 100",
    ),
]
# Same PHP test file: payloads with a bill number (62/01) or to a card (QRIBFTTC).
PUBLISHED_DECODE_ONLY = [
    (
        "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA530370454061800"
        "005802VN62340107NPS68690819thanh toan don hang63042E2E",
        "970403",
        "0011012345678",
        180000,
        "thanh toan don hang",
    ),
    (
        "00020101021238600010A00000072701300006970403011697040311012345670208QRIBFTTC530370454061"
        "800005802VN62340107NPS68690819thanh toan don hang6304A203",
        "970403",
        "9704031101234567",
        180000,
        "thanh toan don hang",
    ),
]


@pytest.mark.parametrize(("payload", "bin_", "account", "amount", "purpose"), PUBLISHED)
def test_encode_reproduces_published_payload(payload, bin_, account, amount, purpose) -> None:
    assert encode(bin_, account, amount, purpose or "") == payload


@pytest.mark.parametrize(
    ("payload", "bin_", "account", "amount", "purpose"), PUBLISHED + PUBLISHED_DECODE_ONLY
)
def test_decode_reads_published_payload(payload, bin_, account, amount, purpose) -> None:
    result = decode(payload)

    assert result.valid, result.error
    assert (result.bin, result.account, result.amount, result.purpose) == (
        bin_,
        account,
        amount,
        purpose,
    )
    assert result.crc == payload[-4:]
    assert (result.currency, result.country) == ("704", "VN")
    assert result.dynamic is (amount is not None)


def test_crc_is_ccitt_false_not_the_reflected_variant() -> None:
    # The PHP test computes the CRC of a payload whose 62 block is mis-sized; the CRC still holds.
    body = (
        "00020101021238500010A0000007270120000697041601065454460208QRIBFTTA530370454061800005802VN"
        "62270823thanh toan don hang6304"
    )

    assert f"{crc16_ccitt_false(body.encode()):04X}" == "4302"
    assert crc16_ccitt_false(b"123456789") == 0x29B1  # the catalogue check value
    assert not decode(body + "4302").valid  # … and the decoder notices the mis-sized block


def test_purpose_loses_diacritics_and_is_cut_to_25() -> None:
    payload = encode(
        "970415", "0011001932418", 120000, "Ủng hộ đồng bào lũ lụt miền Trung năm 2026"
    )

    assert decode(payload).purpose == "Ung ho dong bao lu lut mi"
    assert clean_purpose("  Học   phí\tĐợt 1 ") == "Hoc phi Dot 1"


def test_static_without_amount_dynamic_with() -> None:
    assert decode(encode("970418", "12345", None)).dynamic is False
    assert decode(encode("970418", "12345", 5)).dynamic is True


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"bin": "97041"}, "BIN"),
        ({"bin": "97041A"}, "BIN"),
        ({"account": "001-100"}, "Số tài khoản"),
        ({"account": "1" * 20}, "Số tài khoản"),
        ({"amount": 0}, "lớn hơn 0"),
        ({"amount": -5}, "lớn hơn 0"),
        ({"amount": MAX_AMOUNT + 1}, "13 chữ số"),
        ({"purpose": "Học phí 学费"}, "không thể mã hóa"),
        ({"purpose": "Ủng hộ 🙂"}, "không thể mã hóa"),
    ],
)
def test_bad_input_is_refused_in_vietnamese(kwargs, message) -> None:
    args = {"bin": "970415", "account": "0011001932418", "amount": 1000, "purpose": "x"} | kwargs

    with pytest.raises(VietQRError, match=message):
        encode(**args)


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ("", "trống"),
        (PUBLISHED[0][0][:-10], "cắt cụt"),
        (PUBLISHED[0][0][:-4] + "C15D", "Sai mã kiểm tra CRC"),
        (PUBLISHED[0][0].replace("ung ho", "ung hO"), "Sai mã kiểm tra CRC"),
        ("0002010102123X", "Cấu trúc"),
        ("000201010212", "Thiếu mã kiểm tra CRC"),
    ],
)
def test_decode_says_why_a_payload_is_invalid(payload, reason) -> None:
    result = decode(payload)

    assert not result.valid
    assert reason in result.error


def test_decode_rejects_a_valid_crc_on_a_non_napas_payload() -> None:
    body = "000201010211" + "26280010A000000775011001053131445303704" + "5802VN6304"
    payload = body + f"{crc16_ccitt_false(body.encode()):04X}"

    assert "NAPAS" in decode(payload).error


@settings(deadline=None)  # a busy CI machine must not turn slowness into a failure
@given(
    bin_=st.from_regex(r"[0-9]{6}", fullmatch=True),
    account=st.from_regex(r"[A-Za-z0-9]{1,19}", fullmatch=True),
    amount=st.one_of(st.none(), st.integers(min_value=1, max_value=MAX_AMOUNT)),
    purpose=st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=25),
)
def test_decode_inverts_encode(bin_, account, amount, purpose) -> None:
    result = decode(encode(bin_, account, amount, purpose))

    assert result.valid
    assert (result.bin, result.account, result.amount, result.purpose or "") == (
        bin_,
        account,
        amount,
        purpose,
    )


@pytest.mark.parametrize("payload", [p[0] for p in PUBLISHED[:3]])
def test_png_and_svg_read_back_by_zxing(payload) -> None:
    assert read_qr(png_pixels(qr_png(payload))) == [payload]
    assert read_qr(svg_pixels(qr_svg(payload))) == [payload]


def test_bank_list_is_data_with_unique_bins() -> None:
    bins = [b.bin for b in all_banks()]

    assert len(bins) == len(set(bins)) >= 40
    assert bank_by_bin("970436").short_name == "Vietcombank"


def test_cli_encode_prints_the_payload(capsys) -> None:
    call_command(
        "vietqr",
        "encode",
        "--bin",
        "970415",
        "--account",
        "0011001932418",
        "--amount",
        "120000",
        "--purpose",
        "ung ho lu lut",
    )

    assert capsys.readouterr().out.strip() == PUBLISHED[0][0]


def test_cli_decode_json(capsys) -> None:
    call_command("vietqr", "decode", PUBLISHED[0][0], "--json")

    assert json.loads(capsys.readouterr().out) == {
        "valid": True,
        "error": "",
        "bin": "970415",
        "account": "0011001932418",
        "amount": 120000,
        "currency": "704",
        "country": "VN",
        "purpose": "ung ho lu lut",
        "crc": "C15C",
    }


def test_cli_bad_input_is_a_command_error_in_vietnamese(capsys) -> None:
    with pytest.raises(CommandError, match="lớn hơn 0"):
        call_command("vietqr", "encode", "--bin", "970415", "--account", "1", "--amount", "0")
    with pytest.raises(SystemExit):
        call_command("vietqr", "decode", PUBLISHED[0][0][:-1], "--json")

    assert json.loads(capsys.readouterr().out)["valid"] is False
