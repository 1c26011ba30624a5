"""A trend as a small server-rendered SVG (design.md 6: no chart library, readable in print)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString

WIDTH, HEIGHT, PAD = 120, 28, 2


def sparkline(points: list[tuple[date, Decimal | None]], *, label: str) -> SafeString:
    """A polyline of the measurable points on a 0–100% scale; empty when fewer than two."""
    values = [(day, value) for day, value in points if value is not None]
    if len(values) < 2:
        return SafeString("")
    first, last = values[0][0], values[-1][0]
    span = max((last - first).days, 1)
    coords = []
    for day, value in values:
        x = PAD + (WIDTH - 2 * PAD) * (day - first).days / span
        y = PAD + (HEIGHT - 2 * PAD) * (1 - min(max(float(value), 0.0), 100.0) / 100)
        coords.append(f"{x:.1f},{y:.1f}")
    return format_html(
        '<svg class="sparkline" role="img" width="{}" height="{}" viewBox="0 0 {} {}">'
        "<title>{}</title>"
        '<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{}"/></svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        label,
        " ".join(coords),
    )
