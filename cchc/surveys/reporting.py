"""What the results pages, the exports and the public page show, built once per request.

The public page gets counts, rates and charts only: no free text at all (a comment may name a
teacher or give a phone number), and no breakdown bucket with fewer than `MIN_PUBLIC_CELL` valid
answers (a class of three parents would otherwise be identifiable).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from cchc.surveys import charts, results
from cchc.surveys.models import SCALE, Answer, Campaign, QuestionKind, Response
from cchc.surveys.stats import Tally

MIN_PUBLIC_CELL = 5
_PHONE_OR_ID = re.compile(r"(?<![\d+])(?:\+84[\s.\-]?)?\d(?:[\s.\-]?\d){7,11}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def mask_personal(text: str) -> str:
    """Phone numbers, ID numbers and e-mail addresses in a comment, blanked."""
    return _PHONE_OR_ID.sub("[đã ẩn số]", _EMAIL.sub("[đã ẩn thư điện tử]", text))


@dataclass
class Breakdown:
    title: str
    rows: list[tuple[str, Tally]]


def _month_label(bucket: Any) -> str:
    return f"Tháng {bucket:%m/%Y}" if bucket else "–"


def build(campaign: Campaign, *, public: bool, show_personal: bool = False) -> dict[str, Any]:
    responses: QuerySet[Response] = Response.objects.filter(campaign=campaign)
    computed = results.compute(responses)
    breakdowns = [
        Breakdown("Theo tháng", [(_month_label(b), t) for b, t in results.by_month(responses)]),
    ]
    procedures = results.by_procedure(responses)
    if procedures:
        breakdowns.append(Breakdown("Theo thủ tục", [(b or "–", t) for b, t in procedures]))
    segments = results.by_segment(responses)
    if segments:
        breakdowns.append(Breakdown("Theo lớp", [(f"Lớp {b}", t) for b, t in segments]))
    if public:
        for breakdown in breakdowns:
            breakdown.rows = [(b, t) for b, t in breakdown.rows if t.valid >= MIN_PUBLIC_CELL]
    context: dict[str, Any] = {
        "campaign": campaign,
        "results": computed,
        "breakdowns": [b for b in breakdowns if b.rows],
        # Each count with its level's name: on a phone the table's rows stack, every figure
        # after its column's name.
        "question_rows": [
            (q, list(zip(SCALE.values(), q.tally.counts.values(), strict=True)))
            for q in computed.scale_questions
        ],
        "group_chart": charts.rate_chart(
            [(g.label, g.tally) for g in computed.groups],
            title="Tỷ lệ hài lòng theo nhóm tiêu chí",
        ),
        "question_chart": charts.rate_chart(
            [(q.text, q.tally) for q in computed.scale_questions],
            title="Tỷ lệ hài lòng theo từng câu hỏi",
        ),
        "distribution_chart": charts.distribution_chart(
            [(g.label, g.tally) for g in computed.groups], title="Phân bố mức đánh giá"
        ),
    }
    if campaign.kind == "dossier":
        context["proxy_766"] = dossier_proxy(campaign)
    if not public:
        context["comments"] = comments(responses, show_personal=show_personal)
    return context


def dossier_proxy(campaign: Campaign) -> dict[str, Any]:
    """The 766 indicator 5.4 for the unit over the campaign's current year."""
    from django.utils import timezone

    from cchc.kpi.registry import Period, measure
    from cchc.organizations.models import Unit

    period = Period.year(timezone.localdate().year)
    units = Unit.objects.filter(pk=campaign.unit_id)
    value = measure("satisfaction_766_rate", units, period)
    return {"period": period, "measure": value, "text": value.display()}


def comments(responses: QuerySet[Response], *, show_personal: bool, limit: int = 200) -> list:
    rows = (
        Answer.objects.filter(response__in=responses.values("pk"), question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .select_related("response")
        .order_by("-response__submitted_at")[:limit]
    )
    return [
        {
            "at": a.response.submitted_at,
            "text": a.text if show_personal else mask_personal(a.text),
        }
        for a in rows
    ]
