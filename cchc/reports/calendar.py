"""The reporting calendar: which periodic reform reports a unit owes, when, and whether late.

Rules are data (`ReportingRule`, defaults in `data/reporting_calendar.json`); a unit without rules
of its own follows the nearest unit above it that has some (the commune sets its schools'
calendar once), then the defaults. The data cut-off follows Decree 09/2019/NĐ-CP Art. 12
(domain.md section 11); the due date is either a fixed day set by the commune or a number of
working days after the cut-off, counted on the unit's working-day calendar (`cchc.workdays`). A
fixed day that falls on a day off moves to the next working day, as a time limit ending on a
day off does (Civil Code 2015 Art. 148).

A report counts as made when a report of the unit for that period was built in the system
(`Report` READY); made after the due date it is "late", not made by then it is "overdue".
"""

from __future__ import annotations

import calendar as month_calendar
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.utils import timezone

from cchc.organizations.models import Staff, Unit
from cchc.reports.models import Report, ReportingRule, ReportStatus, Slot
from cchc.workdays.calendar import WorkCalendar
from cchc.workdays.services import calendar_for_unit, calendars_for_units

_DATA = Path(__file__).parent / "data" / "reporting_calendar.json"


@dataclass(frozen=True)
class RuleSpec:
    """A rule as read from the database or the defaults, detached from either."""

    slot: str
    cutoff_from: tuple[int, int]
    cutoff_to: tuple[int, int]
    due_workdays: int = 2
    due_fixed: tuple[int, int] | None = None
    remind_days_before: int = 7
    responsible: Staff | None = None
    basis: str = ""

    @classmethod
    def of(cls, rule: ReportingRule) -> RuleSpec:
        return cls(
            slot=rule.slot,
            cutoff_from=(rule.cutoff_from_month, rule.cutoff_from_day),
            cutoff_to=(rule.cutoff_to_month, rule.cutoff_to_day),
            due_workdays=rule.due_workdays,
            due_fixed=(rule.due_month, rule.due_day) if rule.due_month and rule.due_day else None,
            remind_days_before=rule.remind_days_before,
            responsible=rule.responsible,
            basis=rule.basis,
        )


@lru_cache(maxsize=1)
def default_rules() -> tuple[RuleSpec, ...]:
    data = json.loads(_DATA.read_text(encoding="utf-8"))
    return tuple(
        RuleSpec(
            slot=row["slot"],
            cutoff_from=tuple(row["cutoff_from"]),
            cutoff_to=tuple(row["cutoff_to"]),
            due_workdays=row["due_workdays"],
            remind_days_before=row["remind_days_before"],
            basis=data["basis"],
        )
        for row in data["rules"]
    )


STATUS_LABELS = {
    "upcoming": "Chưa đến hạn",
    "due_soon": "Sắp đến hạn",
    "overdue": "Quá hạn",
    "on_time": "Đã lập đúng hạn",
    "late": "Đã lập trễ hạn",
    "untracked": "Trước khi đơn vị dùng hệ thống",
}
STATUS_TONES = {
    "upcoming": "neutral",
    "due_soon": "warn",
    "overdue": "bad",
    "on_time": "ok",
    "late": "warn",
    "untracked": "neutral",
}


@dataclass(frozen=True)
class Due:
    """One report a unit owes for one period."""

    unit: Unit
    slot: str
    period: str
    cutoff_from: date
    cutoff_to: date
    due_on: date
    remind_on: date
    responsible: Staff | None
    basis: str
    source: str
    made_on: date | None = None
    report_id: int | None = None

    @property
    def slot_label(self) -> str:
        return Slot(self.slot).label

    def status(self, today: date) -> str:
        if self.made_on is not None:
            return "on_time" if self.made_on <= self.due_on else "late"
        if not owed(self):
            return "untracked"
        if today > self.due_on:
            return "overdue"
        return "due_soon" if today >= self.remind_on else "upcoming"

    def status_label(self, today: date) -> str:
        return STATUS_LABELS[self.status(today)]

    def tone(self, today: date) -> str:
        return STATUS_TONES[self.status(today)]

    def days_overdue(self, today: date) -> int:
        return max((today - self.due_on).days, 0) if self.made_on is None else 0


def period_text(slot: str, year: int) -> str:
    """The report period a slot stands for: Q1 → 2026-Q1, H1 → 2026-H1, Y → 2026."""
    return str(year) if slot == Slot.YEAR else f"{year}-{slot}"


