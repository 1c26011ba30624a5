"""The one place that decides who may do what, and which units a user may see.

A permission is a string "<area>.<action>". Roles grant permissions inside the holder's own unit;
the commune officer's read permissions reach every unit below the commune. Views and the API call
`require(...)` / `visible_units(...)`; nothing else inspects roles.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from cchc.accounts.models import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from cchc.accounts.models import User
    from cchc.organizations.models import Staff, Unit

    # Whoever is asking: a signed-in user, the anonymous visitor of a public page, or nobody
    # (the system). Every helper below answers "no" for the last two.
    AnyUser = User | AnonymousUser | None

# Any queryset: scoping keeps its class (a DossierQuerySet stays one).
_QS = TypeVar("_QS", bound=QuerySet[Any])

VIEW_UNIT = "unit.view"
VIEW_STAFF = "staff.view"
VIEW_PERSONAL_DATA = "staff.view_personal"
MANAGE_STAFF = "staff.manage"
VIEW_AUDIT = "audit.view"
MANAGE_WORKDAYS = "workdays.manage"
USE_API = "api.use"
VIEW_PLANS = "plans.view"
MANAGE_PLANS = "plans.manage"
RECORD_ACTIVITY = "plans.record_activity"
VIEW_DOSSIERS = "dossiers.view"
RECEIVE_DOSSIERS = "dossiers.receive"
PROCESS_DOSSIERS = "dossiers.process"
MANAGE_PROCEDURES = "dossiers.manage_procedures"
VIEW_SURVEYS = "surveys.view"
MANAGE_SURVEYS = "surveys.manage"
_DOSSIER_DESK = frozenset({VIEW_DOSSIERS, RECEIVE_DOSSIERS, PROCESS_DOSSIERS})
# Citizen feedback (issue 12): the desk receives and handles, the principal approves answers,
# the inspection board head reviews conduct complaints and disputes (Decree 20/2008 Art. 9).
VIEW_FEEDBACK = "feedback.view"
HANDLE_FEEDBACK = "feedback.handle"
APPROVE_FEEDBACK = "feedback.approve"
INSPECT_FEEDBACK = "feedback.inspect"
_FEEDBACK_DESK = frozenset({VIEW_FEEDBACK, HANDLE_FEEDBACK})
# Fees, bills, statements and receipts (issue 15): the principal and the clerk collect, the
# vice principals and the inspection board read, the commune reads every school below it.
VIEW_PAYMENTS = "payments.view"
MANAGE_PAYMENTS = "payments.manage"
# E-office (cchc.documents): read the registers, draft, register/number/release, approve.
VIEW_DOCUMENTS = "documents.view"
DRAFT_DOCUMENTS = "documents.draft"
REGISTER_DOCUMENTS = "documents.register"
APPROVE_DOCUMENTS = "documents.approve"
_DOCUMENT_CLERK = frozenset({VIEW_DOCUMENTS, DRAFT_DOCUMENTS, REGISTER_DOCUMENTS})
_DOCUMENT_LEADER = frozenset({VIEW_DOCUMENTS, DRAFT_DOCUMENTS, APPROVE_DOCUMENTS})
# Per-person scorecards (issue 16 item 6): everyone sees their own card (no permission needed);
# this reads every card of a unit: its leaders, and the commune officer for the units below.
VIEW_SCORECARDS = "scorecards.view"

_EVERY_STAFF = frozenset({VIEW_UNIT, VIEW_STAFF, USE_API, VIEW_PLANS, RECORD_ACTIVITY})
_LEADERSHIP = _EVERY_STAFF | {VIEW_PERSONAL_DATA, VIEW_AUDIT}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.PRINCIPAL: _LEADERSHIP
    | _DOSSIER_DESK
    | _FEEDBACK_DESK
    | {APPROVE_FEEDBACK, INSPECT_FEEDBACK}
    | {MANAGE_STAFF, MANAGE_WORKDAYS, MANAGE_PLANS, MANAGE_PROCEDURES}
    | {VIEW_SURVEYS, MANAGE_SURVEYS}
    | {VIEW_PAYMENTS, MANAGE_PAYMENTS}
    | _DOCUMENT_LEADER
    | {VIEW_SCORECARDS},
    # The principal has the vice principals organise the satisfaction surveys (seed plan III.1).
    Role.VICE_PRINCIPAL: _LEADERSHIP
    | _DOSSIER_DESK
    | _FEEDBACK_DESK
    | {MANAGE_PLANS, VIEW_SURVEYS, MANAGE_SURVEYS}
    | {VIEW_PAYMENTS}
    | _DOCUMENT_LEADER
    | {VIEW_SCORECARDS},
    Role.CLERK: _EVERY_STAFF
    | _DOSSIER_DESK
    | _FEEDBACK_DESK
    | {VIEW_PERSONAL_DATA, MANAGE_WORKDAYS, MANAGE_PROCEDURES}
    | {VIEW_SURVEYS}
    | {VIEW_PAYMENTS, MANAGE_PAYMENTS}
    | _DOCUMENT_CLERK,
    Role.INSPECTION_HEAD: _EVERY_STAFF
    | {VIEW_AUDIT, VIEW_DOSSIERS, INSPECT_FEEDBACK, VIEW_SURVEYS}
    | {VIEW_PAYMENTS, VIEW_DOCUMENTS},
    Role.IT_LEAD: _EVERY_STAFF | {VIEW_AUDIT},
    # The accountant keeps the fee ledger: bills, bank statements, cash with its reason and the
    # receipts ("Lưu: Kế toán" on every receipt; Official letter 2741/BGDĐT-KHTC, domain.md 9).
    Role.ACCOUNTANT: _EVERY_STAFF | {VIEW_PAYMENTS, MANAGE_PAYMENTS},
    Role.STAFF: _EVERY_STAFF | {DRAFT_DOCUMENTS},
    # Read-only over the commune and every unit below it (issue 2: read-only by default).
    Role.COMMUNE_OFFICER: _EVERY_STAFF
    | {VIEW_PERSONAL_DATA, VIEW_AUDIT, MANAGE_PLANS, VIEW_DOSSIERS, VIEW_FEEDBACK}
    | {VIEW_SURVEYS}
    | {VIEW_PAYMENTS, VIEW_DOCUMENTS}
    | {VIEW_SCORECARDS},
    Role.SYSTEM_ADMIN: _LEADERSHIP
    | _DOSSIER_DESK
    | _FEEDBACK_DESK
    | {APPROVE_FEEDBACK, INSPECT_FEEDBACK}
    | {MANAGE_STAFF, MANAGE_WORKDAYS, MANAGE_PLANS, MANAGE_PROCEDURES}
    | {VIEW_SURVEYS, MANAGE_SURVEYS}
    | {VIEW_PAYMENTS, MANAGE_PAYMENTS}
    | _DOCUMENT_CLERK
    | _DOCUMENT_LEADER
    | {VIEW_SCORECARDS},
}

# Roles whose read permissions extend to the units below their own.
_REACHES_DOWN = frozenset({Role.COMMUNE_OFFICER, Role.SYSTEM_ADMIN})
# Permissions that never reach below the holder's own unit (writes, and personal data).
_OWN_UNIT_ONLY = frozenset(
    {
        MANAGE_STAFF,
        MANAGE_WORKDAYS,
        MANAGE_PLANS,
        RECORD_ACTIVITY,
        # Citizens' and staff's phones, ID numbers and e-mails: the commune reads the schools'
        # records for oversight, which needs no one's phone number.
        VIEW_PERSONAL_DATA,
        RECEIVE_DOSSIERS,
        PROCESS_DOSSIERS,
        MANAGE_PROCEDURES,
        HANDLE_FEEDBACK,
        APPROVE_FEEDBACK,
        INSPECT_FEEDBACK,
        MANAGE_SURVEYS,
        MANAGE_PAYMENTS,
        DRAFT_DOCUMENTS,
        REGISTER_DOCUMENTS,
        APPROVE_DOCUMENTS,
    }
)


def acting_staff(user: AnyUser) -> Staff | None:
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "staff", None)


def acting_unit_or_404(user: AnyUser) -> Unit:
    """The unit the signed-in person works in; pages that act "in my unit" need one."""
    staff = acting_staff(user)
    if staff is None:
        from django.http import Http404

        raise Http404("Tài khoản chưa gắn với đơn vị nào.")
    return staff.unit


def roles_of(user: AnyUser) -> frozenset[str]:
    """The roles a user holds; cached on the user object for the request."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_cchc_roles", None)
    if cached is not None:
        return cached
    staff = acting_staff(user)
    roles: set[str] = set()
    if staff is not None and staff.is_active:
        roles = {Role.STAFF, *staff.role_assignments.values_list("role", flat=True)}
    if user.is_superuser:
        roles.add(Role.SYSTEM_ADMIN)
    result = frozenset(roles)
    user._cchc_roles = result
    return result


