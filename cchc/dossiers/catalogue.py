"""The unit's procedure catalogue as plain data: the seed, its checks, and the XLSX exchange.

One record is a dict describing one *version* of a published procedure (thủ tục hành chính),
in the shape of ``data/procedures.json``; the Django model maps it field for field, and a
dossier keeps the version in force on its acceptance date (domain.md §10 rule 1). Everything
the procedure page must publish is here (Decision 63/2010 Art. 8(2) parts, domain.md §7), plus
the two clock settings that Decree 118/2025 left open (domain-2025.md §3.3).

Values that domain.md marks as belief [B] or unknown are listed by field name in
``unconfirmed``; the staff page shows them as "cần xác nhận" until the school checks them
against the province's decision publishing its procedures.

Staff edit the catalogue as a spreadsheet: :func:`export_xlsx` writes one row per record with
Vietnamese headers and labels, and :func:`import_xlsx` reads it back, forgiving what people do
to spreadsheets (moved columns, blank rows, numbers typed as text, dd/mm/yyyy dates) and
reporting each bad row instead of keeping half of it.

This module is pure: no Django import, only the standard library and openpyxl. All messages
meant for users are Vietnamese. The XLSX is written through cchc.core.spreadsheets (no
Django either), so text that looks like a formula stays text.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from importlib import resources
from typing import Any, Final

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from cchc.core.spreadsheets import workbook_bytes
from cchc.core.text import fold
from cchc.dossiers.channels import Channel

__all__ = [
    "CHANNELS",
    "FIELDS",
    "LABELS",
    "MAX_LENGTHS",
    "MAX_TIME_LIMIT",
    "ONLINE_LEVELS",
    "SUPPLEMENT_RULES",
    "UNITS",
    "CatalogueError",
    "RowProblem",
    "export_xlsx",
    "import_xlsx",
    "load_seed",
    "search_key",
    "validate",
]

#: Time-limit units, with the label used in spreadsheets and on the public page.
UNITS: Final[Mapping[str, str]] = {
    "working_days": "ngày làm việc",
    "working_hours": "giờ làm việc",
    "same_day": "trong ngày",
    "plan": "theo kế hoạch",
}
#: Submission channels of Decree 118/2025 Art. 15 (domain-2025.md §3.1).
CHANNELS: Final[Mapping[str, str]] = {channel.value: channel.label for channel in Channel}
ONLINE_LEVELS: Final[Mapping[str, str]] = {
    "full": "Toàn trình",
    "partial": "Một phần",
    "none": "Không",
}
#: What a supplement request does to the clock: Decree 61/2018 Art. 19(4) restarts it; the 766
#: index treats it as a pause. Decree 118/2025 is silent (domain-2025.md §3.3), so it is data.
SUPPLEMENT_RULES: Final[Mapping[str, str]] = {
    "restart": "Tính lại từ đầu",
    "pause": "Tạm dừng",
}

#: Record keys in schema order, each with its spreadsheet header.
LABELS: Final[Mapping[str, str]] = {
    "code": "Mã thủ tục",
    "name": "Tên thủ tục",
    "field": "Lĩnh vực",
    "level": "Cấp thực hiện",
    "steps": "Trình tự",
    "channels": "Cách thức",
    "documents": "Thành phần hồ sơ",
    "sets": "Số bộ",
    "time_limit_value": "Thời hạn",
    "time_limit_unit": "Đơn vị thời hạn",
    "time_limit_text": "Thời hạn (nguyên văn)",
    "cutoff": "Giờ chốt",
    "target_users": "Đối tượng",
    "implementing_body": "Cơ quan thực hiện",
    "result": "Kết quả",
    "fee_vnd": "Lệ phí (đồng)",
    "fee_text": "Lệ phí (nguyên văn)",
    "forms": "Mẫu đơn",
    "conditions": "Điều kiện",
    "legal_basis": "Căn cứ pháp lý",
    "online_level": "Mức độ trực tuyến",
    "valid_from": "Hiệu lực từ",
    "valid_to": "Hiệu lực đến",
    "supplement_rule": "Cách tính khi bổ sung",
    "max_supplements": "Số lần bổ sung tối đa",
    "unconfirmed": "Cần xác nhận",
    "sources": "Nguồn",
}
FIELDS: Final[tuple[str, ...]] = tuple(LABELS)

SHEET_TITLE: Final = "Thủ tục"
GUIDE_TITLE: Final = "Hướng dẫn"
#: A catalogue has tens of procedures; a bigger sheet is a wrong file, not a catalogue.
MAX_ROWS: Final = 2000
#: Rows searched for the header line, so a title or a note above the table is tolerated.
HEADER_SEARCH_ROWS: Final = 20

_TEXT_FIELDS = frozenset(
    {
        "code",
        "name",
        "field",
        "level",
        "time_limit_value",
        "time_limit_unit",
        "time_limit_text",
        "cutoff",
        "target_users",
        "implementing_body",
        "result",
        "fee_text",
        "conditions",
        "online_level",
        "valid_from",
        "valid_to",
        "supplement_rule",
    }
)
_LINE_LIST_FIELDS = ("steps", "forms", "legal_basis", "sources")
_CONFIRMABLE = frozenset(FIELDS) - {"unconfirmed", "sources"}
_DOCUMENT_KEYS = frozenset({"name", "originals", "copies", "required", "note"})
#: Longest text the Procedure model stores for each short field (longer text is a TextField).
MAX_LENGTHS: Final[Mapping[str, int]] = {
    "code": 30,
    "name": 300,
    "field": 200,
    "level": 100,
    "time_limit_text": 300,
    "fee_text": 300,
}
#: The model keeps the limit as a decimal(6, 2): at most 9999.99, two decimal places.
MAX_TIME_LIMIT = Decimal("9999.99")
_VALUE_UNITS = frozenset({"working_days", "working_hours"})

_CODE_RE = re.compile(r"\d\.\d{6}(\.[0-9A-Za-z]+)*")
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CUTOFF_RE = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
#: A positive decimal written one way only ("5", "0.5"; not "05" or "5.0"), so it survives XLSX.
_DECIMAL_RE = re.compile(r"(0|[1-9]\d*)(\.\d?[1-9])?")

_REQUIRED_LABEL, _OPTIONAL_LABEL = "bắt buộc", "không bắt buộc"
_DOCUMENT_RE = re.compile(
    r"(?P<name>.+?)\s+[—–-]+\s+(?P<originals>\d+)\s+bản chính\s*,\s*(?P<copies>\d+)\s+bản sao\s*"
    r"\((?P<required>bắt buộc|không bắt buộc)\)(?:\s+[—–-]+\s+(?P<note>.*))?",
    re.IGNORECASE,
)


class CatalogueError(ValueError):
    """The catalogue data or file cannot be used at all; the message is for the user."""

    def __init__(self, message: str, *, row: int | None = None, column: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


@dataclass(frozen=True)
class RowProblem:
    """One reason why a spreadsheet row was not imported."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"Dòng {self.row}" + (f", cột “{self.column}”" if self.column else "")
        return f"{where}: {self.message}"


