"""Who may see and do what with reviews, on top of `cchc.accounts.permissions` (no new
permission strings: reading follows the dossier desk's read right, which the commune officer
holds for every unit below the commune; writing follows the roles that run a school's one-stop
desk)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from cchc.accounts import permissions
from cchc.accounts.models import Role
from cchc.organizations.models import Unit
from cchc.simplification.workflow import ACTIONS

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser

_DRAFTERS = (Role.PRINCIPAL, Role.VICE_PRINCIPAL, Role.CLERK)


def may_view(user: AnyUser, unit: Unit | None = None) -> bool:
    return permissions.can(user, permissions.VIEW_DOSSIERS, unit)


def _own_unit(user: AnyUser, unit: Unit) -> bool:
    staff = permissions.acting_staff(user)
    return staff is not None and staff.is_active and staff.unit_id == unit.pk


def may_draft(user: AnyUser, unit: Unit) -> bool:
    return _own_unit(user, unit) and permissions.has_role(user, *_DRAFTERS)


def may_approve(user: AnyUser, unit: Unit) -> bool:
    return _own_unit(user, unit) and permissions.has_role(user, Role.PRINCIPAL)


def may_decide(user: AnyUser, unit: Unit) -> bool:
    """The commune's reform officer, for a unit below the commune (not their own)."""
    staff = permissions.acting_staff(user)
    if staff is None or not staff.is_active or not permissions.has_role(user, Role.COMMUNE_OFFICER):
        return False
    return unit.pk != staff.unit_id and unit.path.startswith(staff.unit.path)


def may(user: AnyUser, who: str, unit: Unit) -> bool:
    return {"drafter": may_draft, "principal": may_approve, "commune": may_decide}[who](user, unit)


def check_action(user: AnyUser, unit: Unit, code: str) -> None:
    """The guard of a workflow action, run before its form or its version is read (the page,
    the API and the service call it): PermissionDenied unless `user` may take action `code` on
    a review of `unit`, or, for a code that is no action, may take some action there (then the
    unknown code is bad input, 422, for whoever reads it)."""
    allowed = [a.code for a in ACTIONS.values() if may(user, a.who, unit)]
    if not allowed or (code in ACTIONS and code not in allowed):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này với phiếu rà soát.")
