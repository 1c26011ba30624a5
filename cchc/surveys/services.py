"""Survey use cases: install the shipped templates, new template versions, campaigns, invitation
tokens, publication, and the one that matters most, recording a response.

Every change runs in one transaction and leaves an audit record. A response is counted once: an
invitation token is locked while it is used and the database refuses a second response on the
same token or dossier (IntegrityError becomes `AlreadyAnswered`, a 409), an anonymous device's
answers are counted under a lock on the campaign, and a response to a closed campaign or with a
missing or out-of-range answer writes nothing at all.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cchc.accounts import permissions
from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb
from cchc.core.unsent_mail import mail_configured
from cchc.organizations.models import Unit
from cchc.surveys import definitions, selectors
from cchc.surveys.models import (
    AccessMode,
    Answer,
    Audience,
    Campaign,
    CampaignKind,
    CampaignStatus,
    Channel,
    Invitation,
    Question,
    QuestionGroup,
    QuestionKind,
    Response,
    SurveyTemplate,
    TemplateVersion,
)

if TYPE_CHECKING:
    from cchc.accounts.models import User

MAX_TEXT = 2000
MAX_INVITATIONS = 1000
NO_OPINION_VALUES = frozenset({"0", "khong-y-kien"})
_RATING_SALT = "cchc.surveys.dossier-rating"


class SurveyClosed(ValidationError):
    """The campaign is not (or no longer) taking responses."""


class AlreadyAnswered(ValidationError):
    """This invitation token, dossier or device has already answered."""


class RatingNotYet(ValidationError):
    """The dossier has no result yet, so there is nothing to rate."""


class RatingNotApplicable(ValidationError):
    """The dossier was never accepted (refused at intake, or guided and never completed), so
    there is no resolution to rate (see `rating_applies`)."""


# ---------------------------------------------------------------- templates


def _clean_question(raw: dict[str, Any], index: int) -> dict[str, Any]:
    code = str(raw.get("code", "")).strip()
    kind = str(raw.get("kind", ""))
    group = str(raw.get("group", ""))
    text = " ".join(str(raw.get("text", "")).split())
    options = [" ".join(str(o).split())[:200] for o in raw.get("options", []) if str(o).strip()]
    where = f"Câu {index}"
    if not re.fullmatch(r"[a-z0-9_-]{1,30}", code):
        raise ValidationError(f"{where}: mã câu chỉ gồm chữ thường không dấu, số, - và _.")
    if kind not in QuestionKind.values:
        raise ValidationError(f"{where}: loại câu hỏi không hợp lệ.")
    if group not in QuestionGroup.values:
        raise ValidationError(f"{where}: nhóm câu hỏi không hợp lệ.")
    if not text or len(text) > 500 or "\x00" in text:
        raise ValidationError(f"{where}: hãy nhập nội dung câu hỏi (tối đa 500 ký tự).")
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and len(options) < 2:
        raise ValidationError(f"{where}: câu chọn phải có ít nhất 2 lựa chọn.")
    if len(set(options)) != len(options):
        raise ValidationError(f"{where}: các lựa chọn bị trùng nhau.")
    return {
        "code": code,
        "kind": kind,
        "group": group,
        "text": text,
        "options": options if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) else [],
        "required": bool(raw.get("required", False)),
    }


def _write_version(
    template: SurveyTemplate, questions: list[dict[str, Any]], *, actor: User | None, note: str
) -> TemplateVersion:
    if not questions:
        raise ValidationError("Phiếu phải có ít nhất một câu hỏi.")
    cleaned = [_clean_question(q, i) for i, q in enumerate(questions, start=1)]
    codes = [q["code"] for q in cleaned]
    if len(set(codes)) != len(codes):
        raise ValidationError("Hai câu hỏi trùng mã câu.")
    last = template.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = TemplateVersion.objects.create(
        template=template,
        number=last + 1,
        note=note[:300],
        created_by=actor,
    )
    Question.objects.bulk_create(
        Question(version=version, order=order, **q) for order, q in enumerate(cleaned, start=1)
    )
    return version


@transaction.atomic
def templates_install_defaults(*, actor: User | None, unit: Unit) -> list[SurveyTemplate]:
    """The two shipped questionnaires for `unit`, created once (idempotent)."""
    installed = []
    for definition in definitions.SHIPPED:
        template, created = SurveyTemplate.objects.get_or_create(
            unit=unit,
            key=definition["key"],
            defaults={
                "name": definition["name"],
                "purpose": definition["purpose"],
                "description": definition["description"],
            },
        )
        if created:
            _write_version(template, definition["questions"], actor=actor, note="Mẫu phiếu cài sẵn")
            audit_record(
                actor=actor,
                verb=AuditVerb.SURVEY_TEMPLATE_INSTALL,
                obj=template,
                unit=unit,
                after=snapshot(template, ["key", "name", "purpose"]),
            )
        installed.append(template)
    return installed


@transaction.atomic
def template_new_version(
    *, actor: User, template: SurveyTemplate, questions: list[dict[str, Any]], note: str = ""
) -> TemplateVersion:
    """A new version of the questionnaire; earlier responses keep the version they answered.

    Open campaigns move to the new version for their next responses."""
    permissions.require(actor, permissions.MANAGE_SURVEYS, template.unit)
    SurveyTemplate.objects.select_for_update().get(pk=template.pk)
    version = _write_version(template, questions, actor=actor, note=note)
    moved = Campaign.objects.filter(template=template).exclude(status=CampaignStatus.CLOSED)
    moved.update(version=version)
    audit_record(
        actor=actor,
        verb=AuditVerb.SURVEY_TEMPLATE_VERSION,
        obj=template,
        unit=template.unit,
        after={"version": version.number, "questions": version.questions.count(), "note": note},
    )
    return version


# ---------------------------------------------------------------- campaigns


def dossier_campaign(unit: Unit) -> Campaign:
    """The unit's standing per-dossier rating campaign, made on first use."""
    found = Campaign.objects.filter(unit=unit, kind=CampaignKind.DOSSIER).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            template = next(
                t
                for t in templates_install_defaults(actor=None, unit=unit)
                if t.key == definitions.DOSSIER_TEMPLATE_KEY
            )
            campaign = Campaign.objects.create(
                unit=unit,
                kind=CampaignKind.DOSSIER,
                title="Đánh giá việc giải quyết hồ sơ thủ tục hành chính",
                template=template,
                version=_current_version(template),
                audience=Audience.CITIZENS,
                starts_on=date(timezone.localdate().year, 1, 1),
                status=CampaignStatus.OPEN,
                access=AccessMode.TOKEN,
            )
            audit_record(
                actor=None,
                verb=AuditVerb.SURVEY_CAMPAIGN_CREATE,
                obj=campaign,
                unit=unit,
                after=snapshot(campaign, ["kind", "title", "status"]),
            )
            return campaign
    except IntegrityError:
        return Campaign.objects.get(unit=unit, kind=CampaignKind.DOSSIER)


