"""Grouped computation (`registry.indicator_group`): a unit without any data gets from a group
exactly what each indicator's own function gives (N/A, or a count of 0 where the indicator says
so), and a group's codes are all registered indicators. The figures on data with edge cases are
checked in the owning apps (dossiers and surveys, feedback)."""

from __future__ import annotations

import pytest

from cchc.kpi import registry
from cchc.kpi.registry import Period
from cchc.organizations.models import Unit


def test_every_grouped_code_is_a_registered_indicator() -> None:
    assert registry.groups()
    for group in registry.groups():
        for code in group.codes:
            assert registry.get(code) is not None, code


@pytest.mark.django_db
def test_a_unit_without_data_gets_what_each_indicator_gives(school, other_school) -> None:
    codes = sorted({code for group in registry.groups() for code in group.codes})
    units = Unit.objects.filter(pk__in=[school.pk, other_school.pk])
    for period in (Period.year(2026), Period.parse("2026-Q4"), Period.parse("2026-11")):
        grouped = registry.measure_by_unit(codes, units, period)
        for unit in units:
            single = Unit.objects.filter(pk=unit.pk)
            assert grouped[unit.pk] == {
                code: registry.measure(code, single, period) for code in codes
            }


@pytest.mark.django_db
def test_an_indicator_says_whether_it_counts_a_sample_as_its_measure_does(school) -> None:
    """A figure read back from a snapshot is flagged `sampled` from the registry: the flag must
    be what the indicator's own measure says."""
    single = Unit.objects.filter(pk=school.pk)
    for found in registry.all_indicators():
        assert found.compute(single, Period.year(2026)).sampled == found.sampled, found.code