# Text is folded the way the public page searches: lower case, no diacritics, đ → d.
search_key = fold


# --------------------------------------------------------------------------- validation


def validate(record: Mapping[str, Any]) -> list[str]:
    """Vietnamese descriptions of everything wrong with one record; empty when it is usable."""
    return [
        f"{LABELS[key]}: {message}" if key in LABELS else message
        for key, message in _record_problems(record)
    ]


def _record_problems(record: Any) -> list[tuple[str, str]]:
    """Problems as (field, message) pairs, so the XLSX import can name the column."""
    if not isinstance(record, Mapping):
        return [("", "Mỗi thủ tục phải là một bản ghi (đối tượng JSON).")]
    problems = [(key, "thiếu trường này.") for key in FIELDS if key not in record]
    problems += [("", f"Trường không xác định: “{key}”.") for key in record if key not in LABELS]
    present = {key: record[key] for key in FIELDS if key in record}
    for key, value in present.items():
        message = _type_problem(key, value)
        if message:
            problems.append((key, message))
    typed_ok = {key for key, _ in problems}.isdisjoint(present) and len(present) == len(FIELDS)
    if typed_ok:
        problems += _value_problems(present)
    return problems


def _type_problem(key: str, value: Any) -> str:
    if key in _TEXT_FIELDS:
        return "" if isinstance(value, str) else "phải là chuỗi ký tự."
    if key in ("sets", "max_supplements"):
        return "" if _is_int(value) else "phải là số nguyên."
    if key == "fee_vnd":
        valid = value is None or _is_int(value)
        return "" if valid else "phải là số tiền nguyên (đồng) hoặc để trống."
    if key == "documents":
        return "" if isinstance(value, list) else "phải là danh sách."
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return "phải là danh sách chuỗi ký tự."
    return ""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _value_problems(record: Mapping[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []

    def report(key: str, message: str) -> None:
        problems.append((key, message))

    if record["code"] and not _CODE_RE.fullmatch(record["code"]):
        report(
            "code",
            f"“{record['code']}” không đúng dạng mã của Cơ sở dữ liệu quốc gia về thủ tục "
            "hành chính (ví dụ 2.002481).",
        )
    if not record["name"].strip():
        report("name", "không được để trống.")
    for key, limit in MAX_LENGTHS.items():
        if len(record[key]) > limit:
            report(key, f"dài {len(record[key])} ký tự, tối đa {limit}.")
    for key in _LINE_LIST_FIELDS:
        for item in record[key]:
            if not item.strip() or "\n" in item:
                report(key, "mỗi mục phải có nội dung và nằm trên một dòng.")
                break
    _check_channels(record, report)
    _check_documents(record["documents"], report)
    if record["sets"] < 1:
        report("sets", "phải từ 1 trở lên.")
    _check_time_limit(record, report)
    if record["fee_vnd"] is not None and record["fee_vnd"] < 0:
        report("fee_vnd", "không được âm.")
    if record["online_level"] not in ONLINE_LEVELS:
        report("online_level", _enum_problem(record["online_level"], ONLINE_LEVELS))
    elif record["online_level"] != "none" and "online" not in record["channels"]:
        report("online_level", "thủ tục có mức độ trực tuyến thì cách thức phải có “Trực tuyến”.")
    _check_dates(record, report)
    if record["supplement_rule"] not in SUPPLEMENT_RULES:
        report("supplement_rule", _enum_problem(record["supplement_rule"], SUPPLEMENT_RULES))
    if record["max_supplements"] < 0:
        report("max_supplements", "không được âm.")
    unknown = [name for name in record["unconfirmed"] if name not in _CONFIRMABLE]
    if unknown:
        report("unconfirmed", f"không có trường “{unknown[0]}”.")
    if len(set(record["unconfirmed"])) != len(record["unconfirmed"]):
        report("unconfirmed", "có trường bị lặp.")
    return problems


def _choices(mapping: Mapping[str, str]) -> str:
    return ", ".join(mapping.values())


def _enum_problem(value: str, mapping: Mapping[str, str]) -> str:
    if not value:
        return f"chưa ghi; dùng: {_choices(mapping)}."
    return f"“{value}” không hợp lệ; dùng: {_choices(mapping)}."


def _check_channels(record: Mapping[str, Any], report: Callable[[str, str], None]) -> None:
    channels = record["channels"]
    if not channels:
        report("channels", "phải có ít nhất một cách thức nộp hồ sơ.")
    for channel in channels:
        if channel not in CHANNELS:
            report("channels", f"“{channel}” không hợp lệ; dùng: {_choices(CHANNELS)}.")
    if len(set(channels)) != len(channels):
        report("channels", "có cách thức bị lặp.")


def _check_documents(documents: list[Any], report: Callable[[str, str], None]) -> None:
    for number, document in enumerate(documents, start=1):
        where = f"giấy tờ thứ {number}"
        if not isinstance(document, Mapping) or set(document) != _DOCUMENT_KEYS:
            report(
                "documents",
                f"{where} phải có đúng các mục name, originals, copies, required, note.",
            )
            continue
        name, note = document["name"], document["note"]
        if not isinstance(name, str) or not name.strip() or "\n" in name:
            report("documents", f"{where} phải có tên, nằm trên một dòng.")
        if not isinstance(note, str) or "\n" in note:
            report("documents", f"{where}: ghi chú phải là chuỗi ký tự trên một dòng.")
        counts = (document["originals"], document["copies"])
        if not all(_is_int(count) and count >= 0 for count in counts):
            report("documents", f"{where}: số bản chính và số bản sao phải là số nguyên không âm.")
        elif sum(counts) < 1:
            report("documents", f"{where}: phải có ít nhất một bản chính hoặc bản sao.")
        if not isinstance(document["required"], bool):
            report("documents", f"{where}: “required” phải là true hoặc false.")


def _check_time_limit(record: Mapping[str, Any], report: Callable[[str, str], None]) -> None:
    unit, value = record["time_limit_unit"], record["time_limit_value"]
    if unit not in UNITS:
        report("time_limit_unit", _enum_problem(unit, UNITS))
        return
    # An unknown limit may stay blank while it is marked "cần xác nhận".
    unknown = value == "" and "time_limit_value" in record["unconfirmed"]
    if unit in _VALUE_UNITS:
        if not unknown and (
            not _DECIMAL_RE.fullmatch(value) or not 0 < Decimal(value) <= MAX_TIME_LIMIT
        ):
            message = (
                f"“{value}” phải là số dương đến {MAX_TIME_LIMIT}, tối đa hai chữ số thập phân, "
                "viết như 5 hoặc 0.5 (không có số 0 thừa)."
            )
            report("time_limit_value", message)
    elif value:
        report("time_limit_value", f"để trống khi đơn vị thời hạn là “{UNITS[unit]}”.")
    cutoff = record["cutoff"]
    if cutoff and not _CUTOFF_RE.fullmatch(cutoff):
        report("cutoff", f"“{cutoff}” phải có dạng giờ:phút, ví dụ 15:00.")
    if unit == "same_day" and not cutoff:
        report("cutoff", "thủ tục giải quyết trong ngày phải có giờ chốt (thường là 15:00).")


def _check_dates(record: Mapping[str, Any], report: Callable[[str, str], None]) -> None:
    start = _iso_date(record["valid_from"])
    if not record["valid_from"]:
        report("valid_from", "chưa ghi ngày bắt đầu hiệu lực.")
    elif start is None:
        report("valid_from", f"“{record['valid_from']}” phải là ngày dạng YYYY-MM-DD.")
    if record["valid_to"]:
        end = _iso_date(record["valid_to"])
        if end is None:
            report("valid_to", f"“{record['valid_to']}” phải là ngày dạng YYYY-MM-DD.")
        elif start is not None and end < start:
            report("valid_to", "ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")


def _iso_date(text: str) -> date | None:
    if not _ISO_DATE_RE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


# --------------------------------------------------------------------------- seed


def load_seed() -> list[dict[str, Any]]:
    """The school's procedures from ``data/procedures.json`` (domain.md §7), checked."""
    package = resources.files(__package__ or "cchc.dossiers")
    path = package.joinpath("data").joinpath("procedures.json")
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise CatalogueError(f"Không đọc được danh mục thủ tục gốc: {error}") from error
    if not isinstance(records, list):
        raise CatalogueError("Danh mục thủ tục gốc phải là một danh sách thủ tục.")
    problems = [
        f"Thủ tục thứ {number}: {message}"
        for number, record in enumerate(records, start=1)
        for message in validate(record)
    ]
    seen: set[tuple[str, str]] = set()
    for record in records:
        if not isinstance(record, Mapping):
            continue
        version = (record.get("code") or record.get("name"), record.get("valid_from"))
        if version in seen:
            problems.append(f"Thủ tục “{record.get('name')}” có hai phiên bản cùng ngày hiệu lực.")
        seen.add(version)
    if problems:
        raise CatalogueError("Danh mục thủ tục gốc có lỗi: " + " ".join(problems))
    return records


# --------------------------------------------------------------------------- XLSX export

_GUIDE: Final[Mapping[str, str]] = {
    "code": (
        "Mã thủ tục trên Cơ sở dữ liệu quốc gia về thủ tục hành chính, ví dụ 2.002481. "
        "Để trống nếu chưa biết mã (không tự đặt mã)."
    ),
    "name": (
        "Tên thủ tục đúng như quyết định công bố. Bắt buộc; dòng không có tên sẽ không được nhập."
    ),
    "field": "Lĩnh vực, ví dụ “Giáo dục trung học”, “Văn bằng, chứng chỉ”.",
    "level": "Cấp thực hiện, ví dụ “Cấp xã”, “Cấp tỉnh”, “Đơn vị sự nghiệp”.",
    "steps": "Trình tự thực hiện, mỗi bước một dòng (Alt+Enter để xuống dòng trong ô).",
    "channels": "Mỗi dòng một cách thức: Trực tiếp, Bưu chính, Trực tuyến.",
    "documents": (
        "Mỗi giấy tờ một dòng, theo mẫu: “Tên giấy tờ — 1 bản chính, 0 bản sao (bắt buộc)”; "
        "giấy tờ không bắt buộc ghi “(không bắt buộc)”; ghi chú (nếu có) thêm sau dấu “ — ”."
    ),
    "sets": "Số lượng bộ hồ sơ, thường là 1.",
    "time_limit_value": (
        "Số ngày hoặc số giờ, ví dụ 5 hoặc 0,5. Để trống khi thời hạn là “trong ngày” "
        "hoặc “theo kế hoạch”."
    ),
    "time_limit_unit": "Một trong: ngày làm việc, giờ làm việc, trong ngày, theo kế hoạch.",
    "time_limit_text": "Thời hạn ghi nguyên văn như bản công bố, kể cả các trường hợp đặc biệt.",
    "cutoff": (
        "Giờ chốt tiếp nhận (dạng 15:00): hồ sơ nhận sau giờ này tính sang ngày làm việc "
        "tiếp theo. Bắt buộc với thủ tục giải quyết trong ngày."
    ),
    "target_users": "Đối tượng thực hiện thủ tục.",
    "implementing_body": "Cơ quan, người có thẩm quyền giải quyết.",
    "result": "Kết quả thực hiện thủ tục.",
    "fee_vnd": (
        "Lệ phí bằng số (đồng), ví dụ 50000. Ghi 0 nếu được công bố là miễn phí; để trống "
        "nếu không có hoặc chưa biết."
    ),
    "fee_text": "Lệ phí ghi nguyên văn, ví dụ “Không”, “Theo quy định”.",
    "forms": "Tên mẫu đơn, tờ khai; mỗi mẫu một dòng.",
    "conditions": "Yêu cầu, điều kiện thực hiện.",
    "legal_basis": "Căn cứ pháp lý, mỗi văn bản một dòng.",
    "online_level": (
        "Một trong: Toàn trình, Một phần, Không. Nếu khác “Không” thì cách thức phải có "
        "“Trực tuyến”."
    ),
    "valid_from": (
        "Ngày phiên bản này bắt đầu áp dụng (dd/mm/yyyy). Hồ sơ giữ phiên bản có hiệu lực "
        "vào ngày tiếp nhận."
    ),
    "valid_to": "Ngày phiên bản này hết áp dụng (dd/mm/yyyy); để trống nếu còn hiệu lực.",
    "supplement_rule": (
        "Khi yêu cầu bổ sung hồ sơ: “Tính lại từ đầu” (cách hiểu Nghị định 61/2018, mặc "
        "định) hoặc “Tạm dừng” (trừ thời gian bổ sung)."
    ),
    "max_supplements": "Số lần được yêu cầu bổ sung, mặc định 1 (hướng dẫn bổ sung một lần).",
    "unconfirmed": (
        "Tên các cột có giá trị chưa được xác nhận, mỗi cột một dòng; trang cán bộ hiển thị "
        "“cần xác nhận”. Ô của các cột này được tô vàng."
    ),
    "sources": (
        "Nguồn của từng giá trị (mục tài liệu, địa chỉ trang công bố), mỗi nguồn một dòng."
    ),
}

_WIDTHS: Final[Mapping[str, int]] = {
    "code": 14,
    "name": 40,
    "field": 20,
    "level": 14,
    "steps": 60,
    "channels": 14,
    "documents": 60,
    "sets": 8,
    "time_limit_value": 10,
    "time_limit_unit": 16,
    "time_limit_text": 40,
    "cutoff": 10,
    "target_users": 30,
    "implementing_body": 30,
    "result": 30,
    "fee_vnd": 14,
    "fee_text": 20,
    "forms": 30,
    "conditions": 40,
    "legal_basis": 50,
    "online_level": 14,
    "valid_from": 13,
    "valid_to": 13,
    "supplement_rule": 18,
    "max_supplements": 12,
    "unconfirmed": 24,
    "sources": 50,
}

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_UNCONFIRMED_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")
_DATE_FORMAT = "DD/MM/YYYY"


def export_xlsx(records: Iterable[Mapping[str, Any]]) -> bytes:
    """The catalogue as an XLSX workbook that :func:`import_xlsx` reads back unchanged."""
    records = list(records)
    problems = [
        f"Thủ tục “{record.get('name', '')}”: {message}"
        for record in records
        for message in validate(record)
    ]
    if problems:
        raise CatalogueError(
            "Không xuất được danh mục vì dữ liệu có lỗi: " + " ".join(problems[:5])
        )
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = SHEET_TITLE
    sheet.append(list(LABELS.values()))
    for record in records:
        sheet.append([_cell_value(key, record[key]) for key in FIELDS])
    _style_table(sheet, records)
    _write_guide(workbook.create_sheet(GUIDE_TITLE))
    return workbook_bytes(workbook)


def _cell_value(key: str, value: Any) -> Any:
    if key == "channels":
        return _join(CHANNELS[item] for item in value)
    if key == "documents":
        return _join(_format_document(document) for document in value)
    if key == "unconfirmed":
        return _join(LABELS[item] for item in value)
    if key in _LINE_LIST_FIELDS:
        return _join(value)
    if key == "time_limit_value":
        if not value:
            return None
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() else float(number)
    if key == "time_limit_unit":
        return UNITS[value]
    if key == "online_level":
        return ONLINE_LEVELS[value]
    if key == "supplement_rule":
        return SUPPLEMENT_RULES[value]
    if key in ("valid_from", "valid_to"):
        return date.fromisoformat(value) if value else None
    if isinstance(value, str):
        return value or None
    return value


def _join(items: Iterable[str]) -> str | None:
    return "\n".join(items) or None


def _format_document(document: Mapping[str, Any]) -> str:
    required = _REQUIRED_LABEL if document["required"] else _OPTIONAL_LABEL
    line = (
        f"{document['name']} — {document['originals']} bản chính, "
        f"{document['copies']} bản sao ({required})"
    )
    return f"{line} — {document['note']}" if document["note"] else line


def _style_table(sheet: Worksheet, records: list[Mapping[str, Any]]) -> None:
    for index, key in enumerate(FIELDS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = _WIDTHS[key]
        header = sheet.cell(row=1, column=index)
        header.font, header.fill, header.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
        for row, record in enumerate(records, start=2):
            cell = sheet.cell(row=row, column=index)
            cell.alignment = _WRAP
            if key == "code":
                cell.number_format = "@"
            elif key in ("valid_from", "valid_to"):
                cell.number_format = _DATE_FORMAT
            if key in record["unconfirmed"]:
                cell.fill = _UNCONFIRMED_FILL
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(FIELDS))}{max(len(records) + 1, 2)}"


def _write_guide(sheet: Worksheet) -> None:
    sheet.append(["Cột", "Ý nghĩa và cách ghi"])
    for key, label in LABELS.items():
        sheet.append([label, _GUIDE[key]])
    sheet.append([])
    sheet.append(
        [
            "Lưu ý",
            "Có thể đổi thứ tự cột, thêm cột riêng (sẽ bị bỏ qua khi nhập) và để dòng trống. "
            "Dòng có lỗi không được nhập và được báo lại kèm số dòng, tên cột.",
        ]
    )
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 100
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = _WRAP
    for cell in sheet[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    sheet.freeze_panes = "A2"


# --------------------------------------------------------------------------- XLSX import

_NOT_XLSX = (
    "Tệp không phải là bảng tính Excel (.xlsx) hợp lệ. Hãy lưu lại tệp dưới dạng .xlsx rồi "
    "nhập lại."
)
_NO_NAME_HEADER = (
    "Không tìm thấy dòng tiêu đề có cột “Tên thủ tục”. Hãy dùng tệp xuất từ hệ thống hoặc giữ "
    "nguyên tên các cột."
)


class _CellError(ValueError):
    """A cell that cannot be read; the message says why, in Vietnamese."""


def import_xlsx(data: bytes) -> tuple[list[dict[str, Any]], list[RowProblem]]:
    """Records read from a catalogue workbook, and the rows that could not be taken."""
    workbook = _open_workbook(data)
    try:
        sheet, header_row, columns = _find_table(workbook)
        records: list[dict[str, Any]] = []
        problems: list[RowProblem] = []
        data_rows = 0
        for row_number, row in enumerate(
            sheet.iter_rows(min_row=header_row + 1, values_only=True), start=header_row + 1
        ):
            if all(_is_blank(value) for value in row):
                continue
            data_rows += 1
            if data_rows > MAX_ROWS:
                message = f"Tệp có quá nhiều dòng; tối đa {MAX_ROWS} thủ tục."
                raise CatalogueError(message, row=row_number)
            record, row_problems = _read_row(row_number, row, columns)
            if record is not None:
                records.append(record)
            problems += row_problems
        return records, problems
    finally:
        workbook.close()


def _open_workbook(data: bytes) -> Any:
    if not isinstance(data, bytes | bytearray) or not data.startswith(b"PK"):
        raise CatalogueError(_NOT_XLSX)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        raise CatalogueError(_NOT_XLSX) from error


_HEADER_KEYS: Final[Mapping[str, str]] = {
    **{search_key(key): key for key in FIELDS},
    **{search_key(label): key for key, label in LABELS.items()},
}


def _find_table(workbook: Any) -> tuple[Any, int, dict[int, str]]:
    """The sheet, the header row number and {column index: field} of the catalogue table."""
    sheets = [sheet for sheet in workbook.worksheets if sheet.title != GUIDE_TITLE]
    for sheet in sorted(sheets, key=lambda sheet: sheet.title != SHEET_TITLE):
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()  # Trust the rows, not a stale <dimension> tag.
        rows = sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True)
        for row_number, row in enumerate(rows, start=1):
            columns: dict[int, str] = {}
            for index, value in enumerate(row):
                key = _HEADER_KEYS.get(search_key(value)) if isinstance(value, str) else None
                if key is None:
                    continue
                if key in columns.values():
                    raise CatalogueError(
                        f"Cột “{LABELS[key]}” xuất hiện hai lần ở dòng tiêu đề {row_number}.",
                        row=row_number,
                        column=LABELS[key],
                    )
                columns[index] = key
            if "name" in columns.values():
                return sheet, row_number, columns
    raise CatalogueError(_NO_NAME_HEADER)


#: Values for columns a file leaves out or cells left blank, where the schema has a default.
_DEFAULTS: Final[Mapping[str, Any]] = {
    "sets": 1,
    "max_supplements": 1,
    "supplement_rule": "restart",
}


def _read_row(
    row_number: int, row: tuple[Any, ...], columns: Mapping[int, str]
) -> tuple[dict[str, Any] | None, list[RowProblem]]:
    record: dict[str, Any] = {key: _empty(key) for key in FIELDS}
    problems: list[RowProblem] = []
    for index, key in columns.items():
        value = row[index] if index < len(row) else None
        if _is_blank(value):
            continue
        try:
            record[key] = _PARSERS[key](value)
        except _CellError as error:
            problems.append(RowProblem(row_number, LABELS[key], str(error)))
    if problems:
        return None, problems
    problems = [
        RowProblem(row_number, LABELS.get(key, ""), message)
        for key, message in _record_problems(record)
    ]
    return (None, problems) if problems else (record, [])


def _empty(key: str) -> Any:
    if key in _DEFAULTS:
        return _DEFAULTS[key]
    if key == "fee_vnd":
        return None
    return "" if key in _TEXT_FIELDS else []


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date | time):
        value = value.isoformat()
    return unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").strip()


