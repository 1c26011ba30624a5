"""Writes to the procedure catalogue: seed, upsert a version, XLSX import/export (audited)."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction

from cchc.accounts import permissions
from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb
from cchc.core.conflicts import unique_or_conflict
from cchc.dossiers import catalogue
from cchc.dossiers.models import Procedure
from cchc.organizations.models import Unit

if TYPE_CHECKING:
    from cchc.accounts.models import User

#: Record fields that convert to a model column of another type (text to Decimal, time or
#: date), or that key the version; every other field is copied as it is. The list of fields
#: itself is the catalogue schema's, which a test holds equal to the model's.
_CONVERTED = frozenset({"name", "time_limit_value", "cutoff", "valid_from", "valid_to"})
_FIELDS = [name for name in catalogue.FIELDS if name not in _CONVERTED]


def _values(record: dict[str, Any]) -> dict[str, Any]:
    values = {name: record[name] for name in _FIELDS if name in record}
    raw_limit = str(record.get("time_limit_value", "") or "").strip()
    values["time_limit_value"] = Decimal(raw_limit) if raw_limit else None
    cutoff = str(record.get("cutoff", "") or "").strip()
    values["cutoff"] = time.fromisoformat(cutoff) if cutoff else None
    values["valid_to"] = date.fromisoformat(record["valid_to"]) if record.get("valid_to") else None
    values["search_text"] = catalogue.search_key(f"{record['name']} {record.get('code', '')}")
    return values


@transaction.atomic
def procedure_upsert(*, actor: User | None, unit: Unit, record: dict[str, Any]) -> Procedure:
    """Create or update the version of (name, valid_from) in `unit`."""
    problems = catalogue.validate(record)
    if problems:
        from django.core.exceptions import ValidationError

        raise ValidationError(problems)
    valid_from = date.fromisoformat(record["valid_from"])
    existing = (
        Procedure.objects.select_for_update()
        .filter(unit=unit, name=record["name"], valid_from=valid_from)
        .first()
    )
    before = snapshot(existing) if existing else None
    procedure = existing or Procedure(unit=unit, name=record["name"], valid_from=valid_from)
    for name, value in _values(record).items():
        setattr(procedure, name, value)
    # Published only with a confirmed legal time limit (issue 8 point 1).
    procedure.is_published = procedure.has_legal_time_limit
    with unique_or_conflict({"name": f"Thủ tục «{procedure.name}» vừa được người khác lưu."}):
        procedure.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.PROCEDURE_UPDATE if existing else AuditVerb.PROCEDURE_CREATE,
        obj=procedure,
        unit=unit,
        before=before,
        after=snapshot(procedure),
    )
    return procedure


def procedure_seed_defaults(*, actor: User | None, unit: Unit) -> list[Procedure]:
    """The school's procedures from the packaged catalogue (domain.md section 7)."""
    return [procedure_upsert(actor=actor, unit=unit, record=r) for r in catalogue.load_seed()]


@transaction.atomic
def procedures_import_xlsx(
    *, actor: User, unit: Unit, data: bytes
) -> tuple[list[Procedure], list[catalogue.RowProblem]]:
    """Import good rows, report the others; nothing half-written (one transaction)."""
    permissions.require(actor, permissions.MANAGE_PROCEDURES, unit)
    records, problems = catalogue.import_xlsx(data)
    saved = [procedure_upsert(actor=actor, unit=unit, record=r) for r in records]
    return saved, problems


def procedure_record(procedure: Procedure) -> dict[str, Any]:
    """A model version back as a catalogue record (for the XLSX export)."""
    record = {name: getattr(procedure, name) for name in _FIELDS}
    record["name"] = procedure.name
    record["time_limit_value"] = (
        f"{procedure.time_limit_value.normalize():f}"
        if procedure.time_limit_value is not None
        else ""
    )
    record["cutoff"] = procedure.cutoff.strftime("%H:%M") if procedure.cutoff else ""
    record["valid_from"] = procedure.valid_from.isoformat()
    record["valid_to"] = procedure.valid_to.isoformat() if procedure.valid_to else ""
    return record


def procedures_export_xlsx(*, unit: Unit) -> bytes:
    procedures = Procedure.objects.filter(unit=unit).order_by("name", "valid_from")
    return catalogue.export_xlsx([procedure_record(p) for p in procedures])
