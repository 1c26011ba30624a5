"""Reads of the KPI app: every indicator of a unit with its goal and status, and trends."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Max, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cchc.accounts import permissions
from cchc.kpi import registry
from cchc.kpi.companions import accompanied, companion_codes
from cchc.kpi.models import PeriodSnapshot, Snapshot
from cchc.kpi.registry import Measure, Period
from cchc.kpi.totals import total_of
from cchc.organizations.models import Unit
from cchc.plans.models import Plan
from cchc.plans.selectors import target_statuses

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser


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
    tone: str = "neutral"
    # Shown beside a target it does not judge (`cchc.kpi.companions`): the target's number and
    # the name of the indicator the target is bound to.
    companion_target: str = ""
    companion_of: str = ""

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
            "companion_of_target": self.companion_target or None,
        }


def _number(value: int | Decimal) -> int | float:
    return int(value) if Decimal(value) == int(value) else float(value)


def goal_of(target: Any) -> str:
    """The target's goal in the plan's words (`Target.goal_display`, the one wording of a goal:
    "từ 95% trở lên", "Chưa có chỉ tiêu định lượng"), for every page, export and the API."""
    return str(target.goal_display)


def unit_figures(
    unit: Unit,
    period: Period,
    *,
    today: date | None = None,
    codes: list[str] | None = None,
    measures: dict[str, Measure] | None = None,
) -> list[Figure]:
    """Every registered indicator (or those of `codes`) of `unit` over `period`, each with the
    plan target bound to it, if any; measured live unless `measures` holds them (code →
    Measure, e.g. read from a snapshot by `dashboard_measures`)."""
    wanted = [found for found in registry.all_indicators() if codes is None or found.code in codes]
    if measures is None:
        # Every figure at once: indicators reading the same table share one grouped query.
        measures = registry.measure_many([found.code for found in wanted], unit, period)
    bound: dict[str, Any] = {}
    # A period belongs to the year it ends in: Q1's window 15/12/2025–14/03/2026 is 2026's.
    plan = Plan.objects.filter(unit=unit, year=period.end.year).order_by("-pk").first()
    if plan is not None:
        for row in target_statuses(plan, today=today, period=period, measures=measures):
            if row.target.kpi_code:
                bound.setdefault(row.target.kpi_code, row)
    figures: list[Figure] = []
    for found in wanted:
        bound_row = bound.get(found.code)
        measure = bound_row.measure if bound_row is not None else measures[found.code]
        beside = bound.get(accompanied(found.code) or "") if bound_row is None else None
        figures.append(
            Figure(
                indicator=found,
                measure=measure,
                target_number=bound_row.target.number if bound_row else "",
                target_text=bound_row.target.text if bound_row else "",
                goal=goal_of(bound_row.target) if bound_row else "",
                status=bound_row.status if bound_row else "",
                status_label=bound_row.label if bound_row else "",
                tone=bound_row.tone if bound_row else "neutral",
                companion_target=beside.target.number if beside else "",
                companion_of=beside.kpi_name if beside else "",
            )
        )
    return sorted(figures, key=_by_target)


def _by_target(figure: Figure) -> tuple[int, int, str, int]:
    """The plan's order: targets 1 → 9 first (as the plan numbers them), each followed by the
    figures shown beside it, then the indicators no target binds, in the registry's order (the
    sort is stable)."""
    number = figure.target_number or figure.companion_target
    if not number:
        return (1, 0, "", 0)
    head = re.match(r"\d+", number)
    return (0, int(head[0]) if head else 0, number, 0 if figure.target_number else 1)


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


def has_units_below(user: AnyUser) -> bool:
    """Whether the user reads units below their own (a commune officer): the roll-up is theirs."""
    staff = permissions.acting_staff(user)
    return (
        staff is not None
        and permissions.visible_units(user).filter(parent_id=staff.unit_id).exists()
    )


def trends(
    units: QuerySet[Unit], codes: list[str], *, since: date, until: date, step_days: int = 7
) -> dict[str, list[tuple[date, Decimal | None]]]:
    """Each indicator's value every `step_days` days back from `until` (and on `since`), from
    the snapshots, in one query for every code: a sparkline needs a point a week, not a row a day.
    A point is the latest snapshot of the `step_days` days up to it (a night the worker missed,
    or a history taken weekly, still gives a point, on its own day). Parts are summed over the
    units (never averaged)."""
    days = []
    day = until
    while day >= since:
        days.append(day)
        day -= timedelta(days=step_days)
    if since not in days:
        days.append(since)
    first = min(days) - timedelta(days=step_days - 1)
    rows = (
        Snapshot.objects.filter(unit__in=units, code__in=codes, day__gte=first, day__lte=until)
        .values("code", "day")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .order_by("code", "day")
    )
    held: dict[str, dict[date, Decimal | None]] = {code: {} for code in codes}
    for row in rows:
        held[row["code"]][row["day"]] = Measure(row["n"], row["d"]).value
    found: dict[str, list[tuple[date, Decimal | None]]] = {code: [] for code in codes}
    for code, values in held.items():
        taken = sorted(values)
        chosen: list[date] = []
        for point in sorted(days):
            at = bisect_right(taken, point)  # the latest night up to the point
            night = taken[at - 1] if at else None
            if night and night > point - timedelta(days=step_days) and night not in chosen:
                chosen.append(night)
        found[code] = [(d, values[d]) for d in chosen]
    return found


#: How many months (a month view) or quarters (a quarter view) a trend line goes back.
MONTH_POINTS, QUARTER_POINTS = 6, 4


def _periods_back(period: Period, count: int) -> list[str]:
    """The snapshot keys of `period` (a month or a quarter) and of the `count - 1` same-length
    periods before it, oldest first: "2026-06" … "2026-11", or "2025-Q4" … "2026-Q3"."""
    key = period.snapshot_key or ""
    months = 3 if "Q" in key else 1
    year, month = period.start.year, period.start.month
    keys = []
    for _ in range(count):
        keys.append(f"{year}-Q{(month + 2) // 3}" if months == 3 else f"{year}-{month:02d}")
        month -= months
        if month < 1:
            year, month = year - 1, month + 12
    return keys[::-1]


def _months_of(period: Period) -> list[str]:
    """The month keys ("2026-07" … "2026-12") of a period made of whole calendar months within
    one year (a half-year), oldest first; empty for any other range."""
    start, end = period.start, period.end
    if start.day != 1 or start.year != end.year or (end + timedelta(days=1)).day != 1:
        return []
    return [f"{start.year}-{month:02d}" for month in range(start.month, end.month + 1)]


def trend_step(period: Period) -> str:
    """What each point of `period_trends` stands for: "month" (that month's own value: a month
    or a half-year view), "quarter", or "day" (a year view: the year to that night), so the
    line's labels say it (`sparkline.when`)."""
    key = period.snapshot_key
    if key == "":
        return "day"
    if key is None:
        return "month" if _months_of(period) else "day"
    return "quarter" if "Q" in key else "month"


