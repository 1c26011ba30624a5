"""Satisfaction indicators (design.md section 1: `satisfaction_rate` is the contract code).

`satisfaction_rate` is the plan's target 3 ("mức độ hài lòng của người dân, tổ chức về giải quyết
TTHC đạt 95% trở lên"): (Hài lòng + Rất hài lòng) ÷ valid answers over every five-point answer of
the per-dossier ratings submitted in the period, blank and "Không ý kiến" excluded (domain.md 5).
It is a Measure of answer counts, so schools roll up to the commune by adding counts, and it is
marked `sampled` so it is shown with its 95% Wilson interval. The answers of one respondent are
not independent, so the interval is, if anything, a little too narrow; the per-respondent
"overall" question is shown beside it on the results page.

`satisfaction_766_rate` is the national proxy, Decision 766 indicator 5.4: 100% − (% overdue +
% with a PAKN or a dislike), over the dossiers handled in the period, a dislike being a rating
whose overall answer is Không hài lòng or Rất không hài lòng. PAKN are not counted yet (no
feedback module in this app); the indicator says so in its name.
"""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from cchc.dossiers.kpis import (
    HANDLED_CODES,
    dossier_on_time_rate_766,
    dossiers_handled,
    handled_measures,
    handled_parts,
    period_window,
)
from cchc.kpi.registry import Measure, PartsByUnit, Period, indicator, indicator_group
from cchc.organizations.models import Unit
from cchc.surveys import results
from cchc.surveys.definitions import OVERALL_CODE
from cchc.surveys.models import Answer, CampaignKind, Purpose, QuestionKind, Response


def responses_in(units: QuerySet[Unit], period: Period, **filters: object) -> QuerySet[Response]:
    start, end = period_window(period)
    return Response.objects.filter(
        campaign__unit__in=units, submitted_at__gte=start, submitted_at__lt=end, **filters
    )


@indicator(
    "satisfaction_rate",
    name="Mức độ hài lòng của người dân, tổ chức về giải quyết TTHC",
    source="Kế hoạch CCHC mục tiêu 3; (Hài lòng + Rất hài lòng) ÷ câu trả lời hợp lệ của phiếu "
    "đánh giá từng hồ sơ, không tính câu bỏ trống và “Không ý kiến” (Quyết định 3476/QĐ-BGDĐT, "
    "SIPAS)",
    sampled=True,
)
def satisfaction_rate(units: QuerySet[Unit], period: Period) -> Measure:
    tally = results.pooled(responses_in(units, period, campaign__kind=CampaignKind.DOSSIER))
    return Measure(tally.satisfied, tally.valid, sampled=True)


@indicator(
    "education_satisfaction_rate",
    name="Mức độ hài lòng về dịch vụ giáo dục công (cha mẹ học sinh, học sinh)",
    source="Quyết định 3476/QĐ-BGDĐT; Kế hoạch CCHC phần III (trách nhiệm tổ chức khảo sát)",
    sampled=True,
)
def education_satisfaction_rate(units: QuerySet[Unit], period: Period) -> Measure:
    tally = results.pooled(
        responses_in(units, period, campaign__template__purpose=Purpose.EDUCATION)
    )
    return Measure(tally.satisfied, tally.valid, sampled=True)


def dislikes(units: QuerySet[Unit], period: Period) -> int:
    """Dossiers handled in the period whose rating's overall answer is 1 or 2."""
    handled = dossiers_handled(units, period).values("pk")
    return (
        Answer.objects.filter(
            response__dossier__in=handled,
            question__code=OVERALL_CODE,
            scale__lte=2,
        )
        .filter(~Q(scale__isnull=True))
        .values("response__dossier")
        .distinct()
        .count()
    )


