"""Procedure reviews over the API (plan task 3.5): list, one review with its cost figures and
measured facts, and the workflow actions with optimistic concurrency (409 for a stale version)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from cchc.accounts.http import AuthedHttpRequest
from cchc.api.dossiers import Id, NoNul
from cchc.api.guards import path_id, permitted
from cchc.simplification import rules, selectors, services
from cchc.simplification.models import Review

router = Router(tags=["Rà soát, đơn giản hóa TTHC"])


class FindingOut(Schema):
    part: str
    part_label: str
    current: str
    finding: str
    proposal: str
    legal_ground: str


class CostOut(Schema):
    hours: str
    time_vnd: int
    fee_vnd: int
    other_vnd: int
    per_dossier_vnd: int
    per_year_vnd: int


class ReviewOut(Schema):
    id: int
    unit_id: int
    procedure_id: int
    procedure_name: str
    year: int
    status: str
    status_label: str
    version: int
    wage_per_hour_vnd: int
    yearly_volume: int
    volume_basis: str
    effective_on: date | None
    approved_at: datetime | None
    submitted_at: datetime | None
    decided_at: datetime | None
    before: CostOut
    after: CostOut
    saving_per_dossier_vnd: int
    saving_per_year_vnd: int
    saving_percent: str | None
    findings: list[FindingOut]


class ActionIn(Schema):
    action: Annotated[str, Field(max_length=20), NoNul]
    version: Annotated[int, Field(ge=1)]
    note: Annotated[str, Field(max_length=2000), NoNul] = ""


def _cost(c: services.costing.ScenarioCost) -> dict:
    return {
        "hours": str(c.hours),
        "time_vnd": c.time_vnd,
        "fee_vnd": c.fee_vnd,
        "other_vnd": c.other_vnd,
        "per_dossier_vnd": c.per_dossier_vnd,
        "per_year_vnd": c.per_year_vnd,
    }


def _out(review: Review) -> dict:
    result = services.review_saving(review)
    return {
        "id": review.pk,
        "unit_id": review.unit_id,
        "procedure_id": review.procedure_id,
        "procedure_name": review.procedure.name,
        "year": review.year,
        "status": review.status,
        "status_label": review.get_status_display(),
        "version": review.version,
        "wage_per_hour_vnd": review.wage_per_hour_vnd,
        "yearly_volume": review.yearly_volume,
        "volume_basis": review.volume_basis,
        "effective_on": review.effective_on,
        "approved_at": review.approved_at,
        "submitted_at": review.submitted_at,
        "decided_at": review.decided_at,
        "before": _cost(result.before),
        "after": _cost(result.after),
        "saving_per_dossier_vnd": result.per_dossier_vnd,
        "saving_per_year_vnd": result.per_year_vnd,
        "saving_percent": None if result.percent is None else str(result.percent),
        "findings": [
            {
                "part": f.part,
                "part_label": f.get_part_display(),
                "current": f.current,
                "finding": f.finding,
                "proposal": f.proposal,
                "legal_ground": f.legal_ground,
            }
            for f in review.findings.all()
        ],
    }


def _get(request: HttpRequest, pk: int) -> Review:
    if not rules.may_view(request.user):
        raise HttpError(403, "Bạn không có quyền xem rà soát, đơn giản hóa TTHC.")
    return get_object_or_404(selectors.reviews_for(request.user), pk=pk)


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(m for messages in error.message_dict.values() for m in messages)
    return " ".join(error.messages)


@router.get("/simplification/reviews", response=list[ReviewOut], summary="Danh sách phiếu rà soát")
def review_list(request: AuthedHttpRequest) -> list[dict]:
    if not rules.may_view(request.user):
        raise HttpError(403, "Bạn không có quyền xem rà soát, đơn giản hóa TTHC.")
    reviews = selectors.reviews_for(request.user).prefetch_related("findings", "cost_lines")
    return [_out(r) for r in reviews[:200]]


@router.get("/simplification/reviews/{pk}", response=ReviewOut, summary="Một phiếu rà soát")
def review_get(request: AuthedHttpRequest, pk: Id) -> dict:
    return _out(_get(request, pk))


def _may_act(request: HttpRequest, user: Any) -> None:
    """Some action of the workflow on this review (which one is in the body, checked after)."""
    rules.check_action(user, _get(request, path_id(request, "pk")).unit, "")


@router.post(
    "/simplification/reviews/{pk}/actions",
    response=ReviewOut,
    summary="Duyệt, gửi, chấp thuận, không chấp thuận hoặc trả về dự thảo",
    auth=permitted(_may_act),
)
def review_act(request: AuthedHttpRequest, pk: Id, payload: ActionIn) -> dict:
    review = _get(request, pk)
    try:
        review = services.review_act(
            actor=request.user,
            review=review,
            action=payload.action,
            expected_version=payload.version,
            note=payload.note,
        )
    except services.StaleReview as error:
        raise HttpError(409, _messages(error)) from None
    except ValidationError as error:
        raise HttpError(422, _messages(error)) from None
    return _out(review)
