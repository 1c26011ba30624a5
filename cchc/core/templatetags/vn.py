"""Vietnamese display conventions: dd/mm/yyyy dates and VND with dot thousands separators."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone

register = template.Library()


def format_vnd(amount: int | None) -> str:
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(int(amount)):,}".replace(",", ".") + " đ"


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


@register.filter(name="vnd")
def vnd(amount: int | None) -> str:
    """12000 -> "12.000 đ"."""
    return format_vnd(amount)


@register.filter(name="ngay")
def ngay(value: date | datetime | None) -> str:
    """A date as dd/mm/yyyy; a datetime in local time as dd/mm/yyyy HH:MM."""
    return format_date(value)


@register.filter(name="tel")
def tel(phone: str | None) -> str:
    """A phone number as a `tel:` link's target: digits and "+" only ("0283 123 4567" →
    "02831234567"), as RFC 3966 dials it; the page still shows the number as written."""
    return "".join(ch for ch in str(phone or "") if ch.isascii() and (ch.isdigit() or ch == "+"))
