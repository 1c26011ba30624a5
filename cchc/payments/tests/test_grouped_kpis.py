"""The two cashless rates computed in one grouped query (`cashless_group`) equal each
indicator's own function: per unit, across a year boundary, and for a unit with no payment."""

from __future__ import annotations

from datetime import date

import pytest

from cchc.kpi import registry
from cchc.kpi.registry import Period
from cchc.organizations.models import Unit
from cchc.payments.tests.test_kpis import _pay

CODES = ("cashless_rate", "cashless_value_rate")


@pytest.mark.django_db
def test_grouped_cashless_rates_equal_each_indicators_own(school, other_school, commune) -> None:
    _pay(school, "transfer", 100)
    _pay(school, "transfer", 100)
    _pay(school, "cash", 800)
    _pay(school, "cash", 5, on=date(2025, 12, 31))  # another year
    units = Unit.objects.filter(pk__in=[school.pk, other_school.pk, commune.pk])
    for period in (Period.year(2026), Period.year(2025), Period.parse("2026-Q3")):
        grouped = registry.measure_by_unit(CODES, units, period)
        for unit in units:
            single = Unit.objects.filter(pk=unit.pk)
            own = {code: registry.measure(code, single, period) for code in CODES}
            assert grouped[unit.pk] == own, (unit, period)
    year = registry.measure_by_unit(CODES, units, Period.year(2026))[school.pk]
    assert year["cashless_value_rate"].display() == "20% (200/1.000)"
