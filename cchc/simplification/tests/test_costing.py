"""The compliance-cost formula against an example computed by hand (no database)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cchc.simplification import costing


@dataclass
class Line:
    hours: Decimal
    fee_vnd: int = 0
    other_vnd: int = 0


# Wage basis 25.000 đ/hour, 120 dossiers a year.
# Before: 2 h + 10.000 đ copies; 3,5 h + 20.000 đ fee + 30.000 đ travel.
#   time 5,5 h × 25.000 = 137.500; per dossier 137.500 + 20.000 + 40.000 = 197.500;
#   per year 197.500 × 120 = 23.700.000.
# After: 1 h + 5.000 đ; 0,5 h + 20.000 đ fee.
#   time 1,5 h × 25.000 = 37.500; per dossier 37.500 + 20.000 + 5.000 = 62.500; per year 7.500.000.
# Saving 135.000 đ per dossier, 16.200.000 đ a year = 16.200.000 / 23.700.000 = 68,354…% → 68,35%.
BEFORE = [Line(Decimal(2), 0, 10_000), Line(Decimal("3.5"), 20_000, 30_000)]
AFTER = [Line(Decimal(1), 0, 5_000), Line(Decimal("0.5"), 20_000, 0)]


def test_hand_computed_example() -> None:
    result = costing.saving(BEFORE, AFTER, wage_per_hour=25_000, volume=120)
    assert result.before.hours == Decimal("5.5")
    assert result.before.time_vnd == 137_500
    assert result.before.per_dossier_vnd == 197_500
    assert result.before.per_year_vnd == 23_700_000
    assert result.after.per_dossier_vnd == 62_500
    assert result.after.per_year_vnd == 7_500_000
    assert result.per_dossier_vnd == 135_000
    assert result.per_year_vnd == 16_200_000
    assert result.percent == Decimal("68.35")
    assert costing.vnd(result.per_year_vnd) == "16.200.000 đ"
    assert costing.percent(result.percent) == "68,35%"


def test_rounded_figures_add_up_as_printed() -> None:
    """(0,33 + 0,5) h × 25.001 đ = 20.750,83 → 20.751 đ time cost; per dossier 20.751 + 1.000
    = 21.751 đ; per year 3 × 21.751 = 65.253 đ (the printed figures multiply out)."""
    cost = costing.scenario_cost(
        [Line(Decimal("0.33")), Line(Decimal("0.5"), 0, 1_000)], wage_per_hour=25_001, volume=3
    )
    assert cost.time_vnd == 20_751
    assert cost.per_dossier_vnd == 21_751
    assert cost.per_year_vnd == 65_253


def test_no_before_cost_has_no_percentage() -> None:
    assert costing.saving([], [], wage_per_hour=1, volume=5).percent is None


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"hours": Decimal(-1)}, "hours", "không được âm"),
        ({"wage_per_hour": 0}, "wage_per_hour_vnd", "phải lớn hơn 0"),
        ({"wage_per_hour": -5}, "wage_per_hour_vnd", "phải lớn hơn 0"),
    ],
)
def test_inputs_out_of_range(kwargs, field, words) -> None:
    with pytest.raises(ValidationError) as caught:
        costing.check_inputs(**kwargs)
    assert words in caught.value.message_dict[field][0]


def test_negative_hours_refused_inside_the_formula() -> None:
    with pytest.raises(ValidationError):
        costing.scenario_cost([Line(Decimal("-0.5"))], wage_per_hour=10_000, volume=1)


def test_money_format() -> None:
    assert costing.vnd(1_234_567) == "1.234.567 đ"
    assert costing.vnd(-120_000) == "-120.000 đ"
    assert costing.vnd(0) == "0 đ"
