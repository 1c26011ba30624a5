"""The receipt (Mẫu 01), supplement request (Mẫu 02) and refusal (Mẫu 03) signed digitally.

Circular 01/2018 Art. 9–10 (domain.md 1.5): the one-stop forms carry digital signatures. Each of
these three papers names one officer under its signature line: the officer who received the
dossier, or for the supplement request the officer who asked for the papers
(`papers_service.issuer_of`; the paper's text is fixed, `test_paper_text_unchanged`), so that
officer signs it, personally, as `cchc.documents` models a signer: his own certificate
(`SigningCertificate.staff`), his PIN, never stored, typed when he signs, his signature image
over his name, a PERSONAL `SignatureEvent` (which the target-8 indicator counts).

The signed PDF is stored (`SignedPaper`) and is what the paper's PDF link serves from then on:
the paper as issued, signed once. An officer without a certificate gives the unsigned paper,
and the page says so ("Chưa ký số: … chưa có chứng thư số").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from cchc.accounts import permissions
from cchc.core.audit import audit_record
from cchc.core.audit_verbs import AuditVerb
from cchc.core.timezones import VN
from cchc.documents import services as documents
from cchc.documents import signing
from cchc.documents.models import SignatureEvent, SignatureKind, SigningCertificate
from cchc.dossiers import papers_service
from cchc.dossiers.models import Dossier, SignedPaper
from cchc.organizations.models import Staff

if TYPE_CHECKING:
    from cchc.accounts.models import User
    from cchc.accounts.permissions import AnyUser

SIGNABLE = ("tiep-nhan", "bo-sung", "tu-choi")


class AlreadySigned(ValidationError):
    status_code = 409


class SigningFailed(ValidationError):
    """The certificate's PIN or its token refused the signature (a wrong PIN, a locked or
    missing token): the officer is sent back to the page he signed from with the message, so
    that reloading it never posts the PIN again (a token locks after a few wrong PINs)."""


def subject_of(dossier: Dossier, kind: str) -> str:
    """The supplement request of the latest pause ("pause:12"); "" for the other papers."""
    if kind != "bo-sung":
        return ""
    pause = dossier.pauses.order_by("-started_at").first()
    return f"pause:{pause.pk}" if pause is not None else ""


def signer_of(dossier: Dossier, kind: str = "tiep-nhan") -> Staff | None:
    """The officer the paper names under its signature (`papers_service.issuer_of`): the one
    who received the dossier, or for a supplement request the one who asked for the papers."""
    user = papers_service.issuer_of(dossier, kind)
    return getattr(user, "staff", None) if user is not None else None


def certificate_of(staff: Staff, at_unit: int) -> SigningCertificate | None:
    """The officer's usable certificate of his unit, if any (valid now, not revoked)."""
    now = timezone.now()
    return (
        SigningCertificate.objects.filter(
            unit_id=at_unit,
            staff=staff,
            is_active=True,
            revoked_at__isnull=True,
            not_before__lte=now,
            not_after__gt=now,
        )
        .order_by("-not_after")
        .first()
    )


def signed_paper(dossier: Dossier, kind: str) -> SignedPaper | None:
    """The signed paper served as the issued one: the latest, a corrected one once signed."""
    if kind not in SIGNABLE:
        return None
    return (
        SignedPaper.objects.filter(
            dossier=dossier,
            kind=kind,
            subject=subject_of(dossier, kind),
            superseded_at__isnull=True,
        )
        .select_related("signer")
        .first()
    )


def reads_otherwise(paper: SignedPaper, key: str) -> bool:
    """Whether the dossier was corrected since `paper` was signed in a way the paper prints
    (its current content `key` differs). A paper signed before the content was kept: no."""
    return bool(paper.content_key) and paper.content_key != key


