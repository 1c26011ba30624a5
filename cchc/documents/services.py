"""Document use cases: register incoming, draft → review → approve → number → sign → release.

Every change runs in one transaction, locks the row it changes (SELECT … FOR UPDATE), checks the
transition table, refuses a stale version and leaves an audit record. Numbers come from a locked
counter row, so concurrent clerks queue: no gap, no duplicate (Decree 30/2020 Art. 15, 22).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from cchc.accounts import permissions
from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb
from cchc.core.models import AuditEvent
from cchc.documents import signing
from cchc.documents.models import (
    Amends,
    IncomingDocument,
    OutgoingDocument,
    RegisterCounter,
    SignatureEvent,
    SignatureKind,
    SigningCertificate,
)
from cchc.documents.references import DocRefError, format_reference, parse_reference, type_name
from cchc.documents.signals import OutgoingCorrection, outgoing_correction, outgoing_numbered
from cchc.documents.workflow import (
    EDITABLE,
    INCOMING_TRANSITIONS,
    OUTGOING_TRANSITIONS,
    IncomingStatus,
    OutgoingStatus,
    check,
)
from cchc.organizations.models import Staff, Unit

if TYPE_CHECKING:
    from cchc.accounts.models import User
    from cchc.core.official_docs import SignatureBlock

OS, IS = OutgoingStatus, IncomingStatus
VIEW = "documents.view"
REGISTER = "documents.register"
DRAFT = "documents.draft"
APPROVE = "documents.approve"
MAX_UPLOAD = 20 * 1024 * 1024


class StaleDocument(ValidationError):
    """Another person changed the document since the form was opened."""


def _local_today() -> date:
    return timezone.localdate()


def next_number(unit: Unit, scope: str) -> int:
    """The next value of a per-unit counter, under a row lock held by the caller's transaction."""
    RegisterCounter.objects.get_or_create(unit=unit, scope=scope)
    counter = RegisterCounter.objects.select_for_update().get(unit=unit, scope=scope)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _staff(actor: User) -> Staff | None:
    return permissions.acting_staff(actor)


# ---------------------------------------------------------------- incoming register

_INCOMING_WATCHED = [
    "status",
    "incoming_number",
    "reference",
    "presented_at",
    "instructions",
    "lead_handler",
    "due_on",
    "done_at",
    "receipt_confirmed_at",
    "version",
]


def _clean_upload(upload: Any, *, secret: bool) -> None:
    if upload is None:
        return
    if secret:
        raise ValidationError(
            {"file": "Văn bản mật chỉ được vào sổ theo thông tin (không tải tệp lên hệ thống)."}
        )
    if upload.size > MAX_UPLOAD:
        raise ValidationError({"file": "Tệp quá lớn (tối đa 20 MB)."})
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-" and not head.startswith(b"PK\x03\x04"):
        raise ValidationError({"file": "Chỉ nhận tệp PDF hoặc DOCX."})


def incoming_register(
    *,
    actor: User,
    unit: Unit,
    data: dict[str, Any],
    upload: Any = None,
    received_at: datetime | None = None,
) -> IncomingDocument:
    """Enter a received document into the register: the next incoming number of the year."""
    permissions.require(actor, REGISTER, unit)
    try:
        ref = parse_reference(data.get("reference", ""))
    except DocRefError as error:
        raise ValidationError({"reference": str(error)}) from None
    secret = bool(data.get("secrecy"))
    _clean_upload(upload, secret=secret)
    received_at = received_at or timezone.now()
    issued_on = data["issued_on"]
    if issued_on > timezone.localtime(received_at).date():
        raise ValidationError({"issued_on": "Ngày văn bản không được sau ngày đến."})
    year = timezone.localtime(received_at).year
    with transaction.atomic():
        number = next_number(unit, f"in:{year}")
        doc = IncomingDocument(
            unit=unit,
            year=year,
            incoming_number=number,
            received_at=received_at,
            author=data["author"].strip(),
            reference=ref.written or ref.normalized,
            reference_normalized=ref.normalized,
            issued_on=issued_on,
            doc_type=data.get("doc_type") or ref.type or "Công văn",
            summary=data["summary"].strip(),
            channel=data["channel"],
            urgency=data.get("urgency", ""),
            secrecy=data.get("secrecy", ""),
            from_state_agency=data.get("from_state_agency", True),
            registered_by=actor,
        )
        if upload is not None:
            doc.file.save(upload.name, upload, save=False)
        doc.full_clean(exclude=["file"])
        doc.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.DOCUMENTS_INCOMING_REGISTER,
            obj=doc,
            unit=unit,
            after=snapshot(doc, _INCOMING_WATCHED),
        )
    return doc


