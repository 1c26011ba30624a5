"""Loading dossiers from the provincial procedure system's XLSX export (idempotent by code).

The school does not own these dossiers (domain-2025.md 3.7): it mirrors their official code,
status and dates. Re-importing the same file changes nothing; a newer export updates status and
dates. Rows that cannot be read are reported with their row number and nothing of them is saved.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from openpyxl import load_workbook

from cchc.accounts import permissions
from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb
from cchc.core.text import fold
from cchc.core.timezones import VN
from cchc.dossiers.channels import PORTAL_CODES
from cchc.dossiers.deadlines import compute_due
from cchc.dossiers.models import Channel, Dossier, DossierEvent, Procedure
from cchc.dossiers.services import clean_address
from cchc.dossiers.workflow import PORTAL_CODE, DossierStatus
from cchc.organizations.models import Unit
from cchc.workdays.services import calendar_for_unit

if TYPE_CHECKING:
    from cchc.accounts.models import User

CODE_PATTERN = re.compile(r"^[A-Z0-9]+(\.[A-Z0-9]+)*-\d{6}-\d{4,8}$")
_BY_PORTAL_CODE = {number: status for status, number in PORTAL_CODE.items()}


def _key(text: Any) -> str:
    return fold(str(text or ""))


HEADERS = {
    "code": {"ma ho so", "ma so ho so"},
    "procedure_code": {"ma thu tuc", "ma tthc"},
    "procedure_name": {"ten thu tuc", "thu tuc", "ten tthc"},
    "applicant_name": {"nguoi nop", "chu ho so", "ho ten nguoi nop", "ten nguoi nop"},
    "applicant_phone": {"so dien thoai", "dien thoai"},
    "applicant_address": {"dia chi"},
    "received_at": {"ngay tiep nhan", "thoi gian tiep nhan", "ngay nhan"},
    "due_at": {"ngay hen tra", "han tra ket qua", "ngay hen tra ket qua", "han giai quyet"},
    "result_at": {"ngay co ket qua", "ngay xu ly xong", "ngay hoan thanh"},
    "returned_at": {"ngay tra ket qua", "ngay tra"},
    "status": {"trang thai", "tinh trang"},
    "channel": {"kenh", "kenh nop", "hinh thuc nop"},
}
_STATUS_BY_LABEL = {_key(s.label): s.value for s in DossierStatus}
# The portal's spreadsheets give the KenhThucHien number or the channel's name.
_CHANNELS = {**PORTAL_CODES, **{_key(c.label): c for c in Channel}, **{c.value: c for c in Channel}}


class ProvincialImportError(ValueError):
    """The file cannot be read at all (message in Vietnamese)."""


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)


def _moment(value: Any, *, day_end: time = time(0, 0)) -> datetime | None:
    """A cell as an aware moment; a date without a time gets `day_end` (a due date without an
    hour means the end of that working day, not its midnight)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        if value.time() == time(0, 0) and day_end != time(0, 0):
            value = datetime.combine(value.date(), day_end)
        return value if value.tzinfo else value.replace(tzinfo=VN)
    if isinstance(value, date):
        return datetime.combine(value, day_end, tzinfo=VN)
    text = str(value).strip()
    for pattern in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=VN)
        except ValueError:
            continue
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.combine(
                datetime.strptime(text, pattern).replace(tzinfo=VN).date(), day_end, tzinfo=VN
            )
        except ValueError:
            continue
    raise ValueError(f"ngày giờ không hợp lệ: {text!r}")


def _status(value: Any) -> str:
    text = str(value or "").strip()
    if text.isdigit() and int(text) in _BY_PORTAL_CODE:
        return _BY_PORTAL_CODE[int(text)]
    found = _STATUS_BY_LABEL.get(_key(text))
    if found is None:
        raise ValueError(f"trạng thái không rõ: {text!r}")
    return found