def permissions_of(user: AnyUser) -> frozenset[str]:
    perms: set[str] = set()
    for role in roles_of(user):
        perms |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(perms)


def has_role(user: AnyUser, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def sees_personal_data(user: AnyUser) -> bool:
    """Personal data on a page or export listing several units' records: only for a reader whose
    every listed unit is their own (a commune officer reads the schools' books without the
    citizens' phone numbers)."""
    if user is not None and user.is_superuser:
        return True
    staff = acting_staff(user)
    if staff is None or roles_of(user) & _REACHES_DOWN:
        return False
    return can(user, VIEW_PERSONAL_DATA, staff.unit)


def visible_units(user: AnyUser) -> QuerySet[Unit]:
    """Units whose data the user may read: their own, plus all below it for commune officers."""
    from cchc.organizations.models import Unit

    if user is None or not user.is_authenticated:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.all()
    staff = acting_staff(user)
    if staff is None or not staff.is_active:
        return Unit.objects.none()
    if roles_of(user) & _REACHES_DOWN:
        return Unit.objects.filter(path__startswith=staff.unit.path)
    return Unit.objects.filter(pk=staff.unit_id)


def can(user: AnyUser, permission: str, unit: Unit | None = None) -> bool:
    """May `user` exercise `permission`, in `unit` if given?"""
    if permission not in permissions_of(user):
        return False
    if unit is None or (user is not None and user.is_superuser):
        return True
    staff = acting_staff(user)
    if staff is None:
        return False
    if staff.unit_id == unit.pk:
        return True
    if permission in _OWN_UNIT_ONLY:
        return False
    return bool(roles_of(user) & _REACHES_DOWN) and unit.path.startswith(staff.unit.path)


def require(user: AnyUser, permission: str, unit: Unit | None = None) -> None:
    if not can(user, permission, unit):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")


def scope_to_units(queryset: _QS, user: AnyUser, *, field: str = "unit") -> _QS:
    """Limit any unit-owned queryset to what `user` may see (the one tenancy helper)."""
    return queryset.filter(**{f"{field}__in": visible_units(user)})


def roles_requiring_otp() -> frozenset[str]:
    from cchc.accounts.models import RoleSecurityPolicy

    return frozenset(
        RoleSecurityPolicy.objects.filter(requires_otp=True).values_list("role", flat=True)
    )


def must_use_otp(user: User, roles: Iterable[str] | None = None) -> bool:
    held = frozenset(roles) if roles is not None else roles_of(user)
    return bool(held & roles_requiring_otp())
