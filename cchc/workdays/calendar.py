"""Working-day calendar of Vietnamese state bodies, and deadline arithmetic on it.

Every legal time limit in the system ("05 ngày làm việc", "trong ngày", "08 giờ làm việc") is
counted on this calendar, so it must be *right* (the government's yearly swaps and make-up
Saturdays, which neither ``holidays`` nor ``numpy.busday_*`` get right), *explainable* (a
citizen can ask why the due date is 24/02 and not 17/02) and *fast* (the 766 index recomputes
the due date of a million dossiers).

Design, in one paragraph: a :class:`WorkCalendar` is built once from a list of
:class:`DayEntry` rows (the official data files under ``data/``, the Labour Code fallback for
years without a file, and a unit's overrides). Construction lays a boolean "is working day"
table over every day of ``first_year..last_year``, its running sum ``cum`` and the sorted
array of working-day ordinals. Then the n-th working day after ``start`` is
``work[cum[start] + n - 1]``: two index lookups, whatever ``n`` is, and the same expression
works element-wise on numpy arrays for the bulk path.

This module is pure: no Django import, only the standard library, numpy and (lazily, for the
fallback years) ``holidays``. All messages meant for users are Vietnamese.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from importlib import resources
from typing import Any

import numpy as np

__all__ = [
    "MAX_DAYS",
    "MAX_YEAR",
    "MIN_YEAR",
    "VN_TZ",
    "CalendarError",
    "DayEntry",
    "DayKind",
    "Explanation",
    "SkippedRun",
    "WorkCalendar",
    "WorkingHours",
    "data_years",
    "default_calendar",
    "estimated_entries",
    "load_entries",
]

#: Vietnam has kept UTC+7 without daylight saving since 1975; a fixed offset avoids depending
#: on the system's tz database (``zoneinfo`` needs ``tzdata`` on some hosts).
VN_TZ: tzinfo = timezone(timedelta(hours=7), "ICT")

#: Range of years the system accepts (issue #3: "a year outside 1990–2100" is bad input).
MIN_YEAR = 1990
MAX_YEAR = 2100

#: Largest number of working days accepted: beyond ~40 years it is a typo, not a time limit.
MAX_DAYS = 10_000

_WEEKDAY_VI = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
_CAN = ("Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý")
_CHI = ("Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi")
_US_PER_HOUR = 3_600_000_000
_US_PER_SECOND = 1_000_000
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()  # datetime64[D] counts days from 1970-01-01


class CalendarError(ValueError):
    """Bad input to the calendar (n out of range, a date outside the supported years, …).

    Subclasses :class:`ValueError` so generic callers still catch it; the message is
    Vietnamese and meant to be shown as is (CLI exit code 2, API 422), never a traceback.
    """


class DayKind(StrEnum):
    """Why a date differs from the plain Monday–Friday week.

    The kinds mirror the legal sources, because the explanation shown to citizens and the
    yearly table on the staff page must say *which* rule made a day off or a working day.
    """

    HOLIDAY = "holiday"  # statutory solar/lunar holiday, Labour Code 2019 art. 112
    TET = "tet"  # Lunar New Year days off as set each year by the Prime Minister
    COMPENSATORY = "compensatory"  # nghỉ bù: a holiday on a weekend, art. 111(3)
    SWAP_OFF = "swap_off"  # hoán đổi: a weekday made a day off
    MAKEUP = "makeup"  # ngày làm bù: a Saturday made a working day
    OVERRIDE_OFF = "override_off"  # unit admin: extra day off
    OVERRIDE_WORK = "override_work"  # unit admin: extra working day
    ESTIMATED = "estimated"  # fallback day off whose kind could not be classified


_WORKING_KINDS = frozenset({DayKind.MAKEUP, DayKind.OVERRIDE_WORK})


@dataclass(frozen=True, slots=True)
class DayEntry:
    """One dated row of the calendar: a day off or a make-up working day, with its legal basis.

    ``pending`` marks a day announced but not yet law (24/11 "Ngày Văn hóa Việt Nam"): it is
    listed everywhere but only counted as a day off when the calendar says ``count_pending``.
    ``estimated`` marks a row derived from the Labour Code rules rather than read from an
    official notice, so that due dates depending on it can be flagged.
    """

    date: date
    kind: DayKind
    name: str
    reference: str = ""
    pending: bool = False
    estimated: bool = False

    @property
    def is_day_off(self) -> bool:
        """True for every kind except the two that turn a day *into* a working day."""
        return self.kind not in _WORKING_KINDS

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of the data files and of ``cchc workdays year --json``."""
        return {
            "date": self.date.isoformat(),
            "kind": str(self.kind),
            "name": self.name,
            "reference": self.reference,
            "pending": self.pending,
        }


