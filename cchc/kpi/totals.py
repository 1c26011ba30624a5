"""The total row of a roll-up over schools (the commune's page and its consolidated report).

A rate adds its parts over the schools (never an average of percentages; design.md section 1).
A grade ("Xếp loại Chỉ số CCHC") has no parts to add: summing points would print a percentage
that no rule defines (QA: "40% (40/100)"), so its total counts the schools rated Tốt or better.
Any other indicator that is not a rate shows "—" in the total row.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from cchc.kpi.registry import Indicator, Measure
from cchc.kpi.rubric import current_rubric

RATE_UNIT = "%"
GRADE_UNIT = "xếp loại"
GOOD = "Tốt"  # the band the plan's target 1 asks for ("xếp loại Tốt trở lên")
NO_TOTAL = Measure(label="—")


def total_of(indicator: Indicator | None, measures: Iterable[Measure]) -> Measure:
    """The total of `measures` (one per school) of `indicator`, as the total row shows it."""
    measures = list(measures)
    if indicator is None or indicator.unit == RATE_UNIT:
        total = Measure()
        for measure in measures:
            total = total + measure
        return total
    if indicator.unit != GRADE_UNIT:
        return NO_TOTAL
    rated = [measure.label for measure in measures if measure.label]
    good = good_or_better()
    if not rated or not good:
        return NO_TOTAL
    count = sum(1 for label in rated if label in good)
    return Measure(label=f"{count}/{len(rated)} đơn vị xếp loại {GOOD} trở lên")


def good_or_better() -> set[str]:
    """The rubric's bands at or above Tốt (empty when the province's scale has no Tốt)."""
    bands: dict[str, Decimal] = dict(current_rubric().bands)
    floor = bands.get(GOOD)
    if floor is None:
        return set()
    return {name for name, minimum in bands.items() if minimum >= floor}
