"""Reading a staff list from a spreadsheet: XLSX or CSV in the encodings schools really have.

Schools keep staff lists in Excel; a CSV saved by Excel on a Vietnamese Windows is Windows-1258
(with combining tone marks), "Unicode text" is UTF-16 with a BOM, LibreOffice writes UTF-8.
This module turns any of them into rows keyed by our field names, and checks every row, giving
a Vietnamese message per row ("Dòng 5: …"). It writes nothing: the service saves the rows only
when none has an error.

Columns (header row, any order, case and diacritics ignored): Họ và tên (required), Chức vụ,
Tổ chuyên môn, Thư điện tử, Điện thoại, Vai trò (several separated by "," or ";").
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import Final

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from cchc.accounts.models import Role
from cchc.core.text import fold

MAX_BYTES: Final = 2 * 1024 * 1024
MAX_ROWS: Final = 2000
COLUMNS: Final = ["full_name", "position", "group", "email", "phone", "roles"]
HEADERS: Final = {
    "full_name": "Họ và tên",
    "position": "Chức vụ",
    "group": "Tổ chuyên môn",
    "email": "Thư điện tử",
    "phone": "Điện thoại",
    "roles": "Vai trò",
}
_HEADER_ALIASES: Final = {
    "full_name": ["ho va ten", "ho ten", "ho, ten", "ten"],
    "position": ["chuc vu", "chuc danh", "vi tri"],
    "group": ["to chuyen mon", "to", "bo phan"],
    "email": ["thu dien tu", "email", "e-mail", "thu dien tu cong vu", "dia chi thu"],
    "phone": ["dien thoai", "so dien thoai", "sdt", "dt"],
    "roles": ["vai tro", "quyen"],
}
_IGNORED_HEADERS: Final = {"stt", "so thu tu", "tt", "ghi chu"}
_ROLE_ALIASES: Final = {
    Role.PRINCIPAL: ["hieu truong", "thu truong"],
    Role.VICE_PRINCIPAL: ["pho hieu truong", "pho thu truong"],
    Role.CLERK: ["van thu", "van thu (tiep nhan ho so)", "tiep nhan ho so", "mot cua"],
    Role.INSPECTION_HEAD: ["truong ban thanh tra nhan dan", "thanh tra nhan dan", "thanh tra"],
    Role.IT_LEAD: ["phu trach cong nghe thong tin", "cong nghe thong tin", "cntt", "tin hoc"],
    Role.STAFF: ["vien chuc", "vien chuc, nguoi lao dong", "giao vien", "nhan vien"],
}
_PHONE_RE: Final = re.compile(r"\+?[0-9][0-9 .\-]{7,18}[0-9]")


class TableError(ValueError):
    """The file as a whole cannot be read (format, encoding, header); Vietnamese message."""


@dataclass
class StaffRow:
    line: int
    full_name: str = ""
    position: str = ""
    group: str = ""
    email: str = ""
    phone: str = ""
    roles: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {c: getattr(self, c) for c in ["line", *COLUMNS]}

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in self.roles]


def _nul_share(sample: bytes) -> float:
    """Share of NUL bytes: UTF-16 text without a BOM has one in every other byte (ASCII)."""
    return sample.count(0) / len(sample) if sample else 0.0


def _decode_or_fail(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise TableError("Tệp CSV hỏng: không đọc được theo bảng mã UTF-16.") from None


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM, or NUL-padded without), else Windows-1258."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode_or_fail(data, "utf-16")
    elif _nul_share(data[1:400:2]) > 0.3 and len(data) % 2 == 0:
        text = _decode_or_fail(data, "utf-16-le")
    elif _nul_share(data[0:400:2]) > 0.3 and len(data) % 2 == 0:
        text = _decode_or_fail(data, "utf-16-be")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1258")
            except UnicodeDecodeError:
                raise TableError(
                    "Không đọc được bảng chữ của tệp CSV: hãy lưu lại với bảng mã UTF-8 "
                    "(Excel: Lưu thành → CSV UTF-8)."
                ) from None
    # Windows-1258 writes tone marks as combining characters: compose them.
    return unicodedata.normalize("NFC", text)


def _csv_rows(data: bytes) -> list[list[str]]:
    text = decode_csv(data)
    sample = text[:4096]
    delimiter = max([",", ";", "\t"], key=sample.count)
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise TableError("Tệp Excel bị hỏng hoặc không phải .xlsx.") from None
    sheet = book.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(["" if v is None else unicodedata.normalize("NFC", str(v)) for v in values])
        if len(rows) > MAX_ROWS + 1:
            break
    book.close()
    return rows


def read_rows(data: bytes, filename: str) -> list[list[str]]:
    """The raw cells of the first sheet (or the CSV), header first."""
    if len(data) > MAX_BYTES:
        raise TableError("Tệp quá lớn (tối đa 2 MB).")
    if not data.strip():
        raise TableError("Tệp rỗng.")
    name = filename.lower()
    if name.endswith(".xlsx") or data.startswith(b"PK\x03\x04"):
        return _xlsx_rows(data)
    if name.endswith((".csv", ".txt")):
        return _csv_rows(data)
    raise TableError("Chỉ nhận tệp .xlsx hoặc .csv (tải tệp mẫu ở trang này).")


def _header_map(header: list[str]) -> dict[int, str]:
    mapping: dict[int, str] = {}
    unknown = []
    for index, cell in enumerate(header):
        key = fold(cell).strip(" :*")
        if not key or key in _IGNORED_HEADERS:
            continue
        column = next((c for c, aliases in _HEADER_ALIASES.items() if key in aliases), None)
        if column is None:
            unknown.append(cell.strip())
        elif column in mapping.values():
            raise TableError(f"Cột “{cell.strip()}” bị lặp lại.")
        else:
            mapping[index] = column
    if unknown:
        names = ", ".join(f"“{u}”" for u in unknown)
        expected = ", ".join(HEADERS.values())
        raise TableError(f"Không nhận ra cột {names}. Các cột dùng được: {expected}.")
    if "full_name" not in mapping.values():
        raise TableError("Thiếu cột “Họ và tên” ở dòng tiêu đề (dòng 1).")
    return mapping


def role_of(label: str) -> str | None:
    key = fold(label).strip(" .")
    for role, aliases in _ROLE_ALIASES.items():
        if key in aliases or key == fold(Role(role).label):
            return role
    return None


def parse_table(data: bytes, filename: str) -> list[StaffRow]:
    """Rows with their per-row errors (file-level problems raise TableError)."""
    rows = read_rows(data, filename)
    while rows and not any(c.strip() for c in rows[0]):
        rows.pop(0)
    if not rows:
        raise TableError("Tệp rỗng.")
    mapping = _header_map(rows[0])
    out: list[StaffRow] = []
    seen_emails: dict[str, int] = {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(out) >= MAX_ROWS:
            raise TableError(f"Tệp có hơn {MAX_ROWS} người; hãy chia nhỏ.")
        values = {mapping[i]: " ".join(c.split()) for i, c in enumerate(cells) if i in mapping}
        row = StaffRow(line=number)
        row.full_name = values.get("full_name", "")[:200]
        row.position = values.get("position", "")[:200]
        row.group = values.get("group", "")[:200]
        row.email = values.get("email", "").lower()
        row.phone = values.get("phone", "")
        if not row.full_name:
            row.errors.append("thiếu họ và tên")
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                row.errors.append(f"thư điện tử “{row.email}” không hợp lệ")
            else:
                if row.email in seen_emails:
                    row.errors.append(
                        f"thư điện tử “{row.email}” trùng với dòng {seen_emails[row.email]}"
                    )
                seen_emails.setdefault(row.email, number)
        if row.phone and not _PHONE_RE.fullmatch(row.phone):
            row.errors.append(f"số điện thoại “{row.phone}” không hợp lệ")
        for label in re.split(r"[;,]", values.get("roles", "")):
            if not label.strip():
                continue
            role = role_of(label)
            if role is None:
                row.errors.append(f"không có vai trò “{label.strip()}”")
            elif role not in row.roles:
                row.roles.append(role)
        out.append(row)
    if not out:
        raise TableError("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề.")
    return out


def template_xlsx() -> bytes:
    """The empty template with the header row and one example line."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Nhân sự"
    sheet.append([HEADERS[c] for c in COLUMNS])
    sheet.append(
        [
            "Nguyễn Văn An",
            "Giáo viên",
            "Tổ Toán - Tin",
            "annv@truong.edu.vn",
            "0912 345 678",
            "Viên chức",
        ]
    )
    for column, width in zip("ABCDEF", [28, 20, 24, 30, 16, 30], strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