def _time_us(t: time) -> int:
    """Microseconds since midnight: integer arithmetic keeps hour sums exact."""
    return ((t.hour * 60 + t.minute) * 60 + t.second) * _US_PER_SECOND + t.microsecond


@dataclass(frozen=True)
class WorkingHours:
    """Office sessions of one working day, used for limits counted in hours or "trong ngày".

    The default is the usual 07:30–11:30 and 13:00–17:00 (8 hours, Decision 188/1999/QĐ-TTg's
    40-hour week); provinces that keep other hours pass their own sessions.
    """

    sessions: tuple[tuple[time, time], ...] = (
        (time(7, 30), time(11, 30)),
        (time(13, 0), time(17, 0)),
    )

    def __post_init__(self) -> None:
        if not self.sessions:
            raise CalendarError("Phải có ít nhất một buổi làm việc trong ngày")
        previous_end = -1
        for start, end in self.sessions:
            s, e = _time_us(start), _time_us(end)
            if not s < e:
                raise CalendarError(
                    f"Buổi làm việc {start:%H:%M}–{end:%H:%M} không hợp lệ (giờ bắt đầu phải "
                    "trước giờ kết thúc)"
                )
            if s < previous_end:
                raise CalendarError("Các buổi làm việc phải theo thứ tự và không chồng lên nhau")
            previous_end = e

    @functools.cached_property
    def _spans_us(self) -> tuple[tuple[int, int], ...]:
        return tuple((_time_us(s), _time_us(e)) for s, e in self.sessions)

    @property
    def day_us(self) -> int:
        """Working microseconds in one day (8 h = 28 800 000 000 by default)."""
        return sum(e - s for s, e in self._spans_us)

    @property
    def day_end(self) -> time:
        """End of the last session: the deadline of a "trong ngày" procedure."""
        return self.sessions[-1][1]


@dataclass(frozen=True)
class SkippedRun:
    """A run of consecutive days that were not counted, with why (for :meth:`explain`)."""

    first: date
    last: date
    reason: str
    references: tuple[str, ...] = ()

    def __str__(self) -> str:
        span = (
            f"{self.first:%d/%m}"
            if self.first == self.last
            else f"{self.first:%d/%m}–{self.last:%d/%m}"
        )
        refs = f" ({'; '.join(self.references)})" if self.references else ""
        return f"{span}: {self.reason}{refs}"


@dataclass(frozen=True)
class Explanation:
    """The due date of ``n`` working days after ``start``, and every day that was skipped.

    ``pending_days`` (an addition to the original spec) lists not-yet-law days off that were
    counted as working days, so the page can warn that the due date may move.
    """

    start: date
    n: int
    due: date
    skipped: tuple[SkippedRun, ...]
    makeup_days: tuple[DayEntry, ...]
    estimated: bool
    pending_days: tuple[DayEntry, ...] = field(default=())

    def lines(self) -> list[str]:
        """Vietnamese text, one item per line, dates dd/mm/yyyy except inside skipped runs."""
        out = [f"Hạn: {self.due:%d/%m/%Y} ({self.n} ngày làm việc sau {self.start:%d/%m/%Y})"]
        if self.skipped:
            out.append("Không tính các ngày nghỉ:")
            out.extend(f"- {run}" for run in self.skipped)
        for entry in self.makeup_days:
            ref = f" ({entry.reference})" if entry.reference else ""
            out.append(f"Có tính ngày làm bù {entry.date:%d/%m/%Y}: {entry.name}{ref}")
        for entry in self.pending_days:
            out.append(
                f"Lưu ý: {entry.date:%d/%m/%Y} ({entry.name}) chưa có hiệu lực pháp luật nên "
                "vẫn được tính là ngày làm việc"
            )
        if self.estimated:
            out.append(
                "Lưu ý: hạn này dựa trên lịch ước tính theo Bộ luật Lao động, chưa có thông báo "
                "chính thức của Chính phủ"
            )
        return out


