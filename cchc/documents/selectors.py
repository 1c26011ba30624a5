"""Reads of the registers, scoped to the units the user may see (commune sees its schools)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404

from cchc.accounts import permissions
from cchc.core.audit_verbs import AuditVerb
from cchc.core.models import AuditEvent
from cchc.core.numbers import parse_id
from cchc.documents.models import IncomingDocument, OutgoingDocument, SigningCertificate
from cchc.documents.references import DocRefError, parse_reference
from cchc.documents.workflow import OutgoingStatus

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser
    from cchc.organizations.models import Staff


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


def with_returned_flag(rows: QuerySet[OutgoingDocument]) -> QuerySet[OutgoingDocument]:
    """`was_returned` on each row: a draft a leader has sent back at least once. A draft is
    only ever sent back from review, so for a draft this is what `services.last_return`
    finds, in one query for the whole page of the register."""
    sent_back = AuditEvent.objects.filter(
        object_type=OutgoingDocument._meta.label_lower,
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        verb=AuditVerb.DOCUMENTS_OUTGOING_DRAFT,
    )
    return rows.annotate(was_returned=Exists(sent_back))


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


@dataclass(frozen=True)
class Waiting:
    """An outgoing document waiting for the person's own step, and which step it is."""

    doc: OutgoingDocument
    action: str


# The step an outgoing document waits for in each status, and who takes it: a leader with the
# approval permission checks and approves a draft sent for review (Decree 30/2020 Art. 10–13),
# the clerk numbers an approved one, the designated signer signs a numbered one, the clerk
# seals and releases a signed one.
WAITING_STEPS: tuple[tuple[str, str, str], ...] = (
    (OutgoingStatus.REVIEW, permissions.APPROVE_DOCUMENTS, "Kiểm tra, duyệt"),
    (OutgoingStatus.APPROVED, permissions.REGISTER_DOCUMENTS, "Cấp số"),
    (OutgoingStatus.NUMBERED, "signer", "Ký số"),
    (OutgoingStatus.SIGNED, permissions.REGISTER_DOCUMENTS, "Đóng dấu số và phát hành"),
)


def waiting_steps(user: AnyUser, staff: Staff, *, prefix: str = "") -> tuple[Q, dict[str, str]]:
    """The outgoing steps (`WAITING_STEPS`) that wait for `user`, acting as `staff`, as a filter
    on `OutgoingDocument` (or, with `prefix` "outgoing__", on a model that points to one: an
    apology letter, `apology_letters.waiting_for`), and the step of each status it lets through.
    The one rule of "whose turn is it" for both lists; the caller scopes the rows to the staff's
    own unit, so each permission is asked of the user without loading the unit (`permissions.can`
    answers the same in one's own unit)."""
    condition = Q(pk__in=[])
    actions: dict[str, str] = {}
    for status, who, action in WAITING_STEPS:
        if who == "signer":
            condition |= Q(**{f"{prefix}status": status, f"{prefix}signer": staff})
        elif permissions.can(user, who):
            condition |= Q(**{f"{prefix}status": status})
        else:
            continue
        actions[status] = action
    return condition, actions


def outgoing_waiting_for(*, user: AnyUser, limit: int = 100) -> list[Waiting]:
    """Outgoing documents of the person's own unit that wait for their review, approval,
    number or signature (an apology letter sent up by the clerk among them), oldest first.
    Scoped to the acting unit only: a commune officer is not asked to sign a school's letter."""
    staff = permissions.acting_staff(user)
    if staff is None:
        return []
    condition, actions = waiting_steps(user, staff)
    rows = (
        OutgoingDocument.objects.filter(condition, unit_id=staff.unit_id)
        .select_related("drafter")
        .order_by("updated_at", "pk")[:limit]
    )
    return [Waiting(doc, actions[doc.status]) for doc in rows]
