"""Reading bank statements (CSV or XLSX) into credit lines; pure, no database.

Each bank exports its own columns; the known layouts are data (`data/statement_formats.json`):
for each role (date, reference, credit, debit or one signed amount, description) the header
names that bank uses. A file whose header matches no layout gets a manual mapping (the user
picks the column for each role). Only credits are kept: they are what parents paid in.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any, Final

from cchc.core.text import fold as fold_text

FORMATS_FILE = Path(__file__).with_name("data") / "statement_formats.json"
MAX_BYTES: Final = 5 * 1024 * 1024
MAX_ROWS: Final = 20_000
HEADER_SCAN_ROWS: Final = 30
ROLES: Final = ("date", "reference", "credit", "debit", "amount", "description")
ROLE_LABELS: Final = {
    "date": "Ngày giao dịch",
    "reference": "Số tham chiếu (mã giao dịch)",
    "credit": "Số tiền ghi có",
    "debit": "Số tiền ghi nợ",
    "amount": "Số tiền (âm là ghi nợ)",
    "description": "Nội dung, diễn giải",
}


class StatementError(ValueError):
    """A statement that cannot be read; the message is for the user, in Vietnamese."""


class UnknownColumns(StatementError):
    """No known layout matches: the caller offers a manual mapping over these headers."""

    def __init__(self, headers: list[str]) -> None:
        self.headers = headers
        shown = ", ".join(f"«{h}»" for h in headers if h) or "(không có)"
        super().__init__(
            "Không nhận ra mẫu sao kê của ngân hàng. Các cột tìm thấy: "
            f"{shown}. Hãy chọn cột cho từng mục bên dưới."
        )


@dataclass(frozen=True)
class StatementFormat:
    code: str
    name: str
    roles: dict[str, list[str]]


@dataclass(frozen=True)
class CreditLine:
    row_number: int
    posted_on: date
    amount_vnd: int
    description: str
    reference: str
    fingerprint: str = ""


@dataclass
class ParsedStatement:
    format_code: str
    lines: list[CreditLine] = field(default_factory=list)
    skipped_debits: int = 0


def fold(text: Any) -> str:
    """`cchc.core.text.fold` of any cell value (None and numbers included)."""
    return fold_text(str(text or ""))


@cache
def formats() -> tuple[StatementFormat, ...]:
    rows = json.loads(FORMATS_FILE.read_text(encoding="utf-8"))
    return tuple(StatementFormat(**row) for row in rows)


# ----------------------------------------------------------------------------- reading files


def _decode_csv(content: bytes) -> str:
    if b"\x00" in content and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise StatementError("Tệp không phải CSV hay Excel (.xlsx) đọc được.")
    for encoding in (
        ("utf-8-sig", "utf-16")
        if content[:2] in (b"\xff\xfe", b"\xfe\xff")
        else (
            "utf-8-sig",
            "cp1258",
        )
    ):
        try:
            # Windows-1258 writes tones as combining marks: compose them like UTF-8 text.
            return unicodedata.normalize("NFC", content.decode(encoding))
        except UnicodeDecodeError:
            continue
    raise StatementError(
        "Không đọc được bảng mã của tệp CSV. Hãy lưu lại tệp dạng «CSV UTF-8» rồi nhập lại."
    )


def read_rows(filename: str, content: bytes) -> list[list[Any]]:
    """The cells of the first sheet (XLSX) or of the CSV, as lists."""
    if len(content) > MAX_BYTES:
        raise StatementError("Tệp sao kê lớn quá 5 MB; hãy tách theo tháng.")
    if not content.strip():
        raise StatementError("Tệp sao kê trống.")
    if content[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            raise StatementError("Tệp Excel bị hỏng hoặc không phải .xlsx.") from error
        sheet = book.worksheets[0]
        rows = [
            list(r)
            for r, _ in zip(sheet.iter_rows(values_only=True), range(MAX_ROWS + 1), strict=False)
        ]
        book.close()
    else:
        text = _decode_csv(content)
        sample = text[:4096]
        try:
            dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        rows = [list(r) for r in csv.reader(io.StringIO(text), dialect)]
    if len(rows) > MAX_ROWS:
        raise StatementError(f"Tệp có hơn {MAX_ROWS} dòng; hãy tách theo tháng.")
    return rows


# ----------------------------------------------------------------------------- layouts


def _find_columns(header: list[Any], aliases: dict[str, list[str]]) -> dict[str, int]:
    folded = [fold(cell) for cell in header]
    found: dict[str, int] = {}
    for role, names in aliases.items():
        wanted = {fold(n) for n in names}
        for index, cell in enumerate(folded):
            if cell in wanted and index not in found.values():
                found[role] = index
                break
    return found


def _complete(columns: dict[str, int]) -> bool:
    return (
        "date" in columns
        and "description" in columns
        and ("credit" in columns or "amount" in columns)
    )


def detect(rows: list[list[Any]]) -> tuple[str, int, dict[str, int]]:
    """(format code, header row index, role → column) of the first header row a layout fits."""
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        best: tuple[int, str, dict[str, int]] | None = None
        for layout in formats():
            columns = _find_columns(row, layout.roles)
            if _complete(columns) and (best is None or len(columns) > best[0]):
                best = (len(columns), layout.code, columns)
        if best:
            return best[1], index, best[2]
    raise UnknownColumns(_likely_header(rows))


def _likely_header(rows: list[list[Any]]) -> list[str]:
    """The row with the most text cells among the first ones: what a person sees as headers."""
    candidates = rows[:HEADER_SCAN_ROWS] or [[]]
    best = max(candidates, key=lambda r: sum(isinstance(c, str) and bool(c.strip()) for c in r))
    return [str(c).strip() if c is not None else "" for c in best]


def manual_columns(rows: list[list[Any]], mapping: dict[str, str]) -> tuple[int, dict[str, int]]:
    """Header row and columns for a mapping the user chose (role → header text)."""
    chosen = {role: [name] for role, name in mapping.items() if name}
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns = _find_columns(row, chosen)
        if len(columns) == len(chosen) and _complete(columns):
            return index, columns
    raise StatementError(
        "Cách ghép cột chưa đủ: cần cột ngày, cột nội dung và cột số tiền ghi có (hoặc số tiền)."
    )


# ----------------------------------------------------------------------------- values

_DATE_PATTERNS = (
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"), ("d", "m", "y")),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), ("y", "m", "d")),
)


def parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None
    return None


def parse_amount(value: Any) -> int | None:
    """Whole VND from a cell: 1200000, "1.200.000", "1,200,000", "1 200 000 VND", "-50.000"."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = re.sub(r"(?i)\s|vnd|đ|₫", "", str(value))
    if not text:
        return 0
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    text = text.strip("-+()")
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text) and len(set(re.findall(r"[.,]", text))) == 1:
        text = re.sub(r"[.,]", "", text)
    elif re.fullmatch(r"[\d.,]+[.,]\d{1,2}", text):
        whole, fraction = re.split(r"[.,](?=\d{1,2}$)", text)
        if int(fraction):
            return None
        text = re.sub(r"[.,]", "", whole)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    if amount != amount.to_integral_value():
        return None
    return -int(amount) if negative else int(amount)


