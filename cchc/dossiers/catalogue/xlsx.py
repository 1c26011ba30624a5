"""The catalogue as a spreadsheet: staff export it, edit it in Excel and import it back.

:func:`export_xlsx` writes one row per record with Vietnamese headers and labels, and a guide
sheet; :func:`import_xlsx` reads it back, forgiving what people do to spreadsheets (moved
columns, blank rows, numbers typed as text, dd/mm/yyyy dates, a decimal comma) and reporting
each bad row instead of keeping half of it. Columns come from :mod:`.schema`, so every field of
the procedure model travels both ways. The workbook is written through cchc.core.spreadsheets,
so text that looks like a formula stays text.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from cchc.core.spreadsheets import workbook_bytes
from cchc.dossiers.catalogue.schema import (
    CHANNELS,
    CONFIRMABLE,
    DEFAULTS,
    DOCUMENT_RE,
    FIELDS,
    INTEGER_FIELDS,
    LABELS,
    LINE_LIST_FIELDS,
    ONLINE_LEVELS,
    OPTIONAL_LABEL,
    REQUIRED_LABEL,
    STEPS,
    SUPPLEMENT_RULES,
    TEXT_FIELDS,
    UNITS,
    CatalogueError,
    RowProblem,
    choices_text,
    is_int,
    search_key,
)
from cchc.dossiers.catalogue.validation import ISO_DATE_RE, record_problems, validate

__all__ = [
    "GUIDE_TITLE",
    "HEADER_SEARCH_ROWS",
    "MAX_ROWS",
    "SHEET_TITLE",
    "export_xlsx",
    "import_xlsx",
]

SHEET_TITLE: Final = "Thủ tục"
GUIDE_TITLE: Final = "Hướng dẫn"
#: A catalogue has tens of procedures; a bigger sheet is a wrong file, not a catalogue.
MAX_ROWS: Final = 2000
#: Rows searched for the header line, so a title or a note above the table is tolerated.
HEADER_SEARCH_ROWS: Final = 20


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
    "supplement_within_days": (
        "Số ngày làm việc kể từ khi tiếp nhận mà cán bộ còn được yêu cầu bổ sung hồ sơ; mặc "
        "định 3 (Nghị định 61/2018 Điều 19 khoản 4: trong 03 ngày làm việc)."
    ),
    "step_budgets": (
        "Số ngày làm việc dành cho từng bước, mỗi bước một dòng, ví dụ “Tiếp nhận: 0,5”, "
        "“Thẩm định: 3”, “Trình ký: 1” (các bước: Tiếp nhận, Thẩm định, Trình ký). Dùng để "
        "ghi trước hạn / đúng hạn / quá hạn trên Phiếu kiểm soát (Mẫu 06); để trống nếu "
        "không giao hạn từng bước."
    ),
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
    "supplement_within_days": 14,
    "step_budgets": 22,
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
    if key in LINE_LIST_FIELDS:
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
    if key == "step_budgets":
        return _join(f"{STEPS[step]}: {_day_count(days)}" for step, days in value.items())
    if key in ("valid_from", "valid_to"):
        return date.fromisoformat(value) if value else None
    if isinstance(value, str):
        return value or None
    return value


def _day_count(days: float) -> str:
    """A number of days the Vietnamese way: "3", "0,5"."""
    number = Decimal(str(days))
    text = str(int(number)) if number == number.to_integral_value() else f"{number.normalize():f}"
    return text.replace(".", ",")


def _join(items: Iterable[str]) -> str | None:
    return "\n".join(items) or None


def _format_document(document: Mapping[str, Any]) -> str:
    required = REQUIRED_LABEL if document["required"] else OPTIONAL_LABEL
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
        for key, message in record_problems(record)
    ]
    return (None, problems) if problems else (record, [])


def _empty(key: str) -> Any:
    if key in DEFAULTS:
        default = DEFAULTS[key]
        return dict(default) if isinstance(default, Mapping) else default
    if key == "fee_vnd":
        return None
    return "" if key in TEXT_FIELDS else []


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


def _step_budgets(value: Any) -> dict[str, int | float]:
    """ "Tiếp nhận: 0,5" lines back to {"reception": 0.5}: JSON numbers, whole days as ints."""
    budgets: dict[str, int | float] = {}
    for line in _lines(value):
        label, separator, amount = line.rpartition(":")
        step = _STEP_KEYS.get(search_key(label)) if separator else None
        if step is None:
            raise _CellError(
                f"không đọc được “{line}”; ghi mỗi bước một dòng theo mẫu “Thẩm định: 3” "
                f"(các bước: {choices_text(STEPS)})."
            )
        if step in budgets:
            raise _CellError(f"bước “{STEPS[step]}” ghi hai lần.")
        text = amount.strip().replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise _CellError(f"bước “{STEPS[step]}”: “{amount.strip()}” phải là số ngày.") from None
        if not number.is_finite():
            raise _CellError(f"bước “{STEPS[step]}”: “{amount.strip()}” phải là số ngày.")
        whole = number == number.to_integral_value()
        budgets[step] = int(number) if whole else float(number)
    return budgets


def _integer(value: Any) -> int:
    if is_int(value):
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
            raise _CellError(f"{what} “{text}” không hợp lệ; dùng: {choices_text(mapping)}.")
        return key

    return parse


_STEP_KEYS: Final[Mapping[str, str]] = {
    **{search_key(label): key for key, label in STEPS.items()},
    **{search_key(key): key for key in STEPS},
}
_unit = _choice(UNITS, "Đơn vị thời hạn")
_online_level = _choice(ONLINE_LEVELS, "Mức độ trực tuyến")
_supplement_rule = _choice(SUPPLEMENT_RULES, "Cách tính")
_channel = _choice(CHANNELS, "Cách thức")


def _channels(value: Any) -> list[str]:
    return [_channel(part) for part in re.split(r"[\n;,]", _text(value)) if part.strip()]


def _documents(value: Any) -> list[dict[str, Any]]:
    documents = []
    for line in _lines(value):
        match = DOCUMENT_RE.fullmatch(line)
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
                "required": match["required"].lower() == REQUIRED_LABEL,
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
    if is_int(value) or (isinstance(value, float) and value.is_integer()):
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
        if ISO_DATE_RE.fullmatch(text):
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
        if key is None or key not in CONFIRMABLE:
            raise _CellError(f"không có cột “{part.strip()}”.")
        keys.append(key)
    return keys


_PARSERS: Final[Mapping[str, Callable[[Any], Any]]] = {
    **{key: _text for key in TEXT_FIELDS},
    **{key: _lines for key in LINE_LIST_FIELDS},
    "code": _code,
    "channels": _channels,
    "documents": _documents,
    **{key: _integer for key in INTEGER_FIELDS},
    "step_budgets": _step_budgets,
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
