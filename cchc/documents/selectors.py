"""Reads of the registers, scoped to the units the user may see (commune sees its schools)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cchc.accounts import permissions
from cchc.core.numbers import parse_id
from cchc.documents.models import IncomingDocument, OutgoingDocument, SigningCertificate
from cchc.documents.references import DocRefError, parse_reference

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser


def _date(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _own_only(user: AnyUser) -> Any:
    """Staff without the register permission see only what concerns them (None: everything
    in their units). Anyone else is refused."""
    if permissions.can(user, permissions.VIEW_DOCUMENTS):
        return None
    staff = permissions.acting_staff(user)
    if staff is None or not permissions.can(user, permissions.DRAFT_DOCUMENTS, staff.unit):
        raise PermissionDenied("Bạn không có quyền xem sổ văn bản.")
    return staff


def incoming_for_user(
    *, user: AnyUser, filters: dict[str, str] | None = None
) -> QuerySet[IncomingDocument]:
    """The register; a teacher sees the non-secret documents they lead or help with."""
    own = _own_only(user)
    rows = permissions.scope_to_units(IncomingDocument.objects.all(), user).select_related(
        "unit", "lead_handler"
    )
    if own is not None:
        rows = rows.filter(Q(lead_handler=own) | Q(collaborators=own), secrecy="").distinct()
    return _filter(rows, filters or {}, date_field="received_at__date", ref_field="reference")


def outgoing_for_user(
    *, user: AnyUser, filters: dict[str, str] | None = None
) -> QuerySet[OutgoingDocument]:
    own = _own_only(user)
    rows = permissions.scope_to_units(OutgoingDocument.objects.all(), user).select_related(
        "unit", "signer", "drafter"
    )
    if own is not None:
        rows = rows.filter(Q(drafter=own) | Q(signer=own))
    return _filter(rows, filters or {}, date_field="issued_on", ref_field="symbol")


def _filter(
    rows: QuerySet, filters: dict[str, str], *, date_field: str, ref_field: str
) -> QuerySet:
    query = (filters.get("q") or "").strip()[:200]
    if query:
        condition = Q(summary__icontains=query)
        try:
            ref = parse_reference(query)
            condition |= Q(**{f"{ref_field}__icontains": ref.written or ref.normalized})
        except DocRefError:
            condition |= Q(**{f"{ref_field}__icontains": query})
        rows = rows.filter(condition)
    if filters.get("trang_thai"):
        rows = rows.filter(status=filters["trang_thai"])
    if filters.get("hinh_thuc") and hasattr(rows.model, "channel"):
        rows = rows.filter(channel=filters["hinh_thuc"])
    start, end = _date(filters.get("tu_ngay")), _date(filters.get("den_ngay"))
    if start:
        rows = rows.filter(**{f"{date_field}__gte": start})
    if end:
        rows = rows.filter(**{f"{date_field}__lte": end})
    return rows


def incoming_get(*, user: AnyUser, pk: Any) -> IncomingDocument:
    pk_value = parse_id(pk)
    doc = None if pk_value is None else incoming_for_user(user=user).filter(pk=pk_value).first()
    if doc is None:
        raise Http404("Không tìm thấy văn bản đến.")
    return doc


def outgoing_get(*, user: AnyUser, pk: Any) -> OutgoingDocument:
    pk_value = parse_id(pk)
    doc = None if pk_value is None else outgoing_for_user(user=user).filter(pk=pk_value).first()
    if doc is None:
        raise Http404("Không tìm thấy văn bản đi.")
    return doc


def certificates_for_user(*, user: AnyUser) -> QuerySet[SigningCertificate]:
    """Own certificates; leaders also see their unit's (staff and seal)."""
    staff = permissions.acting_staff(user)
    if staff is None:
        return SigningCertificate.objects.none()
    rows = SigningCertificate.objects.select_related("staff")
    if permissions.can(user, permissions.APPROVE_DOCUMENTS, staff.unit) or permissions.can(
        user, permissions.REGISTER_DOCUMENTS, staff.unit
    ):
        return rows.filter(unit=staff.unit)
    return rows.filter(staff=staff)
