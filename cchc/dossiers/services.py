"""Dossier use cases: receive, accept, hand over, supplement, apologise, decide, return, stop.

Every change runs in one transaction holding a row lock on the dossier, is checked against the
transition table, leaves a hand-over event and an audit event, and refuses a stale version.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from cchc.accounts import permissions
from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb
from cchc.core.conflicts import unique_or_conflict
from cchc.core.timezones import VN
from cchc.dossiers import deadlines, hooks, intake_windows, paper_numbers
from cchc.dossiers.channels import COUNTER_CHANNELS
from cchc.dossiers.models import (
    Apology,
    Channel,
    Counter,
    Dossier,
    DossierEvent,
    DossierPause,
    Procedure,
    ResultDelivery,
    SupplementRule,
    TimeLimitUnit,
)
from cchc.dossiers.workflow import (
    CLOCK_RUNNING,
    DossierStatus,
    InvalidTransition,
    can_transition,
    check_action,
)
from cchc.organizations.models import Staff, Unit
from cchc.workdays.services import calendar_for_unit

if TYPE_CHECKING:
    from cchc.accounts.models import User

S = DossierStatus
ID_NUMBER = re.compile(r"^\d{12}$")
PHONE = re.compile(r"^(0|\+84)(3|5|7|8|9)\d{8}$")


class StaleDossier(ValidationError):
    """Another person changed the dossier since the form was opened (HTTP 409)."""

    status_code = 409


class AlreadyHeld(ValidationError):
    """A hand-over to the person who already holds the dossier at the same step changes nothing:
    recording it would add a false row to the history and the Mẫu 06 control sheet (HTTP 409)."""

    status_code = 409


# ---------------------------------------------------------------- numbering


def next_number(unit: Unit, scope: str) -> int:
    """The next value of a per-unit counter; the row lock makes concurrent receipts queue, so
    numbers have no gaps and no duplicates (the caller's transaction holds the lock)."""
    Counter.objects.get_or_create(unit=unit, scope=scope)
    counter = Counter.objects.select_for_update().get(unit=unit, scope=scope)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def make_code(unit: Unit, on: date) -> str:
    """`<agency identifier>-YYMMDD-XXXX` (Circular 01/2018 Art. 19; Circular 03/2025 Art. 13)."""
    sequence = next_number(unit, f"day:{on:%y%m%d}")
    return f"{unit.code}-{on:%y%m%d}-{sequence:04d}"


# ---------------------------------------------------------------- validation

EXTERNAL_CODE = re.compile(r"^[A-Z0-9]+(\.[A-Z0-9]+)*-\d{6}-\d{4,8}$")


def clean_external_code(raw: str) -> str:
    """A code issued by the provincial system or the national portal, normalised as the public
    look-up reads it (upper case), in the official shape (domain-2025.md 3.7)."""
    code = "".join(str(raw).split()).upper()
    if len(code) > 60 or not EXTERNAL_CODE.match(code):
        raise ValidationError(
            {"external_code": "Mã hồ sơ không đúng dạng <mã định danh>-YYMMDD-XXXX."}
        )
    return code


ADDRESS_MAX_LENGTH = int(Dossier._meta.get_field("applicant_address").max_length or 300)
ADDRESS_TOO_LONG = f"Địa chỉ quá dài (tối đa {ADDRESS_MAX_LENGTH} ký tự)."
NUL_CHARACTER = "Dữ liệu chứa ký tự không hợp lệ."


def clean_address(raw: str) -> str:
    """The applicant's address as kept: one line, single spaces (a pasted multi-line address
    prints on one "Địa chỉ:" line), at most 300 characters, never a NUL (ValidationError)."""
    if "\x00" in raw:
        raise ValidationError(NUL_CHARACTER)
    address = " ".join(raw.split())
    if len(address) > ADDRESS_MAX_LENGTH:
        raise ValidationError(ADDRESS_TOO_LONG)
    return address


def _clean_applicant(data: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for key in ("applicant_name", "applicant_address", "applicant_email", "subject"):
        if "\x00" in str(data.get(key, "")):
            errors[key] = NUL_CHARACTER
    email = str(data.get("applicant_email", "")).strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["applicant_email"] = "Địa chỉ thư điện tử không hợp lệ."
    name = " ".join(str(data.get("applicant_name", "")).split())
    if not name:
        errors["applicant_name"] = "Hãy nhập họ tên người nộp hồ sơ."
    id_number = re.sub(r"\s", "", str(data.get("applicant_id_number", "")))
    if id_number and not ID_NUMBER.match(id_number):
        errors["applicant_id_number"] = "Số định danh cá nhân gồm đúng 12 chữ số."
    phone = re.sub(r"[\s.\-]", "", str(data.get("applicant_phone", "")))
    if phone and not PHONE.match(phone):
        errors["applicant_phone"] = "Số điện thoại không hợp lệ (ví dụ 0912 345 678)."
    address = " ".join(str(data.get("applicant_address", "")).split())
    if len(address) > ADDRESS_MAX_LENGTH:
        errors["applicant_address"] = ADDRESS_TOO_LONG
    if errors:
        raise ValidationError(errors)
    return {
        "applicant_name": name[:200],
        "applicant_id_number": id_number,
        "applicant_phone": phone,
        "applicant_email": str(data.get("applicant_email", "")).strip()[:254],
        "applicant_address": address,
    }


def _checklist(procedure: Procedure, provided: list[str]) -> list[dict[str, Any]]:
    """The procedure's document list with what was handed in; required items must be there and
    a paper that does not belong to the procedure is refused, not silently dropped."""
    names = {d.get("name", "") for d in procedure.documents}
    foreign = [p for p in provided if p not in names]
    if foreign:
        raise ValidationError(
            {
                "documents": f"Giấy tờ không thuộc thủ tục “{procedure.name}”: "
                + "; ".join(foreign)
                + "."
            }
        )
    rows, missing = [], []
    for document in procedure.documents:
        name = document.get("name", "")
        has = name in provided
        rows.append({**document, "provided": has})
        if document.get("required", True) and not has:
            missing.append(name)
    if missing:
        raise ValidationError(
            {
                "documents": "Thiếu giấy tờ bắt buộc: " + "; ".join(missing) + ". Hãy lập phiếu "
                "hướng dẫn bổ sung, hoàn thiện hồ sơ (Mẫu 02) cho người nộp."
            }
        )
    return rows


def _require_staff_of(actor: User, unit: Unit, permission: str) -> None:
    permissions.require(actor, permission, unit)


def _lock(dossier: Dossier, expected_version: int | None) -> Dossier:
    # The dossier's row only: locking its unit's row as well (the joined rows) would hold every
    # other transaction of the unit at its commit, where PostgreSQL checks the foreign keys to
    # the unit, while it holds a counter this one waits for: a deadlock, a 500.
    locked = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("unit", "procedure")
        .get(pk=dossier.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleDossier(
            "Hồ sơ vừa được người khác xử lý. Hãy tải lại trang để xem trạng thái mới nhất."
        )
    return locked


def _actor_name(actor: User | None) -> str:
    staff = permissions.acting_staff(actor)
    if staff is not None:
        return staff.full_name
    return actor.get_full_name() or actor.get_username() if actor is not None else "Hệ thống"


_WATCHED = [
    "status",
    "step",
    "due_at",
    "new_due_at",
    "assignee",
    "received_at",
    "result_at",
    "returned_at",
    "stopped_at",
    "supplement_count",
    "result_kind",
    "version",
]


def _move(
    *,
    actor: User,
    dossier: Dossier,
    to_status: str,
    note: str = "",
    receiver: str = "",
    result: str = "",
    verb: AuditVerb = AuditVerb.DOSSIER_TRANSITION,
    public: bool = True,
    giver: str = "",
    before: dict[str, Any] | None = None,
) -> Dossier:
    """Apply one transition on a locked dossier: event, version bump, audit. `giver`: who hands
    the dossier on (Mẫu 06 "Bên giao"); by default the actor. `before`: the watched fields as
    they were when the caller changed some of them before the move (else read now)."""
    if to_status != dossier.status and not can_transition(dossier.status, to_status):
        raise InvalidTransition(dossier.status, to_status)
    before = before if before is not None else snapshot(dossier, _WATCHED)
    from_status = dossier.status
    dossier.status = to_status
    dossier.version += 1
    dossier.save()
    DossierEvent.objects.create(
        dossier=dossier,
        at=timezone.now(),
        from_status=from_status,
        to_status=to_status,
        step=dossier.step,
        actor=actor,
        giver=giver or _actor_name(actor),
        receiver=receiver,
        result=result,
        note=note,
        is_public=public,
    )
    audit_record(
        actor=actor,
        verb=verb,
        obj=dossier,
        unit=dossier.unit,
        before=before,
        after=snapshot(dossier, _WATCHED) | ({"note": note} if note else {}),
    )
    return dossier


def require_legal_time_limit(procedure: Procedure, at: datetime | None = None) -> None:
    """No dossier without a deadline (issue 8 point 1): a procedure whose legal time limit is
    unknown or unconfirmed receives no dossier until the catalogue gives one; one "theo kế
    hoạch" only within a window of its approved plan (`intake_windows`)."""
    if procedure.time_limit_unit == TimeLimitUnit.PLAN and procedure.has_legal_time_limit:
        day = (at or timezone.now()).astimezone(VN).date()
        if intake_windows.window_on(procedure, day) is None:
            raise ValidationError({"procedure": intake_windows.closed_message(procedure, day)})
        return
    if not procedure.has_legal_time_limit:
        raise ValidationError(
            {
                "procedure": f"Thủ tục “{procedure.name}” chưa có thời hạn giải quyết theo quy "
                "định đã được xác nhận nên chưa thể tiếp nhận hồ sơ. Hãy cập nhật thời hạn trong "
                "danh mục thủ tục."
            }
        )


def start_clock(dossier: Dossier, *, actor: User | None, at: datetime) -> None:
    """The one place the legal clock starts (acceptance of a complete dossier, Decree 61
    Art. 17): receipt moment and receiver, due date (kept as the first due date for the 766
    index) and the book entry. The caller saves the dossier in its transaction."""
    require_legal_time_limit(dossier.procedure, at)
    dossier.received_at = at
    dossier.received_by = actor
    dossier.due_at = dossier.initial_due_at = deadlines.compute_due(
        dossier.unit, dossier.procedure, at
    )
    if not dossier.book_entry:
        dossier.book_entry = next_number(dossier.unit, f"book:{at.astimezone(VN).year}")


def _notify(dossier: Dossier, kind: str) -> None:
    if dossier.applicant_email:
        from cchc.dossiers.tasks import notify_applicant

        transaction.on_commit(partial(notify_applicant.enqueue, dossier.pk, kind))


# ---------------------------------------------------------------- intake


@transaction.atomic
def dossier_receive(
    *,
    actor: User,
    unit: Unit,
    procedure: Procedure,
    applicant: dict[str, Any],
    provided_documents: list[str],
    channel: str = Channel.IN_PERSON,
    subject: str = "",
    assignee: Staff | None = None,
    received_at: datetime | None = None,
    external_code: str = "",
    result_delivery: str = "",
) -> Dossier:
    """Receive a complete dossier at the counter (or by post): code, due date, book entry, slip."""
    _require_staff_of(actor, unit, permissions.RECEIVE_DOSSIERS)
    if procedure.unit_id != unit.pk:
        raise ValidationError({"procedure": "Thủ tục không thuộc đơn vị."})
    if channel not in Channel.values:
        raise ValidationError({"channel": "Kênh nộp không hợp lệ."})
    if result_delivery and result_delivery not in ResultDelivery.values:
        raise ValidationError({"result_delivery": "Phương thức nhận kết quả không hợp lệ."})
    if assignee is not None and assignee.unit_id != unit.pk:
        raise ValidationError({"assignee": "Người xử lý phải thuộc đơn vị."})
    require_legal_time_limit(procedure, received_at)
    fields = _clean_applicant(applicant)
    checklist = _checklist(procedure, provided_documents)
    now = received_at or timezone.now()
    local_day = now.astimezone(VN).date()
    if external_code:
        code, is_external = clean_external_code(external_code), True
        if Dossier.objects.filter(code=code).exists():
            raise ValidationError({"external_code": f"Mã hồ sơ {code} đã có trong hệ thống."})
    else:
        code, is_external = make_code(unit, local_day), False
    dossier = Dossier(
        unit=unit,
        procedure=procedure,
        code=code,
        is_external_code=is_external,
        channel=channel,
        status=S.ACCEPTED,
        subject=subject.strip()[:300],
        documents=checklist,
        submitted_at=now,
        assignee=assignee,
        result_delivery=result_delivery or channel,
        **fields,
    )
    start_clock(dossier, actor=actor, at=now)
    taken = {"external_code": f"Mã hồ sơ {code} đã có trong hệ thống."}
    with unique_or_conflict(taken):  # two receipts of one external code at the same moment
        dossier.save(force_insert=True)
    DossierEvent.objects.create(
        dossier=dossier,
        at=now,
        to_status=S.ACCEPTED,
        actor=actor,
        giver=dossier.applicant_name,
        receiver=_actor_name(actor),
        note=f"Tiếp nhận hồ sơ ({dossier.get_channel_display().lower()})",
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.DOSSIER_RECEIVE,
        obj=dossier,
        unit=unit,
        after=snapshot(
            dossier, ["code", "procedure", "channel", "status", "received_at", "due_at"]
        ),
    )
    hooks.dossier_received(dossier, actor)
    return dossier


def _missing_required(procedure: Procedure, provided: list[str]) -> list[str]:
    return [
        d.get("name", "")
        for d in procedure.documents
        if d.get("required", True) and d.get("name", "") not in provided
    ]


def _counter_dossier(
    *,
    actor: User,
    unit: Unit,
    procedure: Procedure,
    applicant: dict[str, Any],
    provided: list[str],
    channel: str,
    subject: str,
    status: str,
) -> Dossier:
    """An in-person or postal dossier that is not accepted: it still gets a code and a row,
    so the guidance or refusal given at the counter is logged and counted (Decree 61 Art. 15,
    17(3); domain.md 1.2)."""
    _require_staff_of(actor, unit, permissions.RECEIVE_DOSSIERS)
    if procedure.unit_id != unit.pk:
        raise ValidationError({"procedure": "Thủ tục không thuộc đơn vị."})
    if channel not in COUNTER_CHANNELS:
        raise ValidationError({"channel": "Kênh nộp không hợp lệ."})
    fields = _clean_applicant(applicant)
    now = timezone.now()
    return Dossier.objects.create(
        unit=unit,
        procedure=procedure,
        code=make_code(unit, now.astimezone(VN).date()),
        channel=channel,
        status=status,
        subject=subject.strip()[:300],
        documents=[{**d, "provided": d.get("name") in provided} for d in procedure.documents],
        submitted_at=now,
        # The officer at the counter, whom the guidance or refusal names and who signs it
        # (Mẫu 02 "Người hướng dẫn", Mẫu 03 "Người tiếp nhận hồ sơ"); the clock has not
        # started (`received_at` stays empty until the papers are complete).
        received_by=actor,
        **fields,
    )


@transaction.atomic
def dossier_counter_guidance(
    *,
    actor: User,
    unit: Unit,
    procedure: Procedure,
    applicant: dict[str, Any],
    provided_documents: list[str],
    reason: str = "",
    channel: str = Channel.IN_PERSON,
    subject: str = "",
) -> Dossier:
    """An incomplete dossier at the counter: the guidance slip (Mẫu 02) saying once and
    completely what to add. The dossier waits for the papers; "supplement received" accepts it
    and starts the clock."""
    items = _missing_required(procedure, provided_documents)
    items += [line.strip() for line in reason.splitlines() if line.strip() and not items]
    if not items:
        raise ValidationError(
            {
                "counter_reason": "Hồ sơ đã đủ giấy tờ bắt buộc: hãy ghi rõ nội dung cần bổ sung, "
                "hoàn thiện, hoặc tiếp nhận hồ sơ."
            }
        )
    dossier = _counter_dossier(
        actor=actor,
        unit=unit,
        procedure=procedure,
        applicant=applicant,
        provided=provided_documents,
        channel=channel,
        subject=subject,
        status=S.SUPPLEMENT,
    )
    now = dossier.submitted_at
    pause = DossierPause.objects.create(
        dossier=dossier,
        started_at=now,
        reason=reason.strip() or "Hồ sơ chưa đủ thành phần theo quy định.",
        items=items,
        requested_by=actor,
    )
    paper_numbers.issue(
        dossier, "bo-sung", at=now, subject=paper_numbers.subject_for_pause(pause.pk)
    )
    DossierEvent.objects.create(
        dossier=dossier,
        at=now,
        to_status=S.SUPPLEMENT,
        actor=actor,
        giver=_actor_name(actor),
        receiver=dossier.applicant_name,
        note="Hướng dẫn bổ sung tại quầy (Mẫu 02): " + "; ".join(items),
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.DOSSIER_COUNTER_GUIDANCE,
        obj=dossier,
        unit=unit,
        after=snapshot(dossier, ["code", "procedure", "channel", "status"]) | {"items": items},
    )
    return dossier


@transaction.atomic
def dossier_counter_refusal(
    *,
    actor: User,
    unit: Unit,
    procedure: Procedure,
    applicant: dict[str, Any],
    provided_documents: list[str],
    reason: str,
    channel: str = Channel.IN_PERSON,
    subject: str = "",
) -> Dossier:
    """Refusal at the counter (outside competence, not eligible): Mẫu 03 with the reason."""
    if not reason.strip():
        raise ValidationError({"counter_reason": "Hãy nêu lý do từ chối tiếp nhận."})
    dossier = _counter_dossier(
        actor=actor,
        unit=unit,
        procedure=procedure,
        applicant=applicant,
        provided=provided_documents,
        channel=channel,
        subject=subject,
        status=S.REJECTED,
    )
    dossier.result_note = reason.strip()
    dossier.stopped_at = dossier.submitted_at
    dossier.save(update_fields=["result_note", "stopped_at"])
    paper_numbers.issue(dossier, "tu-choi", at=dossier.submitted_at)
    DossierEvent.objects.create(
        dossier=dossier,
        at=dossier.submitted_at,
        to_status=S.REJECTED,
        actor=actor,
        giver=_actor_name(actor),
        receiver=dossier.applicant_name,
        note=f"Từ chối tiếp nhận tại quầy (Mẫu 03): {reason.strip()}",
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.DOSSIER_COUNTER_REFUSAL,
        obj=dossier,
        unit=unit,
        after=snapshot(dossier, ["code", "procedure", "channel", "status", "result_note"]),
    )
    return dossier


@transaction.atomic
def dossier_submit_online(
    *,
    unit: Unit,
    procedure: Procedure,
    applicant: dict[str, Any],
    subject: str = "",
    provided_documents: list[str] | None = None,
) -> Dossier:
    """A citizen's online submission: a code at once; the clock starts only at acceptance."""
    if not procedure.accepts_online or procedure.unit_id != unit.pk or not procedure.is_published:
        raise ValidationError("Thủ tục này chưa nhận hồ sơ trực tuyến.")
    require_legal_time_limit(procedure)
    fields = _clean_applicant(applicant)
    if not fields["applicant_phone"] and not fields["applicant_email"]:
        raise ValidationError(
            {"applicant_phone": "Hãy để lại số điện thoại hoặc thư điện tử để nhận thông báo."}
        )
    provided = provided_documents or []
    now = timezone.now()
    dossier = Dossier.objects.create(
        unit=unit,
        procedure=procedure,
        code=make_code(unit, now.astimezone(VN).date()),
        channel=Channel.ONLINE,
        status=S.NEW,
        subject=subject.strip()[:300],
        documents=[{**d, "provided": d.get("name") in provided} for d in procedure.documents],
        submitted_at=now,
        **fields,
    )
    DossierEvent.objects.create(
        dossier=dossier,
        at=now,
        to_status=S.NEW,
        giver=dossier.applicant_name,
        note="Nộp hồ sơ trực tuyến",
    )
    audit_record(
        actor=None,
        verb=AuditVerb.DOSSIER_SUBMIT_ONLINE,
        obj=dossier,
        unit=unit,
        after=snapshot(dossier, ["code", "procedure", "channel", "status", "submitted_at"]),
    )
    _notify(dossier, "submitted")  # the acknowledgement (Decree 61 Art. 17: code at once)
    return dossier


@transaction.atomic
def dossier_accept(
    *,
    actor: User,
    dossier: Dossier,
    expected_version: int | None = None,
    assignee: Staff | None = None,
) -> Dossier:
    """Accept an online dossier as complete: now the legal clock starts."""
    dossier = _lock(dossier, expected_version)
    # Only a new one: a dossier waiting for papers asked at intake is accepted by "supplement
    # received"; anything else already has its receipt time, which must never be rewritten.
    check_action(actor, dossier, "accept")
    start_clock(dossier, actor=actor, at=timezone.now())
    if assignee is not None:
        dossier.assignee = assignee
    dossier = _move(
        actor=actor,
        dossier=dossier,
        to_status=S.ACCEPTED,
        note="Tiếp nhận hồ sơ hợp lệ",
        verb=AuditVerb.DOSSIER_ACCEPT,
    )
    hooks.dossier_received(dossier, actor)
    return dossier


# ---------------------------------------------------------------- processing


@transaction.atomic
def dossier_hand_over(
    *,
    actor: User,
    dossier: Dossier,
    to_staff: Staff,
    step: str,
    note: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """Pass the dossier to the next person/step; the event records early/on time/late."""
    dossier = _lock(dossier, expected_version)
    check_action(actor, dossier, "hand_over")
    if to_staff.unit_id != dossier.unit_id:
        raise ValidationError({"to_staff": "Người nhận phải thuộc đơn vị."})
    if dossier.assignee_id == to_staff.pk and dossier.step == step:
        raise AlreadyHeld(
            {
                "to_staff": f"{to_staff.full_name} đang giữ hồ sơ ở bước này; "
                "hãy chọn người nhận hoặc bước khác."
            }
        )
    # Mẫu 06 "Bên giao" is the one who held the dossier, not whoever pressed the button (the
    # head reassigning an officer's dossier). The handler named at intake does not hold it yet
    # (no step: the papers are still at the desk), so until a first hand-over the actor (the
    # clerk) hands it on: never "Giao: X / Nhận: X" for the handler's first receipt.
    held = dossier.assignee is not None and bool(dossier.step)
    holder = dossier.assignee.full_name if held and dossier.assignee is not None else ""
    # The step being handed over ends now: judge it against its own budget when the procedure
    # sets one (Mẫu 06), else against the dossier's due date.
    last = dossier.events.order_by("-at", "-id").first()
    started = last.at if last else (dossier.received_at or timezone.now())
    budget_due = deadlines.step_due(dossier, dossier.step, started)
    result = deadlines.step_result(timezone.now(), budget_due or dossier.effective_due_at)
    dossier.assignee, dossier.step = to_staff, step
    return _move(
        actor=actor,
        dossier=dossier,
        to_status=S.PROCESSING,
        receiver=to_staff.full_name,
        result=result,
        note=note,
        verb=AuditVerb.DOSSIER_HAND_OVER,
        giver=holder,
    )


@transaction.atomic
def dossier_request_supplement(
    *,
    actor: User,
    dossier: Dossier,
    items: list[str],
    reason: str,
    expected_version: int | None = None,
) -> Dossier:
    """Ask for missing papers once (Decree 61 Art. 15: guidance given once, completely), within
    the procedure's count and window (the action table's precondition)."""
    dossier = _lock(dossier, expected_version)
    check_action(actor, dossier, "supplement")
    items = [i.strip() for i in items if i.strip()]
    if not items or not reason.strip():
        raise ValidationError({"items": "Hãy ghi rõ giấy tờ cần bổ sung và lý do."})
    dossier.supplement_count += 1
    pause = DossierPause.objects.create(
        dossier=dossier,
        started_at=timezone.now(),
        reason=reason.strip(),
        items=items,
        requested_by=actor,
    )
    paper_numbers.issue(
        dossier,
        "bo-sung",
        at=pause.started_at,
        subject=paper_numbers.subject_for_pause(pause.pk),
    )
    _move(
        actor=actor,
        dossier=dossier,
        to_status=S.SUPPLEMENT,
        note="Cần bổ sung: " + "; ".join(items),
        verb=AuditVerb.DOSSIER_REQUEST_SUPPLEMENT,
    )
    _notify(dossier, "supplement")
    return dossier


@transaction.atomic
def dossier_supplement_received(
    *, actor: User, dossier: Dossier, expected_version: int | None = None
) -> Dossier:
    """The citizen brought the papers: restart the clock or add the paused time (per rule).

    Restarted (Decree 61 Art. 19(4), "tính lại từ đầu"), the dossier's one appointment is the
    new due date: an earlier apology's new date (Art. 19(9)) answered the old count and is
    superseded, so it is cleared and no longer shown or used as the appointment. The apology
    itself stays on record (it was sent; the dossier's first due date still rates it)."""
    dossier = _lock(dossier, expected_version)
    check_action(actor, dossier, "supplement_received")
    before = snapshot(dossier, _WATCHED)
    now = timezone.now()
    pause = dossier.pauses.filter(ended_at__isnull=True).order_by("-started_at").first()
    if pause is not None:
        pause.ended_at = now
        pause.save(update_fields=["ended_at"])
    if dossier.received_at is None:  # asked at intake: this is the acceptance
        start_clock(dossier, actor=actor, at=now)
        dossier = _move(
            actor=actor,
            dossier=dossier,
            to_status=S.ACCEPTED,
            note="Đã nhận đủ hồ sơ bổ sung",
            verb=AuditVerb.DOSSIER_SUPPLEMENT_RECEIVED,
        )
        hooks.dossier_received(dossier, actor)
        return dossier
    note = "Đã nhận đủ hồ sơ bổ sung"
    if dossier.procedure.supplement_rule == SupplementRule.RESTART:
        dossier.due_at = due = deadlines.compute_due(dossier.unit, dossier.procedure, now)
        if dossier.new_due_at is not None and due is not None:
            note += (
                "; thời hạn tính lại từ đầu: hạn trả kết quả "
                f"{due.astimezone(VN):%d/%m/%Y %H:%M} thay ngày hẹn lại "
                f"{dossier.new_due_at.astimezone(VN):%d/%m/%Y} của văn bản xin lỗi"
            )
            dossier.new_due_at = None
    elif pause is not None and dossier.due_at is not None:
        dossier.due_at = deadlines.extend_by_pause(dossier, pause.started_at, now)
    return _move(
        actor=actor,
        dossier=dossier,
        to_status=S.PROCESSING,
        note=note,
        verb=AuditVerb.DOSSIER_SUPPLEMENT_RECEIVED,
        before=before,
    )


def _check_new_due(dossier: Dossier, new_due_at: datetime | None, now: datetime) -> datetime:
    """The new date, checked: a working day of the unit, after today and after the current due
    date (the caller has made sure there is one)."""
    if new_due_at is None:
        raise ValidationError({"new_due_at": "Hãy chọn ngày hẹn trả kết quả mới."})
    calendar = calendar_for_unit(dossier.unit)
    day = new_due_at.astimezone(VN).date()
    if not calendar.is_working_day(day):
        weekday = "Chủ nhật" if day.weekday() == 6 else "ngày nghỉ"
        raise ValidationError(
            {"new_due_at": f"Ngày {day:%d/%m/%Y} là {weekday}, không phải ngày làm việc."}
        )
    if day <= now.astimezone(VN).date():
        raise ValidationError({"new_due_at": "Ngày hẹn mới phải sau ngày hôm nay."})
    due_day = dossier.due_at.astimezone(VN).date() if dossier.due_at else None
    if due_day is not None and day <= due_day:
        raise ValidationError(
            {"new_due_at": f"Ngày hẹn mới phải sau hạn trả kết quả hiện tại ({due_day:%d/%m/%Y})."}
        )
    if due_day is not None:
        bound = deadlines.latest_new_due_day(dossier, due_day, now, calendar=calendar)
        if day > bound.latest:
            after = (
                f"hạn trả kết quả {due_day:%d/%m/%Y}"
                if bound.counted_from == due_day
                else f"hôm nay ({bound.counted_from:%d/%m/%Y})"
            )
            why = "bằng thời hạn giải quyết của thủ tục" if bound.own_time else "một tuần làm việc"
            raise ValidationError(
                {
                    "new_due_at": f"Ngày hẹn mới không được muộn hơn {bound.latest:%d/%m/%Y}: "
                    f"chỉ hẹn lại một lần, tối đa {bound.extra} ngày làm việc sau {after} "
                    f"({why})."
                }
            )
    return new_due_at


@transaction.atomic
def dossier_apologize(
    *,
    actor: User,
    dossier: Dossier,
    reason: str,
    new_due_at: datetime | None,
    expected_version: int | None = None,
) -> Apology:
    """Apology and new appointment (Mẫu 04, Decree 61 Art. 19(9)): once per dossier. Due no
    later than one working day before the due date; one made later is still made (the citizen
    is owed it) and recorded as late-issued. The original due date is kept, so the dossier
    still counts as late if it is."""
    dossier = _lock(dossier, expected_version)
    check_action(actor, dossier, "apologize")
    original_due_at = dossier.due_at
    if original_due_at is None:  # (the action table offers no apology without a due date)
        raise ValidationError("Chỉ gửi văn bản xin lỗi cho hồ sơ đã có hạn trả kết quả.")
    if not reason.strip():
        raise ValidationError({"reason": "Hãy nêu lý do chậm giải quyết."})
    now = timezone.now()
    new_due_at = _check_new_due(dossier, new_due_at, now)
    from cchc.dossiers import apology_letters

    # No letter, no apology: one without its Mẫu 04 would never reach the citizen yet would
    # read as made (refused before anything is written; the message says what to set up).
    missing = apology_letters.letter_setup_missing(dossier.unit)
    if missing:
        raise ValidationError(missing)
    deadline = deadlines.apology_deadline(dossier)
    late = deadline is not None and now > deadline
    apology = Apology.objects.create(
        dossier=dossier,
        reason=reason.strip(),
        original_due_at=original_due_at,
        new_due_at=new_due_at,
        signer_name=_actor_name(actor),
        issued_late=late,
        created_by=actor,
    )
    dossier.new_due_at = new_due_at
    _move(
        actor=actor,
        dossier=dossier,
        to_status=dossier.status,
        # The step is public (the look-up shows it to the citizen): citizen-facing words only;
        # a late-issued apology is for staff, kept on the apology (`issued_late`) and shown there.
        # Not "sent" yet: the letter is sent once the head signs it and the clerk releases it
        # (the look-up then adds its step, `selectors.APOLOGY_SENT_STEP`).
        note=f"Đơn vị hẹn lại ngày trả kết quả: "
        f"{new_due_at.astimezone(VN):%d/%m/%Y %H:%M}; văn bản xin lỗi đang trình ký. "
        f"Lý do: {reason.strip()}",
        verb=AuditVerb.DOSSIER_APOLOGIZE,
    )
    _notify(dossier, "new_date")
    # The written apology: an outgoing letter for the head of the unit to sign (Mẫu 04).
    apology_letters.draft_with_apology(actor, apology)
    return apology


@transaction.atomic
def dossier_apology_revise(
    *,
    actor: User,
    dossier: Dossier,
    reason: str,
    new_due_at: datetime | None,
    expected_version: int | None = None,
) -> Apology:
    """Correct the reason and the new date of an apology whose letter the head sent back (or
    that has no letter yet) and send the letter to be signed again, redrafted from them.

    This corrects the one reset of the date (Decree 61 Art. 19(9), domain.md 1.4) before it
    reaches the citizen; it is not a second one: so only while the letter is a draft, and
    checked as when made (a working day after today, within the bounds from the due date).
    AlreadyDone (409) once the letter is on its way or released; StaleDossier (409) when the
    dossier changed since the form was opened."""
    from cchc.documents.workflow import OutgoingStatus
    from cchc.dossiers import apology_letters

    if not apology_letters.may_issue(actor, dossier):
        raise PermissionDenied(
            "Chỉ viên chức xử lý hồ sơ và soạn văn bản của đơn vị mới sửa văn bản xin lỗi."
        )
    dossier = _lock(dossier, expected_version)
    apology = (
        Apology.objects.select_for_update(of=("self",))
        .select_related("outgoing")
        .filter(dossier=dossier)
        .first()
    )
    if apology is None:
        raise ValidationError("Hồ sơ chưa có văn bản xin lỗi để sửa.")
    letter = apology.outgoing
    if letter is not None and letter.status == OutgoingStatus.RELEASED:
        raise apology_letters.AlreadyDone(
            "Văn bản xin lỗi đã phát hành cho người dân: không sửa được lý do, ngày hẹn."
        )
    if letter is not None and letter.status != OutgoingStatus.DRAFT:
        raise apology_letters.AlreadyDone(
            "Văn bản xin lỗi đang chờ duyệt, cấp số hoặc ký số: chỉ sửa được khi lãnh đạo trả "
            "lại dự thảo."
        )
    if dossier.status not in CLOCK_RUNNING | {S.SUPPLEMENT}:
        raise ValidationError(
            "Hồ sơ đã có kết quả hoặc đã dừng giải quyết: không hẹn lại ngày trả kết quả."
        )
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Hãy nêu lý do chậm giải quyết."})
    new_due_at = _check_new_due(dossier, new_due_at, timezone.now())
    before = snapshot(apology, ["reason", "new_due_at"])
    moved = new_due_at != apology.new_due_at
    apology.reason, apology.new_due_at = reason, new_due_at
    apology.save(update_fields=["reason", "new_due_at", "updated_at"])
    apology.dossier = dossier
    dossier.new_due_at = new_due_at
    _move(
        actor=actor,
        dossier=dossier,
        to_status=dossier.status,
        # Public, as the apology's own row: citizen-facing words only.
        note=f"Đơn vị sửa lại ngày hẹn trả kết quả: "
        f"{new_due_at.astimezone(VN):%d/%m/%Y %H:%M}; văn bản xin lỗi trình ký lại. "
        f"Lý do: {reason}",
        verb=AuditVerb.DOSSIER_TRANSITION,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.DOSSIER_APOLOGY_REVISE,
        obj=apology,
        unit=dossier.unit,
        before=before,
        after=snapshot(apology, ["reason", "new_due_at"]),
    )
    if moved:
        _notify(dossier, "new_date")
    apology_letters.redraft(actor, apology)
    return apology


@transaction.atomic
def dossier_set_due(
    *, actor: User, dossier: Dossier, due_on: date, expected_version: int | None = None
) -> Dossier:
    """Date a dossier received without a due date (before issue 8 a procedure could lack a
    legal time limit): the clerk writes the appointment given to the citizen."""
    dossier = _lock(dossier, expected_version)
    _require_staff_of(actor, dossier.unit, permissions.RECEIVE_DOSSIERS)
    if dossier.due_at is not None or dossier.received_at is None:
        raise ValidationError("Hồ sơ này đã có hạn trả kết quả hoặc chưa được tiếp nhận.")
    calendar = calendar_for_unit(dossier.unit)
    if not calendar.is_working_day(due_on):
        raise ValidationError({"due_on": f"Ngày {due_on:%d/%m/%Y} không phải ngày làm việc."})
    if due_on < dossier.received_at.astimezone(VN).date():
        raise ValidationError({"due_on": "Hạn trả không thể trước ngày tiếp nhận."})
    dossier.due_at = dossier.initial_due_at = deadlines.end_of_day(calendar, due_on)
    return _move(
        actor=actor,
        dossier=dossier,
        to_status=dossier.status,
        note=f"Ghi hạn trả kết quả {due_on:%d/%m/%Y} cho hồ sơ tiếp nhận khi chưa có thời hạn",
        verb=AuditVerb.DOSSIER_SET_DUE,
        public=False,
    )


@transaction.atomic
def dossier_decide(
    *,
    actor: User,
    dossier: Dossier,
    granted: bool,
    note: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """Record the result: granted, or refused after appraisal with a written reason."""
    dossier = _lock(dossier, expected_version)
    check_action(actor, dossier, "decide")
    if not granted and not note.strip():
        raise ValidationError({"note": "Từ chối phải có lý do bằng văn bản."})
    now = timezone.now()
    dossier.result_at = now
    dossier.result_kind = "granted" if granted else "refused"
    dossier.result_note = note.strip()
    dossier.step = ""
    if not granted:  # the written refusal with its reason is the result (Mẫu 03)
        paper_numbers.issue(dossier, "tu-choi", at=now)
    _move(
        actor=actor,
        dossier=dossier,
        to_status=S.DONE,
        result=deadlines.step_result(now, dossier.due_at),
        note=("Có kết quả" if granted else "Từ chối: ") + (note if not granted else ""),
        verb=AuditVerb.DOSSIER_DECIDE,
    )
    _notify(dossier, "result_ready")
    return dossier


@transaction.atomic
def dossier_return(
    *, actor: User, dossier: Dossier, expected_version: int | None = None
) -> Dossier:
    dossier = _lock(dossier, expected_version)
    check_action(actor, dossier, "return")
    dossier.returned_at = timezone.now()
    return _move(
        actor=actor,
        dossier=dossier,
        to_status=S.RETURNED,
        note="Đã trả kết quả",
        verb=AuditVerb.DOSSIER_RETURN,
    )


@transaction.atomic
def dossier_refuse_at_intake(
    *, actor: User, dossier: Dossier, reason: str, expected_version: int | None = None
) -> Dossier:
    """Refuse to accept (Mẫu 03), for online submissions outside competence or invalid."""
    dossier = _lock(dossier, expected_version)
    check_action(actor, dossier, "refuse")
    if not reason.strip():
        raise ValidationError({"reason": "Hãy nêu lý do từ chối."})
    dossier.result_note = reason.strip()
    dossier.stopped_at = timezone.now()
    paper_numbers.issue(dossier, "tu-choi", at=dossier.stopped_at)
    return _move(
        actor=actor,
        dossier=dossier,
        to_status=S.REJECTED,
        note=f"Từ chối: {reason}",
        verb=AuditVerb.DOSSIER_REFUSE,
    )


@transaction.atomic
def dossier_stop(
    *,
    actor: User,
    dossier: Dossier,
    reason: str,
    withdrawal: bool = False,
    expected_version: int | None = None,
) -> Dossier:
    """Stop processing (Mẫu 05) or accept a withdrawal; impossible once a result exists
    (Circular 03/2025 Art. 7)."""
    dossier = _lock(dossier, expected_version)
    check_action(actor, dossier, "stop")
    if not reason.strip():
        raise ValidationError({"reason": "Hãy nêu lý do dừng giải quyết."})
    pause = dossier.pauses.filter(ended_at__isnull=True).first()
    if pause is not None:
        pause.ended_at = timezone.now()
        pause.save(update_fields=["ended_at"])
    label = "Rút hồ sơ theo đề nghị của công dân" if withdrawal else "Dừng giải quyết"
    dossier.result_note = reason.strip()
    dossier.stopped_at = timezone.now()
    return _move(
        actor=actor,
        dossier=dossier,
        to_status=S.STOPPED,
        note=f"{label}: {reason}",
        verb=AuditVerb.DOSSIER_STOP,
    )


__all__ = [
    "InvalidTransition",
    "PermissionDenied",
    "StaleDossier",
    "dossier_accept",
    "dossier_apologize",
    "dossier_apology_revise",
    "dossier_decide",
    "dossier_hand_over",
    "dossier_receive",
    "dossier_refuse_at_intake",
    "dossier_request_supplement",
    "dossier_return",
    "dossier_stop",
    "dossier_submit_online",
    "dossier_supplement_received",
    "make_code",
]
