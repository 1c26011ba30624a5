"""Reading a class list (XLSX or CSV) for batch billing; pure, no database.

Schools keep class lists in Excel with varying headers; the columns are found by name
("Họ và tên học sinh", "Lớp", "Phụ huynh", "Điện thoại", "Email"), wherever the header row is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from cchc.payments.statements import StatementError, fold, read_rows

COLUMNS: dict[str, tuple[str, ...]] = {
    "student_name": ("ho va ten hoc sinh", "ho ten hoc sinh", "hoc sinh", "ho va ten", "ho ten"),
    "class_name": ("lop",),
    "payer_name": ("ho ten phu huynh", "phu huynh", "cha me hoc sinh", "nguoi nop", "cha/me"),
    "payer_phone": ("dien thoai", "so dien thoai", "sdt", "dien thoai phu huynh"),
    "payer_email": ("email", "thu dien tu", "e-mail"),
}
REQUIRED = ("student_name", "class_name", "payer_name")


class ClassListError(ValueError):
    """A class list that cannot be used; the message is in Vietnamese."""


@dataclass(frozen=True)
class Pupil:
    row_number: int
    student_name: str
    class_name: str
    payer_name: str
    payer_phone: str
    payer_email: str


def _header(rows: list[list[Any]]) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(rows[:20]):
        folded = [fold(c) for c in row]
        found: dict[str, int] = {}
        for key, names in COLUMNS.items():
            for column, cell in enumerate(folded):
                if cell in names and column not in found.values():
                    found[key] = column
                    break
        if all(k in found for k in REQUIRED):
            return index, found
    raise ClassListError(
        "Không tìm thấy dòng tiêu đề có các cột «Họ và tên học sinh», «Lớp» và «Phụ huynh»."
    )


def _text(value: Any, limit: int) -> str:
    return " ".join(str(value or "").split())[:limit]


def read_class_list(filename: str, content: bytes) -> list[Pupil]:
    """Pupils of the list; every bad row is reported at once, nothing is half-read."""
    try:
        rows = read_rows(filename, content)
    except StatementError as error:
        raise ClassListError(str(error)) from error
    header, columns = _header(rows)
    pupils: list[Pupil] = []
    errors: list[str] = []
    for number, row in enumerate(rows[header + 1 :], start=header + 2):

        def cell(key: str, limit: int, row: list[Any] = row) -> str:
            index = columns.get(key)
            return _text(row[index], limit) if index is not None and index < len(row) else ""

        pupil = Pupil(
            number,
            cell("student_name", 200),
            cell("class_name", 20),
            cell("payer_name", 200),
            re.sub(r"[^\d+]", "", cell("payer_phone", 30)),
            cell("payer_email", 254),
        )
        if not (pupil.student_name or pupil.class_name or pupil.payer_name):
            continue
        missing = [
            label
            for key, label in (
                ("student_name", "họ tên học sinh"),
                ("class_name", "lớp"),
                ("payer_name", "người nộp"),
            )
            if not getattr(pupil, key)
        ]
        if missing:
            errors.append(f"Dòng {number}: thiếu {', '.join(missing)}.")
            continue
        if pupil.payer_email:
            try:
                validate_email(pupil.payer_email)
            except ValidationError:
                errors.append(f"Dòng {number}: thư điện tử «{pupil.payer_email}» không hợp lệ.")
                continue
        pupils.append(pupil)
    if errors:
        raise ClassListError("; ".join(errors[:10]) + ("; …" if len(errors) > 10 else ""))
    if not pupils:
        raise ClassListError("Danh sách lớp không có học sinh nào.")
    return pupils
