"""A trend as a small server-rendered SVG (design.md 6: no chart library, readable in print).

The line is drawn on its own scale, from the series' lowest to its highest value, so that a rate
moving between 93% and 95% shows its movement instead of a flat line at the top of a 0–100%
box; a flat (or nearly flat) series keeps a floor of `MIN_SPAN` points, centred, so that noise
of a tenth of a point is not blown up into a zigzag. Because the scale is the series' own, the
figures are written as text beside it: the first and the last value with their dates, and the
scale, and every point carries its own <title> (date and value) for a pointer or a reader.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT, PAD = 120, 32, 3
#: The smallest range (percentage points) the vertical scale covers.
MIN_SPAN = 2.0


def percent(value: Decimal | float) -> str:
    """ "93,1%": one decimal, Vietnamese comma."""
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{rounded:f}".replace(".", ",") + "%"


def scale(values: list[float]) -> tuple[float, float]:
    """The (low, high) the line is drawn between: the series' own, at least MIN_SPAN wide."""
    low, high = min(values), max(values)
    if high - low < MIN_SPAN:
        middle = (low + high) / 2
        low, high = middle - MIN_SPAN / 2, middle + MIN_SPAN / 2
    return low, high


_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def when(day: date, step: str = "day") -> str:
    """What a point stands for: "ngày 31/10/2026" (the year to that night), or "tháng 10/2026"
    / "quý III/2026" for a point that is that month's or quarter's own value."""
    if step == "month":
        return f"tháng {day.month}/{day.year}"
    if step == "quarter":
        return f"quý {_ROMAN[(day.month + 2) // 3]}/{day.year}"
    return f"ngày {day:%d/%m/%Y}"


def sparkline(
    points: list[tuple[date, Decimal | None]], *, label: str, step: str = "day"
) -> SafeString:
    """The measurable points as a polyline on their own scale, a titled dot per point, and the
    first and last value and date as text; empty when fewer than two points. `step`: "month"
    or "quarter" when each point is that period's own value, named so (`when`)."""
    values = [(day, float(value)) for day, value in points if value is not None]
    if len(values) < 2:
        return SafeString("")
    first_day, last_day = values[0][0], values[-1][0]
    span_days = max((last_day - first_day).days, 1)
    low, high = scale([v for _d, v in values])
    coords: list[tuple[str, str, str]] = []
    for day, value in values:
        x = PAD + (WIDTH - 2 * PAD) * (day - first_day).days / span_days
        y = PAD + (HEIGHT - 2 * PAD) * (1 - (value - low) / (high - low))
        point = f"{day:%d/%m/%Y}" if step == "day" else _first_upper(when(day, step))
        coords.append((f"{x:.1f}", f"{y:.1f}", f"{point}: {percent(value)}"))
    svg = format_html(
        '<svg class="sparkline" role="img" width="{}" height="{}" viewBox="0 0 {} {}">'
        "<title>{}</title>"
        '<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{}"/>{}</svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        f"{label}: {percent(values[0][1])} {when(first_day, step)} đến "
        f"{percent(values[-1][1])} {when(last_day, step)}",
        " ".join(f"{x},{y}" for x, y, _t in coords),
        format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="2" fill="currentColor"><title>{}</title></circle>',
            coords,
        ),
    )
    shown_low = min(v for _d, v in values)
    shown_high = max(v for _d, v in values)
    return format_html(
        '<span class="sparkline-box">{}<span class="sparkline-ends">'
        '<span class="sparkline-first">{} <span class="muted">{}</span></span> → '
        '<span class="sparkline-last">{} <span class="muted">{}</span></span></span>'
        '<span class="sparkline-scale muted">thấp nhất {}, cao nhất {}</span></span>',
        svg,
        percent(values[0][1]),
        f"{first_day:%d/%m/%Y}" if step == "day" else when(first_day, step),
        percent(values[-1][1]),
        f"{last_day:%d/%m/%Y}" if step == "day" else when(last_day, step),
        percent(shown_low),
        percent(shown_high),
    )


def _first_upper(text: str) -> str:
    """The first letter upper case, the rest as it is: "quý III/2026" → "Quý III/2026"
    (`str.capitalize` lowers the rest: "Quý iii/2026")."""
    return text[:1].upper() + text[1:]
