"""Writes of the KPI app: the daily snapshots (run by the worker each night, or by hand): the year
to date per unit and indicator, and the quarter and the month to date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from cchc.kpi import registry
from cchc.kpi.models import LABEL_MAX, PeriodSnapshot, Snapshot
from cchc.kpi.registry import Measure, Period
from cchc.organizations.models import Unit


def snapshot_take(*, day: date, units: list[Unit] | None = None) -> int:
    """Measure every indicator for each unit over its year up to `day` (`Snapshot`), and over
    its quarter and its month up to `day` (`PeriodSnapshot`), replacing that day's rows.

    Idempotent: taking the same day twice (a crashed worker run again, a past day recomputed
    after a correction) leaves one row per unit, code and day (and period). Taking the last day
    of a past quarter or month again (`cchc kpi snapshot --day`) gives the commune's roll-up of
    that quarter or month its figures. Returns the year rows written (one per unit and code).
    """
    year, *parts = Period.snapshotted(day)
    units = units if units is not None else list(Unit.objects.order_by("pk"))
    codes = [found.code for found in registry.all_indicators()]
    written = 0
    # In slices of units: indicators that read the same table are measured for a whole slice in
    # one grouped query (registry.measure_by_unit), the others unit by unit.
    for first in range(0, len(units), SLICE):
        chunk = units[first : first + SLICE]
        ids = Unit.objects.filter(pk__in=[unit.pk for unit in chunk])
        by_year = registry.measure_by_unit(codes, ids, year.up_to(day))
        by_part = [
            (period.snapshot_key or "", registry.measure_by_unit(codes, ids, period.up_to(day)))
            for period in parts
        ]
        for unit in chunk:
            rows = [
                Snapshot(unit=unit, code=code, day=day, **_parts(measure))
                for code, measure in by_year[unit.pk].items()
            ]
            period_rows = [
                PeriodSnapshot(unit=unit, code=code, period=key, day=day, **_parts(measure))
                for key, measured in by_part
                for code, measure in measured[unit.pk].items()
            ]
            with transaction.atomic():
                Snapshot.objects.filter(unit=unit, day=day).delete()
                PeriodSnapshot.objects.filter(unit=unit, day=day).delete()
                Snapshot.objects.bulk_create(rows)
                PeriodSnapshot.objects.bulk_create(period_rows)
            written += len(rows)
    return written


def _parts(measure: Measure) -> dict[str, Any]:
    return {
        "numerator": Decimal(measure.numerator),
        "denominator": Decimal(measure.denominator),
        "label": measure.label[:LABEL_MAX],
    }


# Units measured together: one grouped query per table for this many schools at a time.
SLICE = 200
