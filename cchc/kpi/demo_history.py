"""Demo: the nightly indicator snapshots of the past months, so the dashboards' trend lines and
"compared with the end of last month" show on `make demo` (QA walk: they were empty).

The worker takes a snapshot every night; a fresh demo has no past nights. These are taken now,
for past days, by the worker's own service (`kpi.services.snapshot_take`, as `cchc kpi snapshot
--day` retakes a past day): each figure is what the demo's records dated up to that day give,
never an invented number. Run after every other app's demo (organizations.demo.seed_other_apps
calls it last), so every record is there.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from cchc.kpi import services
from cchc.kpi.models import Snapshot

# Nights a week apart over the last weeks, as the worker leaves them. A year's trend line reads
# the last night of each month (`kpi.selectors.period_trends`): yesterday is the running month's.
WEEKS = 12


def snapshot_days(today: date) -> list[date]:
    """The nights to take, oldest first: the last day of every month of this year before this
    one (the landing page compares with the end of last month; the roll-up of a past quarter or
    month reads its last day), and a night a week back from yesterday for WEEKS weeks."""
    month_ends = []
    day = today.replace(day=1) - timedelta(days=1)
    while day.year == today.year:
        month_ends.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    yesterday = today - timedelta(days=1)
    weekly = [yesterday - timedelta(days=7 * n) for n in range(WEEKS)]
    return sorted({d for d in month_ends + weekly if d.year == today.year})


def seed_snapshot_history(**_options: object) -> list[str]:
    """Take the past nights once (a second run of the demo finds them and does nothing)."""
    if Snapshot.objects.exists():
        return []
    days = snapshot_days(timezone.localdate())
    for day in days:
        services.snapshot_take(day=day)
    if not days:
        return []
    return [
        f"Đã chụp chỉ số của {len(days)} đêm đã qua (từ {days[0]:%d/%m/%Y} đến "
        f"{days[-1]:%d/%m/%Y}) từ dữ liệu mẫu, để các trang chỉ số có diễn biến."
    ]