def _lines(value: Any) -> list[str]:
    return [line.strip() for line in _text(value).split("\n") if line.strip()]


def _code(value: Any) -> str:
    if isinstance(value, float) and 0 < value < 10:  # 2.002481 typed into a number cell
        return f"{value:.6f}"
    return _text(value)


def _integer(value: Any) -> int:
    if _is_int(value):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    raise _CellError(f"“{text}” phải là số nguyên.")


def _time_limit_value(value: Any) -> str:
    if isinstance(value, bool):
        raise _CellError("phải là số ngày hoặc số giờ.")
    text = repr(value) if isinstance(value, float) else _text(value).replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _CellError(
            f"“{_text(value)}” phải là số ngày hoặc số giờ, ví dụ 5 hoặc 0,5."
        ) from None
    if not number.is_finite():
        raise _CellError(f"“{_text(value)}” phải là số ngày hoặc số giờ, ví dụ 5 hoặc 0,5.")
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def _choice(mapping: Mapping[str, str], what: str) -> Callable[[Any], str]:
    lookup = {search_key(label): key for key, label in mapping.items()}
    lookup.update({search_key(key): key for key in mapping})

    def parse(value: Any) -> str:
        text = _text(value)
        key = lookup.get(search_key(text))
        if key is None:
            raise _CellError(f"{what} “{text}” không hợp lệ; dùng: {_choices(mapping)}.")
        return key

    return parse


