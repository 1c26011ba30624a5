"""Feedback use cases: receive (public form, staff entry, API), classify, ask for information,
assign, draft, approve, publish, close; the sender's rating and dispute; inspection findings.

Every change runs in one transaction holding a row lock on the item, is checked against the
transition table (workflow.py), leaves an event and an audit record, and refuses a stale version.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, TypedDict

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from cchc.accounts import permissions
from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb
from cchc.core.text import fold
from cchc.core.timezones import VN
from cchc.feedback import deadlines, redaction
from cchc.feedback.models import (
    Feedback,
    FeedbackAttachment,
    FeedbackEvent,
    Finding,
    Kind,
    Rating,
    RegisterCounter,
)
from cchc.feedback.workflow import (
    CLASS_TO_STATUS,
    OPEN,
    Channel,
    Classification,
    FeedbackStatus,
    InvalidTransition,
    can_transition,
)
from cchc.organizations.models import Staff, Unit

if TYPE_CHECKING:
    from cchc.accounts.models import User

S = FeedbackStatus
OPEN_STATUSES = OPEN
MAX_CONTENT = 5000
MAX_TITLE = 200
PHONE = re.compile(r"^(0|\+84)\d{9,10}$")
EXTERNAL_CODE = re.compile(r"^[A-Za-z0-9.\-_/]{4,60}$")
_TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class ActionArgs(TypedDict):
    """What every handling service (classify … close) takes, for callers that dispatch."""

    actor: User
    item: Feedback
    expected_version: int | None


class StaleFeedback(ValidationError):
    """Another person changed the item since the form was opened."""


class Conflict(ValidationError):
    """A unique value (register number, external code) raced with another write: answer 409."""


# ---------------------------------------------------------------- checks


def _readable(text: str) -> bool:
    """Vietnamese-readable text: mostly letters (Latin with Vietnamese diacritics), digits and
    punctuation; not control characters, not another script, not a wall of symbols."""
    if any(unicodedata.category(c) in ("Cc", "Cs", "Co") and c not in "\n\r\t" for c in text):
        return False
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 5:
        return False
    latin = sum(1 for c in letters if "LATIN" in unicodedata.name(c, ""))
    if latin / len(letters) < 0.9:
        return False
    visible = [c for c in text if not c.isspace()]
    return len(letters) / max(len(visible), 1) >= 0.5


def clean_sender(data: dict[str, Any]) -> dict[str, str]:
    """Name, address, phone and e-mail, normalised; raises on a malformed phone or e-mail."""
    errors: dict[str, str] = {}
    values = {
        key: str(data.get(key) or "")
        for key in ("sender_name", "sender_address", "sender_phone", "sender_email")
    }
    for key, value in values.items():
        if "\x00" in value:
            errors[key] = "Dữ liệu chứa ký tự không hợp lệ."
    phone = re.sub(r"[\s.\-()]", "", values["sender_phone"])
    if phone and not PHONE.match(phone):
        errors["sender_phone"] = "Số điện thoại không hợp lệ (ví dụ 0912 345 678)."
    email = values["sender_email"].strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["sender_email"] = "Địa chỉ thư điện tử không hợp lệ."
    if len(values["sender_name"]) > 200:
        errors["sender_name"] = "Họ tên quá dài (tối đa 200 ký tự)."
    if len(values["sender_address"]) > 300:
        errors["sender_address"] = "Địa chỉ quá dài (tối đa 300 ký tự)."
    if errors:
        raise ValidationError(errors)
    return {
        "sender_name": " ".join(values["sender_name"].split()),
        "sender_address": " ".join(values["sender_address"].split()),
        "sender_phone": phone,
        "sender_email": email[:254],
    }


def clean_content(title: str, content: str) -> tuple[str, str]:
    """Title and content: present, not too long, readable Vietnamese text."""
    title = " ".join(str(title or "").split())
    content = str(content or "").replace("\r\n", "\n").strip()
    errors: dict[str, str] = {}
    if not content:
        errors["content"] = "Hãy nhập nội dung phản ánh, kiến nghị."
    elif len(content) > MAX_CONTENT:
        errors["content"] = f"Nội dung quá dài (tối đa {MAX_CONTENT:,} ký tự).".replace(",", ".")
    elif not _readable(content):
        errors["content"] = (
            "Nội dung phải viết bằng tiếng Việt, rõ ràng (Nghị định 20/2008/NĐ-CP Điều 7)."
        )
    if len(title) > MAX_TITLE:
        errors["title"] = f"Tiêu đề quá dài (tối đa {MAX_TITLE} ký tự)."
    elif "\x00" in title:
        errors["title"] = "Dữ liệu chứa ký tự không hợp lệ."
    if errors:
        raise ValidationError(errors)
    if not title:
        first = content.split("\n", 1)[0]
        title = first[:120].rsplit(" ", 1)[0] if len(first) > 120 else first
    return title, content


def _missing_contact_reason(fields: dict[str, str]) -> str:
    """Decree 20/2008 Art. 7: name plus address or phone are required; else invalid (kept)."""
    if not fields["sender_name"]:
        return "Không có họ tên người gửi (Nghị định 20/2008/NĐ-CP Điều 7)."
    if not (fields["sender_address"] or fields["sender_phone"] or fields["sender_email"]):
        return (
            "Không có địa chỉ, số điện thoại hoặc thư điện tử để liên hệ (Nghị định 20/2008/NĐ-CP "
            "Điều 7)."
        )
    return ""


# ---------------------------------------------------------------- numbering and locking


def _next_register_number(unit: Unit, year: int) -> int:
    """Continuous per unit per year; the row lock makes concurrent receipts queue."""
    RegisterCounter.objects.get_or_create(unit=unit, year=year)
    counter = RegisterCounter.objects.select_for_update().get(unit=unit, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _tracking_code(year: int) -> str:
    body = "".join(secrets.choice(_TRACKING_ALPHABET) for _ in range(6))
    return f"PA{year % 100:02d}-{body}"


def _lock(item: Feedback, expected_version: int | None) -> Feedback:
    locked = Feedback.objects.select_for_update().select_related("unit").get(pk=item.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleFeedback(
            "Phản ánh vừa được người khác xử lý. Hãy tải lại trang để xem trạng thái mới nhất."
        )
    return locked


def _actor_name(actor: User | None) -> str:
    staff = permissions.acting_staff(actor)
    if staff is not None:
        return staff.full_name
    if actor is not None:
        return actor.get_full_name() or actor.get_username()
    return "Hệ thống"


_WATCHED = [
    "status",
    "classification",
    "assignee",
    "due_at",
    "publish_due_at",
    "approved_at",
    "published_at",
    "closed_at",
    "rating",
    "dispute_count",
    "version",
]


def _move(
    *,
    actor: User | None,
    item: Feedback,
    to_status: str,
    verb: AuditVerb,
    note: str = "",
    public: bool = True,
    at: datetime | None = None,
) -> Feedback:
    """Apply one transition on a locked item: event, version bump, audit."""
    if to_status != item.status and not can_transition(item.status, to_status):
        raise InvalidTransition(item.status, to_status)
    before = snapshot(item, _WATCHED)
    from_status = item.status
    item.status = to_status
    item.version += 1
    item.save()
    FeedbackEvent.objects.create(
        feedback=item,
        at=at or timezone.now(),
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_name=_actor_name(actor),
        note=note,
        is_public=public,
    )
    audit_record(
        actor=actor,
        verb=verb,
        obj=item,
        unit=item.unit,
        before=before,
        after=snapshot(item, _WATCHED) | ({"note": note} if note else {}),
    )
    return item


def _notify(item: Feedback, kind: str) -> None:
    if item.sender_email:
        from cchc.feedback.tasks import notify_sender

        transaction.on_commit(partial(notify_sender.enqueue, item.pk, kind))


def _search_text(*parts: str) -> str:
    return fold(" ".join(parts))[:4000]


# ---------------------------------------------------------------- intake


def _create(
    *,
    actor: User | None,
    unit: Unit,
    channel: str,
    data: dict[str, Any],
    received_at: datetime | None,
    external_code: str = "",
) -> Feedback:
    if channel not in Channel.values:
        raise ValidationError({"channel": "Kênh tiếp nhận không hợp lệ."})
    kind = str(data.get("kind") or Kind.COMPLAINT)
    if kind not in Kind.values:
        raise ValidationError({"kind": "Loại phản ánh, kiến nghị không hợp lệ."})
    sender = clean_sender(data)
    title, content = clean_content(data.get("title", ""), data.get("content", ""))
    now = received_at or timezone.now()
    year = now.astimezone(VN).year
    limits = deadlines.limits_for(unit)
    item = Feedback(
        unit=unit,
        year=year,
        register_number=_next_register_number(unit, year),
        tracking_code=_tracking_code(year),
        access_key=secrets.token_urlsafe(24),
        external_code=external_code,
        channel=channel,
        kind=kind,
        title=title,
        content=content,
        search_text=_search_text(title, content),
        consent_to_publish=bool(data.get("consent_to_publish")),
        received_at=now,
        received_by=actor,
        due_at=deadlines.due_after(unit, now, limits.answer),
        initial_due_at=deadlines.due_after(unit, now, limits.answer),
        reject_due_at=deadlines.due_after(unit, now, limits.reject),
        info_due_at=deadlines.due_after(unit, now, limits.info),
        forward_due_at=deadlines.due_after(unit, now, limits.forward),
        **sender,
    )
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as error:
        raise Conflict(
            "Phản ánh này (cùng mã hoặc số vào sổ) vừa được ghi nhận; hãy tải lại trang."
        ) from error
    FeedbackEvent.objects.create(
        feedback=item,
        at=now,
        to_status=S.RECEIVED,
        actor=actor,
        actor_name=_actor_name(actor) if actor is not None else item.sender_name or "Người gửi",
        note=f"Tiếp nhận qua {item.get_channel_display().lower()}",
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.FEEDBACK_RECEIVE,
        obj=item,
        unit=unit,
        after=snapshot(
            item, ["register_number", "year", "tracking_code", "channel", "status", "due_at"]
        ),
    )
    reason = _missing_contact_reason(sender)
    if reason:
        # Recorded in the register and kept, but invalid: never silently dropped.
        item.classification = Classification.INVALID
        item.classified_at = now
        item.decision_reason = reason
        _move(
            actor=actor,
            item=item,
            to_status=S.REJECTED,
            verb=AuditVerb.FEEDBACK_REJECT_INVALID,
            note=reason,
            at=now,
        )
    _notify(item, "ack")
    return item


@transaction.atomic
def feedback_submit_public(
    *,
    unit: Unit,
    data: dict[str, Any],
    received_at: datetime | None = None,
    attachments: list[Any] | None = None,
) -> Feedback:
    """A citizen's item from the public form or the public API (no account). Attachments must
    have been checked by type and size by the caller (cchc.dossiers.uploads.check_upload)."""
    item = _create(actor=None, unit=unit, channel=Channel.WEB, data=data, received_at=received_at)
    for upload in attachments or []:
        attachment = FeedbackAttachment(feedback=item, name=(upload.name or "tep")[:200])
        attachment.file.save(upload.name, upload, save=True)
    return item


def _check_received_at(received_at: datetime) -> None:
    """A past receipt time moves every deadline, so it must be plausible.

    The register is kept per year; a letter from before last year is a typing slip far more often
    than a real find, and would be entered as long overdue.
    """
    now = timezone.now()
    if received_at > now:
        raise ValidationError({"received_at": "Thời điểm nhận không được ở tương lai."})
    earliest = datetime(timezone.localdate(now).year - 1, 1, 1, tzinfo=VN)
    if received_at < earliest:
        raise ValidationError(
            {
                "received_at": "Thời điểm nhận phải từ ngày "
                f"{earliest:%d/%m/%Y} trở về sau; hãy kiểm tra lại năm."
            }
        )


@transaction.atomic
def feedback_receive(
    *,
    actor: User,
    unit: Unit,
    channel: str,
    data: dict[str, Any],
    external_code: str = "",
    received_at: datetime | None = None,
) -> Feedback:
    """Staff entry of a letter, a transcribed phone call, an e-mail or a national portal item."""
    permissions.require(actor, permissions.HANDLE_FEEDBACK, unit)
    external_code = "".join(str(external_code or "").split())
    if channel == Channel.NATIONAL_PORTAL and not external_code:
        raise ValidationError({"external_code": "Hãy nhập mã phản ánh trên Cổng DVCQG."})
    if external_code and not EXTERNAL_CODE.match(external_code):
        raise ValidationError({"external_code": "Mã trên Cổng DVCQG không đúng dạng."})
    if external_code and Feedback.objects.filter(unit=unit, external_code=external_code).exists():
        raise Conflict(f"Mã {external_code} đã có trong sổ tiếp nhận.")
    if received_at is not None:
        _check_received_at(received_at)
    return _create(
        actor=actor,
        unit=unit,
        channel=channel,
        data=data,
        received_at=received_at,
        external_code=external_code,
    )


# ---------------------------------------------------------------- handling


def _require(actor: User, permission: str, item: Feedback) -> None:
    permissions.require(actor, permission, item.unit)


@transaction.atomic
def feedback_classify(
    *,
    actor: User,
    item: Feedback,
    classification: str,
    reason: str = "",
    forwarded_to: str = "",
    assignee: Staff | None = None,
    expected_version: int | None = None,
) -> Feedback:
    """Decree 20/2008 Art. 9(4): reject, send to the inspection board, handle, or forward."""
    item = _lock(item, expected_version)
    _require(actor, permissions.HANDLE_FEEDBACK, item)
    if classification not in Classification.values:
        raise ValidationError({"classification": "Hãy chọn cách phân loại."})
    reason = reason.strip()
    if classification == Classification.INVALID and not reason:
        raise ValidationError({"reason": "Từ chối phải nêu lý do."})
    if classification == Classification.OUTSIDE and not forwarded_to.strip():
        raise ValidationError({"forwarded_to": "Hãy ghi cơ quan có thẩm quyền được chuyển đến."})
    if classification == Classification.COMPETENT:
        if assignee is None:
            raise ValidationError({"assignee": "Hãy chọn người xử lý."})
        if assignee.unit_id != item.unit_id:
            raise ValidationError({"assignee": "Người xử lý phải thuộc đơn vị."})
        item.assignee = assignee
    now = timezone.now()
    item.classification = classification
    item.classified_at = now
    item.decision_reason = reason
    item.forwarded_to = forwarded_to.strip()[:300]
    label = Classification(classification).label
    note = label + (f": {reason}" if reason else "")
    if classification == Classification.OUTSIDE:
        note = f"Chuyển {item.forwarded_to}" + (f": {reason}" if reason else "")
    if classification == Classification.COMPETENT:
        note = f"Giao {assignee.full_name} xử lý"  # type: ignore[union-attr]
    _move(
        actor=actor,
        item=item,
        to_status=CLASS_TO_STATUS[classification],
        verb=AuditVerb.FEEDBACK_CLASSIFY,
        note=note,
        public=classification != Classification.CONDUCT,
    )
    if classification in (Classification.INVALID, Classification.OUTSIDE):
        _notify(item, "decision")
    return item


@transaction.atomic
def feedback_request_info(
    *, actor: User, item: Feedback, note: str, expected_version: int | None = None
) -> Feedback:
    """Ask the sender for more information (766 indicator 5.2: within 5 working days)."""
    item = _lock(item, expected_version)
    _require(actor, permissions.HANDLE_FEEDBACK, item)
    if not note.strip():
        raise ValidationError({"note": "Hãy ghi rõ thông tin cần bổ sung."})
    item.info_requested_at = timezone.now()
    item.info_request_count += 1
    _move(
        actor=actor,
        item=item,
        to_status=S.INFO_REQUESTED,
        verb=AuditVerb.FEEDBACK_REQUEST_INFO,
        note=note.strip(),
    )
    _notify(item, "info")
    return item


@transaction.atomic
def feedback_info_received(
    *, actor: User, item: Feedback, note: str = "", expected_version: int | None = None
) -> Feedback:
    """The sender answered: back to classification, or to the handler if already assigned."""
    item = _lock(item, expected_version)
    _require(actor, permissions.HANDLE_FEEDBACK, item)
    target = S.ASSIGNED if item.assignee_id else S.RECEIVED
    return _move(
        actor=actor,
        item=item,
        to_status=target,
        verb=AuditVerb.FEEDBACK_INFO_RECEIVED,
        note=note.strip() or "Đã nhận thông tin bổ sung",
    )


@transaction.atomic
def feedback_assign(
    *, actor: User, item: Feedback, assignee: Staff, expected_version: int | None = None
) -> Feedback:
    """Give the item to a handler (also after the inspection board or a dispute)."""
    item = _lock(item, expected_version)
    _require(actor, permissions.HANDLE_FEEDBACK, item)
    if assignee.unit_id != item.unit_id:
        raise ValidationError({"assignee": "Người xử lý phải thuộc đơn vị."})
    item.assignee = assignee
    return _move(
        actor=actor,
        item=item,
        to_status=S.ASSIGNED,
        verb=AuditVerb.FEEDBACK_ASSIGN,
        note=f"Giao {assignee.full_name} xử lý",
    )


def may_draft(actor: User, item: Feedback) -> bool:
    """The desk, or the handler the item is assigned to."""
    if permissions.can(actor, permissions.HANDLE_FEEDBACK, item.unit):
        return True
    staff = permissions.acting_staff(actor)
    return staff is not None and item.assignee_id == staff.pk


def may_act(actor: User, item: Feedback) -> bool:
    """Whether `actor` may take any action on `item`, whatever it is: one who may not (a
    commune officer reading a school's item) is refused 403 before what they posted is read."""
    return may_draft(actor, item) or any(
        permissions.can(actor, permission, item.unit)
        for permission in (permissions.APPROVE_FEEDBACK, permissions.INSPECT_FEEDBACK)
    )


@transaction.atomic
def feedback_draft(
    *, actor: User, item: Feedback, answer: str, expected_version: int | None = None
) -> Feedback:
    """The handler's draft answer, sent to the principal for approval."""
    item = _lock(item, expected_version)
    if not may_draft(actor, item):
        raise permissions.PermissionDenied("Bạn không được giao xử lý phản ánh này.")
    answer = answer.replace("\r\n", "\n").strip()
    if not answer:
        raise ValidationError({"answer": "Hãy nhập nội dung trả lời."})
    if len(answer) > 10000 or "\x00" in answer:
        raise ValidationError({"answer": "Nội dung trả lời quá dài hoặc có ký tự không hợp lệ."})
    item.answer = answer
    item.answered_by = actor
    item.drafted_at = timezone.now()
    return _move(
        actor=actor,
        item=item,
        to_status=S.DRAFTED,
        verb=AuditVerb.FEEDBACK_DRAFT,
        note="Trình duyệt dự thảo trả lời",
        public=False,
    )


@transaction.atomic
def feedback_return_draft(
    *, actor: User, item: Feedback, note: str, expected_version: int | None = None
) -> Feedback:
    """The principal sends the draft back with remarks."""
    item = _lock(item, expected_version)
    _require(actor, permissions.APPROVE_FEEDBACK, item)
    if not note.strip():
        raise ValidationError({"note": "Hãy ghi ý kiến để người xử lý sửa dự thảo."})
    return _move(
        actor=actor,
        item=item,
        to_status=S.ASSIGNED,
        verb=AuditVerb.FEEDBACK_RETURN_DRAFT,
        note=note.strip(),
        public=False,
    )


def public_versions(item: Feedback) -> tuple[str, str]:
    """The question and answer as they would be published, personal data removed."""
    names = [item.sender_name] if item.sender_name else []
    addresses = [item.sender_address] if item.sender_address else []
    question = redaction.redact(item.content, names=names, addresses=addresses)
    answer = redaction.redact(item.answer, names=names, addresses=addresses)
    return question, answer


@transaction.atomic
def feedback_approve(
    *, actor: User, item: Feedback, expected_version: int | None = None
) -> Feedback:
    """The principal approves the answer: it is e-mailed to the sender, and the publication
    clock starts (published within N working days of approval, 766 indicator 5.2)."""
    item = _lock(item, expected_version)
    _require(actor, permissions.APPROVE_FEEDBACK, item)
    now = timezone.now()
    # The first approval stays: the 766 timings judge the first answer, not a review's.
    item.approved_at = item.approved_at or now
    item.approved_by = actor
    item.publish_due_at = deadlines.due_after(
        item.unit, now, deadlines.limits_for(item.unit).publish
    )
    item.public_question, item.public_answer = public_versions(item)
    _move(
        actor=actor,
        item=item,
        to_status=S.APPROVED,
        verb=AuditVerb.FEEDBACK_APPROVE,
        note="Đã duyệt nội dung trả lời",
    )
    _notify(item, "answer")
    return item


@transaction.atomic
def feedback_publish(
    *,
    actor: User,
    item: Feedback,
    public_question: str,
    public_answer: str,
    expected_version: int | None = None,
) -> Feedback:
    """Publish the redacted question and answer at /phan-anh-kien-nghi/ (Decree 20/2008 Art. 19).

    The approver's last edit is redacted again, and anything still looking like a phone, an
    e-mail or an ID number blocks publication: nothing personal leaves through this door.
    """
    item = _lock(item, expected_version)
    _require(actor, permissions.APPROVE_FEEDBACK, item)
    names = [item.sender_name] if item.sender_name else []
    addresses = [item.sender_address] if item.sender_address else []
    question = redaction.redact(public_question.strip(), names=names, addresses=addresses)
    answer = redaction.redact(public_answer.strip(), names=names, addresses=addresses)
    if not answer:
        raise ValidationError({"public_answer": "Nội dung trả lời công khai không được trống."})
    leaks = redaction.leaks(question) + redaction.leaks(answer)
    if leaks:
        raise ValidationError(
            {"public_answer": "Còn thông tin cá nhân chưa được ẩn: " + "; ".join(leaks)}
        )
    item.public_question = question if item.consent_to_publish else ""
    item.public_answer = answer
    item.public_search = _search_text(item.title, item.public_question, answer)
    item.published_at = timezone.now()
    return _move(
        actor=actor,
        item=item,
        to_status=S.PUBLISHED,
        verb=AuditVerb.FEEDBACK_PUBLISH,
        note="Công khai kết quả trên Trang thông tin điện tử",
    )


@transaction.atomic
def feedback_close(
    *, actor: User, item: Feedback, note: str = "", expected_version: int | None = None
) -> Feedback:
    item = _lock(item, expected_version)
    _require(actor, permissions.HANDLE_FEEDBACK, item)
    item.closed_at = timezone.now()
    return _move(
        actor=actor,
        item=item,
        to_status=S.CLOSED,
        verb=AuditVerb.FEEDBACK_CLOSE,
        note=note.strip() or "Kết thúc xử lý",
    )


# ---------------------------------------------------------------- the sender


def feedback_for_sender(code: str, key: str) -> Feedback | None:
    """The item behind a link in the sender's mail: the tracking code and its secret key."""
    from cchc.feedback.selectors import TRACKING_CODE

    if not TRACKING_CODE.match(code) or len(key) > 64 or "\x00" in key:
        return None
    item = Feedback.objects.select_related("unit").filter(tracking_code=code.upper()).first()
    if item is None or not key:
        return None
    if not secrets.compare_digest(item.access_key.encode(), key.encode("utf-8", "replace")):
        return None
    return item


@transaction.atomic
def feedback_rate(*, item: Feedback, rating: str) -> Feedback:
    """The sender rates the answer (766 indicator 5.3); a later rating replaces the earlier."""
    item = _lock(item, None)
    if item.status not in (S.APPROVED, S.PUBLISHED, S.CLOSED):
        raise ValidationError("Chỉ đánh giá được khi đã có câu trả lời.")
    if rating not in Rating.values:
        raise ValidationError({"rating": "Hãy chọn hài lòng hoặc không hài lòng."})
    before = snapshot(item, ["rating"])
    item.rating = rating
    item.rated_at = timezone.now()
    item.version += 1
    item.save(update_fields=["rating", "rated_at", "version", "updated_at"])
    audit_record(
        actor=None,
        verb=AuditVerb.FEEDBACK_RATE,
        obj=item,
        unit=item.unit,
        before=before,
        after=snapshot(item, ["rating"]),
    )
    return item


@transaction.atomic
def feedback_dispute(*, item: Feedback, reason: str) -> Feedback:
    """The sender disagrees with the answer: the item reopens and reaches the inspection board."""
    item = _lock(item, None)
    reason = reason.strip()
    if not reason or len(reason) > MAX_CONTENT or not _readable(reason):
        raise ValidationError({"reason": "Hãy nêu rõ lý do không đồng ý (bằng tiếng Việt)."})
    if item.status not in (S.PUBLISHED, S.CLOSED, S.APPROVED):
        raise ValidationError("Phản ánh chưa có câu trả lời chính thức hoặc đang được xem xét lại.")
    item.dispute_count += 1
    item.rating = Rating.UNSATISFIED
    item.rated_at = timezone.now()
    # The review of a disputed answer gets a fresh answer period from the dispute.
    item.due_at = deadlines.due_after(
        item.unit, item.rated_at, deadlines.limits_for(item.unit).answer
    )
    return _move(
        actor=None,
        item=item,
        to_status=S.REOPENED,
        verb=AuditVerb.FEEDBACK_DISPUTE,
        note=f"Người gửi không đồng ý: {reason}",
    )


# ---------------------------------------------------------------- inspection board


@transaction.atomic
def finding_add(*, actor: User, item: Feedback, text: str) -> Finding:
    """The inspection board head's finding on a conduct complaint or a dispute."""
    item = _lock(item, None)
    _require(actor, permissions.INSPECT_FEEDBACK, item)
    if item.classification != Classification.CONDUCT and not item.dispute_count:
        raise ValidationError(
            "Ban Thanh tra chỉ ghi ý kiến về phản ánh hành vi cán bộ hoặc "
            "phản ánh bị người gửi khiếu nại kết quả."
        )
    text = text.strip()
    if not text or len(text) > MAX_CONTENT or "\x00" in text:
        raise ValidationError({"text": "Hãy nhập nội dung kết luận (tối đa 5.000 ký tự)."})
    finding = Finding.objects.create(
        feedback=item, author=actor, author_name=_actor_name(actor), text=text
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.FEEDBACK_FINDING,
        obj=item,
        unit=item.unit,
        after={"finding": finding.pk, "text": text},
    )
    return finding


def allowed_actions(actor: User, item: Feedback) -> list[str]:
    """The actions of workflow.ACTIONS this user may take on the item now (page, API, menu)."""
    from cchc.feedback.workflow import ACTIONS

    allowed = []
    for action, (statuses, permission) in ACTIONS.items():
        if item.status not in statuses:
            continue
        if permission == "feedback.draft":
            ok = may_draft(actor, item)
        else:
            ok = permissions.can(actor, permission, item.unit)
        if ok:
            allowed.append(str(action))
    return allowed


# ---------------------------------------------------------------- unit settings


@transaction.atomic
def feedback_settings_update(*, actor: User, unit: Unit, limits: dict[str, int]) -> Any:
    """The unit's deadlines in working days (defaults: 766 indicator 5.2); new items use them."""
    from cchc.feedback.models import FeedbackSettings

    permissions.require(actor, permissions.APPROVE_FEEDBACK, unit)
    fields = [
        "reject_within_days",
        "info_within_days",
        "forward_within_days",
        "answer_within_days",
        "publish_within_days",
    ]
    errors = {
        name: "Phải từ 1 đến 60 ngày làm việc."
        for name in fields
        if not isinstance(limits.get(name), int) or not 1 <= limits[name] <= 60
    }
    if errors:
        raise ValidationError(errors)
    row = FeedbackSettings.objects.select_for_update().filter(unit=unit).first()
    before = snapshot(row, fields) if row else None
    row = row or FeedbackSettings(unit=unit)
    for name in fields:
        setattr(row, name, limits[name])
    row.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.FEEDBACK_SETTINGS,
        obj=row,
        unit=unit,
        before=before,
        after=snapshot(row, fields),
    )
    return row


