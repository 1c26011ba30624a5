"""Importing a plan: parse an uploaded file into a reviewable preview, then save it on confirm.

Nothing but the `PlanImport` row is written until the user confirms; confirmation creates the
plan, its basis, targets, task tree and assignments in one transaction and one audit event.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from cchc.accounts import permissions
from cchc.accounts.models import Role
from cchc.core.audit import audit_record
from cchc.core.audit_verbs import AuditVerb
from cchc.organizations.models import Group, Staff, Unit
from cchc.plans import linking
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

if TYPE_CHECKING:
    from cchc.accounts.models import User

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class PlanImportError(ValueError):
    """A file that cannot become a plan; the message is for the user, in Vietnamese."""


class DuplicatePlan(PlanImportError):
    """The unit already has this plan (same reference and year, or same title and year)."""

    def __init__(self, existing: Plan) -> None:
        self.existing = existing
        name = f"số {existing.reference}" if existing.reference else f"“{existing.title}”"
        super().__init__(
            f"Đơn vị đã có kế hoạch {name} năm {existing.year}; kế hoạch không được lưu lần hai."
        )


def same_plan(unit: Unit, *, number: str, symbol: str, year: int, title: str) -> Plan | None:
    """The unit's plan this import repeats: same number/symbol and year; for a plan without a
    reference (a draft pasted without its header), same title and year."""
    plans = Plan.objects.filter(unit=unit, year=year)
    if symbol:
        return plans.filter(number=number, symbol=symbol).order_by("pk").first()
    key = linking.name_key(title)
    return next((p for p in plans.order_by("pk") if linking.name_key(p.title) == key), None)


def staff_matches(unit: Unit, name: str, title: str = "") -> list[Staff]:
    """Active staff of `unit` who are the person named `name` with `title` in a plan.

    Diacritics, case and spacing are ignored ("Nguyen Thi Thanh Trang" is "Nguyễn Thị Thanh
    Trang"). When several share the folded name, those whose roles fit the title are preferred;
    a bare title with no name ("Hiệu trưởng") finds the only holder of that role.
    """
    wanted_role = linking.role_for_title(title) if title else Role.STAFF
    staff = Staff.objects.filter(unit=unit, is_active=True).prefetch_related("role_assignments")
    if not name.strip():
        if wanted_role == Role.STAFF:
            return []
        holders = [s for s in staff if wanted_role in {r.role for r in s.role_assignments.all()}]
        return holders if len(holders) == 1 else []
    key = linking.name_key(name)
    found = [s for s in staff if linking.name_key(s.full_name) == key]
    if len(found) > 1 and wanted_role != Role.STAFF:
        fitting = [s for s in found if wanted_role in {r.role for r in s.role_assignments.all()}]
        if fitting:
            return fitting
    return found


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


def default_place(unit: Unit) -> str:
    """The place name of a unit's papers: its commune's name without "Ủy ban nhân dân xã"."""
    commune = unit.parent if unit.parent is not None else unit
    name = re.sub(
        r"^(ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s+(xã|phường|thị trấn|đặc khu)\s+",
        "",
        commune.name.strip(),
        flags=re.IGNORECASE,
    )
    return name if name != commune.name.strip() else ""


def preview_report(pending: PlanImport) -> dict[str, Any]:
    """What was recognised and what was not, with staff matches for each assignment and the
    owners guessed for each target and task (all changeable in the review)."""
    data = pending.parsed
    assignments = data.get("assignments", [])
    matches = []
    for item in assignments:
        found = staff_matches(pending.unit, item.get("name", ""), item.get("title", ""))
        if not item.get("name"):
            status = "group" if not found else "matched"
        elif len(found) == 1:
            status = "matched"
        elif found:
            status = "ambiguous"
        else:
            status = "new"
        matches.append(
            {
                "assignment": item,
                "candidates": found,
                "status": status,
                "role": linking.role_for_title(item.get("title", "")),
                "group": linking.group_for_title(item.get("title", "")),
            }
        )
    problems = list(data.get("warnings", []))
    roles = dict(Role.choices)
    for m in matches:
        name = m["assignment"]["name"]
        if m["status"] == "new":
            problems.append(
                f"“{name}” chưa có trong danh sách viên chức: khi lưu sẽ tạo mới với vai trò "
                f"{roles[m['role']]} (có thể chọn người khác hoặc không gắn)."
            )
        elif m["status"] == "ambiguous":
            problems.append(
                f"Có {len(m['candidates'])} viên chức cùng tên “{name}”: hãy chọn đúng người."
            )
    targets = data.get("targets", [])
    tasks = data.get("tasks", [])
    target_guess = linking.guess_target_owners(assignments, targets)
    task_guess = linking.guess_task_owners(assignments, tasks)
    if not data.get("place"):
        problems.append("Kế hoạch không ghi địa danh: hãy kiểm tra ô “Địa danh” ở dưới.")
    return {
        "data": data,
        "matches": matches,
        "problems": problems,
        "place": data.get("place") or default_place(pending.unit),
        "parent_reference": _parent_reference(data),
        "target_owners": target_guess,
        "task_owners": task_guess,
        "target_reasons": [
            linking.reason(assignments[i], t) if i is not None else ""
            for t, i in zip(targets, target_guess, strict=True)
        ],
        "task_reasons": [
            linking.reason(assignments[i], t) if i is not None else ""
            for t, i in zip(tasks, task_guess, strict=True)
        ],
        "counts": {
            "basis": len(data.get("basis", [])),
            "targets": len(targets),
            "tasks": len(tasks),
            "assignments": len(assignments),
        },
    }


def imported_summary(plan: Plan) -> str:
    """What an import saved, counted from the saved plan: "12 nhiệm vụ (3 nhóm), 9 mục tiêu,
    3 căn cứ, 6 phân công". The group headings ("1. Công tác chỉ đạo, điều hành…") are stored
    as tasks to hold the tree, but the plan does not count them as tasks (the review page's
    count does not either)."""
    groups = plan.tasks.filter(parent__isnull=True).count()
    tasks = plan.tasks.filter(parent__isnull=False).count()
    return (
        f"{tasks} nhiệm vụ ({groups} nhóm), {plan.targets.count()} mục tiêu, "
        f"{plan.basis.count()} căn cứ, {plan.assignments.count()} phân công"
    )


@transaction.atomic
def plan_import_preview(*, actor: User, unit: Unit, filename: str, data: bytes) -> PlanImport:
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
        created_by=actor,
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


NEW_PERSON: Final = "new"


def _people(
    *, actor: User, unit: Unit, data: dict[str, Any], fix: dict[str, Any]
) -> list[Staff | None]:
    """The staff each assignment stands for: the one chosen in the review, a match, or a person
    created in place with the role their title implies (the review's default for a newcomer)."""
    from cchc.organizations import services as organizations

    chosen = {int(k): v for k, v in (fix.get("assignment_staff") or {}).items()}
    roles = {int(k): v for k, v in (fix.get("assignment_role") or {}).items()}
    staff_by_id = {s.pk: s for s in Staff.objects.filter(unit=unit, is_active=True)}
    people: list[Staff | None] = []
    for i, item in enumerate(data.get("assignments", [])):
        choice = chosen.get(i, "auto")
        if choice == "auto":
            found = staff_matches(unit, item.get("name", ""), item.get("title", ""))
            if len(found) == 1:
                people.append(found[0])
                continue
            choice = NEW_PERSON if not found and item.get("name") else None
        if choice != NEW_PERSON:
            people.append(staff_by_id.get(int(choice)) if choice else None)
            continue
        if not item.get("name"):
            people.append(None)
            continue
        role = roles.get(i) or linking.role_for_title(item.get("title", ""))
        group_name = linking.group_for_title(item.get("title", ""))
        group = None
        if group_name:
            group = Group.objects.filter(unit=unit, name__iexact=group_name).first()
            if group is None:
                group = organizations.group_create(actor=actor, unit=unit, name=group_name)
        person = organizations.staff_create(
            actor=actor,
            unit=unit,
            full_name=" ".join(item["name"].split()),
            position=(item.get("title") or "")[:200],
            group=group,
            roles=[role],
        )
        if group is not None and group.head_id is None:
            organizations.group_set_leaders(
                actor=actor, group=group, head=person, supervisor=group.supervisor
            )
        people.append(person)
    return people


def _owner(ref: Any, *, people: list[Staff | None], staff_by_id: dict[int, Staff]) -> Staff | None:
    """An owner chosen in the review: "a3" (the person of assignment 3) or "s12" / 12 (staff)."""
    if ref in (None, ""):
        return None
    text = str(ref)
    if text.startswith("a") and text[1:].isdigit():
        index = int(text[1:])
        return people[index] if index < len(people) else None
    if text.startswith("s"):
        text = text[1:]
    return staff_by_id.get(int(text)) if text.isdigit() else None


@transaction.atomic
def plan_import_confirm(
    *,
    actor: User,
    pending: PlanImport,
    corrections: dict[str, Any] | None = None,
    replace: bool = False,
) -> Plan:
    """Create the plan from a reviewed import.

    The same plan twice (see `same_plan`) raises DuplicatePlan, unless `replace`: then the new
    text takes the old plan's place and the progress recorded on the old tasks (status,
    evidence, comments, activities, done periods) moves to the tasks of the same number.

    `corrections` may override header fields (reference, title, year, issued_on, place) and the
    people: `assignment_staff` {index: staff_id | "new" | None}, `assignment_role` {index: role}
    for people created in place, `target_kpi` {index: code}, `target_owner` {index: "a<i>" |
    "s<pk>"}, `task_owner` {task number: "a<i>" | "s<pk>" | staff_id}. Without corrections the
    review's proposals apply: matched people linked, newcomers created, owners guessed.
    """
    pending = PlanImport.objects.select_for_update().get(pk=pending.pk)
    unit = pending.unit
    permissions.require(actor, permissions.MANAGE_PLANS, unit)
    if pending.plan_id is not None:
        raise PlanImportError("Kế hoạch này đã được lưu rồi.")
    fix = corrections or {}
    data = pending.parsed
    year = fix.get("year") or data.get("year") or timezone.localdate().year
    issued_on = fix.get("issued_on") or (
        date.fromisoformat(data["date"]) if data.get("date") else None
    )
    number, symbol = _split_reference(fix.get("reference") or data.get("symbol") or "")
    title = (fix.get("title") or data.get("title") or "Kế hoạch cải cách hành chính")[:500]
    existing = same_plan(unit, number=number, symbol=symbol, year=int(year), title=title)
    if existing is not None and not replace:
        raise DuplicatePlan(existing)
    people = _people(actor=actor, unit=unit, data=data, fix=fix)
    owner_default = _default_owner(unit)
    staff_by_id = {s.pk: s for s in Staff.objects.filter(unit=unit)}
    assignments = data.get("assignments", [])

    def guessed(index: int | None) -> Staff | None:
        return (people[index] if index is not None else None) or owner_default

    place = fix.get("place")
    plan = Plan.objects.create(
        unit=unit,
        number=number,
        symbol=symbol,
        title=title,
        year=int(year),
        issued_on=issued_on,
        place=(place if place is not None else data.get("place") or default_place(unit))[:100],
        signer=_signer(unit, data.get("signer"), data.get("signer_title")),
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
    target_owner = {int(k): v for k, v in (fix.get("target_owner") or {}).items()}
    targets = data.get("targets", [])
    target_guess = linking.guess_target_owners(assignments, targets)
    for i, target in enumerate(targets):
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
            owner=_owner(target_owner[i], people=people, staff_by_id=staff_by_id)
            or (owner_default if target_owner[i] else None)
            if i in target_owner
            else guessed(target_guess[i]),
        )
    task_owner = {str(k): v for k, v in (fix.get("task_owner") or {}).items()}
    tasks = data.get("tasks", [])
    task_guess = linking.guess_task_owners(assignments, tasks)
    groups: dict[str, Task] = {}
    for i, task in enumerate(tasks):
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
        if task["number"] in task_owner:
            ref = task_owner[task["number"]]
            owner = _owner(ref, people=people, staff_by_id=staff_by_id) or (
                owner_default if ref else None
            )
        else:
            named = staff_matches(unit, task["owner"]) if task.get("owner") else []
            # A task table's "Người thực hiện" column names the owner; else the duties do.
            owner = named[0] if len(named) == 1 else guessed(task_guess[i])
        text = task.get("text") or task["title"]
        Task.objects.create(
            plan=plan,
            parent=groups[group_number],
            order=groups[group_number].order + i + 1,
            number=task["number"],
            title=task["title"][:300],
            text=text,
            owner=owner,
            recurrence=_recurrence_for(text),
            due_on=date(int(year), 12, 31),
        )
    for i, item in enumerate(assignments):
        Assignment.objects.create(
            plan=plan,
            order=i,
            staff=people[i],
            name=item.get("name") or item.get("title", ""),
            honorific=item.get("honorific", ""),
            title=item.get("title", ""),
            duties=item.get("duties", []),
        )
    from cchc.plans.services import task_sync_occurrences

    for task in plan.tasks.filter(parent__isnull=False):
        task_sync_occurrences(task=task)
    if existing is not None:
        _carry_over(old=existing, new=plan)
        audit_record(
            actor=actor,
            verb=AuditVerb.PLAN_REPLACE,
            obj=plan,
            unit=unit,
            before={"plan": existing.pk, "reference": existing.reference},
            after={"plan": plan.pk, "file": pending.filename},
        )
        existing.delete()
    pending.plan = plan
    pending.save(update_fields=["plan", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.PLAN_IMPORT,
        obj=plan,
        unit=unit,
        after={
            "title": plan.title,
            "reference": plan.reference,
            "file": pending.filename,
            "targets": len(targets),
            "tasks": len(tasks),
            "assignments": len(assignments),
            "people_linked": sum(p is not None for p in people),
        },
    )
    return plan


def _carry_over(*, old: Plan, new: Plan) -> None:
    """Move what was recorded on `old` to the tasks of the same number in `new`."""
    from cchc.plans.models import Activity, Evidence, TaskComment, TaskOccurrence

    new_tasks = {t.number: t for t in new.tasks.all()}
    for task in old.tasks.prefetch_related("collaborators", "occurrences"):
        target = new_tasks.get(task.number)
        if target is None:
            continue
        target.status, target.progress = task.status, task.progress
        target.completed_on, target.review_cadence = task.completed_on, task.review_cadence
        target.save(update_fields=["status", "progress", "completed_on", "review_cadence"])
        target.collaborators.set(task.collaborators.all())
        periods = {(o.period_label, o.period_start): o for o in target.occurrences.all()}
        for occurrence in task.occurrences.all():
            twin = periods.get((occurrence.period_label, occurrence.period_start))
            if twin is None:
                continue
            TaskOccurrence.objects.filter(pk=twin.pk).update(
                status=occurrence.status, completed_on=occurrence.completed_on
            )
            Evidence.objects.filter(occurrence=occurrence).update(occurrence=twin)
        Evidence.objects.filter(task=task).update(task=target)
        TaskComment.objects.filter(task=task).update(task=target)
        Activity.objects.filter(task=task).update(task=target)
    Plan.objects.filter(parent=old).update(parent=new)
    PlanImport.objects.filter(plan=old).update(plan=new)


def _split_reference(reference: str) -> tuple[str, str]:
    """ "211/KH-UBND" -> ("211", "KH-UBND"); "KH-THCSNTB" -> ("", "KH-THCSNTB")."""
    reference = "".join(reference.split())
    if "/" in reference:
        number, _, symbol = reference.partition("/")
        return number[:20], symbol[:60]
    return "", reference[:60]


def _signer(unit: Unit, name: str | None, title: str | None = None) -> Staff | None:
    found = staff_matches(unit, name or "", title or "")
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
