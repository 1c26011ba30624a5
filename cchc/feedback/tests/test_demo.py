"""The demo year obeys the rules of real data, and the demo school's target 4 gets a figure."""

from __future__ import annotations

from datetime import time

import pytest
from django.core.management import call_command

from cchc.core.timezones import VN
from cchc.feedback.deadlines import due_after
from cchc.feedback.models import Feedback, FeedbackEvent
from cchc.organizations.models import Unit
from cchc.workdays.services import calendar_for_unit


@pytest.mark.django_db
def test_demo_year_is_on_working_days_in_office_hours_and_target_4_is_live() -> None:
    from cchc.plans.models import Plan
    from cchc.plans.selectors import target_statuses

    call_command("seed_demo", "--quiet", "--dossiers", "0")

    school = Unit.objects.get(code="000.31.41.H29")
    calendar = calendar_for_unit(school)
    items = Feedback.objects.filter(unit=school)
    assert items.count() >= 80
    for event in FeedbackEvent.objects.filter(feedback__unit=school):
        local = event.at.astimezone(VN)
        assert calendar.is_working_day(local.date()), event
        assert time(7, 30) <= local.time() <= time(17, 0), event
    for item in items[:20]:
        assert item.due_at == due_after(school, item.received_at, 15)
    assert items.filter(status="published").exists()
    assert items.filter(classification="conduct").exists()
    plan = Plan.objects.get(unit=school, year=2026)
    target = next(s for s in target_statuses(plan) if s.target.kpi_code == "feedback_on_time_rate")
    assert target.measure.is_measurable
    assert "chưa đo được" not in target.measure.display()
    call_command("audit", "verify")
