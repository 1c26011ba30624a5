"""Document references ("số, ký hiệu"): parse, find in a phrase, format (Decree 30/2020).

Pure Python (no Django) so that the plan parser, the registers, the CLI and the API share one
definition. The type abbreviations are data (``data/decree30_types.json``: Appendix III plus
the normative and Party types often met in citations), not code.

Shapes accepted (domain.md 6.2, ô 3):

* administrative ``211/KH-UBND``, ``05/KH-THCSNTB``; a unit after the issuer ``12/QĐ-UBND-VP``;
* công văn, which has no type abbreviation: ``05/BNV-VP``;
* normative with the year inside the number: ``15/2026/TT-BGDĐT``, ``22/2008/QH12``;
* Party style, number and type joined by a hyphen: ``51-KL/TW``;
* real-world noise: spaces (``01 /KH - UBND``), en dashes, a hyphen instead of the slash
  (``211-KH-UBND`` when the middle part is a known type), mixed-case codes (QyĐ, CTr, TTr, TrS)
  also written in capitals (``QYĐ``).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from typing import Any

__all__ = [
    "SYMBOL_TAIL",
    "DocRef",
    "DocRefError",
    "find_references",
    "format_reference",
    "parse_reference",
    "type_name",
    "type_table",
]

_DATA = Path(__file__).with_name("data") / "decree30_types.json"


class DocRefError(ValueError):
    """A string that is not a document reference; the message is Vietnamese, for users."""


@dataclass(frozen=True)
class DocRef:
    number: int
    year: int | None
    type_code: str | None
    type: str
    issuer_code: str
    unit_code: str | None
    normalized: str
    party_style: bool = False
    #: As written, spaces removed and the number unpadded: "1/QĐ-UBND", "51-KL/TW".
    written: str = ""
    start: int = 0
    end: int = 0

    def to_json(self) -> dict[str, Any]:
        """The CLI/API contract: exactly these seven keys."""
        data = asdict(self)
        return {
            k: data[k]
            for k in (
                "number",
                "year",
                "type_code",
                "type",
                "issuer_code",
                "unit_code",
                "normalized",
            )
        }


@cache
def type_table() -> dict[str, Any]:
    """The Decree 30 table as loaded from data (groups of [code, name] pairs)."""
    return json.loads(_DATA.read_text(encoding="utf-8"))


@cache
def _codes(group: str) -> dict[str, str]:
    table = type_table()
    if group == "state":
        pairs = table["normative"] + table["copies"] + table["administrative"]
    else:
        pairs = table["administrative"] + table["party"]
    return dict(pairs)


def type_name(code: str) -> str | None:
    """ "KH" → "Kế hoạch" (state table first, then Party types such as KL); None if unknown."""
    for group in ("state", "party"):
        canonical = _canonical_code(code, group)
        if canonical:
            return _codes(group)[canonical]
    return None


def _canonical_code(code: str, group: str) -> str | None:
    """The table's spelling of a type code written in any case ("QYĐ", "Ctr" → "QyĐ", "CTr")."""
    codes = _codes(group)
    if code in codes:
        return code
    folded = {c.upper(): c for c in codes}
    return folded.get(code.upper())


# A symbol part: a capital (Đ too) then letters/digits; "&" appears in a few issuers (BCĐ&KH).
_PART = r"[A-ZĐ][A-Za-zĐđ0-9&]*"
_DASH = r"\s*[-–—]\s*"
#: The tail after "number/": an optional year, then parts joined by hyphens. Shared with plans.
SYMBOL_TAIL = rf"(?:(?:19|20)\d{{2}}\s*/\s*)?{_PART}(?:{_DASH}{_PART})*"

_STATE = re.compile(
    rf"(?<![\w./-])(?P<num>\d{{1,5}})(?P<sep>\s*/\s*|{_DASH})(?P<tail>{SYMBOL_TAIL})(?![\w/])"
)
_PARTY = re.compile(
    rf"(?<![\w./-])(?P<num>\d{{1,5}}){_DASH}(?P<type>{_PART})\s*/\s*(?P<issuer>{_PART}(?:{_DASH}{_PART})*)(?![\w/])"
)
_NO_NUMBER = re.compile(rf"(?i:số)\s*:?\s*[.…_\s]*/\s*(?P<tail>{SYMBOL_TAIL})")
_PREFIX = re.compile(r"^\s*(?i:số)\s*[:.]?\s*")


def _parts(tail: str) -> list[str]:
    return [p for p in re.split(r"\s*[-–—]\s*", re.sub(r"\s*/\s*", "/", tail.strip())) if p]