_unit = _choice(UNITS, "Đơn vị thời hạn")
_online_level = _choice(ONLINE_LEVELS, "Mức độ trực tuyến")
_supplement_rule = _choice(SUPPLEMENT_RULES, "Cách tính")
_channel = _choice(CHANNELS, "Cách thức")


def _channels(value: Any) -> list[str]:
    return [_channel(part) for part in re.split(r"[\n;,]", _text(value)) if part.strip()]


def _documents(value: Any) -> list[dict[str, Any]]:
    documents = []
    for line in _lines(value):
        match = _DOCUMENT_RE.fullmatch(line)
        if match is None:
            raise _CellError(
                f"không đọc được “{line}”; ghi theo mẫu "
                "“Tên giấy tờ — 1 bản chính, 0 bản sao (bắt buộc)”."
            )
        documents.append(
            {
                "name": match["name"].strip(),
                "originals": int(match["originals"]),
                "copies": int(match["copies"]),
                "required": match["required"].lower() == _REQUIRED_LABEL,
                "note": (match["note"] or "").strip(),
            }
        )
    return documents


def _cutoff(value: Any) -> str:
    if isinstance(value, datetime | time):
        return value.strftime("%H:%M")
    text = _text(value)
    match = re.fullmatch(r"(\d{1,2})\s*(?::|h|giờ)\s*(\d{2})?", text, re.IGNORECASE)
    if match is None:
        raise _CellError(f"“{text}” phải là giờ dạng 15:00.")
    return f"{int(match[1]):02d}:{match[2] or '00'}"


