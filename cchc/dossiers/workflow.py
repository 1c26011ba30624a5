"""Dossier statuses and the transition table, as data (style.md 2.2).

The ten statuses are those exchanged with the national public service portal (domain.md 1.7);
internal steps (appraisal, awaiting signature) are sub-statuses of "Đang xử lý" only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from cchc.accounts import permissions
from cchc.core.refusals import Refused

if TYPE_CHECKING:
    from cchc.accounts.models import User
    from cchc.dossiers.models import Dossier


class DossierStatus(models.TextChoices):
    NEW = "new", "Mới đăng ký"
    ACCEPTED = "accepted", "Được tiếp nhận"
    REJECTED = "rejected", "Không được tiếp nhận"
    PROCESSING = "processing", "Đang xử lý"
    SUPPLEMENT = "supplement", "Yêu cầu bổ sung giấy tờ"
    PAYMENT = "payment", "Yêu cầu thực hiện nghĩa vụ tài chính"
    WITHDRAWAL = "withdrawal", "Công dân yêu cầu rút hồ sơ"
    STOPPED = "stopped", "Dừng xử lý"
    DONE = "done", "Đã xử lý xong"
    RETURNED = "returned", "Đã trả kết quả"


# National portal status codes (TrangThaiHoSo), for exports and integrations.
PORTAL_CODE: Final[Mapping[str, int]] = {
    DossierStatus.NEW: 1,
    DossierStatus.ACCEPTED: 2,
    DossierStatus.REJECTED: 3,
    DossierStatus.PROCESSING: 4,
    DossierStatus.SUPPLEMENT: 5,
    DossierStatus.PAYMENT: 6,
    DossierStatus.WITHDRAWAL: 7,
    DossierStatus.STOPPED: 8,
    DossierStatus.DONE: 9,
    DossierStatus.RETURNED: 10,
}


class Step(models.TextChoices):
    """Internal steps inside "Đang xử lý"."""

    APPRAISAL = "appraisal", "Thẩm định"
    SIGNATURE = "signature", "Trình ký"


S = DossierStatus
ALLOWED_TRANSITIONS: Final[Mapping[str, frozenset[str]]] = {
    S.NEW: frozenset({S.ACCEPTED, S.REJECTED, S.SUPPLEMENT, S.WITHDRAWAL}),
    S.ACCEPTED: frozenset({S.PROCESSING, S.SUPPLEMENT, S.WITHDRAWAL, S.STOPPED, S.DONE}),
    S.PROCESSING: frozenset({S.SUPPLEMENT, S.PAYMENT, S.DONE, S.WITHDRAWAL, S.STOPPED}),
    S.SUPPLEMENT: frozenset({S.PROCESSING, S.ACCEPTED, S.WITHDRAWAL, S.STOPPED}),
    S.PAYMENT: frozenset({S.PROCESSING, S.DONE, S.WITHDRAWAL, S.STOPPED}),
    S.WITHDRAWAL: frozenset({S.STOPPED, S.PROCESSING}),
    S.DONE: frozenset({S.RETURNED}),
    S.REJECTED: frozenset(),
    S.STOPPED: frozenset(),
    S.RETURNED: frozenset(),
}

# Statuses in which the legal clock runs (the dossier was accepted and has no result yet).
CLOCK_RUNNING: Final[frozenset[str]] = frozenset(
    {S.ACCEPTED, S.PROCESSING, S.PAYMENT, S.WITHDRAWAL}
)
# Statuses that end the dossier.
FINAL: Final[frozenset[str]] = frozenset({S.REJECTED, S.STOPPED, S.RETURNED})
# Statuses after which the result exists (a stop request must then be refused, Circular 03 Art. 7).
HAS_RESULT: Final[frozenset[str]] = frozenset({S.DONE, S.RETURNED})

# Badge tone per status, shown with the words (never colour alone).
TONE: Final[Mapping[str, str]] = {
    S.NEW: "info",
    S.ACCEPTED: "info",
    S.REJECTED: "bad",
    S.PROCESSING: "info",
    S.SUPPLEMENT: "warn",
    S.PAYMENT: "warn",
    S.WITHDRAWAL: "warn",
    S.STOPPED: "neutral",
    S.DONE: "ok",
    S.RETURNED: "ok",
}


class InvalidTransition(Refused, ValueError):
    """The dossier's status does not allow the move (HTTP 409)."""

    status_code = 409

    def __init__(self, from_status: str, to_status: str) -> None:
        self.from_status, self.to_status = from_status, to_status
        super().__init__(
            f"Không thể chuyển hồ sơ từ “{DossierStatus(from_status).label}” sang "
            f"“{DossierStatus(to_status).label}”."
        )


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_TRANSITIONS.get(from_status, frozenset())