# ----------------------------------------------------------------------------- lines


def parse(
    filename: str,
    content: bytes,
    *,
    mapping: dict[str, str] | None = None,
) -> ParsedStatement:
    """Credit lines of a statement, each with its fingerprint; raises on any unreadable line."""
    rows = read_rows(filename, content)
    if mapping:
        format_code = "manual"
        header_index, columns = manual_columns(rows, mapping)
    else:
        format_code, header_index, columns = detect(rows)
    result = ParsedStatement(format_code)
    errors: list[str] = []
    occurrences: Counter[tuple[Any, ...]] = Counter()

    def cell(row: list[Any], role: str) -> Any:
        index = columns.get(role)
        return row[index] if index is not None and index < len(row) else None

    for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        raw_date = cell(row, "date")
        if raw_date in (None, "") or not any(c not in (None, "") for c in row):
            continue  # blank rows, totals and footers have no transaction date
        posted_on = parse_date(raw_date)
        if posted_on is None:
            if "tong" in fold(" ".join(str(c or "") for c in row)):
                continue
            errors.append(f"Dòng {number}: ngày «{raw_date}» không hợp lệ.")
            continue
        if "amount" in columns:
            amount = parse_amount(cell(row, "amount"))
        else:
            amount = parse_amount(cell(row, "credit"))
            debit = parse_amount(cell(row, "debit")) if "debit" in columns else 0
            if amount == 0 and debit:
                amount = -abs(debit)
        if amount is None:
            errors.append(f"Dòng {number}: số tiền không hợp lệ (phải là số đồng nguyên).")
            continue
        if amount <= 0:
            result.skipped_debits += 1
            continue
        description = " ".join(str(cell(row, "description") or "").split())[:500]
        reference = str(cell(row, "reference") or "").strip()[:100]
        key = (posted_on, amount, fold(description), reference)
        occurrences[key] += 1
        result.lines.append(
            CreditLine(
                number,
                posted_on,
                amount,
                description,
                reference,
                fingerprint(posted_on, amount, description, reference, occurrences[key]),
            )
        )
    if errors:
        shown = "; ".join(errors[:10]) + ("; …" if len(errors) > 10 else "")
        raise StatementError(f"Sao kê có {len(errors)} dòng không đọc được: {shown}")
    if not result.lines:
        raise StatementError("Sao kê không có giao dịch ghi có nào.")
    return result


def fingerprint(
    posted_on: date, amount: int, description: str, reference: str, occurrence: int
) -> str:
    """The bank's transaction id when it gives one; else date, amount, note and how many
    identical lines came before (two equal transfers on one day are two payments, the same
    line seen again in a later statement is not)."""
    if reference:
        basis = f"ref|{reference}"
    else:
        basis = f"row|{posted_on.isoformat()}|{amount}|{fold(description)}|{occurrence}"
    return hashlib.sha256(basis.encode("utf-8")).hexdigest()


def content_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