def read_rows(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """(row number, values by field) for every non-blank row under the header row."""
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as error:
        raise ProvincialImportError(
            "Không đọc được tệp: cần tệp Excel .xlsx xuất từ hệ thống tỉnh."
        ) from error
    rows = list(sheet.iter_rows(values_only=True))
    header_index = 0
    columns: dict[str, int] = {}
    for header_index, row in enumerate(rows[:10]):  # noqa: B007 - used after the loop
        columns = {}
        for i, cell in enumerate(row):
            for name, labels in HEADERS.items():
                if _key(cell) in labels and name not in columns:
                    columns[name] = i
        if "code" in columns:
            break
    else:
        raise ProvincialImportError("Không thấy cột “Mã hồ sơ” trong 10 dòng đầu của tệp.")
    out = []
    for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        values = {name: row[i] if i < len(row) else None for name, i in columns.items()}
        if all(v in (None, "") for v in values.values()):
            continue
        out.append((number, values))
    return out


def _procedure(unit: Unit, values: dict[str, Any]) -> Procedure:
    procedures = Procedure.objects.filter(unit=unit).order_by("-valid_from")
    code = str(values.get("procedure_code") or "").strip()
    name = str(values.get("procedure_name") or "").strip()
    found = procedures.filter(code=code).first() if code else None
    if found is None and name:
        found = next((p for p in procedures if _key(p.name) == _key(name)), None)
    if found is None:
        raise ValueError(f"không có thủ tục {code or name!r} trong danh mục của đơn vị")
    return found


@transaction.atomic
def import_provincial(*, actor: User, unit: Unit, data: bytes) -> ImportReport:
    permissions.require(actor, permissions.RECEIVE_DOSSIERS, unit)
    report = ImportReport()
    for number, values in read_rows(data):
        try:
            with transaction.atomic():
                _import_row(actor, unit, values, report)
        except ValueError as error:
            report.problems.append((number, str(error)))
    return report


_MIRRORED = ["status", "received_at", "due_at", "result_at", "returned_at"]


def _import_row(actor: User, unit: Unit, values: dict[str, Any], report: ImportReport) -> None:
    code = str(values.get("code") or "").strip().upper()
    if not CODE_PATTERN.match(code):
        raise ValueError(f"mã hồ sơ không đúng định dạng: {code!r}")
    status = _status(values.get("status"))
    day_end = calendar_for_unit(unit).hours.day_end
    dates = {
        name: _moment(values.get(name), day_end=day_end if name == "due_at" else time(0, 0))
        for name in _MIRRORED
        if name != "status"
    }
    if dates["result_at"] is None and dates["returned_at"] is not None:
        dates["result_at"] = dates["returned_at"]  # the result existed when it was returned
    existing = Dossier.objects.select_for_update().filter(code=code).first()
    if existing is not None:
        if existing.unit_id != unit.pk:
            raise ValueError(f"mã {code} đã thuộc đơn vị khác")
        before = snapshot(existing, _MIRRORED)
        changes = {"status": status, **{k: v for k, v in dates.items() if v is not None}}
        if all(getattr(existing, k) == v for k, v in changes.items()):
            report.unchanged.append(code)
            return
        for name, value in changes.items():
            setattr(existing, name, value)
        existing.version += 1
        existing.save()
        DossierEvent.objects.create(
            dossier=existing,
            from_status=before["status"],
            to_status=status,
            note="Cập nhật từ hệ thống tỉnh",
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.DOSSIER_IMPORT_UPDATE,
            obj=existing,
            unit=unit,
            before=before,
            after=snapshot(existing, _MIRRORED),
        )
        report.updated.append(code)
        return
    procedure = _procedure(unit, values)
    name = " ".join(str(values.get("applicant_name") or "").split())
    if not name:
        raise ValueError("thiếu tên người nộp")
    received = dates["received_at"]
    if received is None:
        raise ValueError("thiếu ngày tiếp nhận")
    channel = _CHANNELS.get(_key(values.get("channel")), Channel.ONLINE)
    # The intake form's normaliser: one line, single spaces, at most 300 characters; an
    # address still too long once tidied is reported, never cut mid-word.
    try:
        address = clean_address(str(values.get("applicant_address") or ""))
    except ValidationError as error:
        raise ValueError(f"địa chỉ người nộp: {' '.join(error.messages)}") from None
    dossier = Dossier.objects.create(
        unit=unit,
        procedure=procedure,
        code=code,
        is_external_code=True,
        channel=channel,
        status=status,
        applicant_name=name[:200],
        applicant_phone=re.sub(r"[^\d+]", "", str(values.get("applicant_phone") or ""))[:15],
        applicant_address=address,
        submitted_at=received,
        received_at=received,
        due_at=dates["due_at"] or compute_due(unit, procedure, received),
        initial_due_at=dates["due_at"] or compute_due(unit, procedure, received),
        result_at=dates["result_at"],
        returned_at=dates["returned_at"],
    )
    DossierEvent.objects.create(
        dossier=dossier, at=received, to_status=status, note="Nhập từ hệ thống tỉnh"
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.DOSSIER_IMPORT_CREATE,
        obj=dossier,
        unit=unit,
        after=snapshot(dossier, ["code", *_MIRRORED]),
    )
    report.created.append(code)
