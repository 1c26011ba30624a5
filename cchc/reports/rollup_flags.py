"""The commune roll-up's "overdue reports" flag (issue 16, item 7).

`overdue_flags` has the shape of the roll-up's flag providers (`cchc.kpi.rollup`,
`register_flag_provider`): (schools, period, today) → {school id: [Flag, ...]}. A school is
flagged while a periodic report is past its due date and not built (`selectors.overdue_reports`,
the reporting calendar); the period shown on the roll-up does not change that, the calendar does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.urls import reverse

from cchc.organizations.models import Unit
from cchc.reports.builder import period_name
from cchc.reports.selectors import overdue_reports


def overdue_flags(units: Sequence[Unit], period: Any, today: date) -> dict[int, list[Any]]:
    from cchc.kpi.rollup import Flag  # the roll-up's own flag type

    url = reverse("reports:calendar") + f"?nam={today.year}"
    return {
        unit_id: [
            Flag(
                "overdue_reports",
                "Quá hạn báo cáo: " + ", ".join(period_name(d.period) for d in dues),
                "bad",
                url,
                summary="Quá hạn báo cáo",
            )
        ]
        for unit_id, dues in overdue_reports(list(units), today).items()
    }
