"""Writes to units, groups and staff: one function per use case, each audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cchc.accounts.models import Role, RoleAssignment, User
from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb
from cchc.core.conflicts import unique_or_conflict
from cchc.organizations.models import Group, Staff, Unit


def unit_path(unit: Unit) -> str:
    """The unit's materialised tree path, "000001.000007.": its parent's path and its own id
    (the admin recomputes it when a unit moves)."""
    prefix = unit.parent.path if unit.parent is not None else ""
    return f"{prefix}{unit.pk:06d}."


@transaction.atomic
def unit_create(*, actor: User | None, parent: Unit | None = None, **fields: Any) -> Unit:
    """Create a unit under `parent`; its tree path is derived from the parent's."""
    unit = Unit(parent=parent, path="", **fields)
    unit.full_clean(exclude=["path"])
    with unique_or_conflict({"code": f"Mã định danh {unit.code} vừa được dùng cho đơn vị khác."}):
        unit.save()
    unit.path = unit_path(unit)
    unit.save(update_fields=["path"])
    audit_record(actor=actor, verb=AuditVerb.UNIT_CREATE, obj=unit, unit=unit, after=snapshot(unit))
    return unit


@transaction.atomic
def group_create(
    *,
    actor: User | None,
    unit: Unit,
    name: str,
    head: Staff | None = None,
    supervisor: Staff | None = None,
) -> Group:
    group = Group(unit=unit, name=name, head=head, supervisor=supervisor)
    group.full_clean()
    with unique_or_conflict({"name": f"Đơn vị đã có tổ «{name}»."}):
        group.save()
    audit_record(
        actor=actor, verb=AuditVerb.GROUP_CREATE, obj=group, unit=unit, after=snapshot(group)
    )
    return group


@transaction.atomic
def group_set_leaders(
    *, actor: User | None, group: Group, head: Staff | None, supervisor: Staff | None
) -> Group:
    before = snapshot(group)
    group.head, group.supervisor = head, supervisor
    group.save(update_fields=["head", "supervisor", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.GROUP_UPDATE,
        obj=group,
        unit=group.unit,
        before=before,
        after=snapshot(group),
    )
    return group


@transaction.atomic
def staff_create(
    *, actor: User | None, unit: Unit, full_name: str, roles: list[str] | None = None, **fields: Any
) -> Staff:
    """Add a person to a unit with the roles they hold there."""
    staff = Staff(unit=unit, full_name=full_name, **fields)
    staff.full_clean()
    staff.save()
    for role in roles or []:
        if role != Role.STAFF:
            RoleAssignment.objects.create(staff=staff, role=role)
    after = snapshot(staff) | {"roles": sorted(roles or [])}
    audit_record(actor=actor, verb=AuditVerb.STAFF_CREATE, obj=staff, unit=unit, after=after)
    return staff


@transaction.atomic
def staff_update(*, actor: User, staff: Staff, **fields: Any) -> Staff:
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    before = snapshot(staff)
    for name, value in fields.items():
        setattr(staff, name, value)
    staff.full_clean()
    staff.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.STAFF_UPDATE,
        obj=staff,
        unit=staff.unit,
        before=before,
        after=snapshot(staff),
    )
    return staff


@transaction.atomic
def staff_set_roles(*, actor: User, staff: Staff, roles: list[str]) -> Staff:
    before = sorted(staff.role_assignments.values_list("role", flat=True))
    wanted = {r for r in roles if r != Role.STAFF}
    staff.role_assignments.exclude(role__in=wanted).delete()
    with unique_or_conflict():  # two admins saving the same person's roles at once
        for role in wanted - set(before):
            RoleAssignment.objects.create(staff=staff, role=role)
    audit_record(
        actor=actor,
        verb=AuditVerb.STAFF_SET_ROLES,
        obj=staff,
        unit=staff.unit,
        before={"roles": before},
        after={"roles": sorted(wanted)},
    )
    return staff


def staff_import_check(*, unit: Unit, rows: list[Any]) -> None:
    """Add to each row the errors only the database can tell (e-mail already in use)."""
    emails = {r.email for r in rows if r.email}
    taken = {
        e.lower()
        for e in Staff.objects.filter(unit=unit, email__in=emails).values_list("email", flat=True)
    }
    from cchc.accounts.models import User

    taken |= {
        e.lower() for e in User.objects.filter(email__in=emails).values_list("email", flat=True)
    }
    for row in rows:
        if row.email and row.email in taken:
            row.errors.append(f"thư điện tử “{row.email}” đã có người dùng")


@transaction.atomic
def staff_import(*, actor: User, unit: Unit, rows: list[Any]) -> list[Staff]:
    """Add every row as a staff member with their group and roles; all or nothing.

    The caller has checked the rows (`staff_table.parse_table` and `staff_import_check`); they
    are checked again here, under the transaction, so a row that became invalid meanwhile
    (someone took the e-mail) aborts the whole import instead of saving half of it.
    """
    from django.core.exceptions import ValidationError

    for row in rows:
        row.errors = [e for e in row.errors if "đã có người dùng" not in e]
    staff_import_check(unit=unit, rows=rows)
    bad = [f"Dòng {r.line}: {'; '.join(r.errors)}." for r in rows if r.errors]
    if bad:
        raise ValidationError(bad)
    groups = {g.name.casefold(): g for g in Group.objects.filter(unit=unit)}
    created = []
    for row in rows:
        group = None
        if row.group:
            group = groups.get(row.group.casefold())
            if group is None:
                group = group_create(actor=actor, unit=unit, name=row.group)
                groups[row.group.casefold()] = group
        created.append(
            staff_create(
                actor=actor,
                unit=unit,
                full_name=row.full_name,
                position=row.position,
                group=group,
                email=row.email,
                phone=row.phone,
                roles=row.roles,
            )
        )
    return created
