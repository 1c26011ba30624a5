"""The shape of one catalogue record: its fields in order, their spreadsheet headers and kinds.

A record is one version of a procedure, field for field the `Procedure` model
(cchc/dossiers/models.py) less the columns the model keeps for itself (`MODEL_ONLY_FIELDS`). A
test (test_catalogue.py) holds the two together: a field added to the model without a column
here fails it, so the spreadsheet never silently drops a setting again.

No Django import: the seed check and the XLSX exchange run without settings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final

from cchc.core.text import fold
from cchc.dossiers.channels import Channel

#: Columns of the Procedure model that are not part of a record: its keys, what the catalogue
#: derives (the search text, publication follows the confirmed time limit) and timestamps.
MODEL_ONLY_FIELDS: Final = frozenset(
    {"id", "unit", "search_text", "is_published", "created_at", "updated_at"}
)

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
#: Steps a hand-over can be judged against (Mẫu 06): reception, then the internal steps of
#: cchc.dossiers.workflow.Step (a test keeps the two lists the same).
STEPS: Final[Mapping[str, str]] = {
    "reception": "Tiếp nhận",
    "appraisal": "Thẩm định",
    "signature": "Trình ký",
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
    "supplement_within_days": "Hạn yêu cầu bổ sung (ngày)",
    "step_budgets": "Thời hạn từng bước (ngày)",
    "unconfirmed": "Cần xác nhận",
    "sources": "Nguồn",
}
FIELDS: Final[tuple[str, ...]] = tuple(LABELS)

TEXT_FIELDS: Final = frozenset(
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
INTEGER_FIELDS: Final = ("sets", "max_supplements", "supplement_within_days")
LINE_LIST_FIELDS: Final = ("steps", "forms", "legal_basis", "sources")
#: Fields whose value may be marked "cần xác nhận".
CONFIRMABLE: Final = frozenset(FIELDS) - {"unconfirmed", "sources"}
DOCUMENT_KEYS: Final = frozenset({"name", "originals", "copies", "required", "note"})
#: Values for columns a file leaves out or cells left blank, where the schema has a default
#: (the model's defaults; three working days is Decree 61/2018 Art. 19(4)).
DEFAULTS: Final[Mapping[str, Any]] = {
    "sets": 1,
    "max_supplements": 1,
    "supplement_rule": "restart",
    "supplement_within_days": 3,
    "step_budgets": {},
}
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
MAX_TIME_LIMIT: Final = Decimal("9999.99")
#: A step longer than the longest procedure limit is a typing slip, not a budget.
MAX_STEP_BUDGET: Final = Decimal("999")
#: The model's PositiveSmallIntegerField holds up to 32767; a working-day count stays far below.
MAX_SUPPLEMENT_DAYS: Final = 60
VALUE_UNITS: Final = frozenset({"working_days", "working_hours"})

REQUIRED_LABEL: Final = "bắt buộc"
OPTIONAL_LABEL: Final = "không bắt buộc"
#: One document line of the spreadsheet: "Tên — 1 bản chính, 0 bản sao (bắt buộc) — ghi chú".
DOCUMENT_RE: Final = re.compile(
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


#: Text folded the way the public page searches (lower case, no diacritics, đ → d): the one
#: definition in cchc.core.text, also pure.
search_key = fold


def choices_text(mapping: Mapping[str, str]) -> str:
    """The labels of a choice, listed for a message ("Trực tiếp, Bưu chính, Trực tuyến")."""
    return ", ".join(mapping.values())


def is_int(value: Any) -> bool:
    """A JSON integer (a bool is not one, although Python says so)."""
    return isinstance(value, int) and not isinstance(value, bool)