def _state_ref(match: re.Match[str]) -> DocRef | None:
    number = int(match["num"])
    tail = re.sub(r"\s+", "", match["tail"])
    year: int | None = None
    year_match = re.match(r"((?:19|20)\d{2})/", tail)
    if year_match:
        year = int(year_match[1])
        tail = tail[year_match.end() :]
    parts = _parts(tail)
    hyphenated = match["sep"].strip() != "/"
    type_code = _canonical_code(parts[0], "state")
    if hyphenated and (type_code is None or len(parts) < 2 or year is not None):
        # "211-KH-UBND" is a reference; "15-7-2021" or "H29-01" are not.
        return None
    if type_code is not None and len(parts) >= 2:
        joint = type_code in type_table()["joint_types"]
        issuer = "-".join(parts[1:]) if joint else parts[1]
        unit = None if joint or len(parts) < 3 else "-".join(parts[2:])
        name = _codes("state")[type_code]
    elif type_code is None and len(parts) >= 2:
        issuer, unit, name = parts[0], "-".join(parts[1:]), "Công văn"
    elif year is not None and len(parts) == 1:
        # "22/2008/QH12": a law or ordinance, issuer only.
        issuer, unit = parts[0], None
        name = "Luật" if re.fullmatch(r"QH\d*", issuer) else ""
    else:
        return None
    symbol = "-".join(p for p in (type_code, issuer, unit) if p)
    normalized = f"{number:02d}/" + (f"{year}/" if year else "") + symbol
    written = f"{match['num']}/" + (f"{year}/" if year else "") + "-".join(parts)
    return DocRef(
        number,
        year,
        type_code,
        name,
        issuer,
        unit,
        normalized,
        written=written,
        start=match.start(),
        end=match.end(),
    )


def _party_ref(match: re.Match[str]) -> DocRef | None:
    type_code = _canonical_code(match["type"], "party")
    if type_code is None:
        return None
    parts = _parts(match["issuer"])
    number = int(match["num"])
    issuer, unit = parts[0], ("-".join(parts[1:]) or None)
    normalized = f"{number:02d}-{type_code}/" + "-".join(parts)
    written = f"{match['num']}-{match['type']}/" + "-".join(parts)
    name = _codes("party")[type_code]
    return DocRef(
        number,
        None,
        type_code,
        name,
        issuer,
        unit,
        normalized,
        party_style=True,
        written=written,
        start=match.start(),
        end=match.end(),
    )


def find_references(text: str) -> list[DocRef]:
    """Every reference in ``text`` in order: "Nghị quyết số 76/NQ-CP ngày 15/7/2021" → 76/NQ-CP."""
    found: list[DocRef] = []
    for pattern, build in ((_PARTY, _party_ref), (_STATE, _state_ref)):
        for match in pattern.finditer(text):
            if any(r.start <= match.start() < r.end for r in found):
                continue
            ref = build(match)
            if ref is not None:
                found.append(ref)
    return sorted(found, key=lambda r: r.start)


def parse_reference(text: str) -> DocRef:
    """The one reference in ``text`` (a bare symbol, "Số: 01 /KH-UBND" or a phrase).

    Raises :class:`DocRefError` with a Vietnamese message for anything else.
    """
    if text is None or not str(text).strip():
        raise DocRefError("Chưa nhập số, ký hiệu văn bản.")
    text = " ".join(str(text).split())
    if len(text) > 500:
        raise DocRefError("Chuỗi quá dài: số, ký hiệu văn bản chỉ vài chục ký tự.")
    found = find_references(text)
    if found:
        return found[0]
    missing = _NO_NUMBER.search(text)
    if missing or re.match(rf"^\s*/\s*{SYMBOL_TAIL}\s*$", _PREFIX.sub("", text)):
        raise DocRefError(
            f"“{text}” chưa có số văn bản: số phải là số Ả Rập đứng trước dấu “/” "
            "(ví dụ 01/KH-UBND)."
        )
    if re.fullmatch(r"\d+(?:\.\d+)+(?:\.[A-Z]\w*)?", text):
        raise DocRefError(
            f"“{text}” là mã thủ tục hành chính hoặc mã số, không phải số, ký hiệu văn bản."
        )
    raise DocRefError(
        f"“{text}” không phải số, ký hiệu văn bản theo Nghị định 30/2020/NĐ-CP "
        "(ví dụ 211/KH-UBND, 15/2026/TT-BGDĐT, 05/BNV-VP)."
    )


def format_reference(
    number: int,
    type_code: str | None,
    issuer_code: str,
    unit_code: str | None = None,
    year: int | None = None,
) -> str:
    """Compose "số, ký hiệu": number zero-padded below 10, type (none for công văn), issuer."""
    if number < 1:
        raise DocRefError("Số văn bản bắt đầu từ 01.")
    if type_code is not None and _canonical_code(type_code, "state") is None:
        raise DocRefError(f"“{type_code}” không có trong bảng chữ viết tắt tên loại văn bản.")
    if not re.fullmatch(_PART + rf"(?:{_DASH}{_PART})*", issuer_code or ""):
        raise DocRefError(f"Chữ viết tắt tên cơ quan “{issuer_code}” không hợp lệ.")
    code = _canonical_code(type_code, "state") if type_code else None
    symbol = "-".join(p for p in (code, issuer_code, unit_code) if p)
    return f"{number:02d}/" + (f"{year}/" if year else "") + symbol
