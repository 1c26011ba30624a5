"""The apology (Mẫu 04) issued as an official letter: numbered, signed by the head, sent.

Decree 61 Art. 19(9) (domain.md 1.4) asks for a *written* apology signed by the head of the
unit that is late, with the reason and the new date; Circular 01/2018 Art. 9–10 (domain.md 1.5)
asks that the one-stop forms carry digital signatures. So the apology made on the dossier page
drafts an outgoing document (a "Công văn": Decree 30 has no type name for a letter of apology,
and a công văn has no type abbreviation, so its symbol is "05/THCSNTB-VP") with the head of the
unit (the principal) as signer, and from there the outgoing workflow of `cchc.documents` runs
unchanged, as for the periodic reports (`cchc/reports/issuing.py`):

* the head of the unit, or a vice principal, approves it (made by the principal himself it is
  approved at once, as he approves the unit's documents);
* the head may send the draft back with his reason: the page shows it, and whoever may make
  the apology corrects its reason and new date (`services.dossier_apology_revise`, the same
  bounds as when made) and sends it again; the same letter is redrafted from them;
* the clerk numbers it: on `documents.signals.outgoing_numbered` (inside the numbering
  transaction) `on_numbered` lays the Mẫu 04 out again with the register's number and date and
  the signer, and stores it as the document's PDF; a failure there refuses the numbering;
* the principal signs it with his certificate (PAdES, pyHanko), the clerk releases it with the
  unit's seal, and the existing mail path sends it to the citizen's e-mail when the dossier has
  one; otherwise the clerk hands it over or posts it, and records that here.

The KPIs `late_apology_rate` and `apology_on_time_rate` count the apology once its letter is
released (sent), and time it by the release (`cchc.dossiers.kpis.SENT_APOLOGY`); the public
look-up says it was sent only then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from cchc.accounts import permissions
from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb
from cchc.core.timezones import VN
from cchc.documents import services as documents
from cchc.documents.models import Delivery, DeliveryStatus, OutgoingDocument, SignatureKind
from cchc.documents.selectors import waiting_steps
from cchc.documents.workflow import RETURNED_LABEL, OutgoingStatus
from cchc.dossiers.models import Apology, Dossier
from cchc.organizations.models import Staff, Unit

if TYPE_CHECKING:
    from cchc.accounts.models import User
    from cchc.accounts.permissions import AnyUser

OS = OutgoingStatus
# The letter is kept by the office (Văn phòng), which keeps the dossiers: "05/THCSNTB-VP".
DRAFTING_UNIT = "VP"
HAND_OVER = {"truc-tiep": "trao trực tiếp", "buu-dien": "gửi bưu điện"}
BY_POST = "buu-dien"
#: A letter posted needs the citizen's address on its envelope (and under "Kính gửi",
#: domain.md 1.4): recording it as posted without one would record a letter that went nowhere.
NO_ADDRESS_TO_POST = (
    "Chưa thể ghi nhận gửi bưu điện: hồ sơ chưa có địa chỉ của người nộp. Hãy nhập địa chỉ ở "
    "mục “Sửa địa chỉ người nộp” trên trang hồ sơ (phần Xử lý) rồi ghi nhận lại, hoặc chọn "
    "“Trao trực tiếp” nếu đã trao tận tay."
)
_WATCHED = ["outgoing", "signer_name", "handed_over_at", "handed_over_how"]


class AlreadyDone(ValidationError):
    """The step was taken already (another tab, another person): the page answers 409."""

    status_code = 409


def head_of(unit: Unit) -> Staff | None:
    """The head of the unit who signs its apologies (domain.md 1.4): its principal."""
    from cchc.accounts.models import Role

    return (
        Staff.objects.filter(unit=unit, is_active=True, role_assignments__role=Role.PRINCIPAL)
        .order_by("pk")
        .first()
    )


def may_issue(actor: AnyUser, dossier: Dossier) -> bool:
    """Who may send the apology to be signed: a staff member of the unit who handles dossiers
    and drafts documents (the principal, the vice principals, the clerk)."""
    staff = permissions.acting_staff(actor)
    unit = dossier.unit
    return (
        staff is not None
        and staff.unit_id == unit.pk
        and permissions.can(actor, permissions.PROCESS_DOSSIERS, unit)
        and permissions.can(actor, permissions.DRAFT_DOCUMENTS, unit)
    )


def may_hand_over(actor: AnyUser, dossier: Dossier) -> bool:
    """The clerk (văn thư) of the unit, who releases the letter, hands it over or posts it."""
    staff = permissions.acting_staff(actor)
    return (
        staff is not None
        and staff.unit_id == dossier.unit_id
        and permissions.can(actor, permissions.REGISTER_DOCUMENTS, dossier.unit)
    )


def _letter_data(apology: Apology, head: Staff) -> dict[str, Any]:
    dossier = apology.dossier
    new_day = apology.new_due_at.astimezone(VN)
    return {
        "type_code": "",
        "drafting_unit": DRAFTING_UNIT,
        "summary": f"V/v xin lỗi và hẹn lại ngày trả kết quả hồ sơ {dossier.code}",
        "body": (
            f"{dossier.unit.name} xin lỗi Ông/Bà {dossier.applicant_name} vì hồ sơ "
            f"{dossier.code} ({dossier.procedure.name}) chưa được giải quyết đúng hạn.\n\n"
            f"Lý do: {apology.reason}\n\n"
            f"Kết quả giải quyết hồ sơ sẽ được trả vào ngày {new_day:%d/%m/%Y}. "
            "Toàn văn theo Mẫu 04 trong bản PDF lập từ hệ thống."
        ),
        "recipients": f"Ông/Bà {dossier.applicant_name};\nLưu: VT, hồ sơ {dossier.code}.",
        "recipient_emails": dossier.applicant_email,
        "to_state_agency": False,
        "head_title": head.position or "Hiệu trưởng",
    }


#: The note on the letter's own review moves when they are made from the dossier page with the
#: apology: the dossier's history shows that one action as one row (`letter_steps`).
FROM_DOSSIER = "Trình ký từ trang hồ sơ cùng văn bản xin lỗi"


def letter_setup_missing(unit: Unit) -> str:
    """What keeps the unit from drafting its Mẫu 04, as the person making the apology must read
    it (what to set up, and where), or "" when nothing does. Without its head (who signs) or
    its symbol (the letter's number) there is no letter, and an apology without its letter
    never reaches the citizen (Decree 61 Art. 19(9), domain.md 1.4)."""
    lead = "Chưa lập được văn bản xin lỗi (Mẫu 04) nên chưa ghi nhận việc xin lỗi: "
    then = " Sau đó lập lại văn bản xin lỗi cho hồ sơ."
    if not unit.symbol:
        return (
            f"{lead}{unit.name} chưa khai báo chữ viết tắt dùng trong ký hiệu văn bản (ví dụ "
            "THCSNTB), nên văn bản không có số, ký hiệu. Người quản trị hệ thống khai báo ở "
            f"trang Quản trị › Đơn vị › {unit.name}, mục “Chữ viết tắt trong ký hiệu văn bản”."
            + then
        )
    if head_of(unit) is None:
        return (
            f"{lead}{unit.name} chưa có hiệu trưởng (thủ trưởng ký văn bản xin lỗi) trong danh "
            "sách nhân sự. Người quản lý nhân sự thêm hoặc sửa hồ sơ của hiệu trưởng ở trang "
            f"Đơn vị › {unit.name} › Nhân sự, chọn vai trò “Hiệu trưởng”." + then
        )
    return ""


def _write_draft(actor: User, apology: Apology, doc: OutgoingDocument) -> OutgoingDocument:
    """Lay out the draft Mẫu 04 from the apology as it now stands (for the clerk and the head
    to read before numbering) and send it up: for review, and approved at once when the actor
    approves the unit's documents (the principal)."""
    from cchc.dossiers import papers_service

    dossier = apology.dossier
    # The letter goes to the applicant, so it carries his address and phone (domain.md 1.4).
    try:
        content, _type, _name = papers_service.render_paper(
            dossier, "xin-loi", "pdf", show_personal=True
        )
    except papers_service.PaperUnavailable as error:
        raise ValidationError(f"Không lập được bản văn bản xin lỗi: {error}") from None
    # The draft read before: replaced, never kept beside it (one draft, the corrected one).
    old = doc.pdf.name if doc.pdf else ""
    doc.pdf.save(f"du-thao-xin-loi-{dossier.code}.pdf", ContentFile(content), save=False)
    OutgoingDocument.objects.filter(pk=doc.pk).update(pdf=doc.pdf.name)
    if old and old != doc.pdf.name:
        name = old
        transaction.on_commit(lambda: doc.pdf.storage.delete(name))
    doc = documents.outgoing_transition(
        actor=actor, doc=doc, to=OS.REVIEW, note=FROM_DOSSIER, by_owner=True
    )
    if permissions.can(actor, permissions.APPROVE_DOCUMENTS, dossier.unit):
        doc = documents.outgoing_transition(actor=actor, doc=doc, to=OS.APPROVED, note=FROM_DOSSIER)
    return doc


def _signing_head(unit: Unit) -> Staff:
    """The head who signs the unit's letter; refused (nothing written) when the unit cannot have
    one drafted (`letter_setup_missing` says what to set up)."""
    missing = letter_setup_missing(unit)
    head = head_of(unit)
    if missing or head is None:
        raise ValidationError(missing)
    return head


def _draft(actor: User, apology: Apology, *, with_apology: bool = False) -> OutgoingDocument:
    """Draft the letter for the head to sign, on a locked apology (the caller's transaction).
    `with_apology`: drafted as the apology is made (its dossier row says so already)."""
    dossier = apology.dossier
    unit = dossier.unit
    head = _signing_head(unit)
    before = snapshot(apology, _WATCHED)
    doc = documents.outgoing_create(
        actor=actor, unit=unit, data=_letter_data(apology, head), signer=head
    )
    apology.outgoing = doc
    apology.signer_name = head.full_name
    apology.save(update_fields=["outgoing", "signer_name", "updated_at"])
    doc = _write_draft(actor, apology, doc)
    apology.outgoing = doc  # the row as it now stands
    audit_record(
        actor=actor,
        verb=AuditVerb.DOSSIER_APOLOGY_ISSUE,
        obj=apology,
        unit=unit,
        before=before,
        after=snapshot(apology, _WATCHED) | ({"note": FROM_DOSSIER} if with_apology else {}),
    )
    return doc


def draft_with_apology(actor: User, apology: Apology) -> OutgoingDocument:
    """Called as the apology is made, in its transaction: the letter is drafted with it or the
    apology is refused (nothing written), so that no apology stands without its letter."""
    return _draft(actor, apology, with_apology=True)


def redraft(actor: User, apology: Apology) -> OutgoingDocument:
    """The apology corrected (reason, new date) after the head sent its letter back: rewrite the
    same draft from the corrected values (its text, its Mẫu 04 PDF; the Word file is laid out
    from the apology on demand) and send it to be signed again. One letter per apology: the
    returned draft is superseded, not kept beside a new one. Without a letter yet, draft one."""
    letter = apology.outgoing
    if letter is None:
        return _draft(actor, apology)
    unit = apology.dossier.unit
    head = _signing_head(unit)
    before = snapshot(apology, _WATCHED)
    doc = documents.outgoing_update_draft(
        actor=actor, doc=letter, data=_letter_data(apology, head), signer=head
    )
    apology.outgoing = doc
    apology.signer_name = head.full_name
    apology.save(update_fields=["signer_name", "updated_at"])
    doc = _write_draft(actor, apology, doc)
    apology.outgoing = doc
    if before != snapshot(apology, _WATCHED):  # another head signs now
        audit_record(
            actor=actor,
            verb=AuditVerb.DOSSIER_APOLOGY_ISSUE,
            obj=apology,
            unit=unit,
            before=before,
            after=snapshot(apology, _WATCHED) | {"note": FROM_DOSSIER},
        )
    return doc


def apology_issue(*, actor: User, apology: Apology) -> OutgoingDocument:
    """Send an apology made without its letter to be signed (one transaction, audited).

    AlreadyDone (409) when the letter exists already (a second click, two people at once: the
    apology row is locked, so the second sees the first's letter).
    """
    dossier = apology.dossier
    if not may_issue(actor, dossier):
        raise PermissionDenied("Chỉ viên chức xử lý hồ sơ của đơn vị mới trình ký văn bản xin lỗi.")
    with transaction.atomic():
        locked = (
            Apology.objects.select_for_update(of=("self",))
            .select_related("dossier__unit", "dossier__procedure")
            .get(pk=apology.pk)
        )
        if locked.outgoing_id is not None:
            raise AlreadyDone("Văn bản xin lỗi này đã được trình ký.")
        return _draft(actor, locked)


def citizen_mail(sender: Any, doc: OutgoingDocument, **_: Any) -> tuple[str, str] | None:
    """The e-mail carrying a signed apology to the citizen: addressed to them, the apology's
    gist, the new appointment and where to collect the result (not the agency text)."""
    apology = (
        Apology.objects.select_related("dossier__unit", "dossier__procedure")
        .filter(outgoing=doc)
        .first()
    )
    if apology is None:
        return None
    dossier, unit = apology.dossier, apology.dossier.unit
    where = f"Bộ phận tiếp nhận và trả kết quả của {unit.name}" + (
        f", {unit.address}" if unit.address else ""
    )
    subject = f"{unit.name} xin lỗi và hẹn lại ngày trả kết quả hồ sơ {dossier.code}"
    body = (
        f"Kính gửi Ông/Bà {dossier.applicant_name},\n\n"
        f"Hồ sơ {dossier.code} ({dossier.procedure.name}) của Ông/Bà chưa được giải quyết "
        f"đúng hạn trả kết quả {apology.original_due_at.astimezone(VN):%H:%M ngày %d/%m/%Y}.\n"
        f"Lý do: {apology.reason}\n\n"
        f"{unit.name} thành thật xin lỗi Ông/Bà. Kết quả giải quyết hồ sơ sẽ được trả vào "
        f"{apology.new_due_at.astimezone(VN):%H:%M ngày %d/%m/%Y} tại {where}.\n\n"
        f"Đính kèm thư này là văn bản xin lỗi số {doc.symbol} ngày {doc.issued_on:%d/%m/%Y} "
        "đã được ký số.\n\n"
        f"Trân trọng,\n{unit.name}\n"
    )
    return subject, body


#: The apology letter's files are named "<symbol>-mau-04-xin-loi.pdf|docx" wherever they are
#: downloaded from (the letter's page or the dossier's).
FORM_FILE_NAME = "mau-04-xin-loi"
#: The copy without the addressee's address and phone (for the commune's oversight) is
#: re-rendered, so it carries neither the seal nor the signatures: a name of its own.
VIEW_COPY_FILE_NAME = f"{FORM_FILE_NAME}-ban-xem"


def view_copy_label(letter: OutgoingDocument) -> str:
    """What the copy without personal data is, in the words of its link: never "đã ký số"."""
    if letter.signed_pdf:
        return "Bản xem (đã che thông tin cá nhân, không kèm chữ ký số; bản ký số lưu tại đơn vị)"
    return "Bản xem (đã che thông tin cá nhân, chưa ký số)"


def letter_source(sender: Any, doc: OutgoingDocument, user: AnyUser, **_: Any) -> Any:
    """The letter's page under the documents app: a link back to its dossier (only for a user
    who may open the dossier; the document's readers need not be the dossier's), and the Word
    file of the Mẫu 04 (Circular 01/2018, domain.md 1.5) its PDF is laid out from, with the
    same content: the register's number and date once numbered. The letter carries its
    addressee's address and phone; for a reader who may not see the unit's personal data (the
    commune's oversight) the Word file and the PDF are the same paper without them."""
    from cchc.documents.signals import OutgoingSource
    from cchc.dossiers import papers_service, selectors

    apology = Apology.objects.select_related("dossier").filter(outgoing=doc).first()
    if apology is None:
        return None
    dossier = apology.dossier
    visible = selectors.dossier_list_for_user(user=user).filter(pk=dossier.pk).exists()
    url = reverse("dossiers:detail", args=[dossier.pk]) if visible else ""
    personal = sees_letter_personal_data(user, dossier)

    def render(fmt: str) -> bytes:
        fresh = Dossier.objects.select_related("unit__parent", "procedure").get(pk=dossier.pk)
        try:
            content, _type, _name = papers_service.render_paper(
                fresh, "xin-loi", fmt, show_personal=personal
            )
        except papers_service.PaperUnavailable as error:
            raise ValidationError(f"Không lập được văn bản Mẫu 04: {error}") from None
        return content

    return OutgoingSource(
        label=f"Hồ sơ {dossier.code}",
        url=url,
        docx=lambda: (render("docx"), FORM_FILE_NAME),
        form_name=FORM_FILE_NAME,
        without_personal=None if personal else lambda: render("pdf"),
        view_copy_label="" if personal else view_copy_label(doc),
        view_copy_form_name="" if personal else VIEW_COPY_FILE_NAME,
    )


def letter_correction(sender: Any, doc: OutgoingDocument, **_: Any) -> Any:
    """An apology letter is corrected through its apology (reason, new date) on the dossier
    page, "Sửa và trình ký lại" (`services.dossier_apology_revise`), which redrafts the same
    letter from them: never sent up again unchanged from the register's page."""
    from cchc.documents.signals import OutgoingCorrection

    apology = Apology.objects.select_related("dossier").filter(outgoing=doc).first()
    if apology is None:
        return None
    code = apology.dossier.code
    return OutgoingCorrection(
        message=f"Văn bản xin lỗi của hồ sơ {code} được sửa ở trang hồ sơ: sửa lý do, ngày hẹn "
        "trả mới rồi bấm “Sửa và trình ký lại”; không trình lại nguyên dự thảo từ trang văn "
        "bản đi.",
        url=reverse("dossiers:detail", args=[apology.dossier_id]) + "#apology-revise",
        label=f"Sửa và trình ký lại ở hồ sơ {code}",
    )


def sees_letter_personal_data(user: AnyUser, dossier: Dossier) -> bool:
    """Whether `user` may read the letter as issued, with its addressee's address and phone:
    only who may see the dossier's unit's personal data (never the commune's oversight)."""
    return permissions.can(user, permissions.VIEW_PERSONAL_DATA, dossier.unit)


def on_numbered(sender: Any, doc: OutgoingDocument, actor: User, **_: Any) -> None:
    """The clerk numbered an outgoing document: if it is an apology, write its numbered paper."""
    from cchc.dossiers import papers_service

    apology = (
        Apology.objects.select_for_update(of=("self",))
        .select_related("dossier__unit__parent", "dossier__procedure")
        .filter(outgoing=doc)
        .first()
    )
    if apology is None:
        return
    apology.outgoing = doc  # the numbered row: its number, date and signer go on the paper
    dossier = apology.dossier
    try:
        content, _type, _name = papers_service.render_paper(
            dossier, "xin-loi", "pdf", show_personal=True
        )
    except papers_service.PaperUnavailable as error:
        raise ValidationError(f"Không lập được văn bản xin lỗi có số: {error}") from None
    doc.pdf.save(
        f"{doc.year}-{doc.number:02d}-xin-loi-{dossier.code}.pdf", ContentFile(content), save=False
    )
    OutgoingDocument.objects.filter(pk=doc.pk).update(pdf=doc.pdf.name)
    audit_record(
        actor=actor,
        verb=AuditVerb.DOSSIER_APOLOGY_NUMBERED,
        obj=apology,
        unit=dossier.unit,
        after={"symbol": doc.symbol, "issued_on": f"{doc.issued_on:%d/%m/%Y}"},
    )


def mail_failed_for_good(letter: OutgoingDocument) -> bool:
    """The letter was e-mailed and every delivery stopped retrying (GAVE_UP): the citizen has
    not had it by e-mail and will not, so it has to reach them on paper."""
    statuses = {d.status for d in letter.deliveries.all()}
    return statuses == {DeliveryStatus.GAVE_UP}


def needs_paper_delivery(letter: OutgoingDocument) -> bool:
    """A released letter that reaches the citizen on paper: the dossier has no e-mail, or the
    e-mail failed for good. Decree 61 Art. 19(9) (domain.md 1.4) requires the apology to be
    sent to the citizen in writing; a bounced e-mail has not sent it."""
    return letter.status == OS.RELEASED and (
        not letter.recipient_emails.strip() or mail_failed_for_good(letter)
    )


def apology_hand_over(*, actor: User, apology: Apology, how: str) -> Apology:
    """The clerk records that a released letter without e-mail, or whose e-mail failed for
    good, was handed over or posted (once: a second record is 409)."""
    dossier = apology.dossier
    if not may_hand_over(actor, dossier):
        raise PermissionDenied("Chỉ văn thư của đơn vị ghi nhận việc trao, gửi văn bản.")
    if how not in HAND_OVER:
        raise ValidationError({"how": "Chọn trao trực tiếp hoặc gửi bưu điện."})
    with transaction.atomic():
        locked = (
            Apology.objects.select_for_update(of=("self",))
            .select_related("dossier__unit", "outgoing")
            .get(pk=apology.pk)
        )
        letter = locked.outgoing
        if locked.handed_over_at is not None:
            raise AlreadyDone("Văn bản xin lỗi đã được ghi nhận là đã trao, gửi.")
        if letter is None or letter.status != OS.RELEASED:
            raise AlreadyDone("Văn bản xin lỗi chưa được phát hành.")
        if not needs_paper_delivery(letter):
            raise ValidationError(
                "Văn bản này được gửi cho người dân qua thư điện tử; chỉ trao trực tiếp hoặc "
                "gửi bưu điện khi hồ sơ không có thư điện tử hoặc thư đã gửi lỗi hẳn."
            )
        if how == BY_POST and not locked.dossier.applicant_address.strip():
            raise ValidationError({"how": NO_ADDRESS_TO_POST})
        before = snapshot(locked, _WATCHED)
        locked.handed_over_at = timezone.now()
        locked.handed_over_how = how
        locked.save(update_fields=["handed_over_at", "handed_over_how", "updated_at"])
        audit_record(
            actor=actor,
            verb=AuditVerb.DOSSIER_APOLOGY_HANDED,
            obj=locked,
            unit=locked.dossier.unit,
            before=before,
            after=snapshot(locked, _WATCHED),
        )
    return locked


# ---------------------------------------------------------------- where it stands


@dataclass(frozen=True)
class LetterState:
    """The apology letter as the dossier page shows it."""

    label: str
    tone: str  # badge tone: info, warn, ok, bad
    symbol: str = ""
    pdf_url: str = ""  # the signed PDF (or, before signing, the numbered or draft paper)
    signed: bool = False
    document_url: str = ""  # the outgoing document's page (approve, number, sign, release)
    may_issue: bool = False
    may_hand_over: bool = False
    returned: documents.Returned | None = None  # the head's sending back, with his reason
    may_revise: bool = False  # correct the reason and the new date, and send it again
    # For a reader who may not see the addressee's address and phone, `pdf_url` serves a copy
    # without them (and so without the signatures): the link says so.
    view_copy_label: str = ""
    # Who signed and sealed the letter and when: the proof a view copy cannot carry.
    signatures: tuple[str, ...] = ()


def _day(value: Any) -> str:
    return f"{timezone.localtime(value, VN):%d/%m/%Y}" if value is not None else ""


def _released_label(apology: Apology, letter: OutgoingDocument) -> tuple[str, str]:
    released = _day(letter.released_at)
    deliveries = list(letter.deliveries.all())
    if apology.handed_over_at is not None and deliveries:  # after the e-mail failed for good
        how = HAND_OVER.get(apology.handed_over_how, "trao, gửi")
        return (
            f"Đã ký số, {how} ngày {_day(apology.handed_over_at)} (thư điện tử gửi lỗi)",
            "ok",
        )
    if deliveries:
        sent = [d for d in deliveries if d.status == DeliveryStatus.SENT]
        if len(sent) == len(deliveries):
            last = max(d.sent_at for d in sent if d.sent_at is not None)
            return f"Đã ký số, gửi ngày {_day(last)} qua thư điện tử", "ok"
        stuck = (DeliveryStatus.FAILED, DeliveryStatus.GAVE_UP)
        failed = [d for d in deliveries if d.status in stuck]
        if failed and mail_failed_for_good(letter):
            return (
                f"Đã ký số, phát hành ngày {released}; gửi thư điện tử lỗi hẳn: "
                f"{failed[0].error_for_staff}; chờ trao trực tiếp hoặc gửi bưu điện",
                "bad",
            )
        if failed:
            return (
                f"Đã ký số, phát hành ngày {released}; "
                f"gửi thư điện tử lỗi: {failed[0].error_for_staff}",
                "bad",
            )
        return f"Đã ký số, phát hành ngày {released}; đang gửi thư điện tử", "info"
    if apology.handed_over_at is not None:
        how = HAND_OVER.get(apology.handed_over_how, "trao, gửi")
        return f"Đã ký số, {how} ngày {_day(apology.handed_over_at)}", "ok"
    return (
        f"Đã ký số, phát hành ngày {released}; hồ sơ không có thư điện tử: chờ trao trực tiếp "
        "hoặc gửi bưu điện",
        "warn",
    )


def letter_state(user: AnyUser, dossier: Dossier) -> LetterState | None:
    """Where the dossier's apology letter stands, with what this user may open or do."""
    apology = getattr(dossier, "apology", None)
    if apology is None:
        return None
    letter = apology.outgoing
    if letter is None:
        return LetterState(
            "Chưa trình ký: văn bản xin lỗi chưa được lập thành văn bản đi để thủ trưởng ký số",
            "warn",
            may_issue=may_issue(user, dossier),
        )
    signer = letter.signer.full_name if letter.signer is not None else "thủ trưởng đơn vị"
    # The state's name is the letter's own, as its page under the register shows it
    # (`OutgoingStatus`), followed by what comes next: one word for one state on both pages.
    state = OutgoingStatus(letter.status).label
    labels = {
        OS.DRAFT: (f"{state}, chờ trình ký (người ký: {signer})", "warn"),
        OS.REVIEW: (f"{state} (người ký: {signer})", "warn"),
        OS.APPROVED: (f"{state}, chờ văn thư cấp số (người ký: {signer})", "info"),
        OS.NUMBERED: (f"{state} {letter.symbol}, chờ ký số (người ký: {signer})", "warn"),
        OS.SIGNED: (f"{state} ({signer}), chờ văn thư phát hành", "info"),
    }
    returned = documents.last_return(letter)
    if letter.status == OS.RELEASED:
        label, tone = _released_label(apology, letter)
    elif returned is not None:
        label = f"{RETURNED_LABEL} ({returned.by}, {_day(returned.at)})" + (
            f": {returned.note}" if returned.note else ""
        )
        tone = "bad"
    else:
        label, tone = labels[OutgoingStatus(letter.status)]
    has_file = bool(letter.signed_pdf or letter.pdf)
    may_view = permissions.can(user, permissions.VIEW_DOCUMENTS, dossier.unit)
    view_copy = has_file and not sees_letter_personal_data(user, dossier)
    return LetterState(
        label,
        tone,
        symbol=letter.symbol,
        pdf_url=reverse("dossiers:apology_pdf", args=[dossier.pk]) if has_file else "",
        signed=bool(letter.signed_pdf),
        document_url=reverse("documents:outgoing_detail", args=[letter.pk]) if may_view else "",
        may_hand_over=apology.handed_over_at is None
        and needs_paper_delivery(letter)
        and may_hand_over(user, dossier),
        returned=returned,
        may_revise=letter.status == OS.DRAFT and may_issue(user, dossier),
        view_copy_label=view_copy_label(letter) if view_copy else "",
        signatures=_signature_lines(letter),
    )


def _signature_lines(letter: OutgoingDocument) -> tuple[str, ...]:
    """ "Chữ ký số của người ký: Nguyễn Văn A, 08/12/2026 10:00", one line per signature."""
    lines = []
    for sig in letter.signatures.select_related("staff").order_by("signed_at"):
        who = sig.staff.full_name if sig.staff is not None else letter.unit.name
        if sig.kind == SignatureKind.UNIT:
            who = letter.unit.name + (
                f" (văn thư {sig.staff.full_name} thực hiện)" if sig.staff is not None else ""
            )
        when = f"{timezone.localtime(sig.signed_at, VN):%d/%m/%Y %H:%M}"
        lines.append(f"{sig.get_kind_display()}: {who}, {when}")
    return tuple(lines)


_WAITING = {
    "": "chưa trình ký",
    OS.DRAFT: "bị trả lại dự thảo: sửa và trình ký lại",
    OS.REVIEW: OS.REVIEW.label.lower(),  # "chờ kiểm tra", the letter's page's word
    OS.APPROVED: "chờ cấp số",
    OS.NUMBERED: "chờ ký số",
    OS.SIGNED: "chờ phát hành",
    OS.RELEASED: "chờ trao trực tiếp hoặc gửi bưu điện",
}


def waiting_for(user: AnyUser, limit: int = 50) -> list[tuple[Apology, str]]:
    """The apology letters of the user's unit waiting for the user's own step, oldest first:
    the head's approval and signature, the clerk's number, release and hand-over; an apology
    still without its letter, or whose letter the head sent back, for whoever may send it to
    be signed."""
    staff = permissions.acting_staff(user)
    if staff is None:
        return []
    # The letter's outgoing steps (review, number, signature, release) are the register's own:
    # the same rule as the "my documents" list (`documents.selectors.waiting_steps`). Every
    # permission below is used in the user's own unit only: checked without loading it.
    steps, _actions = waiting_steps(user, staff, prefix="outgoing__")
    if permissions.can(user, permissions.REGISTER_DOCUMENTS):
        gave_up = Delivery.objects.filter(
            outgoing=OuterRef("outgoing"), status=DeliveryStatus.GAVE_UP
        )
        other = Delivery.objects.filter(outgoing=OuterRef("outgoing")).exclude(
            status=DeliveryStatus.GAVE_UP
        )
        on_paper = Q(outgoing__recipient_emails="") | (Q(Exists(gave_up)) & ~Q(Exists(other)))
        steps |= Q(outgoing__status=OS.RELEASED, handed_over_at__isnull=True) & on_paper
    if permissions.can(user, permissions.PROCESS_DOSSIERS) and permissions.can(
        user, permissions.DRAFT_DOCUMENTS
    ):
        steps |= Q(outgoing__isnull=True) | Q(outgoing__status=OS.DRAFT)
    rows = (
        Apology.objects.filter(steps, dossier__unit_id=staff.unit_id)
        .select_related("dossier", "outgoing")
        .order_by("created_at")[:limit]
    )
    return [(a, _WAITING.get(a.outgoing.status if a.outgoing else "", "")) for a in rows]


# ---------------------------------------------------------------- its steps on the dossier page


@dataclass(frozen=True)
class LetterStep:
    """One step of the apology letter, in the dossier's "Quá trình giải quyết" (read from the
    audit trail of the outgoing document and the apology, and its e-mail deliveries: no state
    of its own)."""

    at: datetime
    label: str
    giver: str
    note: str = ""
    is_letter: bool = True


_STEP_LABELS: dict[str, str] = {
    AuditVerb.DOSSIER_APOLOGY_ISSUE: "Trình ký văn bản xin lỗi",
    AuditVerb.DOCUMENTS_OUTGOING_REVIEW: "Văn bản xin lỗi: trình duyệt",
    AuditVerb.DOCUMENTS_OUTGOING_APPROVED: "Văn bản xin lỗi: lãnh đạo duyệt",
    AuditVerb.DOCUMENTS_OUTGOING_DRAFT: "Văn bản xin lỗi: trả lại dự thảo",
    AuditVerb.DOCUMENTS_OUTGOING_NUMBER: "Văn bản xin lỗi: cấp số",
    AuditVerb.DOCUMENTS_OUTGOING_SIGN: "Văn bản xin lỗi: ký số",
    AuditVerb.DOCUMENTS_OUTGOING_RELEASE: "Văn bản xin lỗi: phát hành",
    AuditVerb.DOSSIER_APOLOGY_HANDED: "Văn bản xin lỗi: trao, gửi cho người dân",
}


def letter_steps(dossier: Dossier) -> list[LetterStep]:
    """The letter's approval, number, signature, release and hand-over or e-mail, each with its
    time and person: the audit records of the letter and the apology, and the deliveries."""
    from cchc.core.models import AuditEvent

    apology = Apology.objects.filter(dossier=dossier).select_related("outgoing").first()
    if apology is None:
        return []
    letter = apology.outgoing
    records = AuditEvent.objects.filter(
        Q(object_type=Apology._meta.label_lower, object_id=str(apology.pk))
        | (
            Q(object_type=OutgoingDocument._meta.label_lower, object_id=str(letter.pk))
            if letter is not None
            else Q(pk__in=[])
        ),
        verb__in=list(_STEP_LABELS),
    ).order_by("at", "seq")
    steps = []
    for record in records:
        after = record.after if isinstance(record.after, dict) else {}
        if after.get("note") == FROM_DOSSIER:
            # Part of the action the dossier's own row records (the apology made, corrected
            # and sent again) or the "Trình ký" row does: one action, one row.
            continue
        note = ""
        if record.verb == AuditVerb.DOCUMENTS_OUTGOING_DRAFT:
            note = str(after.get("note", ""))
        elif record.verb == AuditVerb.DOCUMENTS_OUTGOING_NUMBER and letter is not None:
            note = f"Số {after.get('symbol') or letter.symbol}"
        elif record.verb == AuditVerb.DOSSIER_APOLOGY_HANDED:
            note = HAND_OVER.get(str(after.get("handed_over_how", "")), "").capitalize()
        steps.append(LetterStep(record.at, _STEP_LABELS[record.verb], record.actor_name, note))
    if letter is not None:
        for delivery in letter.deliveries.filter(status=DeliveryStatus.SENT):
            if delivery.sent_at is None:
                continue
            steps.append(
                LetterStep(
                    delivery.sent_at,
                    "Văn bản xin lỗi: gửi thư điện tử cho người dân",
                    letter.unit.name,
                    "Đã gửi được",
                )
            )
    return sorted(steps, key=lambda step: step.at)
