"""E-office over the API: read a reference, list and register incoming documents, list outgoing
documents and number an approved one (the system numbering of Decree 30 Art. 15)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.api.dossiers import NoNul
from cchc.api.guards import in_own_unit, path_text, permitted
from cchc.documents import selectors, services
from cchc.documents.references import DocRefError, parse_reference
from cchc.documents.workflow import InvalidTransition

router = Router(tags=["Văn bản đi, đến"])


class DocRefOut(Schema):
    number: int
    year: int | None
    type_code: str | None
    type: str
    issuer_code: str
    unit_code: str | None
    normalized: str


class IncomingIn(Schema):
    reference: Annotated[str, Field(max_length=200), NoNul]
    issued_on: date
    author: Annotated[str, Field(max_length=255, min_length=1), NoNul]
    summary: Annotated[str, Field(max_length=500, min_length=1), NoNul]
    channel: Annotated[str, Field(pattern="^(electronic|paper)$")]
    urgency: Annotated[str, Field(pattern="^(|khan|thuong_khan|hoa_toc)$")] = ""
    secrecy: Annotated[str, Field(pattern="^(|mat|toi_mat|tuyet_mat)$")] = ""
    from_state_agency: bool = True


class IncomingOut(Schema):
    id: int
    year: int
    incoming_number: int
    received_at: datetime
    author: str
    reference: str
    reference_normalized: str
    issued_on: date
    doc_type: str
    summary: str
    channel: str
    secrecy: str
    status: str
    due_on: date | None


class OutgoingOut(Schema):
    id: int
    status: str
    doc_type: str
    summary: str
    number: int | None
    symbol: str
    issued_on: date | None
    secrecy: str
    version: int


class Filters(Schema):
    q: Annotated[str, Field(max_length=200), NoNul] = ""
    trang_thai: Annotated[str, Field(max_length=20), NoNul] = ""
    tu_ngay: Annotated[str, Field(max_length=10), NoNul] = ""
    den_ngay: Annotated[str, Field(max_length=10), NoNul] = ""


class NumberIn(Schema):
    version: Annotated[int, Field(ge=1)]


@router.get("/docref", response=DocRefOut, summary="Phân tích số, ký hiệu văn bản")
def docref(request: AuthedHttpRequest, text: Annotated[str, Field(max_length=500), NoNul]) -> dict:
    try:
        return parse_reference(text).to_json()
    except DocRefError as error:
        raise HttpError(422, str(error)) from None


@router.get("/documents/incoming", response=list[IncomingOut], summary="Sổ văn bản đến")
def incoming_list(request: AuthedHttpRequest, filters: Query[Filters]) -> list:
    return list(selectors.incoming_for_user(user=request.user, filters=filters.dict())[:500])


@router.post(
    "/documents/incoming",
    response={201: IncomingOut},
    summary="Vào sổ văn bản đến",
    auth=permitted(in_own_unit(permissions.REGISTER_DOCUMENTS)),
)
def incoming_create(request: AuthedHttpRequest, payload: IncomingIn) -> Status:
    staff = permissions.acting_staff(request.user)
    if staff is None:
        raise HttpError(403, "Tài khoản chưa gắn với đơn vị nào.")
    try:
        doc = services.incoming_register(actor=request.user, unit=staff.unit, data=payload.dict())
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from None
    return Status(201, doc)


@router.get("/documents/outgoing", response=list[OutgoingOut], summary="Văn bản đi")
def outgoing_list(request: AuthedHttpRequest, filters: Query[Filters]) -> list:
    rows = selectors.outgoing_for_user(user=request.user, filters=filters.dict())
    return list(rows.order_by("-created_at")[:500])


@router.get("/documents/outgoing/{doc_id}", response=OutgoingOut, summary="Một văn bản đi")
def outgoing_get(request: AuthedHttpRequest, doc_id: int) -> object:
    return selectors.outgoing_get(user=request.user, pk=doc_id)


def _may_number(request: HttpRequest, user: Any) -> None:
    doc = selectors.outgoing_get(user=user, pk=path_text(request, "doc_id"))
    permissions.require(user, permissions.REGISTER_DOCUMENTS, doc.unit)


@router.post(
    "/documents/outgoing/{doc_id}/number",
    response=OutgoingOut,
    summary="Cấp số",
    auth=permitted(_may_number),
)
def outgoing_number(request: AuthedHttpRequest, doc_id: int, payload: NumberIn) -> object:
    doc = selectors.outgoing_get(user=request.user, pk=doc_id)
    try:
        return services.outgoing_number(
            actor=request.user, doc=doc, expected_version=payload.version
        )
    except (services.StaleDocument, InvalidTransition) as error:
        raise HttpError(409, " ".join(getattr(error, "messages", [str(error)]))) from None
    except ValidationError as error:
        status = 409 if "đã được cấp số" in " ".join(error.messages) else 422
        raise HttpError(status, " ".join(error.messages)) from None
