"""Every indicator measured the fast way (`registry.measure_by_unit`: one grouped query per
table for all the units) equals its own function, unit by unit, on the demo commune's data
(dossiers late and on time, apologies, ratings, feedback, payments, documents, signatures, mail,
staff work, plans and self-assessments) over a year, a quarter, a month and a half-year."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from cchc.kpi import registry
from cchc.kpi.registry import Period
from cchc.organizations import demo
from cchc.organizations.models import Unit


@pytest.mark.django_db
def test_every_grouped_figure_equals_its_indicator_on_the_demo_commune() -> None:
    call_command("seed_demo", "--quiet", "--dossiers", "20")
    commune = Unit.objects.get(code=demo.COMMUNE["code"])
    units = Unit.objects.filter(path__startswith=commune.path)
    codes = [found.code for found in registry.all_indicators()]
    grouped_codes = {code for group in registry.groups() for code in group.codes}
    today = timezone.localdate()
    periods = [
        Period.year(today.year),
        Period.parse(f"{today.year}-Q{(today.month + 2) // 3}"),
        Period.parse(f"{today.year}-{today.month:02d}"),
        Period.parse(f"{today.year}-H{1 + (today.month > 6)}"),
    ]
    for period in periods:
        grouped = registry.measure_by_unit(codes, units, period)
        for unit in units:
            single = Unit.objects.filter(pk=unit.pk)
            own = {code: registry.measure(code, single, period) for code in codes}
            assert grouped[unit.pk] == own, (unit.name, str(period))
    # The comparison compares figures, not empty parts: the demo school has data for most.
    school = Unit.objects.get(code=demo.SCHOOL["code"])
    year = registry.measure_by_unit(codes, units, periods[0])[school.pk]
    measured = {code for code in grouped_codes if year[code].denominator}
    assert len(measured) >= len(grouped_codes) - 4, sorted(grouped_codes - measured)
