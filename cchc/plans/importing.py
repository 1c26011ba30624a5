"""Importing a plan: parse an uploaded file into a reviewable preview, then save it on confirm.

Nothing but the `PlanImport` row is written until the user confirms; confirmation creates the
plan, its basis, targets, task tree and assignments in one transaction and one audit event.
"""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from cchc.accounts import permissions
from cchc.accounts.models import Role
from cchc.core.audit import audit_record
from cchc.organizations.models import Staff, Unit
from cchc.plans.models import (
    Assignment,
    Plan,
    PlanBasis,
    PlanImport,
    PlanStatus,
    Recurrence,
    Target,
    Task,
)
from cchc.plans.parsing import ParsedPlan, parse_plan, read_plan_file

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class PlanImportError(ValueError):
    """A file that cannot become a plan; the message is for the user, in Vietnamese."""


def _name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def staff_matches(unit: Unit, name: str) -> list[Staff]:
    """Staff of `unit` whose full name equals `name` (case, spacing and composition ignored)."""
    if not name.strip():
        return []
    key = _name_key(name)
    return [
        s for s in Staff.objects.filter(unit=unit, is_active=True) if _name_key(s.full_name) == key
    ]


def _storable(parsed: ParsedPlan) -> dict[str, Any]:
    return json.loads(json.dumps(dataclasses.asdict(parsed), cls=DjangoJSONEncoder))


def _recurrence_for(text: str) -> str:
    """A first guess the reviewer can change: reports recur, "thường xuyên" work is continuous."""
    lowered = text.casefold()
    if "báo cáo" in lowered:
        return Recurrence.QUARTERLY
    if any(w in lowered for w in ("thường xuyên", "tiếp tục", "tăng cường", "duy trì")):
        return Recurrence.CONTINUOUS
    return Recurrence.ONCE


def preview_report(pending: PlanImport) -> dict[str, Any]:
    """What was recognised and what was not, with staff matches for each assignment."""
    data = pending.parsed
    matches = []
    for item in data.get("assignments", []):
        found = staff_matches(pending.unit, item.get("name", ""))
        if not item.get("name"):
            status = "group"
        elif len(found) == 1:
            status = "matched"
        elif found:
            status = "ambiguous"
        else:
            status = "unmatched"
        matches.append({"assignment": item, "candidates": found, "status": status})
    problems = list(data.get("warnings", []))
    for m in matches:
        if m["status"] == "unmatched":
            problems.append(
                f"Không tìm thấy viên chức tên “{m['assignment']['name']}” trong đơn vị: "
                "hãy chọn người tương ứng hoặc để trống."
            )
        elif m["status"] == "ambiguous":
            problems.append(
                f"Có {len(m['candidates'])} viên chức cùng tên “{m['assignment']['name']}”: "
                "hãy chọn đúng người."
            )
    return {
        "data": data,
        "matches": matches,
        "problems": problems,
        "counts": {
            "basis": len(data.get("basis", [])),
            "targets": len(data.get("targets", [])),
            "tasks": len(data.get("tasks", [])),
            "assignments": len(data.get("assignments", [])),
        },
    }


@transaction.atomic
def plan_import_preview(*, actor: Any, unit: Unit, filename: str, data: bytes) -> PlanImport:
    """Read and parse an upload; keep the result for review. Raises PlanImportError."""
    permissions.require(actor, permissions.MANAGE_PLANS, unit)
    if len(data) > MAX_UPLOAD_BYTES:
        raise PlanImportError("Tệp quá lớn (tối đa 5 MB).")
    from cchc.plans.parsing import PlanParseError

    try:
        text = read_plan_file(data, filename)
        parsed = parse_plan(text)
    except PlanParseError as error:
        raise PlanImportError(str(error)) from None
    return PlanImport.objects.create(
        unit=unit,
        created_by=actor if getattr(actor, "pk", None) else None,
        filename=filename[:255],
        text=text,
        parsed=_storable(parsed),
    )


def _default_owner(unit: Unit) -> Staff | None:
    return (
        Staff.objects.filter(unit=unit, is_active=True, role_assignments__role=Role.PRINCIPAL)
        .order_by("id")
        .first()
    )


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError:
        return None


