"""The one time zone of the system: Vietnam (ICT, UTC+7, no daylight saving).

Deadlines, receipts, book numbers by year and every date shown are Vietnamese local dates
(Decree 61/2018 counts working days in local time), so every module that turns an instant into
a local date or builds a local instant uses this constant, and settings.TIME_ZONE is set from
it too: one definition, so the database's "today" and the code's never disagree.
"""

from __future__ import annotations

from typing import Final
from zoneinfo import ZoneInfo

VN_TIME_ZONE_NAME: Final = "Asia/Ho_Chi_Minh"
VN: Final = ZoneInfo(VN_TIME_ZONE_NAME)
