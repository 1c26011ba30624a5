"""QA walk: the commune's report said the demo school had not sent its quarterly reports while
the school's register held "22/BC-THCSNTB … Kết quả công tác CCHC quý", released. The demo now
sends a periodic report as the real flow does (a `Report` of its period, linked to the outgoing
document): the calendar counts that period reported, and a period nobody reported stays overdue.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from cchc.documents import demo as documents_demo
from cchc.documents.workflow import OutgoingStatus
from cchc.dossiers.tests.paper_reading import require_tools
from cchc.organizations.demo import seed_base
from cchc.organizations.models import Unit
from cchc.reports.calendar import unit_calendar
from cchc.reports.models import Report, ReportStatus
from cchc.reports.selectors import overdue_reports


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
def test_the_demo_schools_released_periodic_report_counts_as_reported(monkeypatch) -> None:
    require_tools()
    seed_base()
    school = Unit.objects.get(code=documents_demo.SCHOOL_CODE)
    today = timezone.localdate()
    overdue_before = {d.period for d in overdue_reports([school], today).get(school.pk, [])}
    assert overdue_before, "the demo school owes periodic reports before any is sent"
    # Every outgoing paper of this run is the periodic report (the demo draws its subjects).
    monkeypatch.setattr(documents_demo, "OUTGOING_SUBJECTS", [documents_demo.PERIODIC_REPORT])

    documents_demo.seed_demo_data(documents=1)

    report = Report.objects.get(unit=school)
    doc = report.outgoing
    assert doc is not None
    assert doc.status == OutgoingStatus.RELEASED
    assert report.status == ReportStatus.READY
    assert doc.summary == f"Kết quả thực hiện công tác cải cách hành chính {_name(report)}"
    assert report.number == doc.number  # numbering laid out the numbered paper of the period
    assert report.pdf.read().startswith(b"%PDF")
    assert report.data_to is not None
    assert report.data_to < doc.issued_on
    due = next(
        d for d in unit_calendar(school, int(report.period[:4])) if d.period == report.period
    )
    assert due.made_on is not None
    assert due.report_id == report.pk
    overdue_after = {d.period for d in overdue_reports([school], today).get(school.pk, [])}
    assert report.period not in overdue_after
    # ... and the periods not reported are still overdue: the flag is not silenced wholesale.
    assert overdue_after == overdue_before - {report.period}


def _name(report: Report) -> str:
    from cchc.reports.builder import period_name

    return period_name(report.period)