@transaction.atomic
def plan_import_confirm(
    *,
    actor: Any,
    pending: PlanImport,
    corrections: dict[str, Any] | None = None,
) -> Plan:
    """Create the plan from a reviewed import. `corrections` may override header fields,
    assignment staff (`assignment_staff`: {index: staff_id | None}), target KPI codes
    (`target_kpi`: {index: code}) and task owners (`task_owner`: {number: staff_id})."""
    pending = PlanImport.objects.select_for_update().get(pk=pending.pk)
    unit = pending.unit
    permissions.require(actor, permissions.MANAGE_PLANS, unit)
    if pending.plan_id is not None:
        raise PlanImportError("Kế hoạch này đã được lưu rồi.")
    fix = corrections or {}
    data = pending.parsed
    year = fix.get("year") or data.get("year") or date.today().year  # noqa: DTZ011
    issued_on = fix.get("issued_on") or (
        date.fromisoformat(data["date"]) if data.get("date") else None
    )
    number, symbol = _split_reference(fix.get("reference") or data.get("symbol") or "")
    owner_default = _default_owner(unit)
    staff_by_id = {s.pk: s for s in Staff.objects.filter(unit=unit)}
    plan = Plan.objects.create(
        unit=unit,
        number=number,
        symbol=symbol,
        title=(fix.get("title") or data.get("title") or "Kế hoạch cải cách hành chính")[:500],
        year=int(year),
        issued_on=issued_on,
        place=data.get("place") or "",
        signer=_signer(unit, data.get("signer")),
        signer_name=data.get("signer") or "",
        signer_title=data.get("signer_title") or "",
        parent=_parent_plan(unit, data),
        parent_reference=_parent_reference(data),
        purposes=data.get("purposes", ""),
        requirements=data.get("requirements", ""),
        closing=data.get("closing", ""),
        recipients=data.get("recipients", []),
        status=PlanStatus.ACTIVE,
        source_filename=pending.filename,
    )
    for i, basis in enumerate(data.get("basis", [])):
        PlanBasis.objects.create(
            plan=plan, order=i, text=basis["text"], references=basis.get("references", [])
        )
    target_kpi = {int(k): v for k, v in (fix.get("target_kpi") or {}).items()}
    for i, target in enumerate(data.get("targets", [])):
        value = target.get("value")
        numeric = _decimal(value)
        Target.objects.create(
            plan=plan,
            order=i,
            number=str(target.get("number", i + 1)),
            text=target["text"],
            comparator=target.get("comparator") or "",
            value=numeric,
            value_label="" if numeric is not None or value is None else str(value),
            unit_label=target.get("unit") or "",
            kpi_code=target_kpi.get(i, target.get("kpi") or "") or "",
        )
    task_owner = {str(k): v for k, v in (fix.get("task_owner") or {}).items()}
    groups: dict[str, Task] = {}
    for i, task in enumerate(data.get("tasks", [])):
        group_number = task.get("group_number") or task["number"].split(".")[0]
        if group_number not in groups:
            groups[group_number] = Task.objects.create(
                plan=plan,
                order=len(groups) * 1000,
                number=group_number,
                title=(task.get("group_title") or f"Nhóm nhiệm vụ {group_number}")[:300],
                recurrence=Recurrence.CONTINUOUS,
                owner=owner_default,
            )
        owner_id = task_owner.get(task["number"])
        if not owner_id and task.get("owner"):
            # A task table's "Người thực hiện" column names the owner.
            named = staff_matches(unit, task["owner"])
            owner_id = named[0].pk if len(named) == 1 else None
        text = task.get("text") or task["title"]
        Task.objects.create(
            plan=plan,
            parent=groups[group_number],
            order=groups[group_number].order + i + 1,
            number=task["number"],
            title=task["title"][:300],
            text=text,
            owner=staff_by_id.get(int(owner_id)) if owner_id else owner_default,
            recurrence=_recurrence_for(text),
            due_on=date(int(year), 12, 31),
        )
    assignment_staff = {int(k): v for k, v in (fix.get("assignment_staff") or {}).items()}
    for i, item in enumerate(data.get("assignments", [])):
        if i in assignment_staff:
            chosen = assignment_staff[i]
            staff = staff_by_id.get(int(chosen)) if chosen else None
        else:
            found = staff_matches(unit, item.get("name", ""))
            staff = found[0] if len(found) == 1 else None
        Assignment.objects.create(
            plan=plan,
            order=i,
            staff=staff,
            name=item.get("name") or item.get("title", ""),
            honorific=item.get("honorific", ""),
            title=item.get("title", ""),
            duties=item.get("duties", []),
        )
    from cchc.plans.services import task_sync_occurrences

    for task in plan.tasks.filter(parent__isnull=False):
        task_sync_occurrences(task=task)
    pending.plan = plan
    pending.save(update_fields=["plan", "updated_at"])
    audit_record(
        actor=actor,
        verb="plan.import",
        obj=plan,
        unit=unit,
        after={
            "title": plan.title,
            "reference": plan.reference,
            "file": pending.filename,
            "targets": len(data.get("targets", [])),
            "tasks": len(data.get("tasks", [])),
            "assignments": len(data.get("assignments", [])),
        },
    )
    return plan


def _split_reference(reference: str) -> tuple[str, str]:
    """ "211/KH-UBND" -> ("211", "KH-UBND"); "KH-THCSNTB" -> ("", "KH-THCSNTB")."""
    reference = "".join(reference.split())
    if "/" in reference:
        number, _, symbol = reference.partition("/")
        return number[:20], symbol[:60]
    return "", reference[:60]


def _signer(unit: Unit, name: str | None) -> Staff | None:
    found = staff_matches(unit, name or "")
    return found[0] if len(found) == 1 else None


def _parent_reference(data: dict[str, Any]) -> str:
    for basis in data.get("basis", []):
        for ref in basis.get("references", []):
            if (ref.get("doc_type") or "").casefold() == "kế hoạch" and ref.get("symbol"):
                return ref["symbol"]
    return ""


def _parent_plan(unit: Unit, data: dict[str, Any]) -> Plan | None:
    """The plan above, when the basis cites a plan of a unit above this one that is on file."""
    reference = _parent_reference(data)
    if not reference or not unit.parent_id:
        return None
    number, symbol = _split_reference(reference)
    ancestors = [int(p) for p in unit.path.split(".") if p and int(p) != unit.pk]
    return Plan.objects.filter(unit_id__in=ancestors, number=number, symbol=symbol).first()
