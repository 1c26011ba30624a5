"""Rates on the scorecard pages: "95,5% (21/22)", or "N/A" for an empty period (never 0%)."""

from __future__ import annotations

from django import template

from cchc.kpi.registry import Measure
from cchc.kpi.scorecards import rate_text

register = template.Library()


@register.filter
def rate(measure: Measure) -> str:
    return rate_text(measure)
