"""Amounts in Vietnamese words, as a receipt writes them ("Bằng chữ: Một trăm hai mươi nghìn
đồng"): mốt/tư/lăm after a tens digit, "linh" for a zero tens digit, groups of three digits."""

from __future__ import annotations

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUPS = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ")


def _three(number: int, *, full: bool) -> str:
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0 and units and words:
        words.append("linh")
    elif tens == 1:
        words.append("mười")
    elif tens > 1:
        words += [_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens > 1:
            words.append("mốt")
        elif units == 4 and tens > 1:
            words.append("tư")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(_DIGITS[units])
    return " ".join(words)


def amount_in_words(amount: int) -> str:
    """120000 → "Một trăm hai mươi nghìn đồng"."""
    if amount == 0:
        return "Không đồng"
    groups: list[int] = []
    rest = abs(amount)
    while rest:
        groups.append(rest % 1000)
        rest //= 1000
    parts: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        if groups[index] == 0:
            continue
        leading = index == len(groups) - 1
        parts.append(_three(groups[index], full=not leading))
        if _GROUPS[index]:
            parts.append(_GROUPS[index])
    text = " ".join(parts) + " đồng"
    text = ("Âm " + text) if amount < 0 else text
    return text[0].upper() + text[1:]