_CAMPAIGN_FIELDS = ["title", "audience", "audience_detail", "starts_on", "ends_on", "access"]


def _current_version(template: SurveyTemplate) -> TemplateVersion:
    """A campaign asks the template's latest questions; a template has them from its creation."""
    version = template.current_version()
    if version is None:
        raise ValidationError({"template": "Mẫu phiếu chưa có bộ câu hỏi nào."})
    return version


@transaction.atomic
def campaign_create(
    *,
    actor: User,
    unit: Unit,
    template: SurveyTemplate,
    title: str,
    audience: str,
    starts_on: date,
    ends_on: date,
    access: str = AccessMode.ANONYMOUS,
    audience_detail: str = "",
    device_limit: int = 1,
) -> Campaign:
    permissions.require(actor, permissions.MANAGE_SURVEYS, unit)
    errors: dict[str, str] = {}
    if template.unit_id != unit.pk:
        errors["template"] = "Mẫu phiếu không thuộc đơn vị."
    title = " ".join(title.split())
    if not title or "\x00" in title:
        errors["title"] = "Hãy nhập tên đợt khảo sát."
    if audience not in Audience.values:
        errors["audience"] = "Đối tượng khảo sát không hợp lệ."
    if audience in (Audience.GRADE_PARENTS, Audience.CLASS_PARENTS) and not audience_detail.strip():
        errors["audience_detail"] = "Hãy ghi khối hoặc lớp được khảo sát."
    if access not in AccessMode.values:
        errors["access"] = "Cách trả lời không hợp lệ."
    if ends_on < starts_on:
        errors["ends_on"] = "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."
    if not 1 <= device_limit <= 20:
        errors["device_limit"] = "Mỗi thiết bị được gửi từ 1 đến 20 phiếu."
    if errors:
        raise ValidationError(errors)
    campaign = Campaign.objects.create(
        unit=unit,
        kind=CampaignKind.SURVEY,
        title=title[:200],
        template=template,
        version=_current_version(template),
        audience=audience,
        audience_detail=audience_detail.strip()[:50],
        starts_on=starts_on,
        ends_on=ends_on,
        access=access,
        device_limit=device_limit,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.SURVEY_CAMPAIGN_CREATE,
        obj=campaign,
        unit=unit,
        after=snapshot(campaign, _CAMPAIGN_FIELDS),
    )
    return campaign