def period_trends(
    units: QuerySet[Unit], codes: list[str], period: Period, *, today: date
) -> dict[str, list[tuple[date, Decimal | None]]]:
    """The trend line under a period's figures, in the period's own steps, one point a month at
    most: a month view month by month and a quarter view quarter by quarter (the periods before
    it), a half-year view month by month over that half only, each point that month's (quarter's)
    value on its last snapshot night (`PeriodSnapshot`), the running one up to last night; a year
    view the year to date on the last snapshot night of each of its months. A month's figure above
    a line of year-to-date values misread, and a year's line stepped by month until nightly
    snapshots began, then by week (QA walks)."""
    until = min(period.end, today - timedelta(days=1))  # the last night's snapshot
    key = period.snapshot_key
    if key == "":
        return _year_by_month(units, codes, period, until)
    if key:
        keys = _periods_back(period, QUARTER_POINTS if "Q" in key else MONTH_POINTS)
    else:
        keys = _months_of(period)
        if not keys:  # a range of days no view offers: the running figure a week apart
            since = max(period.start, min(period.end, today) - timedelta(days=180))
            return trends(units, codes, since=since, until=until)
    rows = PeriodSnapshot.objects.filter(
        unit__in=units, code__in=codes, period__in=keys, day__lte=until
    )
    last_nights = dict(rows.values_list("period").annotate(last=Max("day")).order_by())
    found: dict[str, list[tuple[date, Decimal | None]]] = {code: [] for code in codes}
    if not last_nights:
        return found
    on_last_night = Q()
    for period_key, night in last_nights.items():
        on_last_night |= Q(period=period_key, day=night)
    parts = (
        rows.filter(on_last_night)
        .values("code", "day")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .order_by("code", "day")
    )
    for row in parts:
        found[row["code"]].append((row["day"], Measure(row["n"], row["d"]).value))
    return found


def _year_by_month(
    units: QuerySet[Unit], codes: list[str], period: Period, until: date
) -> dict[str, list[tuple[date, Decimal | None]]]:
    """The year to date on the last snapshot night of each month of `period` up to `until`:
    a history taken monthly and nights taken every day step alike, a month apart."""
    rows = Snapshot.objects.filter(
        unit__in=units, code__in=codes, day__gte=period.start, day__lte=until
    )
    nights = (
        rows.annotate(month=TruncMonth("day")).values("month").annotate(last=Max("day")).order_by()
    )
    last_nights = [row["last"] for row in nights]
    found: dict[str, list[tuple[date, Decimal | None]]] = {code: [] for code in codes}
    if not last_nights:
        return found
    parts = (
        rows.filter(day__in=last_nights)
        .values("code", "day")
        .annotate(n=Sum("numerator"), d=Sum("denominator"))
        .order_by("code", "day")
    )
    for row in parts:
        found[row["code"]].append((row["day"], Measure(row["n"], row["d"]).value))
    return found


def last_snapshot(unit: Unit, codes: list[str], day: date) -> dict[str, Measure]:
    """The parts each indicator had on `day` (its year up to that day), for codes snapshotted."""
    rows = Snapshot.objects.filter(unit=unit, code__in=codes, day=day).values_list(
        "code", "numerator", "denominator", "label"
    )
    return {
        code: Measure(whole_number(numerator), whole_number(denominator), label=label)
        for code, numerator, denominator, label in rows
    }


