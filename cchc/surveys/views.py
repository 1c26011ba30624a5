"""Staff pages for surveys: campaigns and their results, publication, links, QR poster,
invitation slips, exports, templates and their versions, a dossier's rating card."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.core.form_errors import add_validation_errors
from cchc.core.official_docs import OfficialDocError
from cchc.surveys import exports, reporting, results, selectors, services
from cchc.surveys.forms import CampaignForm, InvitationForm, TemplateVersionForm
from cchc.surveys.models import CampaignKind, QuestionGroup, QuestionKind


def _public(path: str) -> str:
    return settings.CCHC_PUBLIC_URL.rstrip("/") + path


def _qr_svg(url: str, scale: int = 6) -> str:
    """Inline SVG (no file, no outside call); level M survives a crease on a printed poster."""
    return segno.make(url, error="m").svg_inline(scale=scale)


@require_safe
@login_required
def campaigns(request: AuthedHttpRequest) -> HttpResponse:
    """Every campaign of the user's units with its response count; the standing dossier rating
    first."""
    rows = selectors.campaigns_for_user(user=request.user)
    unit = permissions.acting_unit_or_404(request.user)
    context = {
        "campaigns": rows,
        "can_manage": permissions.can(request.user, permissions.MANAGE_SURVEYS, unit),
    }
    return render(request, "surveys/campaign_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def campaign_create(request: AuthedHttpRequest) -> HttpResponse:
    unit = permissions.acting_unit_or_404(request.user)
    permissions.require(request.user, permissions.MANAGE_SURVEYS, unit)
    if not selectors.templates_for_unit(unit).exists():
        services.templates_install_defaults(actor=request.user, unit=unit)
    form = CampaignForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Đã tạo đợt khảo sát. Hãy mở đợt để bắt đầu nhận phiếu.")
            return redirect("surveys:detail", pk=campaign.pk)
    status = 422 if form.errors else 200
    return render(request, "surveys/campaign_form.html", {"form": form}, status=status)


def _detail_context(request: HttpRequest, campaign: Any, **extra: Any) -> dict[str, Any]:
    show_personal = permissions.can(request.user, permissions.VIEW_PERSONAL_DATA, campaign.unit)
    context = reporting.build(campaign, public=False, show_personal=show_personal)
    link = _public(reverse("portal:survey_take", args=[campaign.public_key]))
    context.update(
        {
            "can_manage": permissions.can(request.user, permissions.MANAGE_SURVEYS, campaign.unit),
            "link": link if campaign.kind == CampaignKind.SURVEY else "",
            # Opened by staff on this server: relative, so they work whatever address serves it
            # (the printed link and QR use CCHC_PUBLIC_URL, the address citizens reach).
            "kiosk_link": reverse("portal:survey_kiosk", args=[campaign.kiosk_key]),
            "results_link": reverse("portal:survey_results", args=[campaign.public_key]),
            "invitations": campaign.invitations.count(),
            "invitations_used": campaign.invitations.filter(used_at__isnull=False).count(),
            "invitation_form": extra.get("invitation_form") or InvitationForm(),
            "is_open": campaign.is_open(),
            "past_end": campaign.ends_on is not None and campaign.ends_on < timezone.localdate(),
        }
    )
    return context


@require_safe
@login_required
def detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Results per question, group and overall with intervals, charts, breakdowns, comments."""
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    return render(request, "surveys/campaign_detail.html", _detail_context(request, campaign))


