"""Indicators, the 766 index, self-assessments, per-person scorecards and periodic reports over
the API (issue 16 item 8), scoped exactly like the pages: a school sees itself, the commune the
schools below it; a person their own scorecard, leaders their unit's.

`unit` is a unit id (default: the caller's own unit); `period` is 2026, 2026-Q1…Q4, 2026-H1/H2
or 2026-11. A malformed period is a 422 with the Vietnamese reason, a unit the caller may not
read a 404, exactly as for a unit that does not exist.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.api.dossiers import Id, NoNul
from cchc.api.guards import path_id, permitted
from cchc.api.types import Year
from cchc.core.official_docs import OfficialDocError
from cchc.kpi import assessments, index766, scorecards, selectors
from cchc.kpi.models import Assessment
from cchc.kpi.registry import Period
from cchc.organizations.models import Unit
from cchc.reports.builder import FORMATS, ReportRequest, period_name, report_file
from cchc.reports.calendar import offered_windows, report_window

router = Router(tags=["Chỉ số, tự đánh giá, báo cáo"])

PeriodText = Annotated[str, Field(max_length=20), NoNul]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- schemas --------------------------------------------------------------------------------


class UnitRef(Schema):
    id: int
    code: str
    name: str


class PeriodOut(Schema):
    text: str
    start: date
    end: date


class IndicatorOut(Schema):
    code: str
    name: str
    definition: str
    module: str
    unit: str
    better: str
    value: float | None = Field(
        description="Phần trăm; null = chưa có số liệu trong kỳ (không phải 0%)"
    )
    numerator: float
    denominator: float
    display: str
    target: str | None
    goal: str | None
    status: str | None
    status_label: str | None
    companion_of_target: str | None = Field(
        default=None,
        description="Số mục tiêu mà chỉ số hiển thị bên cạnh (chỉ số đi kèm, không dùng để "
        'đánh giá mục tiêu), ví dụ "8"',
    )


class KpiOut(Schema):
    unit: UnitRef
    period: PeriodOut
    indicators: list[IndicatorOut]


class Index766IndicatorOut(Schema):
    code: str
    title: str
    max_points: float
    kpi: str | None
    target: float | None
    status: str
    reason: str | None
    value: float | None
    display: str | None
    points: float | None


class Index766GroupOut(Schema):
    code: str
    title: str
    max_points: float
    applicable_max: float
    points: float
    indicators: list[Index766IndicatorOut]


class Index766Out(Schema):
    unit: UnitRef
    period: PeriodOut
    rules_version: str
    rule: str
    earned: float
    applicable_max: float
    nominal_max: float
    total: float | None
    rescale: str
    rating: str | None
    groups: list[Index766GroupOut]


class CriterionOut(Schema):
    code: str
    title: str
    kind: str
    kpi: str
    max_points: float
    applicable: bool
    measured: str
    self_points: float | None
    evidence: str
    final_points: float | None
    adjust_reason: str


class AssessmentOut(Schema):
    id: int
    unit_id: int
    year: int
    rubric_code: str
    rubric_version: str
    status: str
    status_label: str
    self_points: float
    final_points: float | None
    max_points: float
    points: float
    rating: str
    revision: int
    criteria: list[CriterionOut]


class SubmitIn(Schema):
    revision: Annotated[int, Field(ge=0, le=2_147_483_647)]


class IndexOut(Schema):
    number: int
    title: str
    dossiers_scored: int
    points: int
    score: float | None


class OfficialOut(Schema):
    score: float | None = Field(
        description="Tổng điểm các chỉ số có dữ liệu; null = chưa có số liệu"
    )
    max_points: int
    reading: str
    indices: list[IndexOut]


class RateOut(Schema):
    on_time: int
    total: int
    rate: float | None
    display: str


class ActivitiesOut(Schema):
    plan_activities: int
    documents_released: int
    incoming_done: int
    audit_actions: int
    reform_count: int = Field(description=scorecards.ACTIVITY_DEFINITION)


class ScorecardOut(Schema):
    staff_id: int
    full_name: str
    position: str
    unit_id: int
    rank: int
    period: dict[str, date]
    official: OfficialOut
    dossiers: RateOut
    tasks: RateOut
    activities: ActivitiesOut


class ReportOut(Schema):
    period: str
    name: str
    formats: list[str]
    url: str


# --- scope ---------------------------------------------------------------------------------


def _unit(request: HttpRequest, unit: int | None) -> Unit:
    """A unit the caller may read the indicators of (the pages' rule); 404 otherwise."""
    permissions.require(request.user, permissions.VIEW_PLANS)
    if unit is None:
        return permissions.acting_unit_or_404(request.user)
    found = permissions.visible_units(request.user).filter(pk=unit).first()
    if found is None:
        raise Http404
    return found


def _period(text: str | None) -> tuple[Period, str]:
    text = (text or "").strip() or str(timezone.localdate().year)
    try:
        return Period.parse(text), text.upper()
    except ValueError as error:
        raise HttpError(422, str(error)) from None


def _refs(unit: Unit, period: Period, text: str) -> dict[str, Any]:
    return {
        "unit": {"id": unit.pk, "code": unit.code, "name": unit.name},
        "period": {"text": text, "start": period.start, "end": period.end},
    }


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


# --- routes --------------------------------------------------------------------------------


@router.get("/kpi/", response=KpiOut, summary="Mọi chỉ số của một đơn vị trong kỳ")
def kpi_list(
    request: AuthedHttpRequest, unit: Id | None = None, period: PeriodText | None = None
) -> dict[str, Any]:
    """Each indicator with its value (null = N/A), definition, the plan's goal and status."""
    found = _unit(request, unit)
    chosen, text = _period(period)
    figures = selectors.unit_figures(found, chosen, today=timezone.localdate())
    return {**_refs(found, chosen, text), "indicators": [f.as_dict() for f in figures]}


@router.get("/kpi/index766", response=Index766Out, summary="Chỉ số 766 của một đơn vị trong kỳ")
def kpi_index766(
    request: AuthedHttpRequest, unit: Id | None = None, period: PeriodText | None = None
) -> dict[str, Any]:
    found = _unit(request, unit)
    chosen, text = _period(period)
    data = index766.compute(found, chosen).as_dict()
    return {**data, **_refs(found, chosen, text)}


def _assessment_out(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "unit_id": assessment.unit_id,
        "year": assessment.year,
        "rubric_code": assessment.rubric_code,
        "rubric_version": assessment.rubric_version,
        "status": assessment.status,
        "status_label": assessment.get_status_display(),
        "self_points": float(assessment.self_points),
        "final_points": _number(assessment.final_points),
        "max_points": float(assessment.max_points),
        "points": float(assessment.points),
        "rating": assessment.rating,
        "revision": assessment.revision,
        "criteria": [
            {
                "code": row.code,
                "title": row.title,
                "kind": row.kind,
                "kpi": row.kpi,
                "max_points": float(row.max_points),
                "applicable": row.applicable,
                "measured": row.measured,
                "self_points": _number(row.self_points),
                "evidence": row.evidence,
                "final_points": _number(row.final_points),
                "adjust_reason": row.adjust_reason,
            }
            for row in assessment.scores.all()
        ],
    }


def _assessments(request: HttpRequest):
    permissions.require(request.user, permissions.VIEW_PLANS)
    return permissions.scope_to_units(
        Assessment.objects.select_related("unit").prefetch_related("scores"), request.user
    )


@router.get(
    "/kpi/assessments", response=list[AssessmentOut], summary="Các bản tự đánh giá Chỉ số CCHC"
)
def assessment_list(
    request: AuthedHttpRequest, unit: Id | None = None, year: Year | None = None
) -> list[dict[str, Any]]:
    """The self-assessments of the units the caller may read (one unit with `unit`)."""
    found = _assessments(request)
    if unit is not None:
        found = found.filter(unit=_unit(request, unit))
    if year is not None:
        found = found.filter(year=year)
    return [_assessment_out(a) for a in found.order_by("-year", "unit__name")[:500]]


def _assessment(request: HttpRequest, assessment_id: int) -> Assessment:
    found = _assessments(request).filter(pk=assessment_id).first()
    if found is None:
        raise Http404
    return found


@router.get(
    "/kpi/assessments/{assessment_id}", response=AssessmentOut, summary="Một bản tự đánh giá"
)
def assessment_get(request: AuthedHttpRequest, assessment_id: Id) -> dict[str, Any]:
    return _assessment_out(_assessment(request, assessment_id))


def _may_self_score(request: HttpRequest, user: Any) -> None:
    found = _assessment(request, path_id(request, "assessment_id"))
    if not assessments.can_self_score(user, found.unit):
        raise PermissionDenied("Chỉ lãnh đạo đơn vị được tự chấm điểm cho đơn vị mình.")


@router.post(
    "/kpi/assessments/{assessment_id}/submit",
    response=AssessmentOut,
    summary="Đơn vị gửi bản tự đánh giá lên cấp trên thẩm định",
    auth=permitted(_may_self_score),
)
def assessment_submit(request: AuthedHttpRequest, assessment_id: Id, payload: SubmitIn) -> dict:
    """As the page's "Gửi thẩm định": every manual criterion scored, evidence where required;
    `revision` is the one read (a stale one answers 409)."""
    found = _assessment(request, assessment_id)
    try:
        saved = assessments.assessment_save(
            actor=request.user, assessment=found, entries={}, revision=payload.revision, submit=True
        )
    except assessments.AssessmentError as error:
        raise HttpError(error.status, str(error)) from None
    return _assessment_out(Assessment.objects.prefetch_related("scores").get(pk=saved.pk))


@router.get(
    "/kpi/scorecards",
    response=list[ScorecardOut],
    summary="Kết quả CCHC của từng viên chức trong đơn vị, đã xếp hạng",
)
def scorecard_list(
    request: AuthedHttpRequest, unit: Id | None = None, period: PeriodText | None = None
) -> list[dict[str, Any]]:
    """The unit's cards (its leaders; the commune for the schools below); others get 404."""
    chosen, _ = _period(period)
    found = scorecards.scorecard_unit_for(request.user, None if unit is None else str(unit))
    return [card.as_dict() for card in scorecards.unit_scorecards(found, chosen)]


@router.get(
    "/kpi/scorecards/{staff_id}", response=ScorecardOut, summary="Kết quả CCHC của một người"
)
def scorecard_get(
    request: AuthedHttpRequest, staff_id: Id, period: PeriodText | None = None
) -> dict[str, Any]:
    """One's own card, or one of a unit the caller may rank."""
    chosen, _ = _period(period)
    staff = scorecards.scorecard_staff_for(request.user, staff_id)
    return scorecards.staff_scorecard(staff, chosen).as_dict()


def _report_periods(unit: Unit, today: date) -> list[str]:
    """The periods of the unit's reporting calendar that have begun (as the report page)."""
    return [window.period for window in offered_windows(unit, today)]


@router.get("/reports", response=list[ReportOut], summary="Các báo cáo định kỳ lập được")
def report_list(request: AuthedHttpRequest, unit: Id | None = None) -> list[dict[str, Any]]:
    """The periodic reports of a unit (quarters so far, half-years, the year and last year),
    each built on request from the current figures in any of its formats."""
    found = _unit(request, unit)
    return [
        {
            "period": text,
            "name": f"Báo cáo kết quả thực hiện công tác CCHC {period_name(text)}",
            "formats": list(FORMATS),
            "url": f"/api/v1/reports/download?unit={found.pk}&period={text}&format=docx",
        }
        for text in _report_periods(found, timezone.localdate())
    ]


_BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/reports/download",
    summary="Tải một báo cáo định kỳ (DOCX, PDF hoặc XLSX)",
    openapi_extra={
        "responses": {
            200: {
                "description": "Tệp báo cáo",
                "content": {DOCX: _BINARY, "application/pdf": _BINARY, XLSX: _BINARY},
            },
            503: {
                "description": "Không chuyển được sang PDF lúc này",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
        }
    },
)
def report_download(
    request: AuthedHttpRequest,
    unit: Id | None = None,
    period: PeriodText | None = None,
    format: Literal["docx", "pdf", "xlsx"] = "docx",
) -> HttpResponse:
    """The report of a unit the caller may read, built from the current figures."""
    found = _unit(request, unit)
    text = (period or "").strip() or str(timezone.localdate().year)
    try:
        window = report_window(found, text)
        if not window.in_calendar:  # as the report page: only the periods the calendar owes
            raise ValueError(
                f"Kỳ báo cáo «{text}» không có trong lịch báo cáo định kỳ của {found.name}."
            )
        content, content_type, name = report_file(ReportRequest(found, text, window=window), format)
    except ValueError as error:
        raise HttpError(422, str(error)) from None
    except OfficialDocError as error:
        raise HttpError(503, str(error)) from None
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
