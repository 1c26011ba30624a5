"""A target's status says what is known: met, at risk, missed, no data — or no figure to meet."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from cchc.kpi.registry import Measure, Period
from cchc.plans.selectors import target_status

YEAR = Period.year(2026)


def _target(value=None, value_label=""):
    return SimpleNamespace(value=value, value_label=value_label, comparator=">=")


def test_a_measured_target_without_a_figure_is_not_called_unmeasured() -> None:
    """QA: target 6 ("môi trường làm việc điện tử") has a value, 33,22% (203/611), but the plan
    gives no figure; "Chưa đo được" beside a measured value contradicted the page."""
    status, label, _ = target_status(
        _target(), Measure(203, 611), today=date(2026, 11, 30), period=YEAR
    )
    assert status == "no_goal"
    assert label == "Chưa có chỉ tiêu định lượng"


def test_a_target_without_data_is_still_unmeasured() -> None:
    status, label, _ = target_status(
        _target(), Measure(0, 0), today=date(2026, 11, 30), period=YEAR
    )
    assert status == "not_measurable"
    assert label == "Chưa đo được"