def _lock_campaign(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().select_related("unit").get(pk=campaign.pk)


@transaction.atomic
def campaign_set_status(*, actor: User, campaign: Campaign, status: str) -> Campaign:
    """Open a draft, close an open campaign, or reopen a closed one before its end date."""
    campaign = _lock_campaign(campaign)
    permissions.require(actor, permissions.MANAGE_SURVEYS, campaign.unit)
    if status not in CampaignStatus.values or status == CampaignStatus.DRAFT:
        raise ValidationError("Trạng thái không hợp lệ.")
    if campaign.kind == CampaignKind.DOSSIER and status == CampaignStatus.CLOSED:
        raise ValidationError("Đánh giá từng hồ sơ luôn mở; không thể đóng.")
    if (
        status == CampaignStatus.OPEN
        and campaign.ends_on
        and campaign.ends_on < timezone.localdate()
    ):
        raise ValidationError("Đợt khảo sát đã qua ngày kết thúc; hãy tạo đợt mới.")
    before = snapshot(campaign, ["status"])
    campaign.status = status
    campaign.version_no += 1
    campaign.save(update_fields=["status", "version_no", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.SURVEY_CAMPAIGN_STATUS,
        obj=campaign,
        unit=campaign.unit,
        before=before,
        after=snapshot(campaign, ["status"]),
    )
    return campaign


@transaction.atomic
def campaign_publish(*, actor: User, campaign: Campaign, published: bool = True) -> Campaign:
    """Publish the results on the portal (Decree 61 Art. 32; domain.md 10 rule 8), or withdraw."""
    campaign = _lock_campaign(campaign)
    permissions.require(actor, permissions.MANAGE_SURVEYS, campaign.unit)
    before = snapshot(campaign, ["results_published", "published_at"])
    campaign.results_published = published
    campaign.published_at = timezone.now() if published else None
    campaign.version_no += 1
    campaign.save(update_fields=["results_published", "published_at", "version_no", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.SURVEY_PUBLISH if published else AuditVerb.SURVEY_UNPUBLISH,
        obj=campaign,
        unit=campaign.unit,
        before=before,
        after=snapshot(campaign, ["results_published", "published_at"]),
    )
    return campaign


@transaction.atomic
def invitations_issue(
    *, actor: User, campaign: Campaign, count: int, segment: str = "", label: str = ""
) -> list[Invitation]:
    """`count` one-time tokens, e.g. one per parent of class 8A, printed as slips."""
    campaign = _lock_campaign(campaign)
    permissions.require(actor, permissions.MANAGE_SURVEYS, campaign.unit)
    if campaign.kind != CampaignKind.SURVEY:
        raise ValidationError("Đánh giá hồ sơ dùng mã riêng của từng hồ sơ.")
    if not 1 <= count <= 200:
        raise ValidationError({"count": "Mỗi lần tạo từ 1 đến 200 phiếu mời."})
    if campaign.invitations.count() + count > MAX_INVITATIONS:
        raise ValidationError({"count": f"Mỗi đợt có tối đa {MAX_INVITATIONS} phiếu mời."})
    segment = " ".join(segment.split())[:20]
    label = " ".join(label.split())[:80]
    start = campaign.invitations.count()
    made = Invitation.objects.bulk_create(
        Invitation(
            campaign=campaign,
            segment=segment,
            label=f"{label or segment or 'Phiếu'} – số {start + i}",
        )
        for i in range(1, count + 1)
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.SURVEY_INVITATIONS_ISSUE,
        obj=campaign,
        unit=campaign.unit,
        after={"count": count, "segment": segment},
    )
    return made


EMAIL_LABEL = "Thư mời điện tử"


@transaction.atomic
def invitations_email_staff(*, actor: User, campaign: Campaign) -> int:
    """One invitation per active staff member with an e-mail address, each mailed its own link.

    Which token went to whom is not stored (the mail is the only link between them), so staff
    answers stay anonymous; a second sending is refused rather than doubling the tokens."""
    from cchc.organizations.models import Staff

    campaign = _lock_campaign(campaign)
    permissions.require(actor, permissions.MANAGE_SURVEYS, campaign.unit)
    if not (
        campaign.kind == CampaignKind.SURVEY
        and campaign.access == AccessMode.TOKEN
        and campaign.audience == Audience.STAFF
    ):
        raise ValidationError(
            "Chỉ gửi thư mời cho đợt khảo sát cán bộ, giáo viên, nhân viên dùng phiếu mời."
        )
    if campaign.invitations.filter(label__startswith=EMAIL_LABEL).exists():
        raise ValidationError("Đợt khảo sát này đã gửi thư mời; mỗi người chỉ nhận một lần.")
    if not mail_configured():  # the links would be made and lost: the mail is their only copy
        raise ValidationError(
            "Chưa cấu hình máy chủ thư điện tử (EMAIL_HOST) nên không gửi được thư mời; "
            "hãy tạo phiếu mời in để phát tận tay."
        )
    addresses = []
    for person in Staff.objects.filter(unit=campaign.unit, is_active=True).select_related("user"):
        address = person.email or (person.user.email if person.user is not None else "")
        if address and address not in addresses:
            addresses.append(address)
    if not addresses:
        raise ValidationError("Chưa có cán bộ nào của đơn vị có địa chỉ thư điện tử.")
    invitations = Invitation.objects.bulk_create(
        Invitation(campaign=campaign, label=f"{EMAIL_LABEL} – số {n}")
        for n in range(1, len(addresses) + 1)
    )
    base = getattr(settings, "CCHC_PUBLIC_URL", "").rstrip("/")
    letters = [
        (address, f"{base}{reverse('portal:survey_invitation', args=[invitation.token])}")
        for address, invitation in zip(addresses, invitations, strict=True)
    ]
    audit_record(
        actor=actor,
        verb=AuditVerb.SURVEY_INVITATIONS_EMAIL,
        obj=campaign,
        unit=campaign.unit,
        after={"count": len(letters)},
    )
    transaction.on_commit(partial(_send_invitations, campaign.pk, letters))
    return len(letters)


def _send_invitations(campaign_id: int, letters: list[tuple[str, str]]) -> None:
    from django.core.mail import EmailMessage, get_connection

    campaign = Campaign.objects.select_related("unit").get(pk=campaign_id)
    subject = f"[{campaign.unit.name}] Mời tham gia: {campaign.title}"
    until = f" đến hết ngày {campaign.ends_on:%d/%m/%Y}" if campaign.ends_on else ""
    messages = [
        EmailMessage(
            subject,
            f"Kính gửi quý thầy cô, cán bộ, nhân viên,\n\n{campaign.unit.name} trân trọng mời "
            f"quý vị trả lời phiếu “{campaign.title}”{until}.\n\nĐường liên kết riêng của quý "
            f"vị (dùng một lần; phiếu không ghi tên, nhà trường không lưu ai nhận mã nào):\n"
            f"{link}\n\nTrân trọng cảm ơn.\n{campaign.unit.name}",
            to=[address],
        )
        for address, link in letters
    ]
    with get_connection() as connection:
        connection.send_messages(messages)


# ---------------------------------------------------------------- responses


def device_hash(device_id: str) -> str:
    return hashlib.sha256(f"survey-device:{device_id}".encode()).hexdigest() if device_id else ""


def _scale_value(raw: Any) -> tuple[int | None, bool] | None:
    """(score, no_opinion) from "1".."5" / 1..5, "0" or "khong-y-kien"; None when invalid."""
    text = str(raw).strip().lower()
    if text in NO_OPINION_VALUES:
        return None, True
    if text in {"1", "2", "3", "4", "5"} and not isinstance(raw, bool):
        return int(text), False
    return None


def _is_blank(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, list | tuple):
        return not [r for r in raw if str(r).strip()]
    return not str(raw).strip()


def clean_answers(
    questions: list[Question], raw: dict[str, Any], *, strict: bool = False
) -> list[Answer]:
    """Unsaved answers for the questions answered; every problem in one ValidationError keyed by
    question code. `strict` (the API) also refuses codes the questionnaire does not have."""
    errors: dict[str, str] = {}
    answers: list[Answer] = []
    known = {q.code for q in questions}
    if strict:
        for code in raw:
            if code not in known:
                errors[str(code)[:30]] = "Câu hỏi này không có trong phiếu."
    for question in questions:
        value = raw.get(question.code)
        if _is_blank(value):
            if question.required:
                errors[question.code] = "Câu này bắt buộc, hãy chọn một câu trả lời."
            continue
        answer = Answer(question=question)
        if question.kind == QuestionKind.SCALE:
            parsed = _scale_value(value)
            if parsed is None:
                errors[question.code] = (
                    "Giá trị không hợp lệ: chỉ chọn từ 1 (Rất không hài lòng) đến 5 (Rất hài "
                    "lòng) hoặc Không ý kiến."
                )
                continue
            answer.scale, answer.no_opinion = parsed
        elif question.kind == QuestionKind.SINGLE:
            if str(value) not in question.options:
                errors[question.code] = "Lựa chọn không có trong danh sách."
                continue
            answer.choice = str(value)
        elif question.kind == QuestionKind.MULTIPLE:
            chosen = value if isinstance(value, list | tuple) else [value]
            chosen = [str(c) for c in chosen if str(c).strip()]
            if any(c not in question.options for c in chosen) or len(set(chosen)) != len(chosen):
                errors[question.code] = "Lựa chọn không có trong danh sách."
                continue
            answer.choices = [o for o in question.options if o in chosen]
        else:
            text = str(value).strip()
            if "\x00" in text:
                errors[question.code] = "Nội dung chứa ký tự không hợp lệ."
                continue
            if len(text) > MAX_TEXT:
                errors[question.code] = f"Ý kiến dài quá {MAX_TEXT} ký tự."
                continue
            answer.text = text
        answers.append(answer)
    if errors:
        raise ValidationError(errors)
    return answers


def closed_message(campaign: Campaign) -> str:
    if campaign.ends_on and campaign.ends_on < timezone.localdate():
        return (
            f"Đợt khảo sát đã kết thúc ngày {campaign.ends_on:%d/%m/%Y}; phiếu không được "
            "ghi nhận. Cảm ơn Ông/Bà đã quan tâm."
        )
    if campaign.starts_on > timezone.localdate():
        return f"Đợt khảo sát bắt đầu nhận phiếu từ ngày {campaign.starts_on:%d/%m/%Y}."
    return "Đợt khảo sát hiện không nhận phiếu."


@transaction.atomic
def response_submit(
    *,
    campaign: Campaign,
    answers: dict[str, Any],
    channel: str,
    invitation_token: str = "",
    device_id: str = "",
    segment: str = "",
    dossier: Any = None,
    strict: bool = False,
    submitted_at: datetime | None = None,
    notify: bool = True,
) -> Response:
    """Record one response, or nothing: see the module docstring for what is refused.

    `notify=False` is for loading historical ratings (demo, import): no mail for old news."""
    campaign = _lock_campaign(campaign)
    now = submitted_at or timezone.now()
    if not campaign.is_open(today=timezone.localtime(now).date()):
        raise SurveyClosed(closed_message(campaign))
    invitation = None
    if campaign.kind == CampaignKind.DOSSIER:
        if dossier is None or dossier.unit_id != campaign.unit_id:
            raise ValidationError("Mã đánh giá không hợp lệ.")
        channel = Channel.DOSSIER
        if Response.objects.filter(dossier=dossier).exists():
            raise AlreadyAnswered("Hồ sơ này đã được đánh giá. Mỗi hồ sơ chỉ đánh giá một lần.")
    elif channel == Channel.KIOSK:
        # The reception tablet: many people, one device; flooding is the rate limit's job. A
        # campaign run on invitation tokens must not be answerable around its tokens.
        if campaign.access == AccessMode.TOKEN:
            raise ValidationError(
                "Đợt khảo sát này dùng phiếu mời riêng; máy tại bộ phận một cửa không nhận phiếu."
            )
    elif campaign.access == AccessMode.TOKEN or invitation_token:
        if "\x00" in invitation_token or len(invitation_token) > 32:
            invitation_token = ""
        invitation = (
            Invitation.objects.select_for_update()
            .filter(campaign=campaign, token=invitation_token)
            .first()
            if invitation_token
            else None
        )
        if invitation is None:
            raise ValidationError("Mã phiếu mời không đúng. Hãy quét lại mã QR trên phiếu mời.")
        if invitation.used_at is not None:
            raise AlreadyAnswered("Phiếu mời này đã được dùng để trả lời. Mỗi phiếu một lần.")
        channel = Channel.INVITATION
        segment = invitation.segment or segment
    else:
        if not device_hash(device_id):
            raise ValidationError("Trình duyệt cần bật cookie để gửi phiếu.")
        if selectors.device_has_answered(campaign, device_id):
            raise AlreadyAnswered(
                "Thiết bị này đã gửi phiếu cho đợt khảo sát. Cảm ơn Ông/Bà đã tham gia."
            )
    if campaign.audience == Audience.CLASS_PARENTS and not segment:
        segment = campaign.audience_detail
    questions = list(campaign.version.questions.all())
    cleaned = clean_answers(questions, answers, strict=strict)
    scores = [a.scale for a in cleaned if a.scale is not None]
    try:
        with transaction.atomic():
            response = Response.objects.create(
                campaign=campaign,
                version=campaign.version,
                invitation=invitation,
                dossier=dossier,
                channel=channel,
                segment=" ".join(segment.split())[:20],
                device_hash=device_hash(device_id)
                if channel in (Channel.LINK, Channel.API)
                else "",
                submitted_at=now,
                lowest_score=min(scores) if scores else None,
            )
    except IntegrityError:
        raise AlreadyAnswered(
            "Phiếu này đã được ghi nhận trước đó. Mỗi phiếu mời hoặc hồ sơ chỉ trả lời một lần."
        ) from None
    for answer in cleaned:
        answer.response = response
    Answer.objects.bulk_create(cleaned)
    if invitation is not None:
        invitation.used_at = now
        invitation.save(update_fields=["used_at", "updated_at"])
    audit_record(
        actor=None,
        verb=AuditVerb.SURVEY_RESPOND,
        obj=response,
        unit=campaign.unit,
        after={
            "campaign": campaign.pk,
            "version": campaign.version.number,
            "channel": channel,
            "answers": len(cleaned),
            "dossier": getattr(dossier, "code", None),
        },
    )
    low = response.lowest_score is not None and response.lowest_score <= 2
    if notify and dossier is not None and low:
        from cchc.surveys.tasks import notify_low_rating

        transaction.on_commit(partial(notify_low_rating.enqueue, response.pk))
    return response


# ---------------------------------------------------------------- per-dossier rating


def rating_token(dossier: Any) -> str:
    """A token only the holder of the dossier's papers has: the code, signed with the secret."""
    return signing.Signer(salt=_RATING_SALT).sign(dossier.code)


def dossier_for_token(token: str) -> Any:
    from cchc.dossiers.models import Dossier

    if len(token) > 120 or "\x00" in token:
        return None
    try:
        code = signing.Signer(salt=_RATING_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Dossier.objects.select_related("unit", "procedure").filter(code=code).first()


def survey_rating_link_for_dossier(dossier: Any) -> str:
    """The rating link to print on the receipt and the result-return slip (and its QR)."""
    base = getattr(settings, "CCHC_PUBLIC_URL", "").rstrip("/")
    return f"{base}{reverse('portal:survey_rate', args=[rating_token(dossier)])}"


# The dossier papers handed to the applicant that carry the rating QR (issue 13 item 3): the
# receipt (Mẫu 01), and the refusal (Mẫu 03) which is the result when a dossier is refused
# after appraisal. Never on the papers of a dossier that was not accepted (`rating_applies`).
RATING_PAPERS = ("tiep-nhan", "tu-choi")
RATING_CAPTION = "Đánh giá mức độ hài lòng"
# What a citizen whose dossier was refused at the counter is offered instead: the unit's
# feedback page (phản ánh, kiến nghị), where the reception itself (the officer's attitude, the
# guidance, the published procedure: domain.md 1.9 criteria) can be raised and is answered.
FEEDBACK_CAPTION = "Góp ý, phản ánh về việc tiếp nhận hồ sơ"
NOT_APPLICABLE = (
    "Hồ sơ {code} không được tiếp nhận giải quyết nên không có kết quả giải quyết để đánh giá. "
    "Ý kiến của Ông/Bà về việc tiếp nhận, hướng dẫn hồ sơ xin gửi qua mục phản ánh, kiến nghị "
    "của đơn vị."
)


def rating_applies(dossier: Any) -> bool:
    """Whether the dossier's resolution can ever be rated: only a dossier that was handled,
    i.e. accepted (the legal clock started, Decree 61 Art. 17; `received_at` is set only then).

    A dossier refused at the counter (Mẫu 03, "Không được tiếp nhận") or guided with Mẫu 02 and
    never completed has no processing, no appointment and no result: the rating's questions
    (returned on time, apology when late, correct result, overall satisfaction with the handling)
    have no object, and a rating would count in the satisfaction indicators as if the dossier had
    been handled. A refusal *after appraisal* is a result and is rated."""
    return dossier.received_at is not None


def feedback_link_for_unit(unit: Any) -> str:
    """The unit's public feedback form, offered where the resolution rating does not apply."""
    base = getattr(settings, "CCHC_PUBLIC_URL", "").rstrip("/")
    return f"{base}{reverse('portal:unit_feedback_submit', args=[unit.code])}"


def rating_paper_note(dossier: Any, kind: str) -> Any:
    """The rating QR and its one-line caption for a dossier paper (registered on
    `cchc.dossiers.hooks` in `SurveysConfig.ready`); None on papers the applicant keeps not.
    The refusal of a dossier never accepted carries the feedback link instead."""
    from cchc.dossiers.papers import CodeNote

    if kind not in RATING_PAPERS:
        return None
    if not rating_applies(dossier):
        return CodeNote(payload=feedback_link_for_unit(dossier.unit), caption=FEEDBACK_CAPTION)
    return CodeNote(payload=survey_rating_link_for_dossier(dossier), caption=RATING_CAPTION)


def rating_open_for(dossier: Any) -> bool:
    """A dossier is rated once its handling is over: result out, returned, refused after
    appraisal or stopped; and only if it was handled at all (`rating_applies`)."""
    from cchc.dossiers.workflow import DossierStatus as S

    return rating_applies(dossier) and dossier.status in (S.DONE, S.RETURNED, S.STOPPED)


def dossier_rating_submit(
    *,
    token: str,
    answers: dict[str, Any],
    strict: bool = False,
    submitted_at: datetime | None = None,
    notify: bool = True,
) -> Response:
    dossier = dossier_for_token(token)
    if dossier is None:
        raise ValidationError("Mã đánh giá không đúng. Hãy quét lại mã QR trên giấy hẹn.")
    if not rating_applies(dossier):
        raise RatingNotApplicable(NOT_APPLICABLE.format(code=dossier.code))
    if not rating_open_for(dossier):
        raise RatingNotYet(
            "Hồ sơ đang được giải quyết. Ông/Bà có thể đánh giá sau khi nhận kết quả."
        )
    return response_submit(
        campaign=dossier_campaign(dossier.unit),
        answers=answers,
        channel=Channel.DOSSIER,
        dossier=dossier,
        strict=strict,
        submitted_at=submitted_at,
        notify=notify,
    )
