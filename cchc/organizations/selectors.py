"""Reads of units, groups and staff, always scoped to the acting user."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from cchc.accounts import permissions
from cchc.accounts.models import Role, RoleAssignment
from cchc.core.names import given_name_key
from cchc.organizations.models import Group, Staff, Unit

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser


def unit_list_for_user(*, user: AnyUser) -> QuerySet[Unit]:
    permissions.require(user, permissions.VIEW_UNIT)
    return (
        permissions.visible_units(user)
        .select_related("parent")
        .annotate(staff_count=Count("staff", distinct=True))
        .order_by("path")
    )


def unit_get_for_user(*, user: AnyUser, pk: int) -> Unit:
    """One unit the user may see; 404 (not 403) for others so their existence is not revealed."""
    unit = permissions.visible_units(user).select_related("parent").filter(pk=pk).first()
    if unit is None:
        raise Http404("Không tìm thấy đơn vị.")
    permissions.require(user, permissions.VIEW_UNIT, unit)
    return unit


def group_list_for_unit(*, user: AnyUser, unit: Unit) -> QuerySet[Group]:
    permissions.require(user, permissions.VIEW_STAFF, unit)
    return (
        Group.objects.filter(unit=unit)
        .select_related("head", "supervisor")
        .annotate(member_count=Count("members"))
        .order_by("name")
    )


def staff_list_for_unit(*, user: AnyUser, unit: Unit, query: str = "") -> QuerySet[Staff]:
    permissions.require(user, permissions.VIEW_STAFF, unit)
    staff = (
        Staff.objects.filter(unit=unit, is_active=True)
        .select_related("group", "user", "unit")
        .prefetch_related(
            Prefetch("role_assignments", queryset=RoleAssignment.objects.order_by("role"))
        )
    )
    if query:
        staff = staff.filter(full_name__icontains=query)
    return staff.order_by("full_name")


def may_see_personal_data(*, user: AnyUser, unit: Unit) -> bool:
    """Phones and similar personal data only for leadership, the clerk and the commune officer."""
    return permissions.can(user, permissions.VIEW_PERSONAL_DATA, unit)


def staff_choices(unit: Unit, *, blank: str = "---------") -> list[tuple[Any, str]]:
    """Active staff of the unit for a select, in the order of Vietnamese lists (given name
    first), each with their position so two people of the same name can be told apart."""
    people = sorted(
        Staff.objects.filter(unit=unit, is_active=True), key=lambda s: given_name_key(s.full_name)
    )
    return [("", blank)] + [
        (s.pk, f"{s.full_name}{f' ({s.position})' if s.position else ''}") for s in people
    ]


# The head's title at the start of a position ("Chủ tịch Ủy ban nhân dân xã", not "Phó Chủ
# tịch"): a People's Committee has no role of ours for its chair, a school its principal role.
_HEAD_POSITIONS = ("hiệu trưởng", "chủ tịch", "giám đốc", "trưởng phòng")


def unit_head(unit: Unit) -> Staff | None:
    """Who heads `unit` and signs for it (Decree 30/2020 Art. 13): its active principal, else
    the active staff member whose position is the head's title."""
    active = Staff.objects.filter(unit=unit, is_active=True).order_by("pk")
    principal = active.filter(role_assignments__role=Role.PRINCIPAL).first()
    if principal is not None:
        return principal
    return next((s for s in active if s.position.strip().lower().startswith(_HEAD_POSITIONS)), None)


def superior_name(unit: Unit) -> str:
    """The body `unit` reports to: its parent in the unit tree; for the top of the tree (a
    commune whose superior does not use the system), the People's Committee of the province or
    city at the end of its address ("…, Thành phố Hồ Chí Minh"); "" when neither says."""
    if unit.parent is not None:
        return unit.parent.name
    found = re.search(r"(?:^|,)\s*((?:Thành phố|Tỉnh)\s+[^,]+?)\s*$", unit.address or "")
    return f"Ủy ban nhân dân {found[1]}" if found else ""
