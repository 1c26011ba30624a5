"""Public survey pages: answer by link/QR, by invitation token, at the reception kiosk, rate a
dossier, and read the published results. No account, no personal data, rate-limited, phone-first.

Guard → read the answers → service → page; the service decides what is counted.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from cchc.core.ratelimit import hit
from cchc.portal.views import too_many_requests, unit_from_address
from cchc.surveys import reporting, selectors, services
from cchc.surveys.models import (
    NO_OPINION,
    SCALE,
    Audience,
    Campaign,
    Channel,
    QuestionGroup,
    QuestionKind,
)

DEVICE_COOKIE = "cchc_khao_sat"
_SEGMENT = re.compile(r"^[6-9][A-Za-z0-9]{0,4}$")
_MAX_CHOICES = 20
ANSWERED_ON_THIS_DEVICE = "Thiết bị này đã gửi phiếu cho đợt khảo sát. Cảm ơn Ông/Bà đã tham gia."


def _device_id(request: HttpRequest) -> str:
    value = request.COOKIES.get(DEVICE_COOKIE, "")
    return value if re.fullmatch(r"[A-Za-z0-9_-]{16,64}", value) else ""


def _with_device(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Give a browser its anonymous device number once (one year)."""
    if not _device_id(request):
        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(18),
            max_age=365 * 86400,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def _raw_answers(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for question in campaign.version.questions.all():
        key = f"q_{question.code}"
        if question.kind == QuestionKind.MULTIPLE:
            raw[question.code] = request.POST.getlist(key)[:_MAX_CHOICES]
        else:
            raw[question.code] = request.POST.get(key, "")
    return raw


def _questions(campaign: Campaign, values: dict[str, Any], errors: dict[str, list[str]]):
    """The questions in order, with their group heading, options, the visitor's values and the
    error of each."""
    out, last_group = [], None
    for question in campaign.version.questions.all():
        value = values.get(question.code, [] if question.kind == QuestionKind.MULTIPLE else "")
        out.append(
            {
                "q": question,
                "heading": QuestionGroup(question.group).label
                if question.group != last_group
                else "",
                "value": value,
                "error": " ".join(errors.get(question.code, [])),
            }
        )
        last_group = question.group
    return out


def _asks_segment(campaign: Campaign) -> bool:
    return campaign.audience in (Audience.ALL_PARENTS, Audience.GRADE_PARENTS, Audience.STUDENTS)


def _form_page(
    request: HttpRequest,
    campaign: Campaign,
    *,
    action: str,
    values: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    message: str = "",
    status: int = 200,
    kiosk: bool = False,
    dossier: Any = None,
) -> HttpResponse:
    errors = errors or {}
    context = {
        "campaign": campaign,
        "unit": campaign.unit,
        "questions": _questions(campaign, values or {}, errors),
        "scale": list(SCALE.items()),
        "no_opinion": NO_OPINION,
        "action": action,
        "message": message,
        "kiosk": kiosk,
        "dossier": dossier,
        "asks_segment": _asks_segment(campaign) and dossier is None,
        "segment": (values or {}).get("_segment", ""),
        "segment_error": " ".join(errors.get("_segment", [])),
        "error_count": len(errors),
    }
    return render(request, "portal/survey_form.html", context, status=status)


def _closed_page(request: HttpRequest, campaign: Campaign, message: str, status: int):
    return render(
        request,
        "portal/survey_message.html",
        {"unit": campaign.unit, "campaign": campaign, "message": message},
        status=status,
    )


def _answer(
    request: HttpRequest,
    campaign: Campaign,
    *,
    action: str,
    channel: str,
    token: str = "",
    kiosk: bool = False,
) -> HttpResponse:
    """GET shows the questionnaire; POST records it once (see services.response_submit)."""
    if request.method == "GET":
        if not campaign.is_open():
            return _closed_page(request, campaign, services.closed_message(campaign), 410)
        if channel == Channel.LINK and selectors.device_has_answered(campaign, _device_id(request)):
            return _closed_page(request, campaign, ANSWERED_ON_THIS_DEVICE, 409)
        return _with_device(request, _form_page(request, campaign, action=action, kiosk=kiosk))
    if not hit(request, "survey-kiosk" if kiosk else "survey", per_minute=20 if kiosk else 6):
        return too_many_requests(request)
    values = _raw_answers(request, campaign)
    segment = request.POST.get("segment", "").strip()[:20]
    values["_segment"] = segment
    if segment and not _SEGMENT.match(segment):
        errors = {"_segment": ["Lớp ghi như 6A, 7B, 8A1, 9C."]}
        return _form_page(
            request, campaign, action=action, values=values, errors=errors, status=422, kiosk=kiosk
        )
    try:
        services.response_submit(
            campaign=campaign,
            answers={k: v for k, v in values.items() if not k.startswith("_")},
            channel=channel,
            invitation_token=token,
            device_id=_device_id(request),
            segment=segment,
        )
    except services.SurveyClosed as error:
        return _closed_page(request, campaign, " ".join(error.messages), 410)
    except services.AlreadyAnswered as error:
        return _closed_page(request, campaign, " ".join(error.messages), 409)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            return _closed_page(request, campaign, " ".join(error.messages), 422)
        return _form_page(
            request,
            campaign,
            action=action,
            values=values,
            errors=error.message_dict,
            status=422,
            kiosk=kiosk,
        )
    return render(
        request,
        "portal/survey_done.html",
        {"unit": campaign.unit, "campaign": campaign, "kiosk": kiosk, "again": action},
    )


@require_http_methods(["GET", "POST"])
def survey_take(request: HttpRequest, key: str) -> HttpResponse:
    """The campaign's link (the poster's QR): anonymous, limited per device."""
    campaign = selectors.public_campaign(key)
    if campaign.access == "token":
        return _closed_page(
            request,
            campaign,
            "Đợt khảo sát này dùng phiếu mời riêng: hãy quét mã QR trên phiếu mời của Ông/Bà.",
            403,
        )
    return _answer(
        request,
        campaign,
        action=reverse("portal:survey_take", args=[key]),
        channel=Channel.LINK,
    )


@require_http_methods(["GET", "POST"])
def survey_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """One invitation's link: answers once."""
    invitation = selectors.invitation_by_token(token)
    if request.method == "GET" and invitation.used_at is not None:
        return _closed_page(
            request,
            invitation.campaign,
            "Phiếu mời này đã được dùng để trả lời. Cảm ơn Ông/Bà đã tham gia.",
            409,
        )
    return _answer(
        request,
        invitation.campaign,
        action=reverse("portal:survey_invitation", args=[token]),
        channel=Channel.INVITATION,
        token=invitation.token,
    )


@require_http_methods(["GET", "POST"])
def survey_kiosk(request: HttpRequest, key: str) -> HttpResponse:
    """The tablet at the reception desk: one questionnaire after another, no device limit."""
    campaign = selectors.kiosk_campaign(key)
    if campaign.access == "token":
        return _closed_page(
            request, campaign, "Đợt khảo sát này dùng phiếu mời riêng, không trả lời tại máy.", 403
        )
    return _answer(
        request,
        campaign,
        action=reverse("portal:survey_kiosk", args=[key]),
        channel=Channel.KIOSK,
        kiosk=True,
    )


@require_http_methods(["GET", "POST"])
def survey_rate(request: HttpRequest, token: str) -> HttpResponse:
    """Rate one dossier, from the QR or link on its receipt or result slip."""
    dossier = services.dossier_for_token(token)
    if dossier is None:
        return render(
            request,
            "portal/survey_message.html",
            {"message": "Mã đánh giá không đúng. Hãy quét lại mã QR trên giấy hẹn trả kết quả."},
            status=404,
        )
    campaign = services.dossier_campaign(dossier.unit)
    action = reverse("portal:survey_rate", args=[token])
    if not services.rating_applies(dossier):
        return render(
            request,
            "portal/survey_message.html",
            {
                "unit": campaign.unit,
                "campaign": campaign,
                "message": services.NOT_APPLICABLE.format(code=dossier.code),
                "feedback_url": reverse("portal:unit_feedback_submit", args=[dossier.unit.code]),
            },
            status=409,
        )
    if not services.rating_open_for(dossier):
        return _closed_page(
            request,
            campaign,
            f"Hồ sơ {dossier.code} đang được giải quyết. Ông/Bà có thể đánh giá sau khi nhận "
            "kết quả, bằng chính mã QR này.",
            409,
        )
    if request.method == "GET":
        if services.Response.objects.filter(dossier=dossier).exists():
            return _closed_page(
                request, campaign, "Hồ sơ này đã được đánh giá. Cảm ơn Ông/Bà.", 409
            )
        return _form_page(request, campaign, action=action, dossier=dossier)
    if not hit(request, "survey", per_minute=6):
        return too_many_requests(request)
    values = _raw_answers(request, campaign)
    try:
        services.dossier_rating_submit(token=token, answers=values)
    except services.AlreadyAnswered as error:
        return _closed_page(request, campaign, " ".join(error.messages), 409)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            return _closed_page(request, campaign, " ".join(error.messages), 422)
        return _form_page(
            request,
            campaign,
            action=action,
            values=values,
            errors=error.message_dict,
            status=422,
            dossier=dossier,
        )
    return render(
        request,
        "portal/survey_done.html",
        {"unit": campaign.unit, "campaign": campaign, "dossier": dossier},
    )


@require_safe
def survey_results_list(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Published survey results of one unit (`/don-vi/<code>/…`), else the installation's."""
    unit = unit_from_address(code)
    return render(
        request,
        "portal/survey_results_list.html",
        {"unit": unit, "campaigns": selectors.published_campaigns(unit)},
    )


@require_safe
def survey_results(request: HttpRequest, key: str) -> HttpResponse:
    """Published results: rates, intervals, charts; never a comment."""
    campaign = selectors.published_campaign(key)
    context = reporting.build(campaign, public=True)
    return render(request, "portal/survey_results.html", {"unit": campaign.unit, **context})