def snapshot_day(units: Sequence[Unit], period: Period, today: date) -> date | None:
    """The last snapshot day of the period (a year, a quarter or a month) before today held for
    these schools, if any."""
    key = period.snapshot_key
    if key is None:
        return None
    last = min(period.end, today - timedelta(days=1))
    if last < period.start:
        return None
    return (
        snapshots_of(key)
        .filter(unit__in=units, code=TARGET_CODES[1], day__gte=period.start, day__lte=last)
        .aggregate(day=Max("day"))["day"]
    )


def snapshots_of(key: str) -> QuerySet:
    """The rows of a year (`Snapshot`), or of one quarter or month (`PeriodSnapshot`)."""
    return Snapshot.objects.all() if key == "" else PeriodSnapshot.objects.filter(period=key)


def dashboard_measures(
    unit: Unit,
    period: Period,
    *,
    today: date,
    live: bool = False,
    codes: list[str] | None = None,
) -> tuple[dict[str, Measure], date | None]:
    """Every indicator of `unit` (or those of `codes`) over `period` and the day they are
    counted to: from the period's last snapshot before today (a year, a quarter or a month; one
    query), or measured live now (`live`, or no snapshot held: day None). An indicator the
    snapshot lacks (added since) is measured live up to the same day, so every figure means the
    same thing."""
    if codes is None:
        codes = [found.code for found in registry.all_indicators()]
    day = None if live else snapshot_day([unit], period, today)
    if day is None:
        return registry.measure_many(codes, unit, period), None
    rows = (
        snapshots_of(period.snapshot_key or "")
        .filter(unit=unit, day=day, code__in=codes)
        .values_list("code", "numerator", "denominator", "label")
    )
    found = {
        code: registry.from_parts(code, whole_number(n), whole_number(d), label)
        for code, n, d, label in rows
    }
    missing = [code for code in codes if code not in found]
    if missing:
        found.update(registry.measure_many(missing, unit, period.up_to(day)))
    return found, day


def plan_measures(plan: Plan, *, today: date) -> tuple[dict[str, Measure], date | None]:
    """The figures of `plan`'s targets and of the indicators shown beside them, over the plan's
    year, from the same source as the indicators page (`dashboard_measures`: last night's
    snapshot, else live), and the day they are counted to. The plan page and the landing page
    read them here, so the same indicator over the same year reads the same on every page (QA
    walk: target 8's companion read 11,11 % from the snapshot on the indicators page and
    11,69 % live on the plan and landing pages)."""
    bound = [code for code in plan.targets.values_list("kpi_code", flat=True) if code]
    codes = [code for code in bound if registry.get(code) is not None]
    codes += [c for code in bound for c in companion_codes(code) if c not in codes]
    return dashboard_measures(
        plan.unit, Period.year(plan.year), today=today, codes=list(dict.fromkeys(codes))
    )


def whole_number(value: Decimal) -> int | Decimal:
    """Counts come back from a snapshot as whole Decimals: show "12/15", not "12.0000/15"."""
    return int(value) if value == int(value) else value


# The nine targets of a school's plan, in the plan's order (design.md section 1).
TARGET_CODES: tuple[str, ...] = (
    "cchc_self_score",
    "dossier_on_time_rate",
    "satisfaction_rate",
    "feedback_on_time_rate",
    "e_payment_staff_rate",
    "e_workplace_rate",
    "e_document_rate",
    "digital_signature_rate",
    "official_email_rate",
)


@dataclass(frozen=True)
class UnitRow:
    """One school in the commune's roll-up."""

    unit: Unit
    has_plan: bool
    figures: list[Figure]

    @property
    def met(self) -> int:
        return sum(1 for figure in self.figures if figure.status == "met")

    @property
    def missed(self) -> int:
        return sum(1 for figure in self.figures if figure.status in ("missed", "at_risk"))


def rollup(units: QuerySet[Unit], period: Period) -> tuple[list[UnitRow], list[Figure]]:
    """Each unit's target figures side by side, ranked by targets met, and the total row.

    The total adds each rate's parts over the units (never an average of percentages); a grade
    counts the units rated Tốt or better (`totals.total_of`).
    """
    codes = [code for code in TARGET_CODES if registry.get(code) is not None]
    rows = []
    for unit in units.order_by("name"):
        by_code = {f.indicator.code: f for f in unit_figures(unit, period, codes=codes)}
        has_plan = Plan.objects.filter(unit=unit, year=period.end.year).exists()
        rows.append(UnitRow(unit, has_plan, [by_code[code] for code in codes]))
    rows.sort(key=lambda row: (-row.met, row.missed, row.unit.name))
    totals = []
    for index, code in enumerate(codes):
        indicator = registry.get(code)
        total = total_of(indicator, (row.figures[index].measure for row in rows))
        totals.append(Figure(indicator=indicator, measure=total))  # type: ignore[arg-type]
    return rows, totals
