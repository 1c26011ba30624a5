"""Points as Vietnamese write them: "6,5", "100" (no trailing zeros, a decimal comma)."""

from __future__ import annotations

from decimal import Decimal

from django import template

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