def sign_paper(*, actor: User, dossier: Dossier, kind: str, pin: str) -> SignedPaper:
    """The officer named on the paper signs it with his certificate; stored once (409 after),
    unless the dossier was corrected since in what the paper prints: the corrected paper is
    signed and served from then on, the earlier one kept as issued (`superseded_at`)."""
    if kind not in SIGNABLE or kind not in dict(papers_service.available(dossier)):
        raise ValidationError("Giấy tờ này chưa có hoặc không ký số tại đây.")
    signer = signer_of(dossier, kind)
    staff = permissions.acting_staff(actor)
    if staff is None or signer is None or staff.pk != signer.pk:
        raise PermissionDenied("Chỉ cán bộ tiếp nhận có tên trên giấy tờ mới ký số giấy này.")
    subject = subject_of(dossier, kind)
    label = papers_service.KINDS[kind]
    try:
        pdf, key = papers_service.paper_pdf(dossier, kind, show_personal=True)
        earlier = signed_paper(dossier, kind)
        if earlier is not None and not reads_otherwise(earlier, key):
            raise AlreadySigned("Giấy tờ này đã được ký số.")
        filename = f"{kind}-{dossier.code}-ky.pdf"
        signed, cert = documents.sign_pdf_as_staff(
            actor=actor,
            unit=dossier.unit,
            pdf=pdf,
            pin=pin,
            purpose=f"Ký {label} hồ sơ {dossier.code}"[:200],
        )
    except signing.SigningError as error:
        raise SigningFailed(str(error)) from None
    except papers_service.PaperUnavailable as error:
        raise ValidationError(str(error)) from None
    now = timezone.now()
    with transaction.atomic():
        if earlier is not None:
            # Signed again meanwhile in another tab: that one stands.
            replaced = SignedPaper.objects.filter(pk=earlier.pk, superseded_at__isnull=True).update(
                superseded_at=now
            )
            if not replaced:
                raise AlreadySigned("Giấy tờ này vừa được ký số lại.")
        paper = SignedPaper(
            dossier=dossier,
            kind=kind,
            subject=subject,
            signer=staff,
            serial=cert.serial,
            signed_at=now,
            content_key=key,
        )
        paper.pdf.save(filename, ContentFile(signed), save=False)
        try:
            with transaction.atomic():
                paper.save()
        except IntegrityError:  # signed meanwhile in another tab
            raise AlreadySigned("Giấy tờ này vừa được ký số.") from None
        SignatureEvent.objects.create(
            unit=dossier.unit,
            staff=staff,
            certificate=cert,
            kind=SignatureKind.PERSONAL,
            purpose=f"Ký số {label} hồ sơ {dossier.code}"[:200],
            signed_at=now,
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.DOSSIER_PAPER_SIGN,
            obj=paper,
            unit=dossier.unit,
            before=(
                {"signed_at": earlier.signed_at.isoformat(), "serial": earlier.serial}
                if earlier is not None
                else None
            ),
            after={"kind": kind, "dossier": dossier.code, "serial": cert.serial},
        )
    return paper


@dataclass(frozen=True)
class PaperSignature:
    """One paper's signature as the dossier page shows it."""

    note: str
    signed: bool = False
    may_sign: bool = False
    # Signed before the dossier was corrected: the signed PDF reads otherwise than the Word file.
    stale: bool = False


def paper_signatures(user: AnyUser, dossier: Dossier) -> dict[str, PaperSignature]:
    """The state of each signable paper the dossier has, by kind."""
    kinds = [k for k, _ in papers_service.available(dossier) if k in SIGNABLE]
    if not kinds:
        return {}
    me = permissions.acting_staff(user)
    states: dict[str, PaperSignature] = {}
    for kind in kinds:
        signer = signer_of(dossier, kind)
        cert = certificate_of(signer, dossier.unit_id) if signer is not None else None
        mine = me is not None and signer is not None and me.pk == signer.pk
        paper = signed_paper(dossier, kind)
        if paper is not None:
            when = timezone.localtime(paper.signed_at, VN)
            signed = f"{paper.signer.full_name}, {when:%d/%m/%Y %H:%M}"
            if _corrected_since(dossier, kind, paper):
                if cert is not None and signer is not None:
                    then = f"chờ {signer.full_name} ký số lại bản đã sửa."
                elif signer is not None:
                    then = f"{signer.full_name} chưa có chứng thư số để ký lại."
                else:
                    then = "không rõ cán bộ ký lại."
                states[kind] = PaperSignature(
                    f"Bản đã ký lúc {when:%H:%M %d/%m/%Y} ({paper.signer.full_name}) trước khi "
                    "sửa hồ sơ; nội dung hiện tại khác (bản PDF là bản đã ký, bản Word theo hồ "
                    f"sơ hiện tại): {then}",
                    signed=True,
                    stale=True,
                    may_sign=mine and cert is not None,
                )
            else:
                kept = SignedPaper.objects.filter(
                    dossier=dossier, kind=kind, subject=paper.subject, superseded_at__isnull=False
                ).count()
                again = f" (ký lại sau khi sửa hồ sơ; lưu {kept} bản đã ký trước)" if kept else ""
                states[kind] = PaperSignature(f"Đã ký số: {signed}{again}", signed=True)
        elif signer is None:
            states[kind] = PaperSignature("Chưa ký số: không rõ cán bộ tiếp nhận hồ sơ")
        elif cert is None:
            states[kind] = PaperSignature(f"Chưa ký số: {signer.full_name} chưa có chứng thư số")
        else:
            states[kind] = PaperSignature(
                f"Chưa ký số: chờ {signer.full_name} ký số", may_sign=mine
            )
    return states


def _corrected_since(dossier: Dossier, kind: str, paper: SignedPaper) -> bool:
    """Whether the paper as it reads now differs from the signed one (the paper is drawn, not
    built into a DOCX: about 0.02 s of CPU for a receipt)."""
    if not paper.content_key:
        return False
    try:
        return reads_otherwise(paper, papers_service.current_key(dossier, kind))
    except papers_service.PaperUnavailable:
        return False
