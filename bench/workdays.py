"""Benchmark of the working-day calendar: 1 000 000 due dates, four ways.

Usage (from the repository root)::

    PYTHONPATH=. python bench/workdays.py [--n 1000000] [--naive-sample 100000]
                                          [--holidays-sample 2000] [--seed 1]

Prints figures; it is not a test. Issue #3's targets on the 2-core machine: bulk >= 10 M
dates/s, scalar <= 3 µs per call, bulk >= 500x the naive day-by-day loop.

The four ways:

* bulk: ``WorkCalendar.add_working_days_many`` on ``datetime64[D]`` arrays;
* scalar: ``WorkCalendar.add_working_days`` called in a Python loop;
* naive: a day-by-day Python loop over the same days off and make-up Saturdays (sets), run on
  a sample and extrapolated;
* holidays: ``holidays.country_holidays("VN").get_nth_working_day`` on a sample and
  extrapolated (it does not know the 2026 swap, so it also disagrees on some dates).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

import numpy as np

T0 = time.perf_counter()
from cchc.workdays import calendar as wd  # noqa: E402 - timed on purpose

IMPORT_S = time.perf_counter() - T0


MEDIANS: dict[str, float] = {}


def _timed(fn: Callable[[], object], repeat: int = 1, label: str = "") -> tuple[float, object]:
    """Best wall time of ``repeat`` runs (median kept in MEDIANS[label]), and the result."""
    times: list[float] = []
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    if label:
        MEDIANS[label] = statistics.median(times)
    return min(times), result


def _rate(count: int, seconds: float) -> str:
    per_s = count / seconds
    if per_s >= 1e6:
        return f"{per_s / 1e6:8.2f} M/s"
    return f"{per_s / 1e3:8.2f} k/s"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=1_000_000, help="number of due dates")
    p.add_argument("--naive-sample", type=int, default=100_000)
    p.add_argument("--holidays-sample", type=int, default=2_000)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    count = args.n

    # -- build ---------------------------------------------------------------------------
    t = time.perf_counter()
    cal = wd.default_calendar()
    build_s = time.perf_counter() - t
    t = time.perf_counter()
    cal.with_overrides([wd.DayEntry(date(2026, 3, 10), wd.DayKind.OVERRIDE_OFF, "x")])
    overrides_s = time.perf_counter() - t

    # -- inputs: random receipts 2025–2026, +1..29 working days (as in recipes.md §2) ------
    rng = np.random.default_rng(args.seed)
    lo = np.datetime64("2025-01-01").astype(np.int64)
    hi = np.datetime64("2026-12-31").astype(np.int64)
    starts = rng.integers(lo, hi + 1, size=count).astype("datetime64[D]")
    ns = rng.integers(1, 30, size=count)
    starts_py: list[date] = starts.tolist()
    ns_py: list[int] = ns.tolist()

    # -- bulk ----------------------------------------------------------------------------
    bulk_s, bulk = _timed(lambda: cal.add_working_days_many(starts, ns), repeat=7, label="bulk")
    assert isinstance(bulk, np.ndarray)  # noqa: S101 - narrow the type for the checker
    ends = bulk
    between_s, _ = _timed(lambda: cal.working_days_between_many(starts, ends), repeat=7)

    # -- scalar loop ---------------------------------------------------------------------
    add = cal.add_working_days

    def scalar_loop() -> list[date]:
        return [add(s, n) for s, n in zip(starts_py, ns_py, strict=True)]

    scalar_s, scalar = _timed(scalar_loop, repeat=3)
    agree_scalar = scalar == bulk.tolist()

    # Single-call latency, without the list-building overhead of the loop above.
    d0, reps = date(2026, 2, 10), 200_000
    t = time.perf_counter()
    for _ in range(reps):
        add(d0, 5)
    one_call_us = (time.perf_counter() - t) / reps * 1e6

    # -- naive day-by-day loop (sample) --------------------------------------------------
    off: set[date] = set()
    work: set[date] = set()
    for year in range(2024, 2029):
        for e in cal.entries_for_year(year):
            if e.is_day_off and not e.pending:
                off.add(e.date)
            elif not e.is_day_off:
                work.add(e.date)
    one = timedelta(days=1)

    def naive(start: date, n: int) -> date:
        d = start
        while n:
            d += one
            if d in work or (d.weekday() < 5 and d not in off):
                n -= 1
        return d

    k = min(args.naive_sample, count)
    t = time.perf_counter()
    naive_out = [naive(s, n) for s, n in zip(starts_py[:k], ns_py[:k], strict=True)]
    naive_s = (time.perf_counter() - t) * count / k
    agree_naive = naive_out == scalar[:k]

    # -- holidays.get_nth_working_day (sample) -------------------------------------------
    import holidays  # after the build, so that the build time above is honest

    vn = holidays.country_holidays("VN", years=range(2024, 2029))
    h = min(args.holidays_sample, count)
    t = time.perf_counter()
    lib_out = [vn.get_nth_working_day(s, n) for s, n in zip(starts_py[:h], ns_py[:h], strict=True)]
    lib_s = (time.perf_counter() - t) * count / h
    lib_disagree = sum(a != b for a, b in zip(lib_out, scalar[:h], strict=True))

    # -- report --------------------------------------------------------------------------
    print(
        f"Python {sys.version.split()[0]}, numpy {np.__version__}, holidays {holidays.__version__}"
    )
    print(f"import cchc.workdays.calendar      {IMPORT_S * 1e3:8.1f} ms  (numpy already loaded)")
    print(f"default_calendar() build (cold)    {build_s * 1e3:8.1f} ms  (incl. holidays fallback)")
    print(f"with_overrides() rebuild           {overrides_s * 1e3:8.1f} ms")
    print(f"\n{count:,} due dates (starts 2025–2026, n = 1..29):")
    rows = [
        ("bulk add_working_days_many", bulk_s, ""),
        ("bulk working_days_between_many", between_s, ""),
        ("scalar add_working_days loop", scalar_s, f"agrees with bulk: {agree_scalar}"),
        ("naive day-by-day loop", naive_s, f"extrapolated from {k:,}; agrees: {agree_naive}"),
        (
            "holidays get_nth_working_day",
            lib_s,
            f"extrapolated from {h:,}; differs on {lib_disagree} (official swaps)",
        ),
    ]
    for label, seconds, note in rows:
        print(
            f"  {label:32s} {seconds * 1e3:10.1f} ms  {_rate(count, seconds)}  "
            f"x{naive_s / seconds:7.1f} vs naive  {note}"
        )
    print(
        f"  bulk median of 7 runs            {MEDIANS['bulk'] * 1e3:10.1f} ms  "
        f"{_rate(count, MEDIANS['bulk'])}  x{naive_s / MEDIANS['bulk']:7.1f} vs naive"
    )
    print(f"  scalar per call (in loop)        {scalar_s / count * 1e6:9.3f} µs")
    print(f"  scalar per call (single, warm)   {one_call_us:9.3f} µs")

    bulk_rate = count / bulk_s
    checks = [
        ("bulk >= 10 M/s", bulk_rate >= 10e6, f"{bulk_rate / 1e6:.1f} M/s"),
        ("scalar <= 3 µs/call", scalar_s / count * 1e6 <= 3, f"{scalar_s / count * 1e6:.2f} µs"),
        ("bulk >= 500x naive", naive_s / bulk_s >= 500, f"{naive_s / bulk_s:.0f}x"),
        ("build < 0.5 s", build_s < 0.5, f"{build_s:.3f} s"),
    ]
    print("\nTargets:")
    for label, ok, value in checks:
        print(f"  [{'OK' if ok else 'MISS'}] {label:22s} {value}")
    return 0 if all(ok for _, ok, _ in checks) and agree_scalar and agree_naive else 1


if __name__ == "__main__":
    raise SystemExit(main())
