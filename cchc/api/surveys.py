"""Surveys over the API: campaigns, results and raw responses for staff (scoped to their units);
submitting a response or a dossier rating, and reading published results, for the public."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import AfterValidator

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.api.dossiers import NoNul
from cchc.api.limits import TooManyRequests
from cchc.core.numbers import MAX_ID
from cchc.core.ratelimit import hit
from cchc.surveys import reporting, results, selectors, services
from cchc.surveys.models import Campaign, Channel, Response
from cchc.surveys.stats import Tally

router = Router(tags=["Khảo sát hài lòng"])
public_router = Router(tags=["Khảo sát hài lòng (công khai)"])

Id = Annotated[int, Field(ge=1, le=MAX_ID)]


class CampaignOut(Schema):
    id: int
    unit: str
    kind: str
    title: str
    audience: str
    starts_on: date
    ends_on: date | None
    status: str
    responses: int
    results_published: bool


class TallyOut(Schema):
    counts: dict[str, int]
    no_opinion: int
    blank: int
    valid: int
    satisfied: int
    rate: float | None
    interval_low: float | None
    interval_high: float | None
    mean: float | None


class QuestionOut(Schema):
    code: str
    group: str
    text: str
    kind: str
    tally: TallyOut | None = None
    options: dict[str, int] = {}


class GroupOut(Schema):
    code: str
    label: str
    tally: TallyOut


class ResultsOut(Schema):
    campaign: CampaignOut
    responses: int
    overall: TallyOut
    groups: list[GroupOut]
    questions: list[QuestionOut]


class AnswerOut(Schema):
    question: str
    value: Any


class ResponseOut(Schema):
    id: int
    submitted_at: datetime
    channel: str
    segment: str
    version: int
    answers: list[AnswerOut]


# Answers: question code → "1".."5", 1..5, 0/"khong-y-kien" (no opinion), an option, a list of
# options, or text. Bounded so a body cannot grow without limit; the service checks each value.
AnswerValue = (
    Annotated[str, Field(max_length=2000), NoNul]
    | int
    | list[Annotated[str, Field(max_length=200), NoNul]]
    | None
)


def _few(value: dict[str, Any]) -> dict[str, Any]:
    if len(value) > 100:
        raise ValueError("có quá nhiều phần tử")
    return value


class ResponseIn(Schema):
    answers: Annotated[
        dict[Annotated[str, Field(max_length=30)], AnswerValue], AfterValidator(_few)
    ]
    token: Annotated[str, Field(max_length=40), NoNul] = ""
    device_id: Annotated[str, Field(max_length=64), NoNul] = ""
    segment: Annotated[str, Field(max_length=20), NoNul] = ""


class RatingIn(Schema):
    token: Annotated[str, Field(max_length=120), NoNul]
    answers: Annotated[
        dict[Annotated[str, Field(max_length=30)], AnswerValue], AfterValidator(_few)
    ]


class CreatedOut(Schema):
    id: int
    detail: str


def _tally(tally: Tally) -> dict[str, Any]:
    interval = tally.interval
    return {
        "counts": {str(k): v for k, v in tally.counts.items()},
        "no_opinion": tally.no_opinion,
        "blank": tally.blank,
        "valid": tally.valid,
        "satisfied": tally.satisfied,
        "rate": None if tally.rate is None else round(tally.rate, 2),
        "interval_low": None if interval is None else round(interval[0], 2),
        "interval_high": None if interval is None else round(interval[1], 2),
        "mean": None if tally.mean is None else round(tally.mean, 2),
    }


def _campaign(campaign: Campaign, responses: int | None = None) -> dict[str, Any]:
    return {
        "id": campaign.pk,
        "unit": campaign.unit.name,
        "kind": campaign.kind,
        "title": campaign.title,
        "audience": campaign.audience,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "status": campaign.status,
        "responses": responses
        if responses is not None
        else getattr(campaign, "n_responses", campaign.responses.count()),
        "results_published": campaign.results_published,
    }


def _results(campaign: Campaign) -> dict[str, Any]:
    computed = results.compute(Response.objects.filter(campaign=campaign))
    return {
        "campaign": _campaign(campaign, computed.responses),
        "responses": computed.responses,
        "overall": _tally(computed.overall),
        "groups": [
            {"code": g.code, "label": g.label, "tally": _tally(g.tally)} for g in computed.groups
        ],
        "questions": [
            {
                "code": q.code,
                "group": q.group,
                "text": q.text,
                "kind": q.kind,
                "tally": _tally(q.tally) if q.kind == "scale" else None,
                "options": q.options,
            }
            for q in computed.questions
            if q.kind != "text"
        ],
    }


@router.get("/surveys/campaigns", response=list[CampaignOut], summary="Các đợt khảo sát")
def campaign_list(request: AuthedHttpRequest) -> list[dict]:
    return [_campaign(c) for c in selectors.campaigns_for_user(user=request.user)[:500]]


@router.get("/surveys/campaigns/{campaign_id}/results", response=ResultsOut, summary="Kết quả")
def campaign_results(request: AuthedHttpRequest, campaign_id: Id) -> dict:
    return _results(selectors.campaign_get_for_user(user=request.user, pk=campaign_id))


@router.get(
    "/surveys/campaigns/{campaign_id}/responses",
    response=list[ResponseOut],
    summary="Phiếu trả lời (ý kiến viết tay ẩn số điện thoại nếu không có quyền xem)",
)
def campaign_responses(
    request: AuthedHttpRequest,
    campaign_id: Id,
    offset: Annotated[int, Field(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Field(ge=1, le=500)] = 100,
) -> list[dict]:
    campaign = selectors.campaign_get_for_user(user=request.user, pk=campaign_id)
    show_personal = permissions.can(request.user, permissions.VIEW_PERSONAL_DATA, campaign.unit)
    rows = (
        Response.objects.filter(campaign=campaign)
        .select_related("version")
        .prefetch_related("answers__question")
        .order_by("submitted_at", "id")[offset : offset + limit]
    )
    out = []
    for response in rows:
        answers = []
        for a in response.answers.all():
            if a.no_opinion:
                value: Any = "Không ý kiến"
            elif a.scale is not None:
                value = a.scale
            elif a.choice:
                value = a.choice
            elif a.choices:
                value = a.choices
            else:
                value = a.text if show_personal else reporting.mask_personal(a.text)
            answers.append({"question": a.question.code, "value": value})
        out.append(
            {
                "id": response.pk,
                "submitted_at": response.submitted_at,
                "channel": response.channel,
                "segment": response.segment,
                "version": response.version.number,
                "answers": answers,
            }
        )
    return out


def _submit(action: Callable[[], Response]) -> Status[dict[str, Any]]:
    try:
        response = action()
    except services.SurveyClosed as error:
        raise HttpError(410, " ".join(error.messages)) from None
    except services.AlreadyAnswered as error:
        raise HttpError(409, " ".join(error.messages)) from None
    except (services.RatingNotYet, services.RatingNotApplicable) as error:
        raise HttpError(409, " ".join(error.messages)) from None
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            raise HttpError(422, f"Phiếu chưa hợp lệ. {details}") from None
        raise HttpError(422, " ".join(error.messages)) from None
    return Status(201, {"id": response.pk, "detail": "Đã ghi nhận phiếu. Cảm ơn Ông/Bà."})


@public_router.post(
    "/public/surveys/{key}/responses",
    response={201: CreatedOut},
    auth=None,
    summary="Gửi phiếu khảo sát",
)
def public_response(request: HttpRequest, key: str, payload: ResponseIn):
    if not hit(request, "survey", per_minute=6):
        raise TooManyRequests(request)
    if "\x00" in key:
        raise HttpError(404, "Không tìm thấy đợt khảo sát.")
    campaign = selectors.public_campaign(key)
    return _submit(
        lambda: services.response_submit(
            campaign=campaign,
            answers=payload.answers,
            channel=Channel.API,
            invitation_token=payload.token,
            device_id=payload.device_id,
            segment=payload.segment,
            strict=True,
        )
    )


@public_router.post(
    "/public/dossier-ratings",
    response={201: CreatedOut},
    auth=None,
    summary="Đánh giá việc giải quyết một hồ sơ (mã trên giấy hẹn)",
)
def public_rating(request: HttpRequest, payload: RatingIn):
    if not hit(request, "survey", per_minute=6):
        raise TooManyRequests(request)
    return _submit(
        lambda: services.dossier_rating_submit(
            token=payload.token, answers=payload.answers, strict=True
        )
    )


@public_router.get(
    "/public/surveys/{key}/results",
    response=ResultsOut,
    auth=None,
    summary="Kết quả khảo sát đã công khai (không có ý kiến viết tay)",
)
def public_results(request: HttpRequest, key: str) -> dict:
    if not hit(request, "lookup"):
        raise TooManyRequests(request)
    if "\x00" in key:
        raise HttpError(404, "Không tìm thấy.")
    return _results(selectors.published_campaign(key))


__all__ = ["public_router", "router"]