def _fmt_int_vi(n: int) -> str:
    """10000 -> "10.000" (Vietnamese thousands separator)."""
    return f"{n:,}".replace(",", ".")


class WorkCalendar:
    """The working-day calendar: built once from entries, then queried many times.

    Weekends are Saturday and Sunday (Decision 188/1999/QĐ-TTg). An entry that is a day off
    removes its date from the working days; a MAKEUP / OVERRIDE_WORK entry adds it. For the
    same date the *last* entry wins, which is how overrides are layered on the official data.
    Pending entries are days off only when ``count_pending`` is true.

    Instances are immutable after construction and safe to share between threads.
    """

    def __init__(
        self,
        entries: Iterable[DayEntry],
        *,
        first_year: int = MIN_YEAR,
        last_year: int = MAX_YEAR,
        cutoff: time = time(15, 0),
        hours: WorkingHours = WorkingHours(),  # frozen, so a shared default is safe
        count_pending: bool = False,
        tz: tzinfo = VN_TZ,
    ) -> None:
        if not (1 <= first_year <= last_year <= 9998):
            raise CalendarError(f"Khoảng năm {first_year}–{last_year} không hợp lệ")
        self.first_year = first_year
        self.last_year = last_year
        self.cutoff = cutoff.replace(tzinfo=None)
        self.hours = hours
        self.count_pending = count_pending
        self.tz = tz

        self._entries: dict[date, DayEntry] = {}
        for entry in entries:
            self._entries[entry.date] = entry  # later entries for the same date win

        self._start_ord = date(first_year, 1, 1).toordinal()
        self._end_ord = date(last_year, 12, 31).toordinal()
        self._ndays = self._end_ord - self._start_ord + 1
        # Offset between a table index and a datetime64[D] value (days since 1970-01-01).
        self._epoch_offset = self._start_ord - _EPOCH_ORDINAL

        ordinals = np.arange(self._start_ord, self._end_ord + 1, dtype=np.int64)
        is_work = (ordinals - 1) % 7 < 5  # ordinal 1 (0001-01-01) was a Monday
        off: list[int] = []
        on: list[int] = []
        estimated_years: set[int] = set()
        for d, entry in self._entries.items():
            i = d.toordinal() - self._start_ord
            if not 0 <= i < self._ndays:
                continue
            if entry.estimated:
                estimated_years.add(d.year)
            if not entry.is_day_off:
                on.append(i)
            elif self.count_pending or not entry.pending:
                off.append(i)
        is_work[np.asarray(off, dtype=np.int64)] = False
        is_work[np.asarray(on, dtype=np.int64)] = True
        self._estimated_years = frozenset(estimated_years)

        cum = np.cumsum(is_work, dtype=np.int64)  # working days in [first day .. i]
        work_idx = np.flatnonzero(is_work)
        self._nwork = int(work_idx.size)
        # numpy tables for the bulk path: ``cum - 1`` saves one pass over the input, and the
        # working days are stored as datetime64[D] integers so the result is a mere view …
        self._cum_np = cum
        self._cum_m1_np = cum - 1
        self._work_days_np = (work_idx + self._epoch_offset).astype(np.int64)
        for table in (self._cum_np, self._cum_m1_np, self._work_days_np):
            table.setflags(write=False)  # shared between threads: make mutation an error
        # … and plain lists for the scalar path: list indexing is ~10x cheaper than indexing
        # a numpy array from Python, which is what keeps a scalar call around a microsecond.
        self._is_work: list[bool] = is_work.tolist()
        self._cum: list[int] = cum.tolist()
        self._work_ord: list[int] = (work_idx + self._start_ord).tolist()

    # ------------------------------------------------------------------ construction helpers

    def with_overrides(self, overrides: Iterable[DayEntry]) -> WorkCalendar:
        """A new calendar with ``overrides`` layered on top (later entries win per date)."""
        return WorkCalendar(
            [*self._entries.values(), *overrides],
            first_year=self.first_year,
            last_year=self.last_year,
            cutoff=self.cutoff,
            hours=self.hours,
            count_pending=self.count_pending,
            tz=self.tz,
        )

    def with_cutoff(self, cutoff: time) -> WorkCalendar:
        """The same days with another receipt cut-off hour (a unit's own rule)."""
        return WorkCalendar(
            self._entries.values(),
            first_year=self.first_year,
            last_year=self.last_year,
            cutoff=cutoff,
            hours=self.hours,
            count_pending=self.count_pending,
            tz=self.tz,
        )

    # ------------------------------------------------------------------ validation helpers

    def _range_text(self) -> str:
        return f"{self.first_year}–{self.last_year}"

    def _index(self, d: date) -> int:
        if not isinstance(d, date):
            raise CalendarError(f"Ngày không hợp lệ: {d!r}")
        i = d.toordinal() - self._start_ord
        if not 0 <= i < self._ndays:
            raise CalendarError(
                f"Ngày {d:%d/%m/%Y} nằm ngoài phạm vi của lịch (năm {self._range_text()})"
            )
        return i

    @staticmethod
    def _check_n(n: object) -> int:
        if type(n) is not int:
            if isinstance(n, bool) or not isinstance(n, int | np.integer):
                raise CalendarError(f"Số ngày phải từ 0 đến {_fmt_int_vi(MAX_DAYS)}")
            n = int(n)
        if not 0 <= n <= MAX_DAYS:
            raise CalendarError(f"Số ngày phải từ 0 đến {_fmt_int_vi(MAX_DAYS)}")
        return n

    def _beyond(self) -> CalendarError:
        return CalendarError(f"Kết quả vượt quá phạm vi của lịch (sau ngày 31/12/{self.last_year})")

    def _check_year(self, year: int) -> None:
        if type(year) is not int or not self.first_year <= year <= self.last_year:
            raise CalendarError(f"Năm phải từ {self.first_year} đến {self.last_year}")

    # ------------------------------------------------------------------ day queries

    def entry(self, d: date) -> DayEntry | None:
        """The effective entry for ``d`` (after overrides), or None for a plain day."""
        self._index(d)
        return self._entries.get(d if type(d) is date else _as_date(d))

    def entries_for_year(self, year: int) -> list[DayEntry]:
        """All entries of ``year``, sorted by date, pending and estimated ones included."""
        self._check_year(year)
        return sorted((e for d, e in self._entries.items() if d.year == year), key=_entry_date)

    def is_estimated_year(self, year: int) -> bool:
        """True when the year's days off come from the Labour Code rules, not a notice."""
        return year in self._estimated_years

    def is_working_day(self, d: date) -> bool:
        """Monday–Friday minus days off, plus make-up Saturdays and working overrides."""
        return self._is_work[self._index(d)]

    def next_working_day(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        return self.add_working_days(d, 1)

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day strictly after ``start``; ``n == 0`` returns ``start``.

        The day of ``start`` itself is never counted (the legal convention: the day of
        receipt is not part of the time limit), whether or not it is a working day.
        """
        i = self._index(start)
        n = self._check_n(n)
        if n == 0:
            return start if type(start) is date else _as_date(start)
        pos = self._cum[i] + n - 1
        if pos >= self._nwork:
            raise self._beyond()
        return date.fromordinal(self._work_ord[pos])

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in ``(a, b]``; negative (minus the days in ``(b, a]``) if ``b < a``."""
        return self._cum[self._index(b)] - self._cum[self._index(a)]

    # ------------------------------------------------------------------ receipt time rules

    def _to_local(self, received_at: datetime) -> datetime:
        """Naive local time; aware datetimes are converted to the calendar's time zone."""
        if not isinstance(received_at, datetime):
            raise CalendarError(f"Thời điểm tiếp nhận không hợp lệ: {received_at!r}")
        if received_at.tzinfo is not None and received_at.utcoffset() is not None:
            return received_at.astimezone(self.tz).replace(tzinfo=None)
        return received_at

    def _localize_like(self, result: datetime, received_at: datetime) -> datetime:
        if received_at.tzinfo is not None and received_at.utcoffset() is not None:
            return result.replace(tzinfo=self.tz)
        return result

    def effective_receipt_date(self, received_at: datetime) -> date:
        """The day the dossier counts as received (Decree 61/2018 art. 18, 15:00 cut-off).

        A receipt on a working day *at or before* the cut-off (15:00:00.000000 inclusive)
        counts that day; one strictly after the cut-off, or on a non-working day, counts as
        received on the next working day. Aware datetimes are first converted to local time
        (UTC+7); naive ones are taken as local time.
        """
        local = self._to_local(received_at)
        d = local.date()
        i = self._index(d)
        if self._is_work[i] and local.time() <= self.cutoff:
            return d
        return self.next_working_day(d)

    def due_date(self, received_at: datetime, n: int) -> date:
        """Due date of a limit of ``n`` working days: counting starts after the receipt date.

        Monday 09:00 + 5 -> the following Monday; Monday 16:00 + 5 -> the following Tuesday.
        """
        return self.add_working_days(self.effective_receipt_date(received_at), n)

    def _hours_to_us(self, hours: float | Decimal) -> int:
        limit_hours = MAX_DAYS * self.hours.day_us // _US_PER_HOUR
        message = f"Số giờ phải từ 0 đến {_fmt_int_vi(limit_hours)}"
        if isinstance(hours, bool):
            raise CalendarError(message)
        if isinstance(hours, int | np.integer):
            us = int(hours) * _US_PER_HOUR
        elif isinstance(hours, Decimal):
            try:
                us = int((hours * _US_PER_HOUR).to_integral_value(rounding=ROUND_HALF_UP))
            except (InvalidOperation, ValueError, OverflowError):
                raise CalendarError(message) from None
        elif isinstance(hours, float | np.floating):
            if not math.isfinite(hours):
                raise CalendarError(message)
            us = round(float(hours) * _US_PER_HOUR)
        else:
            raise CalendarError(message)
        if not 0 <= us <= MAX_DAYS * self.hours.day_us:
            raise CalendarError(message)
        return us

    def add_working_hours(self, received_at: datetime, hours: float | Decimal) -> datetime:
        """The moment ``hours`` of office time after ``received_at`` (the N×8-hour rule).

        Only time inside the :class:`WorkingHours` sessions of working days is counted; a
        receipt outside the sessions starts counting at the next session start. A result that
        lands exactly on the end of a session is returned as that end (Monday 07:30 + 8 h is
        Monday 17:00, not Tuesday 07:30). Aware input gives aware output in local time.
        """
        us = self._hours_to_us(hours)
        local = self._to_local(received_at)
        spans = self.hours._spans_us
        d = local.date()
        if self._is_work[self._index(d)]:
            t = _time_us(local.time())
            for s, e in spans:
                if t < e:
                    begin = max(t, s)
                    available = e - begin
                    if us <= available:
                        return self._localize_like(_at(d, begin + us), received_at)
                    us -= available
        # The rest is counted from the first session of the following working days; whole
        # days are skipped with one table lookup rather than walked.
        d = self.next_working_day(d)
        day_us = self.hours.day_us
        if us > 0:
            full_days = (us - 1) // day_us
            if full_days:
                d = self.add_working_days(d, full_days)
                us -= full_days * day_us
        for s, e in spans:
            if us <= e - s:
                return self._localize_like(_at(d, s + us), received_at)
            us -= e - s
        raise AssertionError("unreachable: remainder always fits in one day")  # pragma: no cover

    def same_day_due(self, received_at: datetime) -> datetime:
        """Deadline of a "trong ngày" procedure: end of office hours of the receipt day.

        Received at or before the cut-off on a working day: the end of that day's last
        session; otherwise the end of the next working day (e.g. the 15:00 rule for copies
        from the master register).
        """
        d = self.effective_receipt_date(received_at)
        return self._localize_like(datetime.combine(d, self.hours.day_end), received_at)

    # ------------------------------------------------------------------ bulk path on arrays

    def _index_array(self, values: Any) -> np.ndarray:
        arr = np.asarray(values)
        if arr.dtype.kind != "M":
            try:
                arr = arr.astype("datetime64[D]")
            except (ValueError, TypeError):
                raise CalendarError("Mảng ngày không hợp lệ (cần kiểu datetime64[D])") from None
        elif arr.dtype != np.dtype("datetime64[D]"):
            arr = arr.astype("datetime64[D]")
        idx = arr.view(np.int64) - self._epoch_offset  # NaT becomes hugely negative
        # min/max are two cheap reductions; the exact count is only computed on error.
        if idx.size and (int(idx.min()) < 0 or int(idx.max()) >= self._ndays):
            bad = int(np.count_nonzero((idx < 0) | (idx >= self._ndays)))
            if bad:
                raise CalendarError(
                    f"Có {_fmt_int_vi(bad)} ngày nằm ngoài phạm vi của lịch "
                    f"(năm {self._range_text()}) hoặc không hợp lệ"
                )
        return idx

    def add_working_days_many(self, starts: np.ndarray, ns: np.ndarray) -> np.ndarray:
        """Vectorised :meth:`add_working_days` over ``datetime64[D]`` starts (broadcasting).

        One gather into ``cum - 1``, an in-place add and one gather into the working-day
        array, with as few full-size temporaries as possible (fresh pages cost more than the
        arithmetic): a few nanoseconds per element.
        """
        idx = self._index_array(starts)
        n = np.asarray(ns)
        if n.dtype.kind not in "iu":
            raise CalendarError(f"Số ngày phải là số nguyên từ 0 đến {_fmt_int_vi(MAX_DAYS)}")
        idx, n = np.broadcast_arrays(idx, n)
        if not idx.size:
            return np.empty(idx.shape, dtype="datetime64[D]")
        n_min, n_max = int(n.min()), int(n.max())
        if n_min < 0 or n_max > MAX_DAYS:
            raise CalendarError(f"Số ngày phải từ 0 đến {_fmt_int_vi(MAX_DAYS)}")
        if n.dtype != np.int64:
            n = n.astype(np.int64)
        pos = self._cum_m1_np.take(idx)  # -1 only where n == 0 and nothing precedes (fixed below)
        pos += n
        if int(pos.max()) >= self._nwork:
            raise self._beyond()
        out = self._work_days_np.take(pos)
        if n_min == 0:
            out = np.where(n == 0, idx + self._epoch_offset, out)
        return out.view("datetime64[D]")

    def working_days_between_many(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Vectorised :meth:`working_days_between` (int64 array, broadcasting)."""
        ia = self._index_array(a)
        ib = self._index_array(b)
        ia, ib = np.broadcast_arrays(ia, ib)
        out = self._cum_np.take(ib)
        out -= self._cum_np.take(ia)
        return out

    # ------------------------------------------------------------------ explanation

    def _counts_as_off(self, entry: DayEntry) -> bool:
        return entry.is_day_off and (self.count_pending or not entry.pending)

    def explain(self, start: date, n: int) -> Explanation:
        """The due date and, for the citizen, every non-counted day between with its reason.

        Consecutive non-working days are grouped into runs; a run's reason lists the names of
        its entries (e.g. "Tết Nguyên đán Bính Ngọ") and, for plain weekend days, "Thứ Bảy,
        Chủ nhật". Make-up Saturdays that were counted and pending days that were *not*
        treated as days off are listed too.
        """
        due = self.add_working_days(start, n)
        start = _as_date(start)
        runs: list[SkippedRun] = []
        makeup: list[DayEntry] = []
        pending: list[DayEntry] = []
        run_days: list[date] = []

        def close_run() -> None:
            if run_days:
                runs.append(self._make_run(run_days))
                run_days.clear()

        base = self._start_ord
        for o in range(start.toordinal() + 1, due.toordinal() + 1):
            d = date.fromordinal(o)
            e = self._entries.get(d)
            if self._is_work[o - base]:
                close_run()
                if e is not None:
                    if not e.is_day_off and d.weekday() >= 5:
                        makeup.append(e)
                    elif e.is_day_off and e.pending:
                        pending.append(e)
            else:
                run_days.append(d)
        close_run()
        first_counted = start + timedelta(days=1)
        estimated = n > 0 and any(
            y in self._estimated_years for y in range(first_counted.year, due.year + 1)
        )
        return Explanation(
            start=start,
            n=n,
            due=due,
            skipped=tuple(runs),
            makeup_days=tuple(makeup),
            estimated=estimated,
            pending_days=tuple(pending),
        )

    def _make_run(self, days: list[date]) -> SkippedRun:
        names: list[str] = []
        refs: list[str] = []
        saturday = sunday = False
        for d in days:
            e = self._entries.get(d)
            if e is not None and self._counts_as_off(e):
                if e.name not in names:
                    names.append(e.name)
                if e.reference and e.reference not in refs:
                    refs.append(e.reference)
            elif d.weekday() == 5:
                saturday = True
            elif d.weekday() == 6:
                sunday = True
        weekend = ", ".join(
            label for flag, label in ((saturday, "Thứ Bảy"), (sunday, "Chủ nhật")) if flag
        )
        if weekend:
            names.append(weekend)
        return SkippedRun(days[0], days[-1], "; ".join(names), tuple(refs))


def _as_date(d: date) -> date:
    """A plain ``date`` even when given a ``datetime`` (a subclass)."""
    return date(d.year, d.month, d.day)


def _at(d: date, us: int) -> datetime:
    return datetime.combine(d, time()) + timedelta(microseconds=us)


def _entry_date(entry: DayEntry) -> date:
    return entry.date


# ---------------------------------------------------------------------- data files

_DATA_NAME = re.compile(r"^(\d{4})\.json$")


def _data_dir() -> Any:
    return resources.files(__package__ or "cchc.workdays").joinpath("data")


@functools.cache
def data_years() -> tuple[int, ...]:
    """Years that have an official (or hand-estimated) data file, ascending."""
    years = []
    for item in _data_dir().iterdir():
        m = _DATA_NAME.match(item.name)
        if m:
            years.append(int(m.group(1)))
    return tuple(sorted(years))


@functools.cache
def _read_year(year: int) -> tuple[DayEntry, ...]:
    raw = json.loads(_data_dir().joinpath(f"{year}.json").read_text(encoding="utf-8"))
    if raw.get("year") != year:
        raise CalendarError(f"Tệp dữ liệu năm {year} ghi sai năm: {raw.get('year')!r}")
    estimated = raw.get("status") == "estimated"
    out = []
    for row in raw["entries"]:
        d = date.fromisoformat(row["date"])
        if d.year != year:
            raise CalendarError(f"Tệp dữ liệu năm {year} có ngày {row['date']} của năm khác")
        out.append(
            DayEntry(
                date=d,
                kind=DayKind(row["kind"]),
                name=row["name"],
                reference=row.get("reference", ""),
                pending=bool(row.get("pending", False)),
                estimated=estimated,
            )
        )
    return tuple(sorted(out, key=_entry_date))


def load_entries(years: Iterable[int] | None = None) -> list[DayEntry]:
    """Entries of the data files (``data/YYYY.json``) for ``years`` (default: all files).

    Files whose header says ``"status": "estimated"`` give entries with ``estimated=True``.
    Years without a file are silently skipped: use :func:`estimated_entries` for those.
    """
    available = set(data_years())
    wanted = sorted(available if years is None else set(years) & available)
    return [e for y in wanted for e in _read_year(y)]


# ---------------------------------------------------------------------- Labour Code fallback

_SUBSTITUTED = re.compile(r"thay cho ngày (\d{2})/(\d{2})/(\d{4})")
_TET_MARKERS = ("Nguyên Đán", "Giao thừa", "29 Tết")


def _can_chi(lunar_year: int) -> str:
    """Sexagenary name of a lunar year: 2026 -> "Bính Ngọ"."""
    return f"{_CAN[(lunar_year - 4) % 10]} {_CHI[(lunar_year - 4) % 12]}"


def _classify(d: date, raw_name: str) -> tuple[DayKind, str, bool]:
    """Kind, display name and pending flag of one ``holidays`` row (Vietnamese labels).

    ``holidays`` names carry the rule ("… (nghỉ bù)", "Ngày nghỉ (thay cho ngày …)"), so the
    kind is read from the name; names are normalised to the wording of the data files.
    """
    name = raw_name.split("; ")[0].replace(" (dự kiến)", "").strip()
    pending = "Văn hóa Việt Nam" in name
    if "thay cho ngày" in name:
        m = _SUBSTITUTED.search(name)
        if m:
            worked = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            return (
                DayKind.SWAP_OFF,
                f"Nghỉ hoán đổi cho ngày làm bù {_WEEKDAY_VI[worked.weekday()]} {worked:%d/%m/%Y}",
                pending,
            )
        return DayKind.SWAP_OFF, name, pending
    compensatory = name.endswith("(nghỉ bù)")
    base = name.removesuffix("(nghỉ bù)").strip()
    if any(marker in base for marker in _TET_MARKERS):
        kind, base = DayKind.TET, f"Tết Nguyên đán {_can_chi(d.year)}"
    elif "Giỗ Tổ Hùng Vương" in base:
        kind, base = DayKind.HOLIDAY, "Giỗ Tổ Hùng Vương (10/3 âm lịch)"
    elif base in {
        "Tết Dương lịch",
        "Ngày Chiến thắng",
        "Ngày Quốc tế Lao động",
        "Quốc khánh",
        "Ngày Văn hóa Việt Nam",
    }:
        kind = DayKind.HOLIDAY
    else:
        kind = DayKind.ESTIMATED
    if compensatory:
        return DayKind.COMPENSATORY, f"Nghỉ bù {base}", pending
    return kind, base, pending


#: 24/11 is decided by the Politburo but (as of the data files) not yet in art. 112.
_CULTURE_DAY_REFERENCE = (
    "Nghị quyết 80-NQ/TW ngày 07/01/2026 của Bộ Chính trị — chưa có trong Bộ luật Lao động "
    "2019 (chờ sửa đổi Điều 112)"
)


_SWAP_REFERENCE = (
    "Hoán đổi ngày làm việc theo dữ liệu thư viện holidays — chưa đối chiếu thông báo chính thức"
)


def _fallback_reference(year: int, kind: DayKind, pending: bool = False) -> str:
    """Reference text of an estimated row: says it is an estimate, and under which rule."""
    if pending:
        return _CULTURE_DAY_REFERENCE
    if kind in (DayKind.SWAP_OFF, DayKind.MAKEUP):
        return _SWAP_REFERENCE
    if year >= 2021:
        article = "Điều 111 khoản 3" if kind is DayKind.COMPENSATORY else "Điều 112"
        return f"Ước tính theo Bộ luật Lao động 2019, {article} — chờ thông báo chính thức"
    return (
        "Ước tính theo quy định của Bộ luật Lao động (thư viện holidays) — chưa đối chiếu "
        "thông báo chính thức"
    )


@functools.cache
def _fallback(years: tuple[int, ...]) -> tuple[DayEntry, ...]:
    """Labour Code estimate for ``years`` from ``holidays`` (one library call for all).

    Adjacent years are computed too, because a swap announced for one year can put its
    make-up Saturday in the next (02/01/2015 off, 27/12/2014 worked).
    """
    import holidays  # lazy: ~0.1 s to import, and only needed for years without a file

    wanted = set(years)
    span = sorted({y + k for y in wanted for k in (-1, 0, 1)})
    vn = holidays.country_holidays("VN", years=span, language="vi")
    out: list[DayEntry] = []
    swapped_for: dict[date, date] = {}
    for d, raw in vn.items():
        m = _SUBSTITUTED.search(raw)
        if m:
            worked = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            swapped_for[worked] = d
        if d.year not in wanted:
            continue
        kind, name, pending = _classify(d, raw)
        out.append(
            DayEntry(
                date=d,
                kind=kind,
                name=name,
                reference=_fallback_reference(d.year, kind, pending),
                pending=pending,
                estimated=True,
            )
        )
    for worked in getattr(vn, "weekend_workdays", ()):
        if worked.year not in wanted:
            continue
        off = swapped_for.get(worked)
        name = (
            f"Làm bù cho ngày nghỉ {_WEEKDAY_VI[off.weekday()]} {off:%d/%m/%Y}"
            if off
            else "Ngày làm bù (hoán đổi ngày làm việc)"
        )
        out.append(
            DayEntry(
                date=worked,
                kind=DayKind.MAKEUP,
                name=name,
                reference=_SWAP_REFERENCE,
                estimated=True,
            )
        )
    return tuple(sorted(out, key=_entry_date))


def estimated_entries(year: int) -> list[DayEntry]:
    """Labour Code estimate of ``year``'s days off (``estimated=True`` on every entry).

    Computed with ``holidays.country_holidays("VN")``: solar and lunar holidays, the
    compensatory-day rule and the library's known historical swaps. 24/11 (and its
    compensatory day) comes out ``pending=True``.
    """
    if type(year) is not int or not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarError(f"Năm phải từ {MIN_YEAR} đến {MAX_YEAR}")
    return list(_fallback((year,)))


@functools.cache
def default_calendar() -> WorkCalendar:
    """The process-wide calendar: data files, plus the Labour Code estimate elsewhere.

    Built once (cached); every year in 1990–2100 without a data file gets the fallback.
    """
    file_years = set(data_years())
    missing = tuple(y for y in range(MIN_YEAR, MAX_YEAR + 1) if y not in file_years)
    return WorkCalendar([*_fallback(missing), *load_entries()])
