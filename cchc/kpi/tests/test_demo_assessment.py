"""The demo's self-assessment follows the rules of real data: the plan it cites is the seeded
plan (05/KH-THCSNTB of 26/01/2026), and the reporting criterion is scored from the periodic
reports the system holds, with evidence that names them or says they are missing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from cchc.kpi.demo_assessment import SCHOOL_CODE, demo_entries, seed_demo_assessment
from cchc.kpi.models import Assessment
from cchc.organizations.demo import seed_base
from cchc.organizations.models import Unit
from cchc.plans.demo import seed_demo_data as seed_plan
from cchc.reports.calendar import owed, unit_calendar
from cchc.reports.models import Report, ReportStatus


@pytest.mark.django_db
def test_demo_assessment_cites_the_seeded_plan_and_the_reports_the_system_holds() -> None:
    seed_base()
    seed_plan()
    school = Unit.objects.get(code=SCHOOL_CODE)
    today = timezone.localdate()
    year = today.year

    assert seed_demo_assessment()
    rows = {row.code: row for row in Assessment.objects.get(unit=school, year=year).scores.all()}
    plan_row = rows["1.1"]
    if year == 2026:  # the seed plan is 2026's
        assert "Kế hoạch số 05/KH-THCSNTB ngày 26/01/2026" in plan_row.evidence
        assert plan_row.self_points == Decimal(4)
    assert "15/KH" not in " ".join(row.evidence for row in rows.values())
    # No report was made in the demo: every report due so far is named as missing, 0 points.
    due = [d for d in unit_calendar(school, year) if d.due_on < today and owed(d)]
    if due:
        assert rows["1.3"].self_points == Decimal(0)
        assert rows["1.3"].evidence.count("chưa lập trên hệ thống") == len(due)
        assert "đúng hạn" not in rows["1.3"].evidence


@pytest.mark.django_db
def test_reports_made_on_time_earn_their_share_of_the_reporting_criterion(school) -> None:
    from cchc.core.timezones import VN

    dues = unit_calendar(school, 2026)
    Unit.objects.filter(pk=school.pk).update(created_at=timezone.now().replace(year=2025))
    school.refresh_from_db()
    first, second = dues[0], dues[1]  # Q1 due 17/03/2026, H1 due 16/06/2026
    Report.objects.create(
        unit=school,
        period=first.period,
        status=ReportStatus.READY,
        built_at=timezone.datetime(2026, 3, 16, 10, 0, tzinfo=VN),
    )
    Report.objects.create(
        unit=school,
        period=second.period,
        status=ReportStatus.READY,
        built_at=timezone.datetime(2026, 6, 22, 10, 0, tzinfo=VN),
    )

    entry = demo_entries(school, 2026, date(2026, 11, 27))["1.3"]

    # Q1 on time, H1 late, Q3 missing: 1 of 3 on time → 1 point of 3.
    assert entry.points == "1.00"
    assert "Báo cáo quý I năm 2026 (hạn 17/03/2026): lập ngày 16/03/2026" in entry.note
    assert "lập ngày 22/06/2026 (trễ hạn)" in entry.note
    assert "Báo cáo quý III năm 2026 (hạn 16/09/2026): chưa lập trên hệ thống" in entry.note
