"""Dossiers over the API: create (counter receipt), list, get, transition; public look-up."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.api.guards import in_own_unit, path_text, permitted
from cchc.api.limits import TooManyRequests
from cchc.api.types import BoundedDate
from cchc.core.numbers import MAX_ID, parse_id
from cchc.core.ratelimit import hit
from cchc.core.refusals import REFUSALS, refusal_of
from cchc.core.timezones import VN
from cchc.dossiers import actions, selectors, services, workflow
from cchc.dossiers.channels import Channel
from cchc.dossiers.models import Dossier

router = Router(tags=["Hồ sơ TTHC"])
public_router = Router(tags=["Tra cứu công khai"])

# The workday calendar covers these years; a date outside them is a typo, and one near the
# datetime limits would overflow when converted to UTC for storage.
FIRST_YEAR: Final = 1990
LAST_YEAR: Final = 2100


def _no_nul(value: str) -> str:
    """PostgreSQL refuses NUL in text (DataError, a 500); no real name or note contains one."""
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "chứa ký tự không hợp lệ (NUL)")
    return value


def _email(value: str) -> str:
    """Django's own e-mail check, the one the model field and the web form apply."""
    if value.strip():
        try:
            validate_email(value.strip())
        except ValidationError:
            raise PydanticCustomError("email_invalid", "địa chỉ thư điện tử không hợp lệ") from None
    return value


# Marks a string field: no NUL characters. Every string of the schemas below also carries the
# model's max_length, so an over-long value is a 422 here rather than a DataError on PostgreSQL.
NoNul: Final = AfterValidator(_no_nul)


Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class DossierIn(Schema):
    procedure_id: Id
    applicant_name: Annotated[str, Field(max_length=200), NoNul]
    # The service strips spaces and dots before checking 12 digits / a phone number, so the
    # raw value may be as long as the web form allows (20); the stored one fits the model.
    applicant_id_number: Annotated[str, Field(max_length=20), NoNul] = ""
    applicant_phone: Annotated[str, Field(max_length=20), NoNul] = ""
    applicant_email: Annotated[str, Field(max_length=254), NoNul, AfterValidator(_email)] = ""
    applicant_address: Annotated[str, Field(max_length=300), NoNul] = ""
    subject: Annotated[str, Field(max_length=300), NoNul] = ""
    documents: list[Annotated[str, Field(max_length=300), NoNul]] = Field(
        default=[], max_length=100
    )
    channel: Annotated[str, Field(max_length=16), NoNul] = Channel.IN_PERSON  # service checks
    external_code: Annotated[str, Field(max_length=60), NoNul] = ""


class DossierOut(Schema):
    id: int
    code: str
    procedure: str
    status: str
    channel: str
    applicant_name: str
    received_at: datetime | None
    due_at: datetime | None
    new_due_at: datetime | None
    result_at: datetime | None
    returned_at: datetime | None
    version: int


class DossierFilters(Schema):
    status: Annotated[str, Field(max_length=20), NoNul] = ""
    procedure_id: Annotated[str, Field(max_length=30), NoNul] = ""
    q: Annotated[str, Field(max_length=200), NoNul] = ""
    received_from: BoundedDate | None = None
    received_to: BoundedDate | None = None


def _local_due(value: datetime | None) -> datetime | None:
    """A time without an offset is Vietnam time, as on the web form; the services compare it
    with stored aware datetimes, which would raise TypeError for a naive one."""
    if value is None:
        return None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise PydanticCustomError(
            "due_out_of_range",
            f"ngày hẹn phải trong khoảng năm {FIRST_YEAR}–{LAST_YEAR}",
        )
    return value.replace(tzinfo=VN) if value.tzinfo is None else value


class TransitionIn(Schema):
    action: Annotated[str, Field(max_length=30), NoNul]
    version: Annotated[int, Field(ge=0, le=MAX_ID)]
    note: Annotated[str, Field(max_length=5000), NoNul] = ""
    reason: Annotated[str, Field(max_length=5000), NoNul] = ""
    items: list[Annotated[str, Field(max_length=300), NoNul]] = Field(default=[], max_length=100)
    granted: bool = True
    new_due_at: Annotated[datetime | None, AfterValidator(_local_due)] = None


class PublicStepOut(Schema):
    at: datetime
    label: str


class PublicDossierOut(Schema):
    code: str
    procedure: str
    applicant: str
    status: str
    submitted_at: datetime
    received_at: datetime | None
    due_at: datetime | None
    new_due_at: datetime | None
    returned_at: datetime | None
    steps: list[PublicStepOut]


def _out(d: Dossier) -> dict:
    return {
        "id": d.pk,
        "code": d.code,
        "procedure": d.procedure.name,
        "status": d.status,
        "channel": d.channel,
        "applicant_name": d.applicant_name,
        "received_at": d.received_at,
        "due_at": d.due_at,
        "new_due_at": d.new_due_at,
        "result_at": d.result_at,
        "returned_at": d.returned_at,
        "version": d.version,
    }


