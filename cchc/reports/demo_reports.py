"""The demo school's periodic reform reports, issued as the real flow issues them (not named
`demo`: `seed_other_apps` runs every app's `demo.seed_demo_data`; the documents demo calls this).

The documents demo (`cchc.documents.demo`) lays out a year of outgoing documents; among them the
school's periodic reform reports ("Báo cáo: Kết quả thực hiện công tác cải cách hành chính quý
III năm 2026"). A report sent through the register is a `Report` of its period linked to the
outgoing document (`issuing.report_submit`), and the reporting calendar counts a period as
reported only by that `Report` (`calendar._made`). An outgoing "báo cáo quý" with no period
would show in the register while the commune's report said the school had not reported (QA
walk): so the demo names the period in the summary and links the document to its `Report`;
numbering it then lays out the numbered paper from the period's figures (`issuing.on_numbered`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from cchc.accounts.models import User
from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb
from cchc.documents.models import OutgoingDocument
from cchc.organizations.models import Unit
from cchc.reports.calendar import Window, offered_windows
from cchc.reports.models import Report, ReportKind, ReportStatus


def closed_window(unit: Unit, day: date, taken: set[str]) -> Window | None:
    """The latest period of the unit's calendar whose data window closed before `day` and that
    no demo report covers yet (None: nothing left to report on that day)."""
    for window in offered_windows(unit, day):
        if window.end < day and window.period not in taken:
            return window
    return None


def link_report(
    doc: OutgoingDocument, window: Window, requested_by: User, built_at: datetime
) -> Report:
    """The built report of `window` that `doc` sends, as `report_submit` leaves it."""
    report = Report.objects.create(
        unit=doc.unit,
        period=window.period,
        data_from=window.start,
        data_to=window.end,
        kind=ReportKind.UNIT,
        status=ReportStatus.READY,
        difficulties="Không có.",
        proposals="Không có.",
        symbol=f"BC-{doc.unit.symbol or 'DV'}",
        requested_by=requested_by,
        built_at=built_at - timedelta(minutes=30),
        outgoing=doc,
    )
    audit_record(
        actor=requested_by,
        verb=AuditVerb.REPORTS_SUBMIT,
        obj=report,
        unit=report.unit,
        before=None,
        after=snapshot(report, ["period", "status", "outgoing"]),
    )
    return report