# ---------------------------------------------------------------- the action table
#
# What staff can do to a dossier, as data: from which statuses, with which permission (and
# whether the officer the dossier was handed to may do it without that permission), through
# which form and service, under which label. The services call `check_action` first, the page
# offers exactly the actions `offered_actions` returns, and the page and the API dispatch
# through `cchc.dossiers.actions`: an action is never offered where it would be refused, and
# adding an action or a status is an edit of this table.


@dataclass(frozen=True)
class Action:
    """One workflow action (its key in ACTIONS is `name`)."""

    name: str
    label: str  # the button
    statuses: frozenset[str]  # the statuses it may start from
    to_status: str  # where it leads: named in the refusal when the status does not allow it
    permission: str  # needed in the dossier's unit
    service: str  # "module.function" under cchc.dossiers, called (actor=, dossier=, **arguments)
    form: str = ""  # a form class of cchc.dossiers.forms; "" = a bare button
    title: str = ""  # the summary of the form's disclosure
    handler: bool = False  # the assigned handler may, without the permission (Decree 61 Art. 19)
    # Statuses refused with a reason of their own (422) rather than as a transition (409).
    refusals: Mapping[str, str] = field(default_factory=dict)
    # Beyond the status: "" when the dossier allows the action, else the reason it does not.
    precondition: Callable[[Dossier], str] | None = None
    hint: Callable[[Dossier], str] | None = None  # shown beside the title
    api: bool = True  # also over the API (hand-over picks a person, a scan is a file upload)
    versioned: bool = True  # the service checks the version the form was opened at
    place: str = "panel"  # where the page shows it: the action panel or the documents
    primary: bool = False
    open: bool = False  # the disclosure starts open
    done: str = ""  # the success message ({code}: the dossier's code), shown after the action


def _supplement_precondition(dossier: Dossier) -> str:
    """Papers are asked for at most `max_supplements` times, and after acceptance only within
    the procedure's window (Decree 61 Art. 15 and 19(4))."""
    from django.utils import timezone

    from cchc.dossiers import deadlines

    limit = dossier.procedure.max_supplements
    if dossier.supplement_count >= limit:
        return f"Thủ tục này chỉ được yêu cầu bổ sung {limit} lần; hồ sơ đã được yêu cầu đủ số lần."
    if dossier.received_at is not None:
        deadline = deadlines.supplement_deadline(dossier)
        if timezone.now() > deadline:
            return (
                f"Đã quá hạn yêu cầu bổ sung ({dossier.procedure.supplement_within_days:02d} ngày "
                "làm việc kể từ khi tiếp nhận, đến "
                f"{deadline.astimezone(deadlines.VN):%d/%m/%Y}; Nghị định 61/2018 Điều 19 "
                "khoản 4): hồ sơ phải được giải quyết, hoặc từ chối bằng văn bản có lý do."
            )
    return ""


_APOLOGY_STATUS = (
    "Chỉ gửi văn bản xin lỗi cho hồ sơ đã tiếp nhận, đang giải quyết và đã có hạn trả."
)


def _apology_precondition(dossier: Dossier) -> str:
    """Once per dossier, for one that has a due date (Decree 61 Art. 19(9)); also after its
    apology deadline has passed (it is then recorded as late)."""
    if dossier.due_at is None:
        return _APOLOGY_STATUS
    if hasattr(dossier, "apology"):
        return "Hồ sơ đã có văn bản xin lỗi và hẹn lại; chỉ được hẹn lại một lần."
    return ""