def _fee(value: Any) -> int:
    if _is_int(value) or (isinstance(value, float) and value.is_integer()):
        return int(value)
    text = re.sub(r"(đồng|đ|vnd)$", "", _text(value), flags=re.IGNORECASE).strip()
    text = re.sub(r"[\s\u00a0]", "", text)
    if re.fullmatch(r"-?\d{1,3}([.,]\d{3})+|-?\d+", text):
        return int(re.sub(r"[.,]", "", text))
    raise _CellError(
        f"“{_text(value)}” phải là số tiền (đồng); ghi chữ như “Không” vào cột "
        f"“{LABELS['fee_text']}”."
    )


def _date(value: Any) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = _text(value)
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    try:
        if match:
            return date(int(match[3]), int(match[2]), int(match[1])).isoformat()
        if _ISO_DATE_RE.fullmatch(text):
            return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise _CellError(f"“{text}” phải là ngày dạng dd/mm/yyyy.")


def _unconfirmed(value: Any) -> list[str]:
    keys = []
    for part in re.split(r"[\n;]", _text(value)):
        if not part.strip():
            continue
        key = _HEADER_KEYS.get(search_key(part))
        if key is None or key not in _CONFIRMABLE:
            raise _CellError(f"không có cột “{part.strip()}”.")
        keys.append(key)
    return keys


_PARSERS: Final[Mapping[str, Callable[[Any], Any]]] = {
    **{key: _text for key in _TEXT_FIELDS},
    **{key: _lines for key in _LINE_LIST_FIELDS},
    "code": _code,
    "channels": _channels,
    "documents": _documents,
    "sets": _integer,
    "max_supplements": _integer,
    "time_limit_value": _time_limit_value,
    "time_limit_unit": _unit,
    "cutoff": _cutoff,
    "fee_vnd": _fee,
    "online_level": _online_level,
    "valid_from": _date,
    "valid_to": _date,
    "supplement_rule": _supplement_rule,
    "unconfirmed": _unconfirmed,
}
