"""VietQR payloads (NAPAS, EMVCo merchant-presented QR): build and read them, no Django.

domain.md section 9 and recipes.md section 6: TLV items (2-digit tag, 2-digit decimal length,
value), tag 01 "11" static (amount editable) or "12" dynamic (amount locked), tag 38 the
beneficiary block (GUID A000000727, BIN + account, service QRIBFTTA), 53 currency 704, 54 the
amount in whole VND, 58 "VN", 62/08 the purpose, and 63 a CRC-16/CCITT-FALSE (poly 0x1021,
init 0xFFFF, not reflected) over the whole string including "6304". Some public snippets use the
reflected polynomial 0x8408; that is wrong for VietQR and the tests pin published payloads.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Final

from cchc.core.text import strip_diacritics

NAPAS_GUID: Final = "A000000727"
SERVICE_TO_ACCOUNT: Final = "QRIBFTTA"
SERVICE_TO_CARD: Final = "QRIBFTTC"
CURRENCY_VND: Final = "704"
COUNTRY_VN: Final = "VN"
STATIC: Final = "11"
DYNAMIC: Final = "12"
# EMVCo: 54 "Transaction Amount" is at most 13 characters; 62/08 "Purpose of Transaction" at most
# 25 (the limit one VietQR implementation documents too).
MAX_AMOUNT: Final = 10**13 - 1
PURPOSE_MAX: Final = 25
ACCOUNT_MAX: Final = 19

_BIN = re.compile(r"\d{6}", re.ASCII)
_ACCOUNT = re.compile(r"[A-Za-z0-9]{1,19}", re.ASCII)
_PRINTABLE = re.compile(r"[\x20-\x7e]*", re.ASCII)


class VietQRError(ValueError):
    """Input that cannot become a VietQR payload; the message is for the user, in Vietnamese."""


def crc16_ccitt_false(data: bytes) -> int:
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def clean_purpose(purpose: str) -> str:
    """The note as banks accept it: ASCII without diacritics, single spaces, ≤ 25 characters.

    Raises VietQRError when a character has no ASCII form (emoji, Chinese …): silently dropping
    it could change the meaning of the note or lose the bill code the reconciliation relies on.
    """
    text = " ".join(strip_diacritics(purpose).split())
    if not _PRINTABLE.fullmatch(text):
        bad = next(ch for ch in text if not _PRINTABLE.fullmatch(ch))
        raise VietQRError(f"Nội dung chuyển khoản có ký tự không thể mã hóa: «{bad}».")
    return text[:PURPOSE_MAX].rstrip()


def _tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise VietQRError(f"Trường {tag} dài quá 99 ký tự.")
    return f"{tag}{len(value):02d}{value}"


def encode(
    bin: str,
    account: str,
    amount: int | None = None,
    purpose: str = "",
    *,
    service: str = SERVICE_TO_ACCOUNT,
) -> str:
    """The VietQR payload: dynamic (amount locked) with an amount, static without."""
    bin_ = str(bin).strip()
    account = str(account).strip()
    if not _BIN.fullmatch(bin_):
        raise VietQRError("Mã ngân hàng (BIN) phải gồm đúng 6 chữ số.")
    if not _ACCOUNT.fullmatch(account):
        raise VietQRError(
            f"Số tài khoản chỉ gồm chữ số hoặc chữ cái không dấu, từ 1 đến {ACCOUNT_MAX} ký tự."
        )
    if amount is not None:
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise VietQRError("Số tiền phải là số nguyên đồng.")
        if amount <= 0:
            raise VietQRError("Số tiền phải lớn hơn 0 đồng.")
        if amount > MAX_AMOUNT:
            raise VietQRError("Số tiền vượt quá giới hạn 13 chữ số của mã VietQR.")
    note = clean_purpose(purpose)
    beneficiary = _tlv("00", bin_) + _tlv("01", account)
    merchant = _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", service)
    payload = _tlv("00", "01") + _tlv("01", DYNAMIC if amount else STATIC) + _tlv("38", merchant)
    payload += _tlv("53", CURRENCY_VND)
    if amount:
        payload += _tlv("54", str(amount))
    payload += _tlv("58", COUNTRY_VN)
    if note:
        payload += _tlv("62", _tlv("08", note))
    payload += "6304"
    return payload + f"{crc16_ccitt_false(payload.encode('ascii')):04X}"


@dataclass(frozen=True)
class Decoded:
    """What a payload says, and whether it is a well-formed VietQR (with the reason if not)."""

    valid: bool
    error: str
    bin: str | None = None
    account: str | None = None
    amount: int | None = None
    currency: str | None = None
    country: str | None = None
    purpose: str | None = None
    crc: str | None = None
    dynamic: bool | None = None
    service: str | None = None
    bill_number: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The fields the CLI prints, in the order the issue gives."""
        data = asdict(self)
        keys = ("valid", "error", "bin", "account", "amount", "currency", "country", "purpose")
        return {**{k: data[k] for k in keys}, "crc": data["crc"]}


