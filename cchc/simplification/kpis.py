"""Indicators of plan task 3.5: procedures reviewed, compliance cost saved (money and percent).

Reviews are few (a handful per school per year), so the sums are taken in Python over one query
per indicator, with the same formula the pages and the paper show (`services.review_saving`).
"""

from __future__ import annotations

from django.db.models import QuerySet

from cchc.dossiers.kpis import period_window
from cchc.kpi.registry import Measure, Period, indicator
from cchc.organizations.models import Unit
from cchc.simplification.costing import vnd
from cchc.simplification.models import Review, ReviewStatus
from cchc.simplification.services import review_saving

SOURCE = "Kế hoạch CCHC nhiệm vụ 3.5; Thông tư 07/2014/TT-BTP (chi phí tuân thủ TTHC)"
_APPROVED = (ReviewStatus.APPROVED, ReviewStatus.SUBMITTED, ReviewStatus.ACCEPTED)


def _accepted(units: QuerySet[Unit], period: Period) -> QuerySet[Review]:
    start, end = period_window(period)
    return Review.objects.filter(
        unit__in=units, status=ReviewStatus.ACCEPTED, decided_at__gte=start, decided_at__lt=end
    ).prefetch_related("cost_lines")


@indicator(
    "procedures_reviewed_count",
    name="Số thủ tục hành chính được rà soát, đề xuất đơn giản hóa",
    unit="thủ tục",
    source=SOURCE,
)
def procedures_reviewed_count(units: QuerySet[Unit], period: Period) -> Measure:
    start, end = period_window(period)
    count = (
        Review.objects.filter(
            unit__in=units, status__in=_APPROVED, approved_at__gte=start, approved_at__lt=end
        )
        .values("unit_id", "procedure__name")
        .distinct()
        .count()
    )
    return Measure(count, count, label=f"{count} thủ tục")


@indicator(
    "compliance_cost_saved_vnd",
    name="Chi phí tuân thủ TTHC tiết kiệm được mỗi năm",
    unit="đồng/năm",
    source=SOURCE,
)
def compliance_cost_saved_vnd(units: QuerySet[Unit], period: Period) -> Measure:
    reviews = list(_accepted(units, period))
    if not reviews:
        return Measure()
    saved = sum(review_saving(r).per_year_vnd for r in reviews)
    return Measure(saved, saved or 1, label=f"{vnd(saved)}/năm")


@indicator("compliance_cost_saved_rate", name="Tỷ lệ chi phí tuân thủ TTHC cắt giảm", source=SOURCE)
def compliance_cost_saved_rate(units: QuerySet[Unit], period: Period) -> Measure:
    saved = before = 0
    for review in _accepted(units, period):
        result = review_saving(review)
        saved += result.per_year_vnd
        before += result.before.per_year_vnd
    return Measure(saved, before)
