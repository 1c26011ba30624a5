"""Feedback over the API: staff list, intake, get and workflow actions under /feedback; the
public submission POST /public/feedback (no account, the same checks as the web form)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.api.dossiers import Id, NoNul
from cchc.api.guards import in_own_unit, path_id, permitted
from cchc.api.limits import TooManyRequests
from cchc.api.types import BoundedDate
from cchc.core.ratelimit import hit
from cchc.core.timezones import VN
from cchc.feedback import selectors, services
from cchc.feedback.models import Feedback
from cchc.feedback.tasks import sender_link
from cchc.feedback.workflow import Action, InvalidTransition
from cchc.organizations.models import Staff, Unit

if TYPE_CHECKING:
    from cchc.accounts.models import User

router = Router(tags=["Phản ánh, kiến nghị"])
public_router = Router(tags=["Phản ánh, kiến nghị (công khai)"])

Text = Annotated[str, Field(max_length=5000), NoNul]


class SenderIn(Schema):
    sender_name: Annotated[str, Field(max_length=200), NoNul] = ""
    sender_address: Annotated[str, Field(max_length=300), NoNul] = ""
    sender_phone: Annotated[str, Field(max_length=20), NoNul] = ""
    sender_email: Annotated[str, Field(max_length=254), NoNul] = ""
    kind: Annotated[str, Field(max_length=10), NoNul] = "phan_anh"
    title: Annotated[str, Field(max_length=200), NoNul] = ""
    content: Annotated[str, Field(max_length=6000), NoNul]
    consent_to_publish: bool = False


class StaffFeedbackIn(SenderIn):
    channel: Annotated[str, Field(max_length=20), NoNul]
    external_code: Annotated[str, Field(max_length=60), NoNul] = ""
    # When the letter, call or e-mail reached the unit; now when left out. Deadlines run from it.
    received_at: datetime | None = None


class PublicFeedbackIn(SenderIn):
    # The unit's electronic identifier; the installation's own unit when left empty.
    unit_code: Annotated[str, Field(max_length=60), NoNul] = ""
    website: Annotated[str, Field(max_length=200)] = ""  # spam trap: people leave it empty


class PublicReceiptOut(Schema):
    tracking_code: str
    register_number: int
    year: int
    status: str
    due_at: datetime
    reason: str
    track_url: str


class FeedbackOut(Schema):
    id: int
    register_number: int
    year: int
    tracking_code: str
    external_code: str
    channel: str
    kind: str
    status: str
    classification: str
    title: str
    content: str
    sender_name: str
    sender_phone: str
    sender_email: str
    received_at: datetime
    due_at: datetime
    approved_at: datetime | None
    published_at: datetime | None
    assignee_id: int | None
    rating: str
    version: int
    allowed_actions: list[str]


class FeedbackFilters(Schema):
    status: Annotated[str, Field(max_length=20), NoNul] = ""
    channel: Annotated[str, Field(max_length=20), NoNul] = ""
    q: Annotated[str, Field(max_length=200), NoNul] = ""
    received_from: BoundedDate | None = None
    received_to: BoundedDate | None = None


class ActionIn(Schema):
    action: Annotated[str, Field(max_length=30), NoNul]
    version: Annotated[int, Field(ge=0, le=2_000_000_000)]
    classification: Annotated[str, Field(max_length=20), NoNul] = ""
    assignee_id: Id | None = None
    reason: Text = ""
    forwarded_to: Annotated[str, Field(max_length=300), NoNul] = ""
    note: Text = ""
    answer: Annotated[str, Field(max_length=10000), NoNul] = ""
    public_question: Annotated[str, Field(max_length=6000), NoNul] = ""
    public_answer: Annotated[str, Field(max_length=12000), NoNul] = ""


def _out(item: Feedback, user: User) -> dict[str, Any]:
    # Personal data to those who need it: the desk and leaders, and the assigned handler.
    staff = permissions.acting_staff(user)
    personal = permissions.can(user, permissions.VIEW_PERSONAL_DATA, item.unit) or (
        staff is not None and item.assignee_id == staff.pk
    )
    return {
        **{name: getattr(item, name) for name in FeedbackOut.model_fields if hasattr(item, name)},
        "sender_phone": item.sender_phone if personal else "",
        "sender_email": item.sender_email if personal else "",
        "allowed_actions": services.allowed_actions(user, item),
    }


def _get(request: HttpRequest, pk: int) -> Feedback:
    return selectors.feedback_get_for_user(user=request.user, pk=pk)


def _aware(moment: datetime | None) -> datetime | None:
    """A time sent without an offset is Vietnam time, as the staff typed it."""
    if moment is None or timezone.is_aware(moment):
        return moment
    return moment.replace(tzinfo=VN)


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(m for messages in error.message_dict.values() for m in messages)
    return " ".join(error.messages)


@router.get("/feedback", response=list[FeedbackOut], summary="Danh sách phản ánh, kiến nghị")
def feedback_list(request: AuthedHttpRequest, filters: Query[FeedbackFilters]) -> list[dict]:
    items = selectors.feedback_list_for_user(
        user=request.user,
        status=filters.status,
        channel=filters.channel,
        query=filters.q,
        received_from=filters.received_from,
        received_to=filters.received_to,
    )[:500]
    return [_out(item, request.user) for item in items]


@router.post(
    "/feedback",
    response={201: FeedbackOut},
    summary="Vào sổ phản ánh, kiến nghị",
    auth=permitted(in_own_unit(permissions.HANDLE_FEEDBACK)),
)
def feedback_create(request: AuthedHttpRequest, payload: StaffFeedbackIn) -> Status:
    staff = permissions.acting_staff(request.user)
    if staff is None:
        raise HttpError(403, "Tài khoản chưa gắn với đơn vị nào.")
    try:
        item = services.feedback_receive(
            actor=request.user,
            unit=staff.unit,
            channel=payload.channel,
            data=payload.dict(),
            external_code=payload.external_code,
            received_at=_aware(payload.received_at),
        )
    except services.Conflict as error:
        raise HttpError(409, _messages(error)) from None
    except ValidationError as error:
        raise HttpError(422, _messages(error)) from None
    return Status(201, _out(item, request.user))


@router.get("/feedback/{pk}", response=FeedbackOut, summary="Một phản ánh, kiến nghị")
def feedback_get(request: AuthedHttpRequest, pk: Id) -> dict:
    return _out(_get(request, pk), request.user)


def _chosen(assignee: Staff | None) -> Staff:
    if assignee is None:
        raise HttpError(422, "Hãy chọn người xử lý (assignee_id).")
    return assignee


def _may_act(request: HttpRequest, user: Any) -> None:
    """Some action on this item (which one is in the body, checked after)."""
    if not services.may_act(user, _get(request, path_id(request, "pk"))):
        raise PermissionDenied("Bạn không có quyền xử lý phản ánh, kiến nghị này.")


@router.post(
    "/feedback/{pk}/actions",
    response=FeedbackOut,
    summary="Xử lý phản ánh",
    auth=permitted(_may_act),
)
def feedback_act(request: AuthedHttpRequest, pk: Id, payload: ActionIn) -> dict:
    item = _get(request, pk)
    user, version = request.user, payload.version
    assignee = None
    if payload.assignee_id is not None:
        assignee = Staff.objects.filter(pk=payload.assignee_id, unit=item.unit).first()
        if assignee is None:
            raise HttpError(422, "Người xử lý phải thuộc đơn vị.")
    common = services.ActionArgs(actor=user, item=item, expected_version=version)
    actions: dict[str, Callable[[], Feedback]] = {
        Action.CLASSIFY: lambda: services.feedback_classify(
            **common,
            classification=payload.classification,
            reason=payload.reason,
            forwarded_to=payload.forwarded_to,
            assignee=assignee,
        ),
        Action.ASSIGN: lambda: services.feedback_assign(**common, assignee=_chosen(assignee)),
        Action.REQUEST_INFO: lambda: services.feedback_request_info(**common, note=payload.note),
        Action.INFO_RECEIVED: lambda: services.feedback_info_received(**common, note=payload.note),
        Action.DRAFT: lambda: services.feedback_draft(**common, answer=payload.answer),
        Action.RETURN_DRAFT: lambda: services.feedback_return_draft(**common, note=payload.note),
        Action.APPROVE: lambda: services.feedback_approve(**common),
        Action.PUBLISH: lambda: services.feedback_publish(
            **common,
            public_question=payload.public_question,
            public_answer=payload.public_answer,
        ),
        Action.CLOSE: lambda: services.feedback_close(**common, note=payload.note),
    }
    if payload.action not in actions:
        raise HttpError(422, "Thao tác không hợp lệ.")
    try:
        item = actions[payload.action]()
    except (services.StaleFeedback, services.Conflict) as error:
        raise HttpError(409, _messages(error)) from None
    except InvalidTransition as error:
        raise HttpError(409, str(error)) from None
    except ValidationError as error:
        raise HttpError(422, _messages(error)) from None
    return _out(item, user)


def _unit(code: str) -> Unit:
    unit = (
        Unit.objects.filter(code=code or settings.CCHC_HOME_UNIT).first()
        if (code or settings.CCHC_HOME_UNIT)
        else None
    )
    if unit is None:
        raise HttpError(422, "Không có đơn vị với mã này (unit_code).")
    return unit


@public_router.post(
    "/public/feedback",
    response={201: PublicReceiptOut},
    auth=None,
    summary="Gửi phản ánh, kiến nghị (không cần tài khoản)",
)
def public_feedback(request: HttpRequest, payload: PublicFeedbackIn) -> Status:
    if not hit(request, "feedback", per_minute=5):
        raise TooManyRequests(request)
    if payload.website:
        raise HttpError(400, "Không gửi được phản ánh.")
    try:
        item = services.feedback_submit_public(unit=_unit(payload.unit_code), data=payload.dict())
    except ValidationError as error:
        raise HttpError(422, _messages(error)) from None
    return Status(
        201,
        {
            "tracking_code": item.tracking_code,
            "register_number": item.register_number,
            "year": item.year,
            "status": item.status,
            "due_at": item.due_at,
            "reason": item.decision_reason,
            "track_url": sender_link(item),
        },
    )