def _lock_incoming(doc: IncomingDocument, expected_version: int | None) -> IncomingDocument:
    locked = IncomingDocument.objects.select_for_update().get(pk=doc.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleDocument("Văn bản vừa được người khác cập nhật. Hãy tải lại trang.")
    return locked


def _move_incoming(
    actor: User,
    doc: IncomingDocument,
    to: str,
    verb: AuditVerb,
    changes: dict[str, Any],
    expected_version: int | None,
) -> IncomingDocument:
    with transaction.atomic():
        doc = _lock_incoming(doc, expected_version)
        before = snapshot(doc, _INCOMING_WATCHED)
        if to != doc.status:
            check(INCOMING_TRANSITIONS, doc.status, to)
        collaborators = changes.pop("collaborators", None)
        for name, value in changes.items():
            setattr(doc, name, value)
        doc.status = to
        doc.version += 1
        doc.save()
        if collaborators is not None:
            doc.collaborators.set(collaborators)
        audit_record(
            actor=actor,
            verb=verb,
            obj=doc,
            unit=doc.unit,
            before=before,
            after=snapshot(doc, _INCOMING_WATCHED),
        )
    return doc


def incoming_present(
    *, actor: User, doc: IncomingDocument, expected_version: int | None = None
) -> IncomingDocument:
    permissions.require(actor, REGISTER, doc.unit)
    return _move_incoming(
        actor,
        doc,
        IS.PRESENTED,
        AuditVerb.DOCUMENTS_INCOMING_PRESENT,
        {"presented_at": timezone.now()},
        expected_version,
    )


def incoming_assign(
    *,
    actor: User,
    doc: IncomingDocument,
    instructions: str,
    lead: Staff,
    collaborators: list[Staff],
    due_on: date | None,
    expected_version: int | None = None,
) -> IncomingDocument:
    """The leader's instructions: lead handler, collaborators, deadline (Art. 24)."""
    permissions.require(actor, APPROVE, doc.unit)
    if lead.unit_id != doc.unit_id or any(c.unit_id != doc.unit_id for c in collaborators):
        raise ValidationError("Người xử lý phải là viên chức của đơn vị.")
    if due_on is not None and due_on < _local_today():
        raise ValidationError({"due_on": "Hạn giải quyết không được trước hôm nay."})
    return _move_incoming(
        actor,
        doc,
        IS.ASSIGNED,
        AuditVerb.DOCUMENTS_INCOMING_ASSIGN,
        {
            "instructions": instructions.strip(),
            "lead_handler": lead,
            "due_on": due_on,
            "collaborators": collaborators,
            "presented_at": doc.presented_at or timezone.now(),
        },
        expected_version,
    )


def may_finish(actor: User, doc: IncomingDocument) -> bool:
    """Who may mark an incoming document handled: the unit's approvers or its lead handler.

    One rule for the service and the page, so the page never offers a button that answers 403.
    """
    staff = _staff(actor)
    return permissions.can(actor, APPROVE, doc.unit) or (
        staff is not None and staff.pk == doc.lead_handler_id
    )


def may_act_on_incoming(actor: User, doc: IncomingDocument) -> bool:
    """Whether `actor` may take any action on an incoming document (register, assign, finish):
    the page asks first, so one who may only read it gets 403 whatever they posted."""
    return permissions.can(actor, REGISTER, doc.unit) or may_finish(actor, doc)


def may_act_on_outgoing(actor: User, doc: OutgoingDocument) -> bool:
    """Whether `actor` may take any action on an outgoing document (draft, approve, number,
    sign, release): the unit's drafters, approvers and clerk, and its designated signer."""
    staff = _staff(actor)
    return any(permissions.can(actor, p, doc.unit) for p in (DRAFT, APPROVE, REGISTER)) or (
        staff is not None and doc.signer_id == staff.pk
    )


def incoming_finish(
    *, actor: User, doc: IncomingDocument, expected_version: int | None = None
) -> IncomingDocument:
    if not may_finish(actor, doc):
        raise PermissionDenied
    return _move_incoming(
        actor,
        doc,
        IS.DONE,
        AuditVerb.DOCUMENTS_INCOMING_FINISH,
        {"done_at": timezone.now()},
        expected_version,
    )


def incoming_confirm_receipt(*, actor: User, doc: IncomingDocument) -> IncomingDocument:
    """Confirm to the sender that an electronic document arrived (Art. 21: the same day)."""
    permissions.require(actor, REGISTER, doc.unit)
    if doc.channel != "electronic":
        raise ValidationError("Chỉ xác nhận đã nhận cho văn bản điện tử.")
    if doc.receipt_confirmed_at:
        return doc
    return _move_incoming(
        actor,
        doc,
        doc.status,
        AuditVerb.DOCUMENTS_INCOMING_CONFIRM,
        {"receipt_confirmed_at": timezone.now()},
        None,
    )


# ---------------------------------------------------------------- outgoing

_OUT_WATCHED = [
    "status",
    "type_code",
    "doc_type",
    "summary",
    "number",
    "symbol",
    "year",
    "issued_on",
    "signer",
    "drafter",
    "secrecy",
    "released_at",
    "version",
]
_DRAFT_FIELDS = (
    "type_code",
    "summary",
    "body",
    "drafting_unit",
    "recipients",
    "recipient_emails",
    "to_state_agency",
    "urgency",
    "secrecy",
    "authority",
    "head_title",
    "copies",
)


def _clean_draft(unit: Unit, data: dict[str, Any]) -> dict[str, Any]:
    clean = {k: data[k] for k in _DRAFT_FIELDS if k in data}
    code = (clean.get("type_code") or "").strip()
    if code:
        name = type_name(code)
        if name is None:
            raise ValidationError({"type_code": f"“{code}” không có trong bảng tên loại văn bản."})
        clean["type_code"] = parse_reference(format_reference(1, code, "X")).type_code
        clean["doc_type"] = name
    else:
        clean["type_code"], clean["doc_type"] = "", "Công văn"
        if not (clean.get("drafting_unit") or "").strip():
            raise ValidationError(
                {"drafting_unit": "Công văn cần chữ viết tắt của đơn vị soạn thảo (ví dụ VP)."}
            )
    if clean.get("drafting_unit") and not re.fullmatch(
        r"[A-ZĐ][A-Za-zĐđ0-9]*", clean["drafting_unit"]
    ):
        raise ValidationError({"drafting_unit": "Chữ viết tắt chỉ gồm chữ và số, viết hoa đầu."})
    emails = [e.strip() for e in re.split(r"[\s,;]+", clean.get("recipient_emails", "")) if e]
    for email in emails:
        try:
            from django.core.validators import validate_email

            validate_email(email)
        except ValidationError:
            raise ValidationError(
                {"recipient_emails": f"Địa chỉ “{email}” không hợp lệ."}
            ) from None
    clean["recipient_emails"] = "\n".join(emails)
    if clean.get("secrecy") and emails:
        raise ValidationError({"recipient_emails": "Văn bản mật không gửi qua thư điện tử."})
    if not unit.symbol:
        raise ValidationError("Đơn vị chưa khai báo chữ viết tắt dùng trong ký hiệu văn bản.")
    return clean


def outgoing_create(
    *,
    actor: User,
    unit: Unit,
    data: dict[str, Any],
    signer: Staff | None,
    amends: OutgoingDocument | None = None,
    amend_kind: str = "",
    drafter: Staff | None = None,
) -> OutgoingDocument:
    """A new draft; a correction or replacement is linked to the released original.

    `drafter`: who prepared the text when it is not the actor (a report built by the reform
    officer, put in the register by the chair who signs it); by default the actor."""
    permissions.require(actor, DRAFT, unit)
    clean = _clean_draft(unit, data)
    if signer is not None and signer.unit_id != unit.pk:
        raise ValidationError({"signer": "Người ký phải thuộc đơn vị."})
    if amends is not None:
        if amends.unit_id != unit.pk or amends.status != OS.RELEASED:
            raise ValidationError("Chỉ đính chính hoặc thay thế văn bản đã phát hành của đơn vị.")
        if amend_kind not in Amends.values:
            raise ValidationError("Chọn đính chính hoặc thay thế.")
    with transaction.atomic():
        doc = OutgoingDocument.objects.create(
            unit=unit,
            signer=signer,
            drafter=drafter or _staff(actor),
            amends=amends,
            amend_kind=amend_kind if amends else "",
            secret_sequence=bool(clean.get("secrecy")),
            **clean,
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.DOCUMENTS_OUTGOING_CREATE,
            obj=doc,
            unit=unit,
            after=snapshot(doc, _OUT_WATCHED),
        )
    return doc


def _lock_outgoing(doc: OutgoingDocument, expected_version: int | None) -> OutgoingDocument:
    locked = OutgoingDocument.objects.select_for_update().select_related("unit").get(pk=doc.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleDocument("Văn bản vừa được người khác cập nhật. Hãy tải lại trang.")
    return locked


def _move_outgoing(
    actor: User,
    doc: OutgoingDocument,
    to: str,
    verb: AuditVerb,
    expected_version: int | None,
    note: str = "",
    **changes: Any,
) -> OutgoingDocument:
    """Apply one transition on a locked row (the caller holds the transaction). `note`: why
    (a draft sent back) or from where (a draft sent from another app's page), kept in the
    audit record."""
    before = snapshot(doc, _OUT_WATCHED)
    check(OUTGOING_TRANSITIONS, doc.status, to)
    for name, value in changes.items():
        setattr(doc, name, value)
    doc.status = to
    doc.version += 1
    doc.save()
    audit_record(
        actor=actor,
        verb=verb,
        obj=doc,
        unit=doc.unit,
        before=before,
        after=snapshot(doc, _OUT_WATCHED) | ({"note": note} if note else {}),
    )
    return doc


# The review moves of an outgoing draft and the verb each records.
_REVIEW_VERBS: dict[str, AuditVerb] = {
    OS.REVIEW: AuditVerb.DOCUMENTS_OUTGOING_REVIEW,
    OS.APPROVED: AuditVerb.DOCUMENTS_OUTGOING_APPROVED,
    OS.DRAFT: AuditVerb.DOCUMENTS_OUTGOING_DRAFT,
}


class CorrectElsewhere(ValidationError):
    """A draft another app corrects through its own form was sent up from the register (409)."""

    status_code = 409


def correction_of(doc: OutgoingDocument) -> OutgoingCorrection | None:
    """Where the draft is corrected, when another app owns it (`signals.outgoing_correction`)."""
    for _receiver, answer in outgoing_correction.send(sender=OutgoingDocument, doc=doc):
        if answer is not None:
            return cast(OutgoingCorrection, answer)
    return None


def outgoing_transition(
    *,
    actor: User,
    doc: OutgoingDocument,
    to: str,
    expected_version: int | None = None,
    note: str = "",
    by_owner: bool = False,
) -> OutgoingDocument:
    """Submit for review (drafter), approve or send back (leader). `note`: the leader's reason
    for sending a draft back, which the drafter reads to correct it (`last_return`).

    A draft another app owns and corrects through its own form (an apology letter) is sent up
    by that app only (`by_owner`): from anywhere else CorrectElsewhere (409) says where."""
    needed = DRAFT if to in (OS.REVIEW,) else APPROVE
    permissions.require(actor, needed, doc.unit)
    if to not in _REVIEW_VERBS:
        raise ValidationError("Thao tác không hợp lệ.")
    if to == OS.REVIEW and not by_owner:
        correction = correction_of(doc)
        if correction is not None:
            raise CorrectElsewhere(correction.message)
    note = " ".join(note.split())[:500]
    with transaction.atomic():
        doc = _lock_outgoing(doc, expected_version)
        if to == OS.APPROVED and doc.signer_id is None:
            raise ValidationError("Chọn người ký trước khi duyệt.")
        return _move_outgoing(actor, doc, to, _REVIEW_VERBS[to], None, note=note)


def outgoing_update_draft(
    *, actor: User, doc: OutgoingDocument, data: dict[str, Any], signer: Staff | None
) -> OutgoingDocument:
    """Rewrite a draft's content (a draft sent back, corrected): only while it is a draft, in
    the caller's transaction or its own; the old content is kept in the audit record."""
    permissions.require(actor, DRAFT, doc.unit)
    with transaction.atomic():
        doc = _lock_outgoing(doc, None)
        if doc.status not in EDITABLE:
            raise StaleDocument("Chỉ sửa được văn bản đang là dự thảo.")
        clean = _clean_draft(doc.unit, data)
        if signer is not None and signer.unit_id != doc.unit_id:
            raise ValidationError({"signer": "Người ký phải thuộc đơn vị."})
        before = snapshot(doc, _OUT_WATCHED) | {"body": doc.body}
        for name, value in clean.items():
            setattr(doc, name, value)
        doc.signer = signer
        doc.version += 1
        doc.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.DOCUMENTS_OUTGOING_UPDATE,
            obj=doc,
            unit=doc.unit,
            before=before,
            after=snapshot(doc, _OUT_WATCHED) | {"body": doc.body},
        )
    return doc


@dataclass(frozen=True)
class Returned:
    """A draft the leader sent back: who, when and why (the drafter corrects it from this)."""

    at: datetime
    by: str
    note: str


def last_return(doc: OutgoingDocument) -> Returned | None:
    """Why the draft is back with its drafter: the latest send-back, while it is a draft."""
    if doc.status != OS.DRAFT:
        return None
    record = (
        AuditEvent.objects.filter(
            object_type=OutgoingDocument._meta.label_lower,
            object_id=str(doc.pk),
            verb=AuditVerb.DOCUMENTS_OUTGOING_DRAFT,
        )
        .order_by("-at", "-seq")
        .first()
    )
    if record is None:
        return None
    after = record.after if isinstance(record.after, dict) else {}
    return Returned(record.at, record.actor_name, str(after.get("note", "")))


def outgoing_number(
    *, actor: User, doc: OutgoingDocument, expected_version: int | None = None
) -> OutgoingDocument:
    """Give an approved document the next number of its sequence (the clerk or the system).

    Ordinary and secret documents have separate sequences from 01 each year (Art. 15). The
    counter row lock makes concurrent numbering queue; numbering twice is refused.
    """
    permissions.require(actor, REGISTER, doc.unit)
    today = _local_today()
    try:
        with transaction.atomic():
            doc = _lock_outgoing(doc, expected_version)
            if doc.number is not None:
                raise ValidationError(f"Văn bản đã được cấp số {doc.symbol}.")
            scope = f"out-secret:{today.year}" if doc.secret_sequence else f"out:{today.year}"
            number = next_number(doc.unit, scope)
            symbol = format_reference(
                number, *_symbol_parts(doc.type_code, doc.unit.symbol, doc.drafting_unit)
            )
            doc = _move_outgoing(
                actor,
                doc,
                OS.NUMBERED,
                AuditVerb.DOCUMENTS_OUTGOING_NUMBER,
                None,
                number=number,
                year=today.year,
                symbol=symbol,
                issued_on=today,
                numbered_at=timezone.now(),
            )
            outgoing_numbered.send(sender=OutgoingDocument, doc=doc, actor=actor)
            return doc
    except IntegrityError:
        raise ValidationError("Số văn bản vừa được cấp cho văn bản khác; hãy thử lại.") from None


# ---------------------------------------------------------------- signing


def _symbol_parts(
    type_code: str, issuer: str, drafting_unit: str
) -> tuple[str | None, str, str | None]:
    """What `format_reference` composes the symbol from: a công văn (no type) takes the
    drafting unit after the issuer ("05/THCSNTB-VP"), a typed document its type before it."""
    return (type_code or None, issuer, None if type_code else drafting_unit)


def symbol_to_be(type_code: str, issuer: str, drafting_unit: str) -> str:
    """The symbol numbering will give a document, without its number: what a draft prints
    after the blank the register fills ("Số:    /THCSNTB-VP"), so that draft and released
    paper read alike but for the number (Decree 30 Art. 15; domain.md 6.2, 6.3)."""
    try:
        return format_reference(1, *_symbol_parts(type_code, issuer, drafting_unit)).split("/", 1)[
            1
        ]
    except DocRefError:  # an issuer not yet set up: the parts as they stand
        return "-".join(p for p in (type_code, issuer, drafting_unit if not type_code else "") if p)


def certificate_for(staff: Staff | None, unit: Unit) -> SigningCertificate:
    """The active certificate of a staff member (or the unit's seal when staff is None)."""
    cert = (
        SigningCertificate.objects.filter(unit=unit, staff=staff, is_active=True)
        .order_by("-not_after")
        .first()
    )
    if cert is None:
        who = staff.full_name if staff else "đơn vị (con dấu)"
        raise ValidationError(f"Chưa có chứng thư số cho {who}: hãy nạp chứng thư trước khi ký.")
    return cert


def render_pdf(doc: OutgoingDocument) -> bytes:
    """The numbered document in the Decree 30 layout (DOCX through LibreOffice to PDF)."""
    from cchc.core.official_docs import docx_to_pdf

    return docx_to_pdf(render_docx(doc))


def place_of(unit: Unit) -> str:
    """The place name of box 4: the commune or ward in the unit's address ("Bình Hưng")."""
    for text in (unit.address, unit.parent.name if unit.parent is not None else ""):
        match = re.search(r"(?i:xã|phường|thị trấn|đặc khu)\s+([^,]+)", text or "")
        if match:
            return match[1].strip()
    return unit.short_name or unit.name


def render_docx(doc: OutgoingDocument) -> bytes:
    """The draft or numbered document as DOCX in the Decree 30 layout (header, number and
    symbol, place and date, type and summary, body, TM./KT./TL./TUQ. block, "Nơi nhận")."""
    from cchc.core.official_docs import (
        OfficialDocument,
        OfficialHeader,
        Paragraph,
        build_docx,
    )

    unit = doc.unit
    parent = unit.parent.name.upper() if unit.parent is not None else ""
    if doc.symbol:
        number, symbol = doc.symbol.split("/", 1)
    else:  # a draft: the number is left blank, the symbol is what numbering will compose
        number = None
        symbol = symbol_to_be(doc.type_code, unit.symbol, doc.drafting_unit)
    paper = OfficialDocument(
        header=OfficialHeader(
            parent, unit.name.upper(), number, symbol, place_of(unit), doc.issued_on
        ),
        doc_type="" if not doc.type_code else doc.doc_type.upper(),
        summary=doc.summary,
        body=[Paragraph(p) for p in doc.body.split("\n\n") if p.strip()]
        or [Paragraph(doc.summary)],
        signature=signature_block(doc),
        recipients=[line.strip() for line in doc.recipients.splitlines() if line.strip()],
    )
    return build_docx(paper)


def signature_block(doc: OutgoingDocument) -> SignatureBlock | None:
    """Box 7 as the paper prints it (the signing word with the head's title, the signer's own
    title, his name); the document's page shows the same lines (QA walk: the page read "TM. ỦY
    BAN NHÂN DÂN · Nguyễn Văn Hùng" without "CHỦ TỊCH"). None while no signer is chosen."""
    from cchc.core.official_docs import SignatureBlock

    signer = doc.signer
    if signer is None:
        return None
    head = (doc.head_title or "").upper()
    authority = f"{doc.authority} {head}".strip() if doc.authority else ""
    title = (signer.position or "").upper()
    if doc.authority == "TM." and head and f" {head}" in title:
        # On behalf of a collective the title line is the signer's rank in it: "TM. ỦY BAN NHÂN
        # DÂN" / "CHỦ TỊCH", not "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ" (domain.md 6.1-6.2).
        title = title[: title.index(f" {head}")].strip()
    return SignatureBlock(authority=authority, title=title, name=signer.full_name)


def outgoing_sign(
    *, actor: User, doc: OutgoingDocument, pin: str, expected_version: int | None = None
) -> OutgoingDocument:
    """The signer's own PAdES signature with the visible image between title and name.

    The certificate is checked first; on any failure (PIN, expiry, revocation) nothing is saved:
    the signed bytes are only written in the transaction that moves the status.
    """
    staff = _staff(actor)
    if staff is None or doc.signer_id != staff.pk:
        raise PermissionDenied("Chỉ người ký được giao mới ký được văn bản này.")
    if doc.status != OS.NUMBERED:
        raise ValidationError("Văn bản phải được cấp số trước khi ký.")
    if doc.is_secret:
        raise ValidationError("Văn bản mật không ký số trên hệ thống (chỉ quản lý thông tin).")
    cert = certificate_for(staff, doc.unit)
    pdf = bytes(doc.pdf.read()) if doc.pdf else render_pdf(doc)
    page, box, _seal = signing.signature_boxes(pdf, staff.full_name)
    now = timezone.now()  # the caption's time and the signature's own (see sign_pdf_as_staff)
    with signing.open_signer(cert, pin) as signer:
        signed = signing.sign_pdf(
            pdf,
            signer,
            field_name="ChuKyNguoiKy",
            reason=f"Ký ban hành {doc.symbol}",
            location=doc.unit.short_name or doc.unit.name,
            appearance=signing.Appearance(
                page,
                box,
                [
                    f"Ký bởi: {staff.full_name}",
                    f"Ngày ký: {timezone.localtime(now):%d/%m/%Y %H:%M}",
                ],
                bytes(cert.image) or None,
                # Released with the unit's seal over the image's left third (outgoing_release).
                sealed_later=True,
            ),
            signing_time=now,
        )
    with transaction.atomic():
        doc = _lock_outgoing(doc, expected_version)
        if doc.status != OS.NUMBERED:
            raise StaleDocument("Văn bản vừa được người khác ký. Hãy tải lại trang.")
        if not doc.pdf:
            doc.pdf.save(f"{doc.year}-{doc.number:02d}.pdf", ContentFile(pdf), save=False)
        doc.signed_pdf.save(f"{doc.year}-{doc.number:02d}-ky.pdf", ContentFile(signed), save=False)
        SignatureEvent.objects.create(
            unit=doc.unit,
            staff=staff,
            certificate=cert,
            kind=SignatureKind.PERSONAL,
            outgoing=doc,
            purpose=f"Ký văn bản {doc.symbol}",
            signed_at=timezone.now(),
        )
        return _move_outgoing(actor, doc, OS.SIGNED, AuditVerb.DOCUMENTS_OUTGOING_SIGN, None)


def sign_pdf_as_staff(
    *, actor: User, unit: Unit, pdf: bytes, pin: str, purpose: str
) -> tuple[bytes, SigningCertificate]:
    """The actor's own PAdES signature, his image placed over his name on the paper, for the
    one-stop forms an officer signs (dossier forms 01–03, domain.md 1.5).

    Returns the signed bytes and the certificate used; the caller stores the file and records
    the SignatureEvent in the transaction that keeps it. Nothing is written here.
    """
    staff = _staff(actor)
    if staff is None or staff.unit_id != unit.pk:
        raise PermissionDenied("Chỉ viên chức của đơn vị mới ký số giấy tờ của đơn vị.")
    cert = certificate_for(staff, unit)
    page, box, _seal = signing.signature_boxes(pdf, staff.full_name)
    # One reading of the clock for the caption and the signature's own time (CMS signing-time,
    # /M): a paper signed under the demo's clock reads its own date in both.
    now = timezone.now()
    with signing.open_signer(cert, pin) as signer:
        signed = signing.sign_pdf(
            pdf,
            signer,
            field_name="ChuKyNguoiKy",
            reason=purpose,
            location=unit.short_name or unit.name,
            appearance=signing.Appearance(
                page,
                box,
                [
                    f"Ký bởi: {staff.full_name}",
                    f"Ngày ký: {timezone.localtime(now):%d/%m/%Y %H:%M}",
                ],
                bytes(cert.image) or None,
            ),
            signing_time=now,
        )
    return signed, cert


def sign_pdf_as_unit(
    *,
    actor: User,
    unit: Unit,
    pdf: bytes,
    pin: str,
    purpose: str,
    near_name: str | None = None,
    outgoing: OutgoingDocument | None = None,
) -> bytes:
    """The unit's PAdES signature (seal image), for outgoing documents and dossier papers.

    With ``near_name`` the seal overlaps the left third of that signer's image (domain.md 6.2);
    without, the unit signs invisibly-in-place at the top right of page 1 as for attachments.
    Records a SignatureEvent, tied to ``outgoing`` when the unit releases a letter so the
    letter page lists the body's signature, the one that gives it legal value (domain.md 6.3);
    returns the signed bytes (the caller stores them).
    """
    permissions.require(actor, REGISTER, unit)
    cert = certificate_for(None, unit)
    now = timezone.now()  # the caption's time and the signature's own (see sign_pdf_as_staff)
    if near_name:
        page, seal = signing.seal_box(pdf, near_name)
        appearance = signing.Appearance(page, seal, [" "], bytes(cert.image) or None)
    else:
        appearance = signing.Appearance(
            0,
            (380, 780, 570, 815),
            [unit.name, f"Ký lúc: {timezone.localtime(now):%d/%m/%Y %H:%M}"],
            None,
        )
    with signing.open_signer(cert, pin) as signer:
        signed = signing.sign_pdf(
            pdf,
            signer,
            field_name=f"ChuKyCoQuan{now:%H%M%S%f}",
            reason=purpose,
            location=unit.short_name or unit.name,
            appearance=appearance,
            signing_time=now,
        )
    with transaction.atomic():
        SignatureEvent.objects.create(
            unit=unit,
            staff=_staff(actor),
            certificate=cert,
            kind=SignatureKind.UNIT,
            outgoing=outgoing,
            purpose=purpose[:200],
            signed_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.DOCUMENTS_UNIT_SIGN,
            unit=unit,
            object_type="pdf",
            object_id=purpose[:60],
            after={"purpose": purpose, "serial": cert.serial},
        )
    return signed


def outgoing_release(
    *, actor: User, doc: OutgoingDocument, unit_pin: str, expected_version: int | None = None
) -> OutgoingDocument:
    """The clerk adds the unit's signature with the seal, releases, and queues the e-mails."""
    from cchc.documents import mailing

    permissions.require(actor, REGISTER, doc.unit)
    if doc.status != OS.SIGNED:
        raise ValidationError("Chỉ phát hành văn bản đã ký số.")
    signed = sign_pdf_as_unit(
        actor=actor,
        unit=doc.unit,
        pdf=bytes(doc.signed_pdf.read()),
        pin=unit_pin,
        purpose=f"Phát hành văn bản {doc.symbol}",
        near_name=doc.signer.full_name if doc.signer is not None else None,
        outgoing=doc,
    )
    with transaction.atomic():
        doc = _lock_outgoing(doc, expected_version)
        if doc.status != OS.SIGNED:
            raise StaleDocument("Văn bản vừa được người khác phát hành. Hãy tải lại trang.")
        doc.signed_pdf.save(
            f"{doc.year}-{doc.number:02d}-phat-hanh.pdf", ContentFile(signed), save=False
        )
        doc = _move_outgoing(
            actor,
            doc,
            OS.RELEASED,
            AuditVerb.DOCUMENTS_OUTGOING_RELEASE,
            None,
            released_at=timezone.now(),
        )
        mailing.queue_deliveries(doc, sent_by=_staff(actor))
    return doc


def outgoing_release_secret(*, actor: User, doc: OutgoingDocument) -> OutgoingDocument:
    """A secret document is released on paper: the register keeps only its metadata."""
    permissions.require(actor, REGISTER, doc.unit)
    if not doc.is_secret:
        raise ValidationError("Văn bản thường phải được ký số trước khi phát hành.")
    with transaction.atomic():
        doc = _lock_outgoing(doc, None)
        doc = _move_outgoing(actor, doc, OS.SIGNED, AuditVerb.DOCUMENTS_OUTGOING_PAPER_SIGNED, None)
        return _move_outgoing(
            actor,
            doc,
            OS.RELEASED,
            AuditVerb.DOCUMENTS_OUTGOING_RELEASE,
            None,
            released_at=timezone.now(),
        )


# ---------------------------------------------------------------- certificates and roots


def certificate_add_pkcs12(
    *, actor: User, unit: Unit, staff: Staff | None, data: bytes, pin: str, image: bytes | None
) -> SigningCertificate:
    """Store a .p12 encrypted after checking its PIN and validity (shown back to the user)."""
    _require_cert_admin(actor, unit, staff)
    info = signing.read_pkcs12(data, pin)
    record = SigningCertificate(
        unit=unit,
        staff=staff,
        kind="pkcs12",
        pkcs12_encrypted=signing.encrypt_blob(data),
        certificate_pem=info.pem,
        chain_pem=info.chain_pem,
        subject=info.subject[:500],
        issuer=info.issuer[:500],
        serial=info.serial,
        not_before=info.not_before,
        not_after=info.not_after,
        image=_clean_png(image),
    )
    signing.check_usable(record)
    with transaction.atomic():
        record.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.DOCUMENTS_CERTIFICATE_ADD,
            obj=record,
            unit=unit,
            after={"serial": info.serial, "subject": info.subject},
        )
    return record


