"""Charts drawn on the server as inline SVG: no JavaScript, no CDN, readable on a phone and in
print (design.md: every asset served by the app).

`rate_chart` draws one bar per row (a question, a group, a month) with its 95% Wilson interval
as a whisker and the plan's 95% target as a dashed line; `distribution_chart` shows how the
valid answers split over the five levels. Every label is escaped; colours carry no meaning that
the text does not also say.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cchc.surveys.models import SCALE
from cchc.surveys.stats import Tally

WIDTH = 640
LEFT = 8
BAR_WIDTH = 500
ROW = 46
TARGET = 95
# Red to green, distinguishable in grey scale too (lightness increases with the score).
LEVEL_COLOURS = {1: "#8e1b1b", 2: "#d0573a", 3: "#b9b9b9", 4: "#6fae6b", 5: "#2f7d32"}


def _x(percent_value: float) -> float:
    return LEFT + BAR_WIDTH * max(0.0, min(100.0, percent_value)) / 100


def _fmt(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def rate_chart(
    rows: Sequence[tuple[str, Tally]], *, title: str, target: float = TARGET
) -> SafeString:
    """Satisfaction rate per row, with interval whiskers and the target line."""
    height = 34 + ROW * max(1, len(rows))
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="t-{id(rows)}">',
        f'<title id="t-{id(rows)}">{escape(title)}</title>',
    ]
    for tick in (0, 25, 50, 75, 100):
        x = _x(tick)
        parts.append(
            f'<line x1="{x:.1f}" y1="18" x2="{x:.1f}" y2="{height - 4}" stroke="#e2e2e2"/>'
            f'<text x="{x:.1f}" y="12" font-size="10" text-anchor="middle" fill="#555">'
            f"{tick}%</text>"
        )
    for index, (label, tally) in enumerate(rows):
        top = 22 + ROW * index
        parts.append(
            f'<text x="{LEFT}" y="{top + 10}" font-size="12" fill="#111">{escape(label)}</text>'
        )
        rate = tally.rate
        if rate is None:
            parts.append(
                f'<text x="{LEFT}" y="{top + 30}" font-size="11" fill="#555">'
                "chưa có câu trả lời hợp lệ</text>"
            )
            continue
        bar_top = top + 16
        parts.append(
            f'<rect x="{LEFT}" y="{bar_top}" width="{_x(rate) - LEFT:.1f}" height="14" '
            f'fill="{"#2f7d32" if rate >= target else "#c77c02"}"/>'
        )
        interval = tally.interval
        if interval is not None:
            low, high = (_x(b) for b in interval)
            middle = bar_top + 7
            parts.append(
                f'<line x1="{low:.1f}" y1="{middle}" x2="{high:.1f}" y2="{middle}" '
                f'stroke="#111" stroke-width="1.5"/>'
                f'<line x1="{low:.1f}" y1="{bar_top + 2}" x2="{low:.1f}" y2="{bar_top + 12}" '
                f'stroke="#111" stroke-width="1.5"/>'
                f'<line x1="{high:.1f}" y1="{bar_top + 2}" x2="{high:.1f}" y2="{bar_top + 12}" '
                f'stroke="#111" stroke-width="1.5"/>'
            )
        parts.append(
            f'<text x="{LEFT + BAR_WIDTH + 8}" y="{bar_top + 11}" font-size="12" fill="#111">'
            f"{_fmt(rate)}% (n={tally.valid})</text>"
        )
    target_x = _x(target)
    parts.append(
        f'<line x1="{target_x:.1f}" y1="18" x2="{target_x:.1f}" y2="{height - 4}" '
        f'stroke="#1a4f8b" stroke-dasharray="4 3"/>'
        f'<text x="{target_x - 3:.1f}" y="{height - 6}" font-size="10" text-anchor="end" '
        f'fill="#1a4f8b">mục tiêu {target:g}%</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated label is escaped


def distribution_chart(rows: Sequence[tuple[str, Tally]], *, title: str) -> SafeString:
    """Share of each level among the valid answers, as one stacked bar per row."""
    height = 40 + ROW * max(1, len(rows))
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    x: float = LEFT
    for level, name in SCALE.items():
        parts.append(
            f'<rect x="{x}" y="4" width="10" height="10" fill="{LEVEL_COLOURS[level]}"/>'
            f'<text x="{x + 13}" y="13" font-size="10" fill="#333">{escape(name)}</text>'
        )
        x += 14 + len(name) * 5.6
    for index, (label, tally) in enumerate(rows):
        top = 26 + ROW * index
        parts.append(
            f'<text x="{LEFT}" y="{top + 10}" font-size="12" fill="#111">{escape(label)}</text>'
        )
        if not tally.valid:
            continue
        start = float(LEFT)
        for level in range(1, 6):
            width = (WIDTH - 2 * LEFT) * tally.counts[level] / tally.valid
            if width <= 0:
                continue
            parts.append(
                f'<rect x="{start:.1f}" y="{top + 16}" width="{width:.1f}" height="14" '
                f'fill="{LEVEL_COLOURS[level]}"><title>{escape(SCALE[level])}: '
                f"{tally.counts[level]}</title></rect>"
            )
            start += width
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated label is escaped
