"""Reads of the KPI app: every indicator of a unit with its goal and status, and trends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from cchc.kpi import registry
from cchc.kpi.models import Snapshot
from cchc.kpi.registry import Measure, Period
from cchc.organizations.models import Unit
from cchc.plans.models import Plan
from cchc.plans.selectors import target_statuses


@dataclass(frozen=True)
class Figure:
    """One indicator of a unit over a period, with the plan target bound to it (if any)."""

    indicator: registry.Indicator
    measure: Measure
    target_number: str = ""
    target_text: str = ""
    goal: str = ""
    status: str = ""
    status_label: str = ""

    def as_dict(self) -> dict[str, Any]:
        value = self.measure.value
        return {
            "code": self.indicator.code,
            "name": self.indicator.name,
            "definition": registry.definition_of(self.indicator.code),
            "module": self.indicator.module,
            "unit": self.indicator.unit,
            "better": self.indicator.better,
            "value": None if value is None else float(round(value, 2)),
            "numerator": _number(self.measure.numerator),
            "denominator": _number(self.measure.denominator),
            "display": self.measure.display(),
            "target": self.target_number or None,
            "goal": self.goal or None,
            "status": self.status or None,
            "status_label": self.status_label or None,
        }


def _number(value: int | Decimal) -> int | float:
    return int(value) if Decimal(value) == int(value) else float(value)


def _goal(target: Any) -> str:
    if target.value_label:
        return f"{target.get_comparator_display() or ''} {target.value_label}".strip()
    if target.value is None:
        return ""
    number = f"{target.value.normalize():f}".replace(".", ",")
    return f"{target.comparator or '='} {number}{target.unit_label or ''}".strip()


def unit_figures(unit: Unit, period: Period, *, today: date | None = None) -> list[Figure]:
    """Every registered indicator of `unit` over `period`, each with its plan target if bound."""
    units = Unit.objects.filter(pk=unit.pk)
    bound: dict[str, Any] = {}
    plan = Plan.objects.filter(unit=unit, year=period.start.year).order_by("-pk").first()
    if plan is not None:
        for row in target_statuses(plan, today=today, period=period):
            if row.target.kpi_code:
                bound.setdefault(row.target.kpi_code, row)
    figures = []
    for found in registry.all_indicators():
        row = bound.get(found.code)
        measure = row.measure if row is not None else found.compute(units, period)
        figures.append(
            Figure(
                indicator=found,
                measure=measure,
                target_number=row.target.number if row else "",
                target_text=row.target.text if row else "",
                goal=_goal(row.target) if row else "",
                status=row.status if row else "",
                status_label=row.label if row else "",
            )
        )
    return figures


def trend(
    units: QuerySet[Unit], code: str, *, since: date, until: date | None = None
) -> list[tuple[date, Decimal | None]]:
    """The indicator's value on each snapshot day, summing the units' parts (never averaging)."""
    until = until or timezone.localdate()
    rows = (
        Snapshot.objects.filter(unit__in=units, code=code, day__gte=since, day__lte=until)
        .values("day")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .order_by("day")
    )
    return [(row["day"], Measure(row["n"], row["d"]).value) for row in rows]