def certificate_add_pkcs11(
    *,
    actor: User,
    unit: Unit,
    staff: Staff | None,
    module: str,
    token_label: str,
    key_label: str,
    certificate_pem: str,
    image: bytes | None,
) -> SigningCertificate:
    _require_cert_admin(actor, unit, staff)
    try:
        [cert, *chain] = signing.load_pem_certs(certificate_pem)
    except ValueError:
        raise ValidationError("Chứng thư PEM không hợp lệ.") from None
    info = signing.cert_info(cert, chain)
    record = SigningCertificate(
        unit=unit,
        staff=staff,
        kind="pkcs11",
        pkcs11_module=module.strip(),
        token_label=token_label.strip(),
        key_label=key_label.strip(),
        certificate_pem=info.pem,
        chain_pem=info.chain_pem,
        subject=info.subject[:500],
        issuer=info.issuer[:500],
        serial=info.serial,
        not_before=info.not_before,
        not_after=info.not_after,
        image=_clean_png(image),
    )
    record.full_clean(exclude=["pkcs12_encrypted", "image"])
    signing.check_usable(record)
    with transaction.atomic():
        record.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.DOCUMENTS_CERTIFICATE_ADD,
            obj=record,
            unit=unit,
            after={"serial": info.serial, "subject": info.subject, "kind": "pkcs11"},
        )
    return record


def _require_cert_admin(actor: User, unit: Unit, staff: Staff | None) -> None:
    me = _staff(actor)
    if staff is not None and me is not None and me.pk == staff.pk:
        return
    permissions.require(actor, APPROVE, unit)


def _clean_png(data: bytes | None) -> bytes:
    if not data:
        return b""
    if not data.startswith(b"\x89PNG\r\n\x1a\n") or len(data) > 500_000:
        raise ValidationError("Ảnh chữ ký/con dấu phải là tệp PNG nền trong suốt, tối đa 500 KB.")
    return data