def _by_code(request: HttpRequest, code: str) -> Dossier:
    if "\x00" in code:  # no code has one, and PostgreSQL would refuse the query
        raise HttpError(404, "Không tìm thấy hồ sơ.")
    dossier = selectors.dossier_list_for_user(user=request.user).filter(code=code).first()
    if dossier is None:
        raise HttpError(404, "Không tìm thấy hồ sơ.")
    return dossier


def _refused(error: Exception) -> HttpError:
    """A service's refusal as JSON, with the status the dossier page gives it."""
    refusal = refusal_of(error)
    return HttpError(refusal.status, refusal.message)


@router.get("/dossiers", response=list[DossierOut], summary="Danh sách hồ sơ")
def dossier_list(request: AuthedHttpRequest, filters: Query[DossierFilters]) -> list[dict]:
    procedure_id = parse_id(filters.procedure_id)
    if filters.procedure_id and procedure_id is None:
        raise HttpError(422, "Mã thủ tục (procedure_id) phải là số nguyên dương.")
    dossiers = selectors.dossier_list_for_user(
        user=request.user,
        status=filters.status,
        procedure_id=str(procedure_id or ""),
        query=filters.q,
        received_from=filters.received_from,
        received_to=filters.received_to,
    ).order_by("-received_at", "-id")[:500]
    return [_out(d) for d in dossiers]


@router.post(
    "/dossiers",
    response={201: DossierOut},
    summary="Tiếp nhận hồ sơ",
    auth=permitted(in_own_unit(permissions.RECEIVE_DOSSIERS)),
)
def dossier_create(request: AuthedHttpRequest, payload: DossierIn) -> Status:
    staff = permissions.acting_staff(request.user)
    if staff is None:
        raise HttpError(403, "Tài khoản chưa gắn với đơn vị nào.")
    procedure = selectors.procedures_current(staff.unit).filter(pk=payload.procedure_id).first()
    if procedure is None:
        raise HttpError(422, "Thủ tục không tồn tại hoặc không còn hiệu lực.")
    try:
        dossier = services.dossier_receive(
            actor=request.user,
            unit=staff.unit,
            procedure=procedure,
            applicant=payload.dict(),
            provided_documents=payload.documents,
            channel=payload.channel,
            subject=payload.subject,
            external_code=payload.external_code,
        )
    except REFUSALS as error:
        raise _refused(error) from None
    return Status(201, _out(dossier))


@router.get("/dossiers/{code}", response=DossierOut, summary="Một hồ sơ")
def dossier_get(request: AuthedHttpRequest, code: str) -> dict:
    return _out(_by_code(request, code))


def _may_act(request: HttpRequest, user: Any) -> None:
    """Some action of the table on this dossier (which one is in the body, checked after)."""
    if not workflow.may_act(user, _by_code(request, path_text(request, "code"))):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")


@router.post(
    "/dossiers/{code}/transition",
    response=DossierOut,
    summary="Chuyển bước xử lý",
    auth=permitted(_may_act),
)
def dossier_transition(request: AuthedHttpRequest, code: str, payload: TransitionIn) -> dict:
    """One action of the dossier workflow's table, refused as the page refuses it (the status
    and message of `actions.refusal_of`, as JSON)."""
    dossier = _by_code(request, code)
    try:
        action = actions.action_named(payload.action)
        if not action.api:
            raise ValidationError(actions.UNKNOWN_ACTION)
        actions.perform(
            actor=request.user,
            dossier=dossier,
            action=action,
            arguments=actions.taken_by_service(
                action,
                {
                    "items": payload.items,
                    "reason": payload.reason,
                    # A refusal's written reason may come as "reason", as for the other actions.
                    "note": payload.note or payload.reason,
                    "granted": payload.granted,
                    "new_due_at": payload.new_due_at,
                },
            ),
            expected_version=payload.version,
        )
    except REFUSALS as error:
        raise _refused(error) from None
    dossier.refresh_from_db()
    return _out(dossier)


@public_router.get(
    "/public/dossiers/{code}", response=PublicDossierOut, auth=None, summary="Tra cứu hồ sơ"
)
def public_dossier(request: HttpRequest, code: str, phone_last4: str = "") -> dict:
    if not hit(request, "lookup"):
        raise TooManyRequests(request)
    if "\x00" in code + phone_last4:  # PostgreSQL refuses NUL in a query
        raise HttpError(404, "Không tìm thấy hồ sơ có mã này.")
    result = selectors.public_lookup(code, phone_last4=phone_last4)
    if result is None:
        raise HttpError(404, "Không tìm thấy hồ sơ có mã này.")
    return {
        "code": result.code,
        "procedure": result.procedure,
        "applicant": result.applicant,
        "status": result.status,
        "submitted_at": result.submitted_at,
        "received_at": result.received_at,
        "due_at": result.due_at,
        "new_due_at": result.new_due_at,
        "returned_at": result.returned_at,
        "steps": [{"at": s.at, "label": s.label} for s in result.steps],
    }