def _address_precondition(dossier: Dossier) -> str:
    """While the dossier is open; once it has ended, only while its apology letter has not been
    handed over or posted (posting it needs the address): a closed dossier has nothing left to
    do, and its action panel stays empty."""
    if dossier.status not in FINAL:
        return ""
    apology = getattr(dossier, "apology", None)
    if apology is not None and apology.handed_over_at is None:
        return ""
    return "Hồ sơ đã kết thúc: không còn sửa địa chỉ người nộp."


def _supplement_hint(dossier: Dossier) -> str:
    return f"tối đa {dossier.procedure.max_supplements} lần"


def _apology_hint(dossier: Dossier) -> str:
    from django.utils import timezone

    from cchc.dossiers import deadlines

    deadline = deadlines.apology_deadline(dossier)
    if deadline is None:
        return ""
    if deadline < timezone.now():
        return (
            f"đã quá thời điểm chậm nhất {deadline:%d/%m/%Y}: hãy lập ngay, văn bản được ghi "
            "nhận là gửi muộn"
        )
    return f"chậm nhất {deadline:%d/%m/%Y}"


_HAS_RESULT_REFUSAL = "Hồ sơ đã có kết quả nên không thể dừng giải quyết; hãy trả kết quả."

ACTIONS: Final[Mapping[str, Action]] = {
    a.name: a
    for a in (
        Action(
            "accept",
            "Tiếp nhận hồ sơ hợp lệ",
            statuses=frozenset({S.NEW}),
            to_status=S.ACCEPTED,
            permission=permissions.RECEIVE_DOSSIERS,
            service="services.dossier_accept",
            primary=True,
            done="Đã tiếp nhận hồ sơ {code}.",
        ),
        Action(
            "supplement_received",
            "Đã nhận đủ giấy tờ bổ sung",
            statuses=frozenset({S.SUPPLEMENT}),
            to_status=S.PROCESSING,
            permission=permissions.RECEIVE_DOSSIERS,
            service="services.dossier_supplement_received",
            primary=True,
            done="Đã ghi nhận đủ giấy tờ bổ sung của hồ sơ {code}.",
        ),
        Action(
            "return",
            "Đã trả kết quả cho người dân",
            statuses=frozenset({S.DONE}),
            to_status=S.RETURNED,
            permission=permissions.RECEIVE_DOSSIERS,
            service="services.dossier_return",
            primary=True,
            done="Đã ghi nhận trả kết quả hồ sơ {code} cho người dân.",
        ),
        Action(
            "hand_over",
            "Chuyển",
            statuses=frozenset({S.ACCEPTED, S.PROCESSING}),
            to_status=S.PROCESSING,
            permission=permissions.PROCESS_DOSSIERS,
            service="services.dossier_hand_over",
            form="HandOverForm",
            title="Chuyển xử lý",
            handler=True,
            api=False,
            open=True,
            done="Đã chuyển hồ sơ {code}.",
        ),
        Action(
            "decide",
            "Lưu kết quả",
            statuses=frozenset({S.ACCEPTED, S.PROCESSING, S.PAYMENT}),
            to_status=S.DONE,
            permission=permissions.PROCESS_DOSSIERS,
            service="services.dossier_decide",
            form="DecisionForm",
            title="Ghi nhận kết quả",
            done="Đã lưu kết quả hồ sơ {code}.",
        ),
        Action(
            "supplement",
            "Gửi yêu cầu bổ sung",
            statuses=frozenset({S.NEW, S.ACCEPTED, S.PROCESSING}),
            to_status=S.SUPPLEMENT,
            permission=permissions.PROCESS_DOSSIERS,
            service="services.dossier_request_supplement",
            form="SupplementForm",
            title="Yêu cầu bổ sung",
            handler=True,
            precondition=_supplement_precondition,
            hint=_supplement_hint,
            done="Đã gửi yêu cầu bổ sung hồ sơ {code}.",
        ),
        Action(
            "apologize",
            "Lập văn bản xin lỗi",
            statuses=CLOCK_RUNNING | {S.SUPPLEMENT},
            to_status="",  # the status stays; every other status is refused with its reason
            permission=permissions.PROCESS_DOSSIERS,
            service="services.dossier_apologize",
            form="ApologyForm",
            title="Xin lỗi và hẹn lại ngày trả",
            refusals={s: _APOLOGY_STATUS for s in S.values},
            precondition=_apology_precondition,
            hint=_apology_hint,
            done="Đã lập văn bản xin lỗi cho hồ sơ {code}.",
        ),
        Action(
            "refuse",
            "Từ chối",
            statuses=frozenset({S.NEW}),
            to_status=S.REJECTED,
            permission=permissions.RECEIVE_DOSSIERS,
            service="services.dossier_refuse_at_intake",
            form="RefuseForm",
            title="Từ chối tiếp nhận",
            done="Đã từ chối tiếp nhận hồ sơ {code}.",
        ),
        Action(
            "stop",
            "Dừng giải quyết",
            statuses=frozenset({S.ACCEPTED, S.PROCESSING, S.SUPPLEMENT, S.PAYMENT, S.WITHDRAWAL}),
            to_status=S.STOPPED,
            permission=permissions.PROCESS_DOSSIERS,
            service="services.dossier_stop",
            form="StopForm",
            title="Dừng giải quyết / rút hồ sơ",
            refusals={s: _HAS_RESULT_REFUSAL for s in HAS_RESULT},
            done="Đã dừng giải quyết hồ sơ {code}.",
        ),
        Action(
            "applicant_address",
            "Lưu địa chỉ",
            statuses=frozenset(S.values),
            to_status="",  # any status, and it stays
            permission=permissions.RECEIVE_DOSSIERS,
            service="applicant.dossier_set_address",
            precondition=_address_precondition,
            form="AddressForm",
            title="Sửa địa chỉ người nộp",
            api=False,
            done="Đã lưu địa chỉ người nộp hồ sơ {code}.",
        ),
        Action(
            "attach",
            "Tải lên",
            statuses=frozenset(S.values),
            to_status="",  # any status, and it stays
            permission=permissions.RECEIVE_DOSSIERS,
            service="uploads.dossier_attach_scan",
            form="AttachForm",
            title="Thêm bản quét",
            api=False,
            versioned=False,
            place="documents",
            done="Đã thêm bản quét vào hồ sơ {code}.",
        ),
    )
}


