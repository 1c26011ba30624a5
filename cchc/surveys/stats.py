"""Pure formulas for satisfaction results (no Django): rate, mean and the Wilson interval.

Satisfaction rate = (Hài lòng + Rất hài lòng) ÷ valid answers, where blank and "Không ý kiến"
answers are not valid (domain.md section 5; issue 13 item 4). The mean is on the 1–5 scale over the
same valid answers. "95% satisfied" from 40 answers and from 4,000 are not the same claim, so every
rate is shown with its 95% Wilson score interval, which stays inside 0–100% and behaves at rates
near 100% where the normal approximation gives nonsense (upper bounds above 100%).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from cchc.kpi.intervals import Z95, wilson_interval

__all__ = [
    "Z95",
    "Tally",
    "interval_range",
    "interval_text",
    "percent",
    "proxy_766",
    "wilson_interval",
]


def percent(value: float | Decimal | None) -> str:
    """ "93,47%": two decimals (domain.md 2.2), Vietnamese decimal comma, trailing zeros dropped."""
    if value is None:
        return "chưa đo được"
    rounded = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    return f"{rounded:f}".replace(".", ",") + "%"


def interval_range(successes: int, n: int) -> str:
    """ "88,82–97,85%", or "" when nothing was measured: for a cell under a "KTC 95%" header
    (or a phone's "KTC 95%" cell label), which already names it."""
    bounds = wilson_interval(successes, n)
    if bounds is None:
        return ""
    low, high = (percent(b * 100).rstrip("%") for b in bounds)
    return f"{low}–{high}%"


def interval_text(successes: int, n: int) -> str:
    """ "KTC 95%: 88,82–97,85%", or "" when nothing was measured: for running text."""
    bounds = interval_range(successes, n)
    return f"KTC 95%: {bounds}" if bounds else ""


@dataclass
class Tally:
    """Counts of one question (or a group, or everything) on the five-point scale."""

    counts: dict[int, int] = field(default_factory=lambda: dict.fromkeys(range(1, 6), 0))
    no_opinion: int = 0
    blank: int = 0

    def add(self, other: Tally) -> Tally:
        return Tally(
            {k: self.counts[k] + other.counts[k] for k in range(1, 6)},
            self.no_opinion + other.no_opinion,
            self.blank + other.blank,
        )

    @property
    def valid(self) -> int:
        return sum(self.counts.values())

    @property
    def satisfied(self) -> int:
        return self.counts[4] + self.counts[5]

    @property
    def rate(self) -> float | None:
        """Share satisfied among valid answers, in percent; None without valid answers."""
        return self.satisfied * 100 / self.valid if self.valid else None

    @property
    def mean(self) -> float | None:
        if not self.valid:
            return None
        return sum(score * count for score, count in self.counts.items()) / self.valid

    @property
    def interval(self) -> tuple[float, float] | None:
        bounds = wilson_interval(self.satisfied, self.valid)
        return None if bounds is None else (bounds[0] * 100, bounds[1] * 100)

    def rate_text(self) -> str:
        return percent(self.rate)

    def mean_text(self) -> str:
        mean = self.mean
        if mean is None:
            return "–"
        rounded = Decimal(str(mean)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return f"{rounded:f}".replace(".", ",")

    def interval_text(self) -> str:
        return interval_text(self.satisfied, self.valid)

    def interval_range(self) -> str:
        return interval_range(self.satisfied, self.valid)


def proxy_766(total: int, overdue: int, disliked: int) -> float | None:
    """Decision 766 indicator 5.4: 100% − (% overdue + % with a PAKN or a dislike), floored at 0.

    Both shares use the same denominator (dossiers handled in the period), so the formula is
    (total − overdue − disliked) ÷ total; None when nothing was handled (domain.md 2.2).
    """
    if total <= 0:
        return None
    return max(0.0, 100.0 * (total - overdue - disliked) / total)
