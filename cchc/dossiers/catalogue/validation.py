"""Checks of one catalogue record: every problem as a Vietnamese sentence naming its field.

The same checks guard the packaged seed, a row read from a spreadsheet and a record saved by
the staff page (cchc.dossiers.procedures), so a procedure that reaches the database can always
be exported and read back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from cchc.dossiers.catalogue.schema import (
    CHANNELS,
    CONFIRMABLE,
    DOCUMENT_KEYS,
    FIELDS,
    INTEGER_FIELDS,
    LABELS,
    LINE_LIST_FIELDS,
    MAX_LENGTHS,
    MAX_STEP_BUDGET,
    MAX_SUPPLEMENT_DAYS,
    MAX_TIME_LIMIT,
    ONLINE_LEVELS,
    STEPS,
    SUPPLEMENT_RULES,
    TEXT_FIELDS,
    UNITS,
    VALUE_UNITS,
    choices_text,
    is_int,
)

__all__ = ["ISO_DATE_RE", "iso_date", "record_problems", "validate"]

_CODE_RE = re.compile(r"\d\.\d{6}(\.[0-9A-Za-z]+)*")
ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CUTOFF_RE = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
#: A positive decimal written one way only ("5", "0.5"; not "05" or "5.0"), so it survives XLSX.
_DECIMAL_RE = re.compile(r"(0|[1-9]\d*)(\.\d?[1-9])?")

Report = Callable[[str, str], None]


def validate(record: Mapping[str, Any]) -> list[str]:
    """Vietnamese descriptions of everything wrong with one record; empty when it is usable."""
    return [
        f"{LABELS[key]}: {message}" if key in LABELS else message
        for key, message in record_problems(record)
    ]


def record_problems(record: Any) -> list[tuple[str, str]]:
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
    if key in TEXT_FIELDS:
        return "" if isinstance(value, str) else "phải là chuỗi ký tự."
    if key in INTEGER_FIELDS:
        return "" if is_int(value) else "phải là số nguyên."
    if key == "fee_vnd":
        valid = value is None or is_int(value)
        return "" if valid else "phải là số tiền nguyên (đồng) hoặc để trống."
    if key == "documents":
        return "" if isinstance(value, list) else "phải là danh sách."
    if key == "step_budgets":
        return "" if isinstance(value, Mapping) else "phải là bảng “bước: số ngày”."
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return "phải là danh sách chuỗi ký tự."
    return ""


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
    for key in LINE_LIST_FIELDS:
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
    if not 0 <= record["supplement_within_days"] <= MAX_SUPPLEMENT_DAYS:
        report("supplement_within_days", f"phải từ 0 đến {MAX_SUPPLEMENT_DAYS} ngày làm việc.")
    _check_step_budgets(record["step_budgets"], report)
    unknown = [name for name in record["unconfirmed"] if name not in CONFIRMABLE]
    if unknown:
        report("unconfirmed", f"không có trường “{unknown[0]}”.")
    if len(set(record["unconfirmed"])) != len(record["unconfirmed"]):
        report("unconfirmed", "có trường bị lặp.")
    return problems


def _enum_problem(value: str, mapping: Mapping[str, str]) -> str:
    if not value:
        return f"chưa ghi; dùng: {choices_text(mapping)}."
    return f"“{value}” không hợp lệ; dùng: {choices_text(mapping)}."


def _check_channels(record: Mapping[str, Any], report: Report) -> None:
    channels = record["channels"]
    if not channels:
        report("channels", "phải có ít nhất một cách thức nộp hồ sơ.")
    for channel in channels:
        if channel not in CHANNELS:
            report("channels", f"“{channel}” không hợp lệ; dùng: {choices_text(CHANNELS)}.")
    if len(set(channels)) != len(channels):
        report("channels", "có cách thức bị lặp.")


def _check_documents(documents: list[Any], report: Report) -> None:
    for number, document in enumerate(documents, start=1):
        where = f"giấy tờ thứ {number}"
        if not isinstance(document, Mapping) or set(document) != DOCUMENT_KEYS:
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
        if not all(is_int(count) and count >= 0 for count in counts):
            report("documents", f"{where}: số bản chính và số bản sao phải là số nguyên không âm.")
        elif sum(counts) < 1:
            report("documents", f"{where}: phải có ít nhất một bản chính hoặc bản sao.")
        if not isinstance(document["required"], bool):
            report("documents", f"{where}: “required” phải là true hoặc false.")


def _check_time_limit(record: Mapping[str, Any], report: Report) -> None:
    unit, value = record["time_limit_unit"], record["time_limit_value"]
    if unit not in UNITS:
        report("time_limit_unit", _enum_problem(unit, UNITS))
        return
    # An unknown limit may stay blank while it is marked "cần xác nhận".
    unknown = value == "" and "time_limit_value" in record["unconfirmed"]
    if unit in VALUE_UNITS:
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


def _check_step_budgets(budgets: Mapping[str, Any], report: Report) -> None:
    """Working days per step (half days allowed): deadlines.step_due turns them into hours."""
    for step, days in budgets.items():
        if step not in STEPS:
            report("step_budgets", f"bước “{step}” không có; dùng: {choices_text(STEPS)}.")
            continue
        label = STEPS[step]
        if isinstance(days, bool) or not isinstance(days, int | float):
            report("step_budgets", f"bước “{label}” phải có số ngày làm việc.")
            continue
        try:
            number = Decimal(str(days))
        except InvalidOperation:
            number = Decimal("NaN")
        exponent = number.as_tuple().exponent if number.is_finite() else 0
        if (
            not number.is_finite()
            or not 0 < number <= MAX_STEP_BUDGET
            or (isinstance(exponent, int) and exponent < -2)
        ):
            report(
                "step_budgets",
                f"bước “{label}”: {days} phải là số ngày dương đến {MAX_STEP_BUDGET}, "
                "tối đa hai chữ số thập phân.",
            )


def _check_dates(record: Mapping[str, Any], report: Report) -> None:
    start = iso_date(record["valid_from"])
    if not record["valid_from"]:
        report("valid_from", "chưa ghi ngày bắt đầu hiệu lực.")
    elif start is None:
        report("valid_from", f"“{record['valid_from']}” phải là ngày dạng YYYY-MM-DD.")
    if record["valid_to"]:
        end = iso_date(record["valid_to"])
        if end is None:
            report("valid_to", f"“{record['valid_to']}” phải là ngày dạng YYYY-MM-DD.")
        elif start is not None and end < start:
            report("valid_to", "ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.")


def iso_date(text: str) -> date | None:
    """The date of a YYYY-MM-DD string; None for anything else."""
    if not ISO_DATE_RE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