@transaction.atomic
def answer_template_save(*, actor: User, unit: Unit, title: str, body: str) -> Any:
    from cchc.feedback.models import AnswerTemplate

    permissions.require(actor, permissions.APPROVE_FEEDBACK, unit)
    title, body = " ".join(title.split()), body.strip()
    if not title or not body or len(title) > 200 or len(body) > 10000:
        raise ValidationError({"title": "Hãy nhập tên mẫu (tối đa 200 ký tự) và nội dung."})
    try:
        with transaction.atomic():
            template = AnswerTemplate.objects.create(unit=unit, title=title, body=body)
    except IntegrityError as error:
        raise Conflict({"title": f"Đã có mẫu trả lời tên “{title}”."}) from error
    audit_record(
        actor=actor,
        verb=AuditVerb.FEEDBACK_TEMPLATE_ADD,
        obj=template,
        unit=unit,
        after={"title": title},
    )
    return template


@transaction.atomic
def answer_template_delete(*, actor: User, template: Any) -> None:
    permissions.require(actor, permissions.APPROVE_FEEDBACK, template.unit)
    audit_record(
        actor=actor,
        verb=AuditVerb.FEEDBACK_TEMPLATE_DELETE,
        obj=template,
        unit=template.unit,
        before={"title": template.title},
    )
    template.delete()