class _Malformed(Exception):
    pass


def _parse_tlv(text: str, where: str) -> dict[str, str]:
    items: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        head = text[pos : pos + 4]
        if len(head) < 4 or not head.isdigit() or not head.isascii():
            raise _Malformed(f"Cấu trúc {where} hỏng ở vị trí {pos + 1}: thiếu mã hoặc độ dài.")
        tag, length = head[:2], int(head[2:])
        value = text[pos + 4 : pos + 4 + length]
        if len(value) < length:
            raise _Malformed(
                f"Mã bị cắt cụt: trường {tag} cần {length} ký tự, chỉ còn {len(value)}."
            )
        if tag in items:
            raise _Malformed(f"Trường {tag} xuất hiện hai lần trong {where}.")
        items[tag] = value
        pos += 4 + length
    return items


def decode(payload: str) -> Decoded:
    """Read a payload; never raises on bad input, it says what is wrong instead."""
    text = (payload or "").strip()
    if not text:
        return Decoded(False, "Chuỗi mã QR trống.")
    try:
        items = _parse_tlv(text, "mã QR")
    except _Malformed as error:
        return Decoded(False, str(error))
    fields: dict[str, Any] = {
        "currency": items.get("53"),
        "country": items.get("58"),
        "crc": items.get("63"),
        "dynamic": {DYNAMIC: True, STATIC: False}.get(items.get("01", "")),
    }
    try:
        merchant = _parse_tlv(items.get("38", ""), "khối người nhận (38)")
        beneficiary = _parse_tlv(merchant.get("01", ""), "thông tin tài khoản (38/01)")
        extra = _parse_tlv(items.get("62", ""), "dữ liệu bổ sung (62)")
    except _Malformed as error:
        return Decoded(False, str(error), **fields)
    amount_text = items.get("54")
    fields |= {
        "bin": beneficiary.get("00"),
        "account": beneficiary.get("01"),
        "amount": int(amount_text) if amount_text and amount_text.isdigit() else None,
        "purpose": extra.get("08"),
        "bill_number": extra.get("01"),
        "service": merchant.get("02"),
    }
    problem = _structure_error(text, items, merchant, fields, amount_text)
    return Decoded(not problem, problem or "", **fields)


def _structure_error(
    text: str,
    items: dict[str, str],
    merchant: dict[str, str],
    fields: dict[str, Any],
    amount_text: str | None,
) -> str | None:
    if "63" not in items or not text.endswith("63" + "04" + items["63"]) or len(items["63"]) != 4:
        return "Thiếu mã kiểm tra CRC (trường 63) ở cuối chuỗi."
    expected = f"{crc16_ccitt_false(text[:-4].encode('ascii', 'replace')):04X}"
    if items["63"].upper() != expected:
        return f"Sai mã kiểm tra CRC: chuỗi ghi {items['63']}, tính ra {expected}."
    if items.get("00") != "01":
        return "Phiên bản định dạng (trường 00) phải là 01."
    if fields["dynamic"] is None:
        return "Phương thức khởi tạo (trường 01) phải là 11 (mã tĩnh) hoặc 12 (mã động)."
    if merchant.get("00") != NAPAS_GUID:
        return "Không phải mã VietQR: thiếu định danh NAPAS A000000727 trong trường 38."
    if not fields["bin"] or not _BIN.fullmatch(fields["bin"]):
        return "Mã ngân hàng (BIN) phải gồm đúng 6 chữ số."
    if not fields["account"]:
        return "Thiếu số tài khoản hoặc số thẻ người nhận."
    if merchant.get("02") not in (SERVICE_TO_ACCOUNT, SERVICE_TO_CARD):
        return "Mã dịch vụ (38/02) phải là QRIBFTTA hoặc QRIBFTTC."
    if fields["currency"] != CURRENCY_VND:
        return "Đơn vị tiền tệ (trường 53) phải là 704 (VND)."
    if fields["country"] != COUNTRY_VN:
        return "Mã quốc gia (trường 58) phải là VN."
    if amount_text is not None and (fields["amount"] is None or fields["amount"] <= 0):
        return "Số tiền (trường 54) phải là số nguyên dương."
    return None
