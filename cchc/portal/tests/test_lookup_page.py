"""The look-up page writes its dates as the `ngay` filter writes them (dd/mm/yyyy HH:MM in
Vietnam's time), without the filter (issue 11: the page's time)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cchc.core.templatetags.vn import format_date
from cchc.portal.lookup_page import _when


def test_dates_as_the_filter_writes_them() -> None:
    instants = [
        datetime(2026, 1, 4, 17, 0, tzinfo=UTC),  # 00:00 the next day in Vietnam
        datetime(2026, 12, 31, 16, 59, tzinfo=UTC),  # the year's last minute there
        datetime(2026, 3, 2, 1, 5, tzinfo=UTC),
        datetime(2026, 11, 30, 9, 7, tzinfo=UTC) + timedelta(microseconds=999_999),
    ]
    for instant in instants:
        assert _when(instant) == format_date(instant)
    assert _when(instants[0]) == "05/01/2026 00:00"
    assert _when(None) == ""