def is_assigned_handler(actor: User | None, dossier: Dossier) -> bool:
    """The officer the dossier was handed to (Decree 61 Art. 19: the head assigns an officer who
    appraises it); they may work on it without the desk's general permission."""
    staff = permissions.acting_staff(actor)
    return staff is not None and dossier.assignee_id == staff.pk and staff.is_active


def refusal(actor: User | None, dossier: Dossier, action: Action) -> Exception | None:
    """Why `actor` may not take `action` on `dossier` now (None: they may). The one guard: the
    services raise it, the page offers only what it lets through."""
    allowed = permissions.can(actor, action.permission, dossier.unit) or (
        action.handler and is_assigned_handler(actor, dossier)
    )
    if not allowed:
        return PermissionDenied("Bạn không có quyền thực hiện thao tác này.")
    if dossier.status not in action.statuses:
        reason = action.refusals.get(dossier.status)
        if reason:
            return ValidationError(reason)
        return InvalidTransition(dossier.status, action.to_status)
    if action.precondition is not None:
        reason = action.precondition(dossier)
        if reason:
            return ValidationError(reason)
    return None


def may_act(actor: User | None, dossier: Dossier) -> bool:
    """Whether `actor` may take any action of the table on `dossier`, whatever its status: one
    who may not (a commune officer reading a school's dossier) is refused before what they
    posted is read, so a 403 never turns into a 422 for a bad form."""
    return any(
        permissions.can(actor, action.permission, dossier.unit)
        or (action.handler and is_assigned_handler(actor, dossier))
        for action in ACTIONS.values()
    )


def check_action(actor: User | None, dossier: Dossier, name: str) -> None:
    """Raise the refusal of action `name` (PermissionDenied, InvalidTransition, ValidationError);
    the service calls it on the locked dossier before changing anything."""
    error = refusal(actor, dossier, ACTIONS[name])
    if error is not None:
        raise error


def offered_actions(actor: User | None, dossier: Dossier) -> list[Action]:
    """The actions `actor` may take on `dossier` now, in the table's order."""
    return [a for a in ACTIONS.values() if refusal(actor, dossier, a) is None]
