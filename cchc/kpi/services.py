"""Writes of the KPI app: the daily snapshots (run by the worker each night, or by hand)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from cchc.kpi import registry
from cchc.kpi.models import Snapshot
from cchc.kpi.registry import Period
from cchc.organizations.models import Unit


def snapshot_take(*, day: date, units: list[Unit] | None = None) -> int:
    """Measure every indicator for each unit over its year up to `day`, replacing that day's rows.

    Idempotent: taking the same day twice (a crashed worker run again, a past day recomputed
    after a correction) leaves one row per unit, code and day. Returns the rows written.
    """
    period = Period.year(day.year).up_to(day)
    units = units if units is not None else list(Unit.objects.order_by("pk"))
    written = 0
    for unit in units:
        single = Unit.objects.filter(pk=unit.pk)
        rows = []
        for found in registry.all_indicators():
            measure = found.compute(single, period)
            rows.append(
                Snapshot(
                    unit=unit,
                    code=found.code,
                    day=day,
                    numerator=Decimal(measure.numerator),
                    denominator=Decimal(measure.denominator),
                    label=measure.label[:40],
                )
            )
        with transaction.atomic():
            Snapshot.objects.filter(unit=unit, day=day).delete()
            Snapshot.objects.bulk_create(rows)
        written += len(rows)
    return written
