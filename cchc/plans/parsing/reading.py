"""Turn an uploaded plan file (plain text or DOCX) into clean NFC text, one paragraph a line.

Plans reach us as Word files or as text copied out of them, saved by whatever editor the
clerk had: UTF-8 with or without a BOM, UTF-16 from Notepad, Windows-1258 from old Vietnamese
Windows, NFD-composed text from macOS or some Word exports. Everything is normalised here so
that the structure parser (:mod:`cchc.plans.parsing`) only ever sees one kind of text.

DOCX is read paragraph by paragraph in body order, including Word's automatic numbering (which
python-docx does not render, and without which "1.", "1.1." and "a)" vanish) and the tables:
the two-column layout tables of a Decree 30/2020 header or signature block become one line per
cell paragraph, data tables (three columns or more, or a "TT" column) become one line per row
with the cells separated by tabs, so the parser can map the columns.

This module is pure: no Django import. User-facing messages are Vietnamese.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import PurePath

from cchc.core.numbers import parse_int_in_range
from cchc.core.text import fold

__all__ = [
    "MAX_FILE_BYTES",
    "PlanParseError",
    "clean_text",
    "decode_plan_bytes",
    "fold",
    "read_plan_file",
    "roman_numeral",
]

MAX_FILE_BYTES = 10 * 1024 * 1024
"""A plan is a few pages; anything bigger is not a plan (and would only load the server)."""

MAX_UNPACKED_BYTES = 100 * 1024 * 1024
"""A DOCX is a zip: refuse archives that would inflate far beyond any real plan."""

TEXT_SUFFIXES = frozenset({"", ".txt", ".text", ".md"})

DOCX_BROKEN = (
    "Tệp .docx bị hỏng hoặc không đúng định dạng Word. Hãy mở tệp bằng Word, "
    "lưu lại dạng .docx (Tệp → Lưu thành → Tài liệu Word) rồi tải lên lại."
)

_MAGIC = (
    (b"\x89PNG", "ảnh PNG"),
    (b"\xff\xd8\xff", "ảnh JPEG"),
    (b"GIF8", "ảnh GIF"),
    (b"%PDF", "tệp PDF"),
    (b"PK\x03\x04", "tệp nén ZIP/DOCX"),
    (b"\xd0\xcf\x11\xe0", "tệp Word .doc cũ"),
    (b"{\\rtf", "tệp RTF"),
    (b"\x7fELF", "tệp chương trình"),
    (b"MZ", "tệp chương trình"),
)

_LINE_BREAKS = str.maketrans(
    {"\r": "\n", "\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n"}
)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2002\u2003\u2007\u2009\u202f\u3000"), " ")


class PlanParseError(ValueError):
    """The file is not a plan we can read; the message says why, in Vietnamese, for the user."""


def clean_text(text: str) -> str:
    """NFC-normalise, unify line breaks and drop control and invisible characters."""
    text = text.replace("\r\n", "\n").translate(_LINE_BREAKS).translate(_INVISIBLE)
    text = text.translate(_SPACES)
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
    return unicodedata.normalize("NFC", text)


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """Notepad's "Unicode" without a BOM: every other byte is NUL for Vietnamese-free ASCII."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:4000]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    bad = sum(
        1 for c in text if c == "\ufffd" or (unicodedata.category(c) == "Cc" and c not in "\n\t\r")
    )
    return bad > max(2, len(text) // 50)


def decode_plan_bytes(data: bytes) -> str:
    """Decode a text file: UTF-8 (BOM or not), UTF-16 (BOM), else Windows-1258; return NFC.

    Windows-1258 is tried last because any byte string decodes in it; UTF-8 is strict, so a
    legacy file never passes for UTF-8 by accident.
    """
    if not data.strip(b" \t\r\n\x00\x0b\x0c") or data.strip() in (
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"\xfe\xff",
    ):
        raise PlanParseError("Tệp rỗng.")
    kind = _binary_kind(data)
    if kind:
        raise PlanParseError(f"Tệp không phải văn bản thuần (có vẻ là {kind}).")
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        encoding: str | None = "utf-32"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        encoding = _utf16_without_bom(data) if b"\x00" in data else None
    if encoding:
        text = data.decode(encoding, errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1258", errors="replace")
    if _looks_binary(text):
        raise PlanParseError("Tệp không phải văn bản (chứa nhiều ký tự điều khiển hoặc mã hóa lạ).")
    text = clean_text(text)
    if not text.strip():
        raise PlanParseError("Tệp rỗng.")
    return text


def read_plan_file(data: bytes, filename: str) -> str:
    """Read an uploaded plan (.txt or .docx) into text; other formats are refused by name."""
    suffix = PurePath(filename or "").suffix.lower()
    if len(data) > MAX_FILE_BYTES:
        raise PlanParseError("Tệp quá lớn (tối đa 10 MB) để là một kế hoạch.")
    if suffix in TEXT_SUFFIXES:
        return decode_plan_bytes(data)
    if suffix == ".docx":
        return _read_docx(data)
    raise PlanParseError(
        f"Chỉ nhận tệp .txt hoặc .docx (tệp đã gửi: {suffix or 'không có đuôi'}). "
        "Với tệp .doc hoặc .pdf, hãy mở bằng Word và lưu lại dạng .docx."
    )


# --------------------------------------------------------------------------- DOCX


def _read_docx(data: bytes) -> str:
    import docx  # lazy: text imports should not pay for lxml and python-docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    if not data.strip():
        raise PlanParseError("Tệp rỗng.")
    if not data.startswith(b"PK"):
        kind = _binary_kind(data)
        raise PlanParseError(f"Tệp .docx không hợp lệ{f' (có vẻ là {kind})' if kind else ''}.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise PlanParseError(DOCX_BROKEN) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise PlanParseError("Tệp .docx quá lớn khi giải nén để là một kế hoạch.")
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        # python-docx trusts the package's XML: a damaged [Content_Types].xml or relationship
        # part surfaces as AttributeError, TypeError, KeyError or an lxml error deep inside the
        # library. Whatever it is, the upload is not a Word file we can open: tell the user so
        # (a 422 with a way out) instead of a 500.
        raise PlanParseError(DOCX_BROKEN) from exc
    try:
        reader = _DocxReader(document)
        lines = list(reader.lines())
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError, etree.LxmlError) as exc:
        raise PlanParseError(DOCX_BROKEN) from exc
    text = clean_text("\n".join(lines))
    if not text.strip():
        raise PlanParseError("Tệp rỗng.")
    return text


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_TT_HEADERS = frozenset({"tt", "stt", "so tt", "so thu tu"})
# Word's own limits: nine list levels (0–8) and start values up to 32767. The file is untrusted:
# a start of 10**18 would make roman_numeral() run for ever, and an odd value ("²", "x") made
# int() fail and the whole plan be refused; out-of-range values fall back to Word's defaults.
_MAX_LEVEL = 8
_MAX_START = 32767


def _level(raw: str | None) -> int:
    return parse_int_in_range(raw, minimum=0, maximum=_MAX_LEVEL) or 0


def _start(raw: str | None) -> int | None:
    return parse_int_in_range(raw, minimum=0, maximum=_MAX_START)


def roman_numeral(number: int) -> str:
    """Upper-case Roman numeral; "" for zero or less, "M" repeated beyond 3999."""
    out = []
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        if number <= 0:
            break
        count, number = divmod(number, value)  # not a loop per "M": counters can be large
        out.append(letters * count)
    return "".join(out)


def _to_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


class _DocxReader:
    """Walks a python-docx document body in order and renders Word numbering as text."""

    def __init__(self, document: object) -> None:
        self.body = document.element.body  # type: ignore[attr-defined]
        self.styles = self._style_numbering(document)
        self.levels, self.abstract_of, self.overrides = self._numbering_definitions(document)
        self.counters: dict[str, dict[int, int]] = {}

    # ---- numbering definitions

    @staticmethod
    def _style_numbering(document: object) -> dict[str, tuple[str | None, int | None, str | None]]:
        """styleId → (numId, ilvl, basedOn) for styles that carry numbering (List Number, …)."""
        found: dict[str, tuple[str | None, int | None, str | None]] = {}
        styles = document.styles.element  # type: ignore[attr-defined]
        for style in styles.iter(f"{_W}style"):
            style_id = style.get(f"{_W}styleId")
            based = style.find(f"{_W}basedOn")
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            num_id = ilvl = None
            if num_pr is not None:
                num_id_el = num_pr.find(f"{_W}numId")
                ilvl_el = num_pr.find(f"{_W}ilvl")
                num_id = num_id_el.get(f"{_W}val") if num_id_el is not None else None
                ilvl = _level(ilvl_el.get(f"{_W}val")) if ilvl_el is not None else None
            if style_id:
                found[style_id] = (
                    num_id,
                    ilvl,
                    based.get(f"{_W}val") if based is not None else None,
                )
        return found

    @staticmethod
    def _numbering_definitions(
        document: object,
    ) -> tuple[
        dict[str, dict[int, tuple[str, str, int]]], dict[str, str], dict[str, dict[int, int]]
    ]:
        levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        abstract_of: dict[str, str] = {}
        overrides: dict[str, dict[int, int]] = {}
        try:
            numbering = document.part.numbering_part.element  # type: ignore[attr-defined]
        except (KeyError, NotImplementedError):
            return levels, abstract_of, overrides
        for abstract in numbering.iter(f"{_W}abstractNum"):
            abstract_id = abstract.get(f"{_W}abstractNumId", "")
            for lvl in abstract.iter(f"{_W}lvl"):
                ilvl = _level(lvl.get(f"{_W}ilvl"))
                fmt_el = lvl.find(f"{_W}numFmt")
                text_el = lvl.find(f"{_W}lvlText")
                start_el = lvl.find(f"{_W}start")
                start = _start(start_el.get(f"{_W}val")) if start_el is not None else None
                levels.setdefault(abstract_id, {})[ilvl] = (
                    fmt_el.get(f"{_W}val", "decimal") if fmt_el is not None else "decimal",
                    text_el.get(f"{_W}val", "") if text_el is not None else "",
                    1 if start is None else start,
                )
        for num in numbering.iter(f"{_W}num"):
            num_id = num.get(f"{_W}numId", "")
            abstract_el = num.find(f"{_W}abstractNumId")
            if abstract_el is not None:
                abstract_of[num_id] = abstract_el.get(f"{_W}val", "")
            for override in num.iter(f"{_W}lvlOverride"):
                start_el = override.find(f"{_W}startOverride")
                value = _start(start_el.get(f"{_W}val")) if start_el is not None else None
                if value is not None:
                    overrides.setdefault(num_id, {})[_level(override.get(f"{_W}ilvl"))] = value
        return levels, abstract_of, overrides

    def _paragraph_numbering(self, p: object) -> tuple[str, int] | None:
        num_pr = p.find(f"{_W}pPr/{_W}numPr")  # type: ignore[attr-defined]
        num_id: str | None = None
        ilvl: int | None = None
        if num_pr is not None:
            num_id_el = num_pr.find(f"{_W}numId")
            ilvl_el = num_pr.find(f"{_W}ilvl")
            num_id = num_id_el.get(f"{_W}val") if num_id_el is not None else None
            ilvl = _level(ilvl_el.get(f"{_W}val")) if ilvl_el is not None else None
        style_el = p.find(f"{_W}pPr/{_W}pStyle")  # type: ignore[attr-defined]
        style_id = style_el.get(f"{_W}val") if style_el is not None else None
        for _ in range(6):  # basedOn chains are short; a cycle must not hang us
            if num_id is not None or style_id is None or style_id not in self.styles:
                break
            style_num, style_lvl, based = self.styles[style_id]
            num_id = style_num
            ilvl = ilvl if ilvl is not None else style_lvl
            style_id = based
        if not num_id or num_id == "0" or num_id not in self.abstract_of:
            return None
        return num_id, ilvl or 0

    def _number_prefix(self, num_id: str, ilvl: int) -> str:
        abstract_id = self.abstract_of[num_id]
        levels = self.levels.get(abstract_id, {})
        fmt, template, start = levels.get(ilvl, ("decimal", f"%{ilvl + 1}.", 1))
        if fmt == "bullet":
            return "-" if ilvl == 0 else "+"
        if fmt == "none":
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        start = self.overrides.get(num_id, {}).get(ilvl, start)
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [lvl for lvl in counters if lvl > ilvl]:
            del counters[deeper]

        def render(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            level_fmt, _, level_start = levels.get(level, ("decimal", "", 1))
            value = counters.get(level, level_start)
            if level_fmt in ("lowerLetter", "upperLetter"):
                letters = _to_letters(value)
                return letters if level_fmt == "lowerLetter" else letters.upper()
            if level_fmt in ("lowerRoman", "upperRoman"):
                roman = roman_numeral(value)
                return roman if level_fmt == "upperRoman" else roman.lower()
            if level_fmt == "decimalZero":
                return f"{value:02d}"
            return str(value)

        return re.sub(r"%([1-9])", render, template).strip()

    # ---- text

    @staticmethod
    def _run_text(p: object) -> str:
        parts: list[str] = []
        for el in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}noBreakHyphen"):  # type: ignore[attr-defined]
            if any(
                a.tag in (f"{_W}txbxContent", _MC_FALLBACK, f"{_W}del") for a in el.iterancestors()
            ):
                continue
            if el.tag == f"{_W}t":
                parts.append(el.text or "")
            elif el.tag == f"{_W}tab":
                parts.append("\t")
            elif el.tag == f"{_W}noBreakHyphen":
                parts.append("-")
            else:
                parts.append("\n")
        return "".join(parts)

    def _paragraph_lines(self, p: object) -> list[str]:
        text = self._run_text(p)
        numbering = self._paragraph_numbering(p)
        if numbering and text.strip():
            prefix = self._number_prefix(*numbering)
            text = f"{prefix} {text.lstrip()}" if prefix else text
        lines = text.split("\n")
        for box in p.iter(f"{_W}txbxContent"):  # type: ignore[attr-defined]
            if not any(a.tag == _MC_FALLBACK for a in box.iterancestors()):
                for inner in box.iter(f"{_W}p"):
                    lines.append(self._run_text(inner))
        return lines

    def _blocks(self, container: object) -> Iterator[object]:
        for child in container:  # type: ignore[attr-defined]
            if child.tag in (f"{_W}p", f"{_W}tbl"):
                yield child
            elif child.tag == f"{_W}sdt":
                content = child.find(f"{_W}sdtContent")
                if content is not None:
                    yield from self._blocks(content)

    def lines(self, container: object | None = None) -> Iterator[str]:
        for block in self._blocks(self.body if container is None else container):
            if block.tag == f"{_W}p":  # type: ignore[attr-defined]
                yield from self._paragraph_lines(block)
            else:
                yield from self._table_lines(block)

    def _table_lines(self, tbl: object) -> Iterator[str]:
        rows = [tr.findall(f"{_W}tc") for tr in tbl.findall(f"{_W}tr")]  # type: ignore[attr-defined]
        rows = [row for row in rows if row]
        if not rows:
            return
        first = fold(" ".join(self._run_text(p) for p in rows[0][0].iter(f"{_W}p")))
        is_data = max(len(row) for row in rows) >= 3 or first in _TT_HEADERS
        for row in rows:
            if is_data:
                cells = [" ".join(" ".join(self.lines(tc)).split()) for tc in row]
                if any(cells):
                    yield "\t".join(cells)
            else:
                for tc in row:
                    yield from self.lines(tc)
