"""Points as Vietnamese write them: "6,5", "100" (no trailing zeros, a decimal comma)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from cchc.kpi import registry

register = template.Library()


@register.filter
def diem(value: Decimal | int | float | None) -> str:
    if value is None or value == "":
        return ""
    number = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    return f"{number:f}".replace(".", ",")


@register.filter
def get_item(mapping: dict, key: object) -> object:
    """`mapping[key]` in a template (None when absent)."""
    return mapping.get(key)


@register.filter
def kpi_definition(code: str) -> str:
    """What an indicator counts (the registry's one definition), shown beside every target
    bound to it: the plan's rule that each target is shown with its definition."""
    return registry.definition_of(code) if code else ""


@register.filter
def flags_for(row: Any, period: Any) -> list[Any]:
    """A roll-up row's flags over the page's period (`SchoolRow.shown_flags`)."""
    return list(row.shown_flags(period))


@register.simple_tag(takes_context=True)
def records_link(
    context: template.Context, code: str, unit: Any, period: registry.Period | int | None
) -> Any:
    """The drill-down of a figure (`cchc.kpi.records`) for the page's reader, or None; a plan
    year stands for its calendar year."""
    from cchc.kpi.records import records_for

    if period is None or unit is None:
        return None
    if isinstance(period, int):
        period = registry.Period.year(period)
    request = context.get("request")
    return records_for(getattr(request, "user", None), code, unit, period)