def _day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, month_calendar.monthrange(year, month)[1]))


def _ancestors_first_nearest(unit: Unit) -> list[int]:
    chain = [int(part) for part in unit.path.split(".") if part] or [unit.pk]
    return list(reversed(chain))


def rules_by_unit(units: Iterable[Unit]) -> dict[int, tuple[list[RuleSpec], str]]:
    """Each unit's rules and where they come from ("unit", "parent", "default"), one query."""
    units = list(units)
    chains = {unit.pk: _ancestors_first_nearest(unit) for unit in units}
    wanted = {pk for chain in chains.values() for pk in chain}
    stored: dict[int, list[RuleSpec]] = {}
    rows = ReportingRule.objects.filter(unit_id__in=wanted).select_related("responsible")
    for rule in rows:
        stored.setdefault(rule.unit_id, []).append(RuleSpec.of(rule))
    found: dict[int, tuple[list[RuleSpec], str]] = {}
    for unit in units:
        for pk in chains[unit.pk]:
            if pk in stored:
                found[unit.pk] = (stored[pk], "unit" if pk == unit.pk else "parent")
                break
        else:
            found[unit.pk] = (list(default_rules()), "default")
    return found


def _window_dates(
    cutoff_from: tuple[int, int], cutoff_to: tuple[int, int], year: int
) -> tuple[date, date]:
    """The data window of a slot in `year`: it ends in that year, and starts in the year before
    when its first day comes later in the year than its last (15/12 → 14/03, 15/12 → 14/12)."""
    to = _day(year, *cutoff_to)
    start_year = year - 1 if cutoff_from > cutoff_to else year
    return _day(start_year, *cutoff_from), to


def _dues_of(
    unit: Unit, specs: list[RuleSpec], source: str, year: int, work: WorkCalendar | None = None
) -> list[Due]:
    work = work or calendar_for_unit(unit)
    dues = []
    for spec in specs:
        start, to = _window_dates(spec.cutoff_from, spec.cutoff_to, year)
        if spec.due_fixed is not None:
            due = _day(year, *spec.due_fixed)
            if due < to:
                due = _day(year + 1, *spec.due_fixed)
            if not work.is_working_day(due):
                due = work.next_working_day(due)
        else:
            due = work.add_working_days(to, spec.due_workdays)
        responsible = spec.responsible
        if source == "parent" and responsible is not None and responsible.unit_id != unit.pk:
            responsible = None  # the commune's officer does not write the school's report
        dues.append(
            Due(
                unit=unit,
                slot=spec.slot,
                period=period_text(spec.slot, year),
                cutoff_from=start,
                cutoff_to=to,
                due_on=due,
                remind_on=due - timedelta(days=spec.remind_days_before),
                responsible=responsible,
                basis=spec.basis,
                source=source,
            )
        )
    dues.sort(key=lambda d: d.due_on)
    return dues


def _made(units: list[Unit], periods: set[str]) -> dict[tuple[int, str], tuple[date, int]]:
    """The first day a report of each unit and period was built (local date) and its id."""
    made: dict[tuple[int, str], tuple[date, int]] = {}
    rows = (
        Report.objects.filter(
            unit__in=units, period__in=periods, status=ReportStatus.READY, built_at__isnull=False
        )
        .order_by("built_at")
        .values_list("unit_id", "period", "built_at", "pk")
    )
    for unit_id, period, built_at, pk in rows:
        made.setdefault((unit_id, period), (timezone.localdate(built_at), pk))
    return made


def calendar_for(units: Iterable[Unit], years: Iterable[int]) -> dict[int, list[Due]]:
    """Every unit's dues over the given years, each marked made (with the day) or not."""
    units = list(units)
    years = sorted(set(years))
    rules = rules_by_unit(units)
    works = calendars_for_units(units)  # one query for every unit's calendar
    raw = {
        unit.pk: [
            d for year in years for d in _dues_of(unit, *rules[unit.pk], year, works[unit.pk])
        ]
        for unit in units
    }
    made = _made(units, {d.period for dues in raw.values() for d in dues})
    result: dict[int, list[Due]] = {}
    for unit in units:
        result[unit.pk] = []
        for due in raw[unit.pk]:
            hit = made.get((unit.pk, due.period))
            if hit is not None:
                due = Due(**{**due.__dict__, "made_on": hit[0], "report_id": hit[1]})
            result[unit.pk].append(due)
    return result