@indicator(
    "satisfaction_766_rate",
    name="Chỉ số 5.4 (Quyết định 766): hài lòng với giải quyết hồ sơ, chưa gồm phản ánh, kiến nghị",
    source="Quyết định 766/QĐ-TTg chỉ số 5.4: 100% − (% hồ sơ quá hạn + % hồ sơ có phản ánh "
    "hoặc không hài lòng); đạt điểm tối đa khi ≥ 90%",
)
def satisfaction_766_rate(units: QuerySet[Unit], period: Period) -> Measure:
    on_time = dossier_on_time_rate_766(units, period)
    total = int(on_time.denominator)
    overdue = total - int(on_time.numerator)
    return Measure(max(0, total - overdue - dislikes(units, period)), total)


def _satisfaction_766(parts: dict[str, int]) -> Measure:
    """`satisfaction_766_rate` from one unit's `handled_parts` with its `disliked` count."""
    total = parts.get("handled", 0)
    overdue = total - parts.get("on_time_766", 0)
    return Measure(max(0, total - overdue - parts.get("disliked", 0)), total)


@indicator_group(*HANDLED_CODES, "satisfaction_766_rate", empty=lambda: _with_dislikes({}))
def handled_with_dislikes(units: QuerySet[Unit], period: Period) -> PartsByUnit:
    """The handled-dossier indicators and the 766 satisfaction proxy in one grouped query: the
    proxy's dislikes are counted over the same dossiers (those whose rating's overall answer is
    1 or 2, as `dislikes` counts them)."""
    disliked = Exists(
        Answer.objects.filter(
            response__dossier=OuterRef("pk"), question__code=OVERALL_CODE, scale__lte=2
        )
    )
    found: PartsByUnit = {}
    for pk, parts in handled_parts(units, period, disliked=Count("id", filter=Q(disliked))).items():
        found[pk] = _with_dislikes(parts)
    return found


def _with_dislikes(parts: dict[str, int]) -> dict[str, Measure]:
    return {**handled_measures(parts), "satisfaction_766_rate": _satisfaction_766(parts)}


SATISFACTION_CODES = ("satisfaction_rate", "education_satisfaction_rate")


def _satisfaction_measures(row: dict[str, int]) -> dict[str, Measure]:
    return {
        "satisfaction_rate": Measure(row["dossier_n"], row["dossier_d"], sampled=True),
        "education_satisfaction_rate": Measure(row["school_n"], row["school_d"], sampled=True),
    }


_NO_ANSWERS = {"dossier_n": 0, "dossier_d": 0, "school_n": 0, "school_d": 0}


@indicator_group(*SATISFACTION_CODES, empty=lambda: _satisfaction_measures(_NO_ANSWERS))
def satisfaction_group(units: QuerySet[Unit], period: Period) -> PartsByUnit:
    """Both satisfaction rates of each unit in one grouped query over the scale answers of the
    responses submitted in the period: what `results.pooled` tallies for each (a valid answer
    has a scale and is not "Không ý kiến"; satisfied is 4 or 5), by the campaign's unit."""
    start, end = period_window(period)
    dossier = Q(response__campaign__kind=CampaignKind.DOSSIER)
    school = Q(response__campaign__template__purpose=Purpose.EDUCATION)
    valid = Q(no_opinion=False, scale__isnull=False)
    satisfied = valid & Q(scale__gte=4)
    rows = (
        Answer.objects.filter(
            question__kind=QuestionKind.SCALE,
            response__campaign__unit__in=units,
            response__submitted_at__gte=start,
            response__submitted_at__lt=end,
        )
        .filter(dossier | school)
        .order_by()
        .values("response__campaign__unit_id")
        .annotate(
            dossier_n=Count("id", filter=dossier & satisfied),
            dossier_d=Count("id", filter=dossier & valid),
            school_n=Count("id", filter=school & satisfied),
            school_d=Count("id", filter=school & valid),
        )
    )
    found = cast("list[dict[str, Any]]", list(rows))
    return {row.pop("response__campaign__unit_id"): _satisfaction_measures(row) for row in found}
