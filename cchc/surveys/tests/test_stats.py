"""The formulas, checked against numbers worked out by hand (not by the code under test)."""

from __future__ import annotations

import pytest

from cchc.kpi.registry import Measure
from cchc.surveys.stats import Tally, interval_text, percent, proxy_766, wilson_interval


def test_wilson_eight_of_ten_matches_the_hand_computation() -> None:
    # p = 0.8, z = 1.96, z² = 3.8416, n = 10:
    # 1 + z²/n = 1.38416; centre = (0.8 + 0.19208) / 1.38416 = 0.716738
    # half = 1.96 · √(0.016 + 0.009604) / 1.38416 = 1.96 · 0.160012 / 1.38416 = 0.226581
    low, high = wilson_interval(8, 10, z=1.96)
    assert low == pytest.approx(0.490157, abs=1e-6)
    assert high == pytest.approx(0.943319, abs=1e-6)


def test_wilson_all_satisfied_stays_below_one_hundred_percent() -> None:
    # p = 1: centre = 1.19208 / 1.38416 = 0.861230; half = 1.96 · 0.098 / 1.38416 = 0.138770
    low, high = wilson_interval(10, 10, z=1.96)
    assert low == pytest.approx(0.722460, abs=1e-6)
    assert high == pytest.approx(1.0)
    assert wilson_interval(0, 10, z=1.96)[0] == pytest.approx(0.0)


def test_wilson_ninety_five_of_one_hundred_with_the_exact_quantile() -> None:
    # z = 1.959964, z² = 3.841459; 1 + z²/n = 1.038415; centre = (0.95 + 0.019207) / 1.038415
    # = 0.933353; half = 1.959964 · √(0.000475 + 0.000096036) / 1.038415 = 0.045103
    low, high = wilson_interval(95, 100)
    assert low == pytest.approx(0.888250, abs=2e-6)
    assert high == pytest.approx(0.978456, abs=2e-6)
    assert interval_text(95, 100) == "KTC 95%: 88,82–97,85%"


def test_wilson_refuses_impossible_counts_and_has_no_interval_without_answers() -> None:
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError, match="between"):
        wilson_interval(11, 10)


def test_rate_excludes_blank_and_no_opinion_answers() -> None:
    # Answers 5,5,4,4,4,3,2,1 + two "Không ý kiến" + two blank:
    # valid = 8, satisfied (4 and 5) = 5 → 5/8 = 62.5%; mean = 28/8 = 3.5
    tally = Tally({1: 1, 2: 1, 3: 1, 4: 3, 5: 2}, no_opinion=2, blank=2)
    assert tally.valid == 8
    assert tally.satisfied == 5
    assert tally.rate == 62.5
    assert tally.rate_text() == "62,5%"
    assert tally.mean == 3.5
    assert tally.mean_text() == "3,50"


def test_nothing_valid_is_not_measurable_rather_than_zero() -> None:
    tally = Tally(no_opinion=3, blank=4)
    assert tally.rate is None
    assert tally.rate_text() == "chưa đo được"
    assert tally.interval is None


def test_766_proxy() -> None:
    # 200 dossiers, 6 overdue (3%), 4 disliked (2%): 100 − 3 − 2 = 95%
    assert proxy_766(200, 6, 4) == 95.0
    assert proxy_766(0, 0, 0) is None
    assert proxy_766(2, 2, 2) == 0.0


def test_sampled_measure_shows_its_interval_and_rolls_up_by_counts() -> None:
    school_a = Measure(8, 10, sampled=True)
    school_b = Measure(87, 90, sampled=True)
    commune = school_a + school_b
    assert (commune.numerator, commune.denominator) == (95, 100)
    assert commune.display() == "95% (95/100); khoảng tin cậy 95%: 88,82–97,85%"
    # A census (every dossier) carries no interval.
    assert Measure(95, 100).display() == "95% (95/100)"
    assert percent(None) == "chưa đo được"


def test_seed_plan_target_3_binds_to_the_satisfaction_rate() -> None:
    from cchc.plans.demo import seed_plan_text
    from cchc.plans.parsing.figures import match_kpi, target_figure

    line = next(
        line
        for line in seed_plan_text().decode("utf-8").splitlines()
        if line.startswith("3. Mức độ hài lòng")
    )
    assert match_kpi(line) == "satisfaction_rate"
    assert target_figure(line)[:2] == (">=", 95)
