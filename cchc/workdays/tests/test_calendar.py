"""Tests of the pure working-day core (no Django, no database).

The expected days off below are written out by hand from the official notices, not read from
the data files, so a wrong data file fails here:

* 2024: Thông báo 5015/TB-LĐTBXH (22/11/2023): Tết Thu 08/02 – Wed 14/02, Quốc khánh Sat
  31/08 – Tue 03/09; Công văn 2450/VPCP-KGVX (12/04/2024): Mon 29/04 off, Sat 04/05 worked.
* 2025: Thông báo 6150/TB-BLĐTBXH: Tết Sat 25/01 – Sun 02/02, Fri 02/05 off and Sat 26/04
  worked, Quốc khánh Sat 30/08 – Tue 02/09.
* 2026: Công văn 12729/VPCP-KGVX (25/12/2025): Fri 02/01 off, Sat 10/01 worked; Thông báo
  9441/TB-BNV: Tết Sat 14/02 – Sun 22/02, Mon 31/08 off and Sat 22/08 worked; Giỗ Tổ on Sun
  26/04 -> Mon 27/04 off (Labour Code art. 111(3)); 24/11 pending (Resolution 80-NQ/TW).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.workdays.calendar import (
    MAX_DAYS,
    VN_TZ,
    CalendarError,
    DayEntry,
    DayKind,
    SkippedRun,
    WorkCalendar,
    WorkingHours,
    data_years,
    default_calendar,
    estimated_entries,
    load_entries,
)

CAL = default_calendar()
D = date.fromisoformat

# --------------------------------------------------------------------------- official data

# Every weekday that is NOT a working day, with its kind, as the notices say.
WEEKDAYS_OFF: dict[int, list[tuple[str, DayKind]]] = {
    2024: [
        ("2024-01-01", DayKind.HOLIDAY),  # Tết Dương lịch, Mon
        ("2024-02-08", DayKind.TET),  # 29 Chạp, Thu
        ("2024-02-09", DayKind.TET),  # 30 Chạp, Fri
        ("2024-02-12", DayKind.TET),  # mùng 3, Mon
        ("2024-02-13", DayKind.COMPENSATORY),  # bù mùng 1 (Sat)
        ("2024-02-14", DayKind.COMPENSATORY),  # bù mùng 2 (Sun)
        ("2024-04-18", DayKind.HOLIDAY),  # Giỗ Tổ, Thu
        ("2024-04-29", DayKind.SWAP_OFF),  # Mon, swapped with Sat 04/05
        ("2024-04-30", DayKind.HOLIDAY),
        ("2024-05-01", DayKind.HOLIDAY),
        ("2024-09-02", DayKind.HOLIDAY),  # Quốc khánh, Mon
        ("2024-09-03", DayKind.HOLIDAY),  # adjacent day, Tue
    ],
    2025: [
        ("2025-01-01", DayKind.HOLIDAY),
        ("2025-01-27", DayKind.TET),
        ("2025-01-28", DayKind.TET),
        ("2025-01-29", DayKind.TET),  # mùng 1 Ất Tỵ
        ("2025-01-30", DayKind.TET),
        ("2025-01-31", DayKind.TET),
        ("2025-04-07", DayKind.HOLIDAY),  # Giỗ Tổ, Mon
        ("2025-04-30", DayKind.HOLIDAY),
        ("2025-05-01", DayKind.HOLIDAY),
        ("2025-05-02", DayKind.SWAP_OFF),  # Fri, swapped with Sat 26/04
        ("2025-09-01", DayKind.HOLIDAY),
        ("2025-09-02", DayKind.HOLIDAY),
    ],
    2026: [
        ("2026-01-01", DayKind.HOLIDAY),
        ("2026-01-02", DayKind.SWAP_OFF),  # Fri, swapped with Sat 10/01
        ("2026-02-16", DayKind.TET),
        ("2026-02-17", DayKind.TET),  # mùng 1 Bính Ngọ
        ("2026-02-18", DayKind.TET),
        ("2026-02-19", DayKind.TET),
        ("2026-02-20", DayKind.TET),
        ("2026-04-27", DayKind.COMPENSATORY),  # Giỗ Tổ on Sun 26/04
        ("2026-04-30", DayKind.HOLIDAY),
        ("2026-05-01", DayKind.HOLIDAY),
        ("2026-08-31", DayKind.SWAP_OFF),  # Mon, swapped with Sat 22/08
        ("2026-09-01", DayKind.HOLIDAY),
        ("2026-09-02", DayKind.HOLIDAY),
    ],
}

MAKEUP_SATURDAYS: dict[int, list[str]] = {
    2024: ["2024-05-04"],
    2025: ["2025-04-26"],
    2026: ["2026-01-10", "2026-08-22"],
}

# Official breaks including their weekend days, first and last day.
BREAKS: list[tuple[str, str]] = [
    ("2024-02-08", "2024-02-14"),
    ("2024-04-27", "2024-05-01"),
    ("2024-08-31", "2024-09-03"),
    ("2025-01-25", "2025-02-02"),
    ("2025-04-30", "2025-05-04"),
    ("2025-08-30", "2025-09-02"),
    ("2026-01-01", "2026-01-04"),
    ("2026-02-14", "2026-02-22"),
    ("2026-04-25", "2026-04-27"),
    ("2026-04-30", "2026-05-03"),
    ("2026-08-29", "2026-09-02"),
]


def _year_days(year: int) -> list[date]:
    d, out = date(year, 1, 1), []
    while d.year == year:
        out.append(d)
        d += timedelta(days=1)
    return out


@pytest.mark.parametrize(
    ("day", "kind"),
    [(d, k) for rows in WEEKDAYS_OFF.values() for d, k in rows],
)
def test_official_weekday_off(day: str, kind: DayKind) -> None:
    entry = CAL.entry(D(day))
    assert entry is not None
    assert entry.kind is kind
    assert entry.reference
    assert not entry.pending
    assert not entry.estimated
    assert not CAL.is_working_day(D(day))


@pytest.mark.parametrize("day", [d for rows in MAKEUP_SATURDAYS.values() for d in rows])
def test_official_makeup_saturday(day: str) -> None:
    d = D(day)
    assert d.weekday() == 5
    entry = CAL.entry(d)
    assert entry is not None
    assert entry.kind is DayKind.MAKEUP
    assert not entry.is_day_off
    assert entry.reference
    assert CAL.is_working_day(d)


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_no_other_weekday_off_or_working_weekend(year: int) -> None:
    """The whole year: exactly the listed weekdays off and the listed Saturdays worked."""
    expected_off = {D(d) for d, _ in WEEKDAYS_OFF[year]}
    expected_work = {D(d) for d in MAKEUP_SATURDAYS[year]}
    days = _year_days(year)
    off = {d for d in days if d.weekday() < 5 and not CAL.is_working_day(d)}
    worked = {d for d in days if d.weekday() >= 5 and CAL.is_working_day(d)}
    assert off == expected_off
    assert worked == expected_work


@pytest.mark.parametrize(("first", "last"), BREAKS)
def test_official_breaks_are_contiguous(first: str, last: str) -> None:
    a, b = D(first), D(last)
    assert CAL.is_working_day(a - timedelta(days=1))
    assert CAL.is_working_day(b + timedelta(days=1))
    d = a
    while d <= b:
        assert not CAL.is_working_day(d), d
        d += timedelta(days=1)


def test_culture_day_2026_is_listed_but_pending() -> None:
    entry = CAL.entry(D("2026-11-24"))
    assert entry is not None
    assert entry.name == "Ngày Văn hóa Việt Nam"
    assert entry.pending
    assert entry.is_day_off
    assert "80-NQ/TW" in entry.reference
    assert CAL.is_working_day(D("2026-11-24"))  # not yet law: default does not count it


def test_data_files_schema() -> None:
    assert set(data_years()) >= {2024, 2025, 2026, 2027}
    folder = resources.files("cchc.workdays").joinpath("data")
    kinds = {"holiday", "tet", "compensatory", "swap_off", "makeup"}
    for year in (2024, 2025, 2026, 2027):
        raw = json.loads(folder.joinpath(f"{year}.json").read_text(encoding="utf-8"))
        assert raw["year"] == year
        assert raw["status"] == ("estimated" if year == 2027 else "official")
        assert raw["sources"]
        dates = [row["date"] for row in raw["entries"]]
        assert dates == sorted(dates)
        assert len(set(dates)) == len(dates)
        for row in raw["entries"]:
            assert set(row) == {"date", "kind", "name", "reference", "pending"}
            assert row["kind"] in kinds
            assert row["name"]
            assert row["reference"]
            assert isinstance(row["pending"], bool)
            assert D(row["date"]).year == year
            if row["kind"] == "makeup":
                assert D(row["date"]).weekday() == 5


def test_2027_is_estimated_and_says_so() -> None:
    entries = load_entries([2027])
    assert entries
    assert all(e.estimated for e in entries)
    for e in entries:
        if not e.pending:
            assert "Ước tính theo Bộ luật Lao động 2019" in e.reference
            assert "chờ thông báo chính thức" in e.reference
    assert CAL.is_estimated_year(2027)
    assert not CAL.is_estimated_year(2026)
    # Tết Đinh Mùi: mùng 1 is Saturday 06/02/2027.
    assert not CAL.is_working_day(D("2027-02-06"))
    assert [e.date for e in entries if e.kind is DayKind.TET and e.date.weekday() < 5] == [
        D("2027-02-04"),
        D("2027-02-05"),
        D("2027-02-08"),
        D("2027-02-09"),
        D("2027-02-10"),
    ]


def test_load_entries_filters_years() -> None:
    assert {e.date.year for e in load_entries([2025, 1999])} == {2025}
    assert {e.date.year for e in load_entries()} >= {2024, 2025, 2026, 2027}


def test_entries_for_year_sorted_and_fallback() -> None:
    rows = CAL.entries_for_year(2026)
    assert [e.date for e in rows] == sorted(e.date for e in rows)
    assert D("2026-11-24") in {e.date for e in rows}
    fallback = CAL.entries_for_year(2030)
    assert fallback
    assert all(e.estimated for e in fallback)
    assert CAL.is_estimated_year(2030)


# --------------------------------------------------------------------------- fallback


def test_estimated_entries_kinds_and_pending() -> None:
    rows = {e.date: e for e in estimated_entries(2028)}
    assert rows[D("2028-01-01")].kind is DayKind.HOLIDAY  # Saturday
    assert rows[D("2028-01-03")].kind is DayKind.COMPENSATORY
    assert rows[D("2028-01-03")].name == "Nghỉ bù Tết Dương lịch"
    assert rows[D("2028-01-26")].kind is DayKind.TET
    assert rows[D("2028-01-26")].name == "Tết Nguyên đán Mậu Thân"
    assert rows[D("2028-11-24")].pending
    assert all(e.estimated for e in rows.values())
    assert all(e.reference for e in rows.values())


def test_estimated_entries_keep_known_historical_swaps() -> None:
    rows = {e.date: e for e in estimated_entries(2014)}
    makeup = rows[D("2014-12-27")]  # worked for Friday 02/01/2015
    assert makeup.kind is DayKind.MAKEUP
    assert makeup.name == "Làm bù cho ngày nghỉ thứ Sáu 02/01/2015"
    assert CAL.is_working_day(D("2014-12-27"))
    assert not CAL.is_working_day(D("2015-01-02"))


def test_estimated_entries_rejects_bad_year() -> None:
    with pytest.raises(CalendarError, match="Năm phải từ 1990 đến 2100"):
        estimated_entries(1989)


def test_default_calendar_is_cached() -> None:
    assert default_calendar() is CAL


# --------------------------------------------------------------------------- the convention

MON = datetime(2026, 3, 9, 9, 0)  # an ordinary week: 09/03 – 20/03/2026 has no holiday


def test_monday_morning_plus_5_is_next_monday() -> None:
    assert CAL.effective_receipt_date(MON) == D("2026-03-09")
    assert CAL.due_date(MON, 5) == D("2026-03-16")


def test_monday_after_cutoff_plus_5_is_next_tuesday() -> None:
    late = MON.replace(hour=16)
    assert CAL.effective_receipt_date(late) == D("2026-03-10")
    assert CAL.due_date(late, 5) == D("2026-03-17")


def test_saturday_receipt_counts_from_monday() -> None:
    sat = datetime(2026, 3, 7, 10, 0)
    assert CAL.effective_receipt_date(sat) == D("2026-03-09")
    assert CAL.due_date(sat, 5) == D("2026-03-16")
    sun = datetime(2026, 3, 8, 8, 0)
    assert CAL.due_date(sun, 1) == D("2026-03-10")


def test_cutoff_is_inclusive_at_15_00_exactly() -> None:
    """At or before 15:00:00 counts that day; any instant after it counts the next day."""
    assert CAL.effective_receipt_date(MON.replace(hour=15)) == D("2026-03-09")
    assert CAL.effective_receipt_date(MON.replace(hour=14, minute=59)) == D("2026-03-09")
    assert CAL.effective_receipt_date(MON.replace(hour=15, second=1)) == D("2026-03-10")
    after = MON.replace(hour=15, microsecond=1)
    assert CAL.effective_receipt_date(after) == D("2026-03-10")
    assert CAL.effective_receipt_date(MON.replace(hour=6)) == D("2026-03-09")


def test_aware_receipt_is_converted_to_local_time() -> None:
    utc = UTC
    # 07:59 UTC = 14:59 in Vietnam; 08:30 UTC = 15:30.
    assert CAL.effective_receipt_date(datetime(2026, 3, 9, 7, 59, tzinfo=utc)) == D("2026-03-09")
    assert CAL.effective_receipt_date(datetime(2026, 3, 9, 8, 30, tzinfo=utc)) == D("2026-03-10")
    # 20:00 UTC on Sunday is already 03:00 Monday in Vietnam.
    assert CAL.effective_receipt_date(datetime(2026, 3, 8, 20, 0, tzinfo=utc)) == D("2026-03-09")


def test_receipt_on_a_holiday_counts_from_next_working_day() -> None:
    assert CAL.effective_receipt_date(datetime(2026, 2, 17, 9)) == D("2026-02-23")
    assert CAL.due_date(datetime(2026, 2, 17, 9), 1) == D("2026-02-24")


def test_custom_cutoff() -> None:
    cal = WorkCalendar(load_entries([2026]), first_year=2026, last_year=2026, cutoff=time(16, 30))
    assert cal.effective_receipt_date(MON.replace(hour=16)) == D("2026-03-09")
    assert cal.effective_receipt_date(MON.replace(hour=16, minute=31)) == D("2026-03-10")


# --------------------------------------------------------------------------- spanning cases


def test_tet_spanning() -> None:
    # 11, 12, 13 Feb, then Tết 14–22 Feb off, then 23 and 24 Feb.
    assert CAL.add_working_days(D("2026-02-10"), 5) == D("2026-02-24")
    assert CAL.working_days_between(D("2026-02-10"), D("2026-02-24")) == 5
    assert CAL.add_working_days(D("2026-02-13"), 1) == D("2026-02-23")
    assert CAL.add_working_days(D("2025-01-24"), 1) == D("2025-02-03")
    assert CAL.add_working_days(D("2024-02-07"), 1) == D("2024-02-15")


def test_swap_spanning() -> None:
    assert CAL.add_working_days(D("2025-12-31"), 1) == D("2026-01-05")
    assert CAL.add_working_days(D("2026-01-09"), 1) == D("2026-01-10")  # Sat 10/01 counts
    assert CAL.add_working_days(D("2026-01-08"), 3) == D("2026-01-12")
    assert CAL.working_days_between(D("2026-01-05"), D("2026-01-12")) == 6
    assert CAL.add_working_days(D("2024-04-26"), 1) == D("2024-05-02")
    assert CAL.add_working_days(D("2024-05-03"), 1) == D("2024-05-04")
    assert CAL.add_working_days(D("2025-04-25"), 1) == D("2025-04-26")
    assert CAL.add_working_days(D("2025-04-29"), 1) == D("2025-05-05")


def test_makeup_saturday_cases() -> None:
    assert CAL.add_working_days(D("2026-08-21"), 1) == D("2026-08-22")
    assert CAL.add_working_days(D("2026-08-22"), 1) == D("2026-08-24")
    assert CAL.add_working_days(D("2026-08-28"), 1) == D("2026-09-03")
    assert CAL.next_working_day(D("2026-08-21")) == D("2026-08-22")
    assert CAL.working_days_between(D("2026-08-20"), D("2026-08-24")) == 3


def test_pending_culture_day_both_ways() -> None:
    assert CAL.add_working_days(D("2026-11-23"), 1) == D("2026-11-24")
    counting = WorkCalendar(
        load_entries([2026]), first_year=2026, last_year=2026, count_pending=True
    )
    assert not counting.is_working_day(D("2026-11-24"))
    assert counting.add_working_days(D("2026-11-23"), 1) == D("2026-11-25")
    assert counting.entry(D("2026-11-24")) == CAL.entry(D("2026-11-24"))


def test_overrides() -> None:
    storm = DayEntry(
        D("2026-03-10"), DayKind.OVERRIDE_OFF, "Nghỉ tránh bão", "Quyết định 12/QĐ-UBND"
    )
    saturday = DayEntry(D("2026-03-14"), DayKind.OVERRIDE_WORK, "Làm việc thứ Bảy", "QĐ 13")
    holiday_worked = DayEntry(D("2026-04-30"), DayKind.OVERRIDE_WORK, "Trực lễ", "QĐ 14")
    cal = CAL.with_overrides([storm, saturday, holiday_worked])
    assert not cal.is_working_day(D("2026-03-10"))
    assert cal.add_working_days(D("2026-03-09"), 1) == D("2026-03-11")
    assert cal.add_working_days(D("2026-03-13"), 1) == D("2026-03-14")
    assert cal.is_working_day(D("2026-04-30"))  # the later entry for the date wins
    assert cal.entry(D("2026-04-30")) == holiday_worked
    # The shared calendar is untouched, and the rest of the data is kept.
    assert CAL.is_working_day(D("2026-03-10"))
    assert not CAL.is_working_day(D("2026-04-30"))
    assert cal.add_working_days(D("2026-02-10"), 5) == D("2026-02-24")
    assert cal.add_working_days(D("2025-12-31"), 1) == D("2026-01-05")
    # Layering again: the newest override wins.
    back = cal.with_overrides([DayEntry(D("2026-03-10"), DayKind.OVERRIDE_WORK, "Hủy", "QĐ 15")])
    assert back.is_working_day(D("2026-03-10"))
    run = cal.explain(D("2026-03-09"), 1)
    assert run.due == D("2026-03-11")
    assert str(run.skipped[0]) == "10/03: Nghỉ tránh bão (Quyết định 12/QĐ-UBND)"


def test_zero_days_and_non_working_start() -> None:
    assert CAL.add_working_days(D("2026-02-17"), 0) == D("2026-02-17")
    assert CAL.add_working_days(datetime(2026, 2, 17, 9), 0) == D("2026-02-17")
    assert CAL.add_working_days(D("2026-02-14"), 1) == D("2026-02-23")
    assert CAL.working_days_between(D("2026-02-24"), D("2026-02-10")) == -5
    assert CAL.working_days_between(D("2026-02-10"), D("2026-02-10")) == 0


# --------------------------------------------------------------------------- hours, same day


def test_working_hours_within_and_across_days() -> None:
    assert CAL.add_working_hours(MON, 1) == MON.replace(hour=10)
    assert CAL.add_working_hours(MON, 8) == datetime(2026, 3, 10, 9, 0)
    assert CAL.add_working_hours(MON.replace(hour=7, minute=30), 8) == MON.replace(hour=17)
    assert CAL.add_working_hours(MON.replace(hour=11), 1) == MON.replace(hour=13, minute=30)
    assert CAL.add_working_hours(MON.replace(hour=12), 1) == MON.replace(hour=14)  # lunch
    assert CAL.add_working_hours(MON.replace(hour=6), Decimal("0.5")) == MON.replace(hour=8)
    assert CAL.add_working_hours(MON.replace(hour=18), 1) == datetime(2026, 3, 10, 8, 30)
    assert CAL.add_working_hours(MON, 2.25) == MON.replace(hour=11, minute=15)
    assert CAL.add_working_hours(MON, 40) == datetime(2026, 3, 16, 9, 0)  # 5 days


def test_working_hours_skip_days_off() -> None:
    fri = datetime(2026, 2, 13, 16, 0)  # Friday before Tết
    assert CAL.add_working_hours(fri, 8) == datetime(2026, 2, 23, 16, 0)
    sat = datetime(2026, 3, 7, 10, 0)
    assert CAL.add_working_hours(sat, 0) == datetime(2026, 3, 9, 7, 30)
    assert CAL.add_working_hours(sat, 4) == datetime(2026, 3, 9, 11, 30)
    # A make-up Saturday is a working day with normal sessions.
    assert CAL.add_working_hours(datetime(2026, 8, 21, 16, 0), 2) == datetime(2026, 8, 22, 8, 30)
    # Exactly-whole days end at the end of a day, not at the start of the next one.
    assert CAL.add_working_hours(datetime(2026, 3, 6, 17, 0), 16) == datetime(2026, 3, 10, 17, 0)


def test_working_hours_custom_sessions_and_aware() -> None:
    single = WorkingHours(((time(8, 0), time(16, 0)),))
    cal = WorkCalendar(load_entries([2026]), first_year=2026, last_year=2026, hours=single)
    assert cal.add_working_hours(MON.replace(hour=12), 4) == MON.replace(hour=16)
    assert cal.add_working_hours(MON.replace(hour=12), 5) == datetime(2026, 3, 10, 9, 0)
    aware = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)  # 09:00 in Vietnam
    out = CAL.add_working_hours(aware, 1)
    assert out == datetime(2026, 3, 9, 10, 0, tzinfo=VN_TZ)
    assert out.tzinfo is not None


def test_working_hours_rejects_bad_sessions() -> None:
    with pytest.raises(CalendarError, match="Buổi làm việc"):
        WorkingHours(((time(12, 0), time(8, 0)),))
    with pytest.raises(CalendarError, match="không chồng"):
        WorkingHours(((time(8, 0), time(12, 0)), (time(11, 0), time(13, 0))))


def test_same_day_due() -> None:
    assert CAL.same_day_due(MON.replace(hour=14)) == MON.replace(hour=17)
    assert CAL.same_day_due(MON.replace(hour=15)) == MON.replace(hour=17)
    assert CAL.same_day_due(MON.replace(hour=15, minute=30)) == datetime(2026, 3, 10, 17, 0)
    assert CAL.same_day_due(datetime(2026, 2, 13, 16, 0)) == datetime(2026, 2, 23, 17, 0)
    assert CAL.same_day_due(datetime(2026, 3, 7, 9, 0)) == datetime(2026, 3, 9, 17, 0)
    aware = CAL.same_day_due(datetime(2026, 3, 9, 2, 0, tzinfo=UTC))
    assert aware == datetime(2026, 3, 9, 17, 0, tzinfo=VN_TZ)


# --------------------------------------------------------------------------- properties

_starts = st.dates(min_value=date(1990, 1, 1), max_value=date(2098, 6, 30))
_ns = st.integers(min_value=0, max_value=400)


@settings(max_examples=300, deadline=None, database=None)
@given(start=_starts, n=st.integers(min_value=1, max_value=400))
def test_property_result_is_a_working_day(start: date, n: int) -> None:
    due = CAL.add_working_days(start, n)
    assert due > start
    assert CAL.is_working_day(due)


@settings(max_examples=300, deadline=None, database=None)
@given(start=_starts, n=_ns)
def test_property_between_inverts_add(start: date, n: int) -> None:
    assert CAL.working_days_between(start, CAL.add_working_days(start, n)) == n


@settings(max_examples=300, deadline=None, database=None)
@given(start=_starts, n=_ns)
def test_property_monotonic_in_n(start: date, n: int) -> None:
    assert CAL.add_working_days(start, n) < CAL.add_working_days(start, n + 1)


@settings(max_examples=200, deadline=None, database=None)
@given(start=st.dates(min_value=date(2023, 6, 1), max_value=date(2027, 12, 31)), n=_ns)
def test_property_matches_naive_day_by_day_loop(start: date, n: int) -> None:
    d, left = start, n
    while left:
        d += timedelta(days=1)
        if CAL.is_working_day(d):
            left -= 1
    assert CAL.add_working_days(start, n) == d


@settings(max_examples=200, deadline=None, database=None)
@given(
    received=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31)),
    hours=st.integers(min_value=0, max_value=200),
)
def test_property_working_hours_land_inside_a_session(received: datetime, hours: int) -> None:
    out = CAL.add_working_hours(received, hours)
    assert out >= received
    assert CAL.is_working_day(out.date())
    assert any(s <= out.time() <= e for s, e in CAL.hours.sessions)


# --------------------------------------------------------------------------- bulk


def test_bulk_agrees_with_scalar_on_100k_random_cases() -> None:
    rng = np.random.default_rng(20260210)
    lo = np.datetime64("1990-01-01").astype(np.int64)
    hi = np.datetime64("2099-12-31").astype(np.int64)
    starts = rng.integers(lo, hi + 1, size=100_000).astype("datetime64[D]")
    ns = rng.integers(0, 61, size=100_000)
    due = CAL.add_working_days_many(starts, ns)
    assert due.dtype == np.dtype("datetime64[D]")
    scalar = [
        CAL.add_working_days(s, int(n)) for s, n in zip(starts.tolist(), ns.tolist(), strict=True)
    ]
    assert due.tolist() == scalar

    other = rng.integers(lo, hi + 1, size=100_000).astype("datetime64[D]")
    between = CAL.working_days_between_many(starts, other)
    scalar_between = [
        CAL.working_days_between(a, b) for a, b in zip(starts.tolist(), other.tolist(), strict=True)
    ]
    assert between.tolist() == scalar_between
    assert (CAL.working_days_between_many(starts, due) == ns).all()


def test_bulk_broadcasts_and_accepts_strings() -> None:
    starts = np.array(["2026-02-10", "2025-12-31", "2026-08-21"], dtype="datetime64[D]")
    assert CAL.add_working_days_many(starts, np.array([5, 1, 1])).tolist() == [
        D("2026-02-24"),
        D("2026-01-05"),
        D("2026-08-22"),
    ]
    assert CAL.add_working_days_many(["2026-02-10"], 5).tolist() == [D("2026-02-24")]
    assert CAL.add_working_days_many(starts, 0).tolist() == starts.tolist()
    assert CAL.add_working_days_many(np.array([], dtype="datetime64[D]"), 3).size == 0


def test_bulk_bad_input() -> None:
    starts = np.array(["2026-02-10", "2101-01-01"], dtype="datetime64[D]")
    with pytest.raises(CalendarError, match="nằm ngoài phạm vi"):
        CAL.add_working_days_many(starts, np.array([1, 1]))
    with pytest.raises(CalendarError, match="nằm ngoài phạm vi"):
        CAL.add_working_days_many(np.array(["NaT"], dtype="datetime64[D]"), 1)
    with pytest.raises(CalendarError, match=r"Số ngày phải từ 0 đến 10\.000"):
        CAL.add_working_days_many(starts[:1], np.array([-1]))
    with pytest.raises(CalendarError, match="Số ngày phải"):
        CAL.add_working_days_many(starts[:1], np.array([1.5]))
    with pytest.raises(CalendarError, match="vượt quá phạm vi"):
        CAL.add_working_days_many(np.array(["2100-12-20"], dtype="datetime64[D]"), 50)
    with pytest.raises(CalendarError, match="không hợp lệ"):
        CAL.add_working_days_many(["hôm qua"], 1)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("n", [-1, MAX_DAYS + 1, 1.5, True, "5", None])
def test_bad_n(n: object) -> None:
    with pytest.raises(CalendarError, match=r"^Số ngày phải từ 0 đến 10\.000$"):
        CAL.add_working_days(D("2026-02-10"), n)  # type: ignore[arg-type]


def test_n_upper_bound_is_allowed() -> None:
    assert CAL.add_working_days(D("1990-01-01"), MAX_DAYS).year == 2029
    assert CAL.add_working_days(D("2026-02-10"), np.int64(5)) == D("2026-02-24")


@pytest.mark.parametrize("day", ["1989-12-31", "2101-01-01"])
def test_date_outside_supported_years(day: str) -> None:
    with pytest.raises(CalendarError, match=r"nằm ngoài phạm vi của lịch \(năm 1990–2100\)"):
        CAL.add_working_days(D(day), 1)
    with pytest.raises(CalendarError):
        CAL.is_working_day(D(day))
    with pytest.raises(CalendarError):
        CAL.effective_receipt_date(datetime.combine(D(day), time(9)))


def test_result_past_last_year() -> None:
    with pytest.raises(CalendarError, match=r"vượt quá phạm vi của lịch \(sau ngày 31/12/2100\)"):
        CAL.add_working_days(D("2100-12-28"), 10)


def test_other_bad_input() -> None:
    with pytest.raises(CalendarError, match="Ngày không hợp lệ"):
        CAL.add_working_days("2026-02-10", 1)  # type: ignore[arg-type]
    with pytest.raises(CalendarError, match="Thời điểm tiếp nhận"):
        CAL.effective_receipt_date(D("2026-02-10"))  # type: ignore[arg-type]
    with pytest.raises(CalendarError, match=r"Số giờ phải từ 0 đến 80\.000"):
        CAL.add_working_hours(MON, -1)
    with pytest.raises(CalendarError, match="Số giờ"):
        CAL.add_working_hours(MON, float("nan"))
    with pytest.raises(CalendarError, match="Số giờ"):
        CAL.add_working_hours(MON, 80_001)
    with pytest.raises(CalendarError, match="Năm phải từ 1990 đến 2100"):
        CAL.entries_for_year(2101)
    with pytest.raises(CalendarError):
        WorkCalendar([], first_year=2030, last_year=2020)
    assert issubclass(CalendarError, ValueError)


# --------------------------------------------------------------------------- explain


def test_explain_tet() -> None:
    ex = CAL.explain(D("2026-02-10"), 5)
    assert ex.due == D("2026-02-24")
    assert not ex.estimated
    assert len(ex.skipped) == 1
    run = ex.skipped[0]
    assert (run.first, run.last) == (D("2026-02-14"), D("2026-02-22"))
    assert str(run).startswith("14/02–22/02: Tết Nguyên đán Bính Ngọ (")
    assert str(run) == "14/02–22/02: Tết Nguyên đán Bính Ngọ (Thông báo 9441/TB-BNV)"
    lines = ex.lines()
    assert lines[0] == "Hạn: 24/02/2026 (5 ngày làm việc sau 10/02/2026)"
    assert "- 14/02–22/02: Tết Nguyên đán Bính Ngọ (Thông báo 9441/TB-BNV)" in lines


def test_explain_weekends_swap_and_single_day() -> None:
    ex = CAL.explain(D("2026-03-05"), 5)
    assert [str(r) for r in ex.skipped] == ["07/03–08/03: Thứ Bảy, Chủ nhật"]
    ex = CAL.explain(D("2025-12-31"), 1)
    assert ex.due == D("2026-01-05")
    (run,) = ex.skipped
    assert run.reason == (
        "Tết Dương lịch; Nghỉ hoán đổi cho ngày làm bù thứ Bảy 10/01/2026; Thứ Bảy, Chủ nhật"
    )
    assert "Công văn 12729/VPCP-KGVX ngày 25/12/2025" in run.references
    ex = CAL.explain(D("2024-04-17"), 1)
    assert [str(r) for r in ex.skipped] == [
        "18/04: Giỗ Tổ Hùng Vương (10/3 âm lịch) (Bộ luật Lao động 2019, Điều 112)"
    ]
    assert str(SkippedRun(D("2026-01-02"), D("2026-01-02"), "X", ())) == "02/01: X"


def test_explain_makeup_pending_estimated() -> None:
    ex = CAL.explain(D("2026-08-21"), 1)
    assert [e.date for e in ex.makeup_days] == [D("2026-08-22")]
    assert any("làm bù 22/08/2026" in line for line in ex.lines())
    ex = CAL.explain(D("2026-11-20"), 5)
    assert ex.due == D("2026-11-27")
    assert [e.date for e in ex.pending_days] == [D("2026-11-24")]
    assert any("chưa có hiệu lực" in line for line in ex.lines())
    assert CAL.explain(D("2027-02-01"), 5).estimated
    assert any("ước tính" in line for line in CAL.explain(D("2027-02-01"), 5).lines())
    assert CAL.explain(D("2030-01-02"), 3).estimated
    assert not CAL.explain(D("2026-12-30"), 0).estimated
    ex0 = CAL.explain(D("2026-02-14"), 0)
    assert (ex0.due, ex0.skipped) == (D("2026-02-14"), ())


def test_day_entry_helpers() -> None:
    e = CAL.entry(D("2026-01-10"))
    assert e is not None
    assert not e.is_day_off
    assert e.as_dict() == {
        "date": "2026-01-10",
        "kind": "makeup",
        "name": "Làm bù cho ngày nghỉ thứ Sáu 02/01/2026",
        "reference": "Công văn 12729/VPCP-KGVX ngày 25/12/2025",
        "pending": False,
    }
    assert CAL.entry(D("2026-03-09")) is None
    for kind in DayKind:
        entry = DayEntry(D("2026-03-09"), kind, "x")
        assert entry.is_day_off is (kind not in {DayKind.MAKEUP, DayKind.OVERRIDE_WORK})
