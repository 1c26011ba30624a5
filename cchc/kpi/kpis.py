"""Target 1, "Chỉ số CCHC đạt từ loại tốt trở lên": the rating of the year's self-assessment.

The official figure is the commune's appraisal once final; before that, the unit's own score.
The parts are points over the applicable maximum, so a commune's total adds its schools' points
(design.md section 1); the rating label is given for one unit only.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from cchc.kpi.models import Assessment
from cchc.kpi.registry import Measure, PartsByUnit, Period, indicator, indicator_group
from cchc.kpi.rubric import current_rubric
from cchc.organizations.models import Unit


@indicator(
    "cchc_self_score",
    name="Xếp loại Chỉ số CCHC (tự đánh giá, xã thẩm định)",
    unit="xếp loại",
    source="Kế hoạch CCHC mục tiêu 1; bộ tiêu chí và thang xếp loại Chỉ số CCHC của tỉnh",
    definition=(
        "Xếp loại theo tổng điểm bộ tiêu chí Chỉ số CCHC của năm ÷ điểm tối đa áp dụng "
        "(tiêu chí không có số liệu được loại khỏi điểm tối đa): điểm xã thẩm định khi đã chốt, "
        "trước đó là điểm đơn vị tự chấm. Thang: Xuất sắc ≥ 90%, Tốt ≥ 80%, Khá ≥ 70%, "
        "Trung bình ≥ 50%, dưới 50% Yếu (hoặc thang của tỉnh)."
    ),
)
def cchc_self_score(units: QuerySet[Unit], period: Period) -> Measure:
    return _score(list(Assessment.objects.filter(unit__in=units, year=period.end.year)))


def _score(assessments: list[Assessment]) -> Measure:
    if not assessments:
        return Measure()
    points = sum((a.points for a in assessments), Decimal(0))
    maximum = sum((a.max_points for a in assessments), Decimal(0))
    if len(assessments) == 1 and maximum:
        return Measure(points, maximum, label=current_rubric().rating(points, maximum))
    return Measure(points, maximum)


@indicator_group("cchc_self_score", empty=lambda: {"cchc_self_score": Measure()})
def self_score_group(units: QuerySet[Unit], period: Period) -> PartsByUnit:
    """`cchc_self_score` of each unit (its own assessment, rated) from one query."""
    mine: dict[int, list[Assessment]] = {}
    for assessment in Assessment.objects.filter(unit__in=units, year=period.end.year):
        mine.setdefault(assessment.unit_id, []).append(assessment)
    return {unit_id: {"cchc_self_score": _score(found)} for unit_id, found in mine.items()}
