"""Units and staff over the API, scoped exactly like the staff pages."""

from __future__ import annotations

from ninja import Router, Schema

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.organizations import selectors

router = Router(tags=["Đơn vị và nhân sự"])


class UnitOut(Schema):
    id: int
    kind: str
    name: str
    short_name: str
    code: str
    symbol: str
    parent_id: int | None
    address: str
    phone: str
    email: str
    website: str


class StaffOut(Schema):
    id: int
    full_name: str
    position: str
    group: str | None
    email: str
    phone: str | None
    roles: list[str]
    has_signature_certificate: bool


class MeOut(Schema):
    username: str
    full_name: str
    unit: UnitOut | None
    roles: list[str]


@router.get("/me", response=MeOut, summary="Tài khoản đang dùng")
def me(request: AuthedHttpRequest) -> dict:
    staff = permissions.acting_staff(request.user)
    return {
        "username": request.user.get_username(),
        "full_name": staff.full_name if staff else request.user.get_full_name(),
        "unit": staff.unit if staff else None,
        "roles": sorted(permissions.roles_of(request.user)),
    }


@router.get("/units", response=list[UnitOut], summary="Các đơn vị được xem")
def unit_list(request: AuthedHttpRequest) -> list:
    return list(selectors.unit_list_for_user(user=request.user))


@router.get("/units/{unit_id}", response=UnitOut, summary="Một đơn vị")
def unit_get(request: AuthedHttpRequest, unit_id: int) -> object:
    return selectors.unit_get_for_user(user=request.user, pk=unit_id)


@router.get("/units/{unit_id}/staff", response=list[StaffOut], summary="Nhân sự của đơn vị")
def unit_staff(request: AuthedHttpRequest, unit_id: int, q: str = "") -> list[dict]:
    unit = selectors.unit_get_for_user(user=request.user, pk=unit_id)
    show_personal = selectors.may_see_personal_data(user=request.user, unit=unit)
    return [
        {
            "id": s.id,
            "full_name": s.full_name,
            "position": s.position,
            "group": s.group.name if s.group else None,
            "email": s.email,
            "phone": s.phone if show_personal else None,
            "roles": sorted(r.role for r in s.role_assignments.all()),
            "has_signature_certificate": s.has_signature_certificate,
        }
        for s in selectors.staff_list_for_unit(user=request.user, unit=unit, query=q)
    ]
