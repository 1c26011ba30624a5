"""A year laid out as twelve month grids for the "Lịch làm việc" page (pure, no Django)."""

from __future__ import annotations

import calendar as stdlib_calendar
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from cchc.workdays.calendar import DayEntry, DayKind, WorkCalendar

MONTHS_VI = [f"Tháng {m}" for m in range(1, 13)]
WEEKDAYS_VI = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]

# CSS class per kind: colour plus a text label in the legend and the title, never colour alone.
KIND_CLASS = {
    DayKind.HOLIDAY: "off-holiday",
    DayKind.TET: "off-tet",
    DayKind.COMPENSATORY: "off-compensatory",
    DayKind.SWAP_OFF: "off-swap",
    DayKind.OVERRIDE_OFF: "off-override",
    DayKind.ESTIMATED: "off-holiday",
    DayKind.MAKEUP: "makeup",
    DayKind.OVERRIDE_WORK: "makeup",
}
KIND_LABEL = {
    DayKind.HOLIDAY: "Ngày lễ",
    DayKind.TET: "Tết Nguyên đán",
    DayKind.COMPENSATORY: "Nghỉ bù",
    DayKind.SWAP_OFF: "Nghỉ hoán đổi",
    DayKind.OVERRIDE_OFF: "Đơn vị cho nghỉ",
    DayKind.ESTIMATED: "Ngày lễ (ước tính)",
    DayKind.MAKEUP: "Làm bù",
    DayKind.OVERRIDE_WORK: "Đơn vị cho làm việc",
}


@dataclass(frozen=True)
class DayCell:
    day: date | None
    css: str = ""
    title: str = ""
    mark: str = ""


@dataclass(frozen=True)
class MonthGrid:
    name: str
    weeks: list[list[DayCell]]


def _cell(calendar: WorkCalendar, d: date, today: date) -> DayCell:
    entry: DayEntry | None = calendar.entry(d)
    working = calendar.is_working_day(d)
    classes = ["today"] if d == today else []
    title, mark = "", ""
    if entry is not None:
        label = KIND_LABEL.get(entry.kind, "")
        if entry.pending and entry.is_day_off and working:
            classes.append("pending")
            title = f"{entry.name} — chờ luật hóa, hiện vẫn là ngày làm việc"
            mark = "?"
        else:
            classes.append(KIND_CLASS.get(entry.kind, "off-holiday"))
            title = f"{label}: {entry.name}"
            mark = "+" if not entry.is_day_off else "•"
        if entry.reference:
            title += f" ({entry.reference})"
    elif not working:
        classes.append("weekend")
    return DayCell(day=d, css=" ".join(classes), title=title, mark=mark)


def year_grid(calendar: WorkCalendar, year: int, *, today: date | None = None) -> list[MonthGrid]:
    today = today or timezone.localdate()
    months = []
    for month in range(1, 13):
        weeks = []
        for week in stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            weeks.append(
                [_cell(calendar, d, today) if d.month == month else DayCell(None) for d in week]
            )
        months.append(MonthGrid(MONTHS_VI[month - 1], weeks))
    return months