def unit_calendar(unit: Unit, year: int) -> list[Due]:
    return calendar_for([unit], [year])[unit.pk]


def recent_years(today: date) -> list[int]:
    """Last year and this: last year's annual report may still be owed."""
    return [today.year - 1, today.year]


def owed(due: Due) -> bool:
    """A report due before the unit was set up in the system is not chased by it."""
    return due.due_on >= timezone.localdate(due.unit.created_at)


def as_dict(due: Due, today: date) -> dict[str, Any]:
    return {
        "unit": due.unit.pk,
        "slot": due.slot,
        "period": due.period,
        "cutoff_from": due.cutoff_from.isoformat(),
        "cutoff_to": due.cutoff_to.isoformat(),
        "due_on": due.due_on.isoformat(),
        "status": due.status(today),
        "status_label": due.status_label(today),
        "made_on": due.made_on.isoformat() if due.made_on else None,
    }


# The data cut-off of every slot under Decree 09/2019 Art. 12 (domain.md section 11), as the
# starting values of the calendar form; the half-years and Q2/Q4 follow the same pattern.
DECREE_09_CUTOFFS: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {
    "Q1": ((12, 15), (3, 14)),
    "Q2": ((3, 15), (6, 14)),
    "H1": ((12, 15), (6, 14)),
    "Q3": ((6, 15), (9, 14)),
    "Q4": ((9, 15), (12, 14)),
    "H2": ((6, 15), (12, 14)),
    "Y": ((12, 15), (12, 14)),
}


# ---------------------------------------------------------------- the window a report covers

_REPORT_PERIOD = re.compile(r"(?P<year>\d{4})(?:-(?P<slot>Q[1-4]|H[12]))?")


@dataclass(frozen=True)
class Window:
    """The data a report of `period` covers: the cut-off window of its slot in the unit's
    calendar (Decree 09/2019 Art. 12), or the decree's own when the calendar lacks the slot."""

    period: str
    slot: str
    year: int
    start: date
    end: date
    in_calendar: bool

    def text(self) -> str:
        return f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


def split_period(text: str) -> tuple[int, str]:
    """ "2026-Q3" → (2026, "Q3"), "2026" → (2026, "Y"); ValueError (Vietnamese) otherwise."""
    match = _REPORT_PERIOD.fullmatch(text.strip().upper())
    if match is None or not 2000 <= int(match["year"]) <= 2100:
        raise ValueError(
            f"Kỳ báo cáo «{text}» không hợp lệ: dùng 2026-Q1…Q4, 2026-H1, 2026-H2 hoặc 2026."
        )
    return int(match["year"]), match["slot"] or Slot.YEAR.value


def report_window(unit: Unit, period: str) -> Window:
    """What the figures of a "báo cáo quý III năm 2026" of `unit` cover.

    A periodic report is due a few working days after its data cut-off, so its figures can only
    run to the cut-off: the window of the slot in the unit's reporting calendar (its own, its
    commune's or the defaults), e.g. 15/06–14/09 for quý III. A slot the calendar lacks (asked
    for from the command line) takes the Decree 09/2019 window of that slot.
    """
    year, slot = split_period(period)
    specs = {spec.slot: spec for spec in rules_by_unit([unit])[unit.pk][0]}
    spec = specs.get(slot)
    if spec is not None:
        cut_from, cut_to = spec.cutoff_from, spec.cutoff_to
    else:
        cut_from, cut_to = DECREE_09_CUTOFFS[slot]
    start, end = _window_dates(cut_from, cut_to, year)
    return Window(period_text(slot, year), slot, year, start, end, spec is not None)


def offered_windows(unit: Unit, today: date) -> list[Window]:
    """The reports the unit may make today: the slots of its calendar, last year's and this
    year's, whose data window has begun; the latest first."""
    specs = rules_by_unit([unit])[unit.pk][0]
    found = []
    for year in (today.year + 1, today.year, today.year - 1):
        for spec in specs:
            start, end = _window_dates(spec.cutoff_from, spec.cutoff_to, year)
            if start <= today:
                period = period_text(spec.slot, year)
                found.append(Window(period, spec.slot, year, start, end, True))
    found.sort(key=lambda w: (w.end, w.start), reverse=True)
    return found