@require_POST
@login_required
def act(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Open, close, publish, withdraw publication, or issue invitation tokens."""
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    permissions.require(request.user, permissions.MANAGE_SURVEYS, campaign.unit)
    action = request.POST.get("action", "")
    form = None
    try:
        if action in ("open", "closed"):
            services.campaign_set_status(actor=request.user, campaign=campaign, status=action)
            messages.success(request, "Đã cập nhật trạng thái đợt khảo sát.")
        elif action in ("publish", "unpublish"):
            services.campaign_publish(
                actor=request.user, campaign=campaign, published=action == "publish"
            )
            messages.success(
                request,
                "Đã công khai kết quả trên cổng thông tin."
                if action == "publish"
                else "Đã thôi công khai kết quả.",
            )
        elif action == "email_staff":
            sent = services.invitations_email_staff(actor=request.user, campaign=campaign)
            messages.success(request, f"Đã gửi {sent} thư mời riêng qua thư điện tử.")
        elif action == "invite":
            form = InvitationForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Số phiếu mời chưa hợp lệ.")
            made = services.invitations_issue(
                actor=request.user, campaign=campaign, **form.cleaned_data
            )
            messages.success(request, f"Đã tạo {len(made)} phiếu mời.")
        else:
            raise ValidationError("Thao tác không hợp lệ.")
    except ValidationError as error:
        if form is not None and hasattr(error, "error_dict"):
            add_validation_errors(form, error)
        else:
            messages.error(request, " ".join(error.messages))
        campaign.refresh_from_db()
        context = _detail_context(request, campaign, invitation_form=form)
        return render(request, "surveys/campaign_detail.html", context, status=422)
    return redirect("surveys:detail", pk=campaign.pk)


@require_safe
@login_required
def poster(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A printable A4 poster with the campaign's QR code and link (or the kiosk's)."""
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    if campaign.kind == CampaignKind.DOSSIER or campaign.access == "token":
        raise Http404("Đợt khảo sát này không có đường liên kết chung.")
    link = _public(reverse("portal:survey_take", args=[campaign.public_key]))
    return render(
        request,
        "surveys/poster.html",
        {"campaign": campaign, "link": link, "qr": _qr_svg(link, scale=8)},
    )


@require_safe
@login_required
def slips(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Unused invitation tokens as cut-out slips, each with its own QR code."""
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    permissions.require(request.user, permissions.MANAGE_SURVEYS, campaign.unit)
    rows = []
    for invitation in campaign.invitations.filter(used_at__isnull=True)[:200]:
        link = _public(reverse("portal:survey_invitation", args=[invitation.token]))
        rows.append({"invitation": invitation, "link": link, "qr": _qr_svg(link, scale=3)})
    return render(request, "surveys/slips.html", {"campaign": campaign, "rows": rows})


@require_safe
@login_required
def export(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    computed = results.compute(selectors.responses_of(campaign))
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "xlsx":
        content = exports.results_xlsx(
            campaign,
            computed,
            show_personal=permissions.can(
                request.user, permissions.VIEW_PERSONAL_DATA, campaign.unit
            ),
        )
        content_type, filename = exports.XLSX_TYPE, f"khao-sat-{campaign.pk}-{stamp}.xlsx"
    elif fmt == "pdf":
        try:
            content = exports.summary_pdf(campaign, computed)
        except OfficialDocError as error:
            messages.error(request, str(error))
            return redirect("surveys:detail", pk=campaign.pk)
        content_type, filename = "application/pdf", f"bao-cao-khao-sat-{campaign.pk}-{stamp}.pdf"
    else:
        raise Http404("Định dạng không hỗ trợ.")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@login_required
def templates(request: AuthedHttpRequest) -> HttpResponse:
    """The unit's questionnaires, each version with its questions."""
    unit = permissions.acting_unit_or_404(request.user)
    permissions.require(request.user, permissions.VIEW_SURVEYS, unit)
    if not selectors.templates_for_unit(unit).exists() and permissions.can(
        request.user, permissions.MANAGE_SURVEYS, unit
    ):
        services.templates_install_defaults(actor=request.user, unit=unit)
    return render(
        request,
        "surveys/template_list.html",
        {
            "templates": selectors.templates_for_unit(unit),
            "can_manage": permissions.can(request.user, permissions.MANAGE_SURVEYS, unit),
        },
    )


def _definition_text(version: Any) -> str:
    lines = []
    for q in version.questions.all():
        lines.append(
            " | ".join(
                [q.code, q.group, q.kind, "*" if q.required else "", q.text, "; ".join(q.options)]
            ).rstrip(" |")
        )
    return "\n".join(lines)


def _parse_definition(text: str) -> list[dict[str, Any]]:
    questions = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 5:
            raise ValidationError(
                f"Dòng {number}: cần ít nhất 5 phần: mã | nhóm | loại | * | nội dung."
            )
        code, group, kind, required, text = parts[:5]
        options = [o.strip() for o in parts[5].split(";")] if len(parts) > 5 else []
        questions.append(
            {
                "code": code,
                "group": group,
                "kind": kind,
                "required": required == "*",
                "text": text,
                "options": [o for o in options if o],
            }
        )
    return questions


@require_http_methods(["GET", "POST"])
@login_required
def template_version(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Edit the questions as text and save them as the next version."""
    template = selectors.template_get_for_user(user=request.user, pk=pk)
    permissions.require(request.user, permissions.MANAGE_SURVEYS, template.unit)
    current = template.current_version()
    form = TemplateVersionForm(
        request.POST or None, initial={"definition": _definition_text(current) if current else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.template_new_version(
                actor=request.user,
                template=template,
                questions=_parse_definition(form.cleaned_data["definition"]),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error("definition", " ".join(error.messages))
        else:
            messages.success(request, f"Đã lưu phiên bản {version.number} của mẫu phiếu.")
            return redirect("surveys:templates")
    context = {
        "template": template,
        "form": form,
        "groups": QuestionGroup.choices,
        "kinds": QuestionKind.choices,
    }
    status = 422 if form.errors else 200
    return render(request, "surveys/template_version.html", context, status=status)


@require_safe
@login_required
def rating_card(request: AuthedHttpRequest, dossier_pk: int) -> HttpResponse:
    """A small printable card with the dossier's rating QR, handed over with the result."""
    from cchc.dossiers import selectors as dossier_selectors

    dossier = dossier_selectors.dossier_get_for_user(user=request.user, pk=dossier_pk)
    if not services.rating_applies(dossier):
        # Refused at the counter or guided and never completed: no resolution to rate, so no
        # card; the page says why and what the citizen is offered instead.
        return render(
            request,
            "surveys/rating_card.html",
            {
                "dossier": dossier,
                "applies": False,
                "message": services.NOT_APPLICABLE.format(code=dossier.code),
                "feedback_link": services.feedback_link_for_unit(dossier.unit),
            },
        )
    link = services.survey_rating_link_for_dossier(dossier)
    return render(
        request,
        "surveys/rating_card.html",
        {
            "applies": True,
            "dossier": dossier,
            "link": link,
            "qr": _qr_svg(link, scale=4),
            "open": services.rating_open_for(dossier),
        },
    )
