"""Rates on the scorecard pages: "95,5% (21/22)", or "Chưa có số liệu" for an empty period
(never 0%)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from cchc.kpi.registry import Measure
from cchc.kpi.scorecards import NO_DATA, rate_text

register = template.Library()


@register.filter
def rate(measure: Measure) -> str:
    return rate_text(measure)


@register.filter
def tenth(value: Decimal | None) -> str:
    """A Circular 01/2018 score with its one decimal, as Vietnamese write it: "1,0", "5,7"."""
    if value is None:
        return NO_DATA
    return f"{Decimal(value).quantize(Decimal('0.1')):f}".replace(".", ",")
