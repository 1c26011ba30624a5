"""Remove personal data from feedback before publication (pure: no Django, no database).

Decree 13/2023/NĐ-CP treats names, phone numbers, e-mail addresses, ID numbers and addresses as
personal data; the published question and answer (Decree 20/2008 Art. 19) must carry none of
them. Each removed item becomes a bracketed label, so the reader sees that something was there.

The patterns aim to over-redact rather than leak: any run of nine or more digits, however it is
spaced or punctuated, is removed, and so is a run of nine or more spelled-out digits.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from cchc.core.text import strip_diacritics

PHONE = "[số điện thoại]"
EMAIL = "[email]"
ID_NUMBER = "[số định danh]"
NAME = "[họ tên]"
ADDRESS = "[địa chỉ]"

_UPPER = "".join(re.escape(c) for c in map(chr, range(0x41, 0x1EFA)) if c.isalpha() and c.isupper())
_LOWER = "".join(re.escape(c) for c in map(chr, range(0x61, 0x1EFB)) if c.isalpha() and c.islower())
_CAP_WORD = rf"[{_UPPER}][{_LOWER}]*"

# E-mail, also written to dodge filters: "an [at] gmail [dot] com", "an a còng gmail chấm com".
_AT = r"(?:\s*@\s*|\s*[\[(]\s*(?:at|a còng|@)\s*[\])]\s*|\s+(?:at|a còng|a móc)\s+)"
_DOT = r"(?:\s*\.\s*|\s*[\[(]\s*(?:dot|chấm)\s*[\])]\s*|\s+(?:dot|chấm)\s+)"
_EMAIL_RE = re.compile(
    rf"[A-Za-z0-9][A-Za-z0-9._%+\-]*{_AT}[A-Za-z0-9\-]+(?:{_DOT}[A-Za-z0-9\-]+)*{_DOT}"
    r"(?:com|vn|net|org|edu|gov|info|biz|io|me)\b",
    re.IGNORECASE,
)

# Digits separated by spaces, dots, dashes, slashes or brackets; "+84"/"(84)" prefixes.
_DIGIT_RUN = re.compile(r"(?<![\w])(?:\(?\+?\)?\s*)?\d(?:[\s.\-/()]{0,3}\d){6,}(?![\w])")
_DIGIT_WORDS = {
    "không": "0",
    "khong": "0",
    "một": "1",
    "mốt": "1",
    "hai": "2",
    "ba": "3",
    "bốn": "4",
    "tư": "4",
    "năm": "5",
    "lăm": "5",
    "sáu": "6",
    "bảy": "7",
    "bẩy": "7",
    "tám": "8",
    "chín": "9",
    "linh": "0",
}
_WORD_RUN = re.compile(
    r"(?<!\w)(?:(?:" + "|".join(sorted(_DIGIT_WORDS, key=len, reverse=True)) + r")[\s,.\-]+){8,}"
    r"(?:" + "|".join(sorted(_DIGIT_WORDS, key=len, reverse=True)) + r")(?!\w)",
    re.IGNORECASE,
)

# Names after the words Vietnamese uses before a person's name.
_TITLES = (
    r"ông|bà|anh|chị|em|cô|chú|bác|thầy|cháu|con|bạn|học sinh|phụ huynh|giáo viên|"
    r"hiệu trưởng|phó hiệu trưởng|tên là|tên|là|tôi là|họ tên|họ và tên|người gửi"
)
_NAME_RE = re.compile(
    rf"(?<!\w)((?i:{_TITLES})\s*:?\s+)({_CAP_WORD}(?:[ \t]+{_CAP_WORD}){{0,3}})(?!\w)"
)

# Addresses: after a marker, up to the end of the clause; and house numbers with a street.
_ADDRESS_MARKER = re.compile(
    r"(?<!\w)((?:địa chỉ|đ/c|đc|trú tại|cư trú tại|thường trú tại|tạm trú tại|thường trú|"
    r"tạm trú|ngụ tại|nhà ở|sống tại|ở tại)\s*:?\s*)"
    # Up to the end of the sentence; a letter may wrap an address over a line break.
    r"((?:[^.;\n]|\.(?=\S)|\n(?!\n))*?)"
    r"(?=\s*(?:\.(?:\s|$)|;|\n\n|,?\s*(?:sđt|số điện thoại|điện thoại|đt|email|e-mail|"
    r"thư điện tử|cccd|cmnd|căn cước)\b|$))",
    re.IGNORECASE,
)
_STREET_RE = re.compile(
    rf"(?<!\w)(?:số nhà|số)?\s*\d+[A-Za-z]?(?:/\d+[A-Za-z]?)*\s*,?\s*"
    rf"(?:đường|phố|hẻm|ngõ|ngách|kiệt)\s+(?:\d+|{_CAP_WORD}(?:\s+{_CAP_WORD}){{0,3}})",
    re.IGNORECASE,
)
_HAMLET_RE = re.compile(
    rf"(?<!\w)(?:ấp|thôn|xóm|bản|khu phố|tổ dân phố)\s+(?:số\s+)?(?:\d+\w?|{_CAP_WORD}"
    rf"(?:\s+{_CAP_WORD}){{0,2}})",
)

_LABELS = (PHONE, EMAIL, ID_NUMBER, NAME, ADDRESS)


def _classify_digits(digits: str, raw: str) -> str | None:
    """Which label a run of digits gets; None for dates, amounts and short numbers."""
    if len(digits) < 9:
        return None
    if "+" in raw or (digits.startswith("84") and len(digits) in (11, 12)):
        return PHONE
    if digits.startswith("0") and len(digits) in (10, 11) and len(digits) != 12:
        return PHONE
    if len(digits) in (9, 12):
        return ID_NUMBER
    return PHONE if digits.startswith("0") else ID_NUMBER


def _replace_digits(match: re.Match[str]) -> str:
    raw = match.group(0)
    digits = re.sub(r"\D", "", raw)
    if re.fullmatch(r"\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}", raw.strip()):
        return raw  # a date such as 12/09/2026 is not personal data on its own
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw.strip()) and not raw.strip().startswith("0"):
        return raw  # an amount such as 1.500.000 (đồng)
    label = _classify_digits(digits, raw)
    if label is None:
        return raw
    lead = raw[: len(raw) - len(raw.lstrip())]
    return lead + label


def _names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """The known names (the sender's), matched with or without diacritics, case-insensitive."""
    variants: set[str] = set()
    for name in names:
        name = " ".join(name.split())
        if len(name) < 2:
            continue
        variants.add(name)
        variants.add(_strip(name))
    variants = {v for v in variants if v}
    if not variants:
        return None
    alternatives = "|".join(re.escape(v) for v in sorted(variants, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


_strip = strip_diacritics


def redact(text: str, *, names: Iterable[str] = (), addresses: Iterable[str] = ()) -> str:
    """`text` with phones, e-mails, ID numbers, names and addresses replaced by labels.

    `names` and `addresses` are what the sender gave in the form: removed wherever they occur,
    besides everything the patterns find.
    """
    text = unicodedata.normalize("NFC", text)
    for address in addresses:
        address = " ".join(address.split())
        if len(address) >= 4:
            text = re.sub(re.escape(address), ADDRESS, text, flags=re.IGNORECASE)
    text = _EMAIL_RE.sub(EMAIL, text)
    text = _WORD_RUN.sub(PHONE, text)
    text = _DIGIT_RUN.sub(_replace_digits, text)
    text = _ADDRESS_MARKER.sub(
        lambda m: m.group(1) + ADDRESS if m.group(2).strip() else m.group(0), text
    )
    text = _STREET_RE.sub(lambda m: (" " if m.group(0)[:1].isspace() else "") + ADDRESS, text)
    text = _HAMLET_RE.sub(ADDRESS, text)
    pattern = _names_pattern(names)
    if pattern is not None:
        text = pattern.sub(NAME, text)
    text = _NAME_RE.sub(_replace_name, text)
    return text


def _replace_name(match: re.Match[str]) -> str:
    words = match.group(2)
    if words.strip("[]") in {label.strip("[]") for label in _LABELS}:
        return match.group(0)
    return match.group(1) + NAME


def leaks(text: str) -> list[str]:
    """What still looks like a phone, e-mail or ID number after redaction (for the last check)."""
    found = [m.group(0) for m in _EMAIL_RE.finditer(text)]
    for m in _DIGIT_RUN.finditer(text):
        if _replace_digits(m) != m.group(0):
            found.append(m.group(0))
    found += [m.group(0) for m in _WORD_RUN.finditer(text)]
    return found
