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

# Drawn for a phone first: 400 units wide, so on a 390 px screen (358 px of chart) the 14-unit
# labels read at 12.5 px; the page caps the chart's width on a desktop (survey.css).
WIDTH = 400
LEFT = 8
BAR_WIDTH = 280
LABEL_SIZE = 14
VALUE_SIZE = 13
LINE = 17  # one line of a label
LABEL_CHARS = 50  # characters of a label line that fit the width
TARGET = 95
# Red to green, distinguishable in grey scale too (lightness increases with the score).
LEVEL_COLOURS = {1: "#8e1b1b", 2: "#d0573a", 3: "#b9b9b9", 4: "#6fae6b", 5: "#2f7d32"}


def _x(percent_value: float) -> float:
    return LEFT + BAR_WIDTH * max(0.0, min(100.0, percent_value)) / 100


def _fmt(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _lines(label: str, width: int = LABEL_CHARS) -> list[str]:
    """A label broken between words into lines that fit the chart (SVG text does not wrap)."""
    lines: list[str] = []
    for word in label.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def _label(lines: list[str], top: float) -> str:
    """The label's lines, the first baseline 11 units below `top`."""
    return "".join(
        f'<text x="{LEFT}" y="{top + 12 + LINE * i}" font-size="{LABEL_SIZE}" fill="#111">'
        f"{escape(line)}</text>"
        for i, line in enumerate(lines)
    )


def rate_chart(
    rows: Sequence[tuple[str, Tally]], *, title: str, target: float = TARGET
) -> SafeString:
    """Satisfaction rate per row, with interval whiskers and the target line."""
    labels = [_lines(label) for label, _ in rows]
    height = 34 + sum(LINE * len(lines) + 26 for lines in labels) if rows else 34 + 42
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-labelledby="t-{id(rows)}">',
        f'<title id="t-{id(rows)}">{escape(title)}</title>',
    ]
    for tick in (0, 25, 50, 75, 100):
        x = _x(tick)
        anchor = "start" if tick == 0 else "middle"
        parts.append(
            f'<line x1="{x:.1f}" y1="18" x2="{x:.1f}" y2="{height - 4}" stroke="#e2e2e2"/>'
            f'<text x="{x:.1f}" y="12" font-size="12" text-anchor="{anchor}" fill="#555">'
            f"{tick}%</text>"
        )
    top = 22
    for lines, (_, tally) in zip(labels, rows, strict=True):
        parts.append(_label(lines, top))
        bar_top = top + LINE * len(lines) + 4
        top = bar_top + 22
        rate = tally.rate
        if rate is None:
            parts.append(
                f'<text x="{LEFT}" y="{bar_top + 11}" font-size="{VALUE_SIZE}" fill="#555">'
                "chưa có câu trả lời hợp lệ</text>"
            )
            continue
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
            f'<text x="{LEFT + BAR_WIDTH + 6}" y="{bar_top + 12}" font-size="{VALUE_SIZE}" '
            'fill="#111">'
            f"{_fmt(rate)}% (n={tally.valid})</text>"
        )
    target_x = _x(target)
    parts.append(
        f'<line x1="{target_x:.1f}" y1="18" x2="{target_x:.1f}" y2="{height - 4}" '
        f'stroke="#1a4f8b" stroke-dasharray="4 3"/>'
        f'<text x="{target_x - 3:.1f}" y="{height - 6}" font-size="12" text-anchor="end" '
        f'fill="#1a4f8b">mục tiêu {target:g}%</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated label is escaped


def distribution_chart(rows: Sequence[tuple[str, Tally]], *, title: str) -> SafeString:
    """Share of each level among the valid answers, as one stacked bar per row."""
    legend: list[str] = []
    x: float = LEFT
    legend_top = 4
    for level, name in SCALE.items():
        width = 18 + len(name) * 6.8
        if x + width > WIDTH:  # the legend wraps too, on a phone-wide chart
            x, legend_top = LEFT, legend_top + 18
        legend.append(
            f'<rect x="{x:.1f}" y="{legend_top}" width="12" height="12" '
            f'fill="{LEVEL_COLOURS[level]}"/>'
            f'<text x="{x + 15:.1f}" y="{legend_top + 11}" font-size="12" fill="#333">'
            f"{escape(name)}</text>"
        )
        x += width
    labels = [_lines(label) for label, _ in rows]
    top = legend_top + 24
    height = top + sum(LINE * len(lines) + 26 for lines in labels)
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        *legend,
    ]
    for lines, (_, tally) in zip(labels, rows, strict=True):
        parts.append(_label(lines, top))
        bar_top = top + LINE * len(lines) + 4
        top = bar_top + 22
        if not tally.valid:
            continue
        start = float(LEFT)
        for level in range(1, 6):
            width = (WIDTH - 2 * LEFT) * tally.counts[level] / tally.valid
            if width <= 0:
                continue
            parts.append(
                f'<rect x="{start:.1f}" y="{bar_top}" width="{width:.1f}" height="14" '
                f'fill="{LEVEL_COLOURS[level]}"><title>{escape(SCALE[level])}: '
                f"{tally.counts[level]}</title></rect>"
            )
            start += width
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated label is escaped
