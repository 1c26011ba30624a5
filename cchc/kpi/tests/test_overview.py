"""The landing page after log-in (issue 9, item 5): the plan's targets at a glance with owners,
and the tasks due this month with theirs; users of several units pick one."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from cchc.kpi.overview import overview_for_user
from cchc.plans import importing
from cchc.plans.tests.conftest import SEED
from tests.fixtures import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(school, principal):
    pending = importing.plan_import_preview(
        actor=principal.user, unit=school, filename="kh.txt", data=SEED.read_bytes()
    )
    return importing.plan_import_confirm(actor=principal.user, pending=pending)


def test_log_in_lands_on_the_targets_with_owners(plan, principal, django_assert_max_num_queries):
    client = client_for(principal)

    home = client.get(reverse("core:home"))
    assert home["Location"] == reverse("kpi:overview")
    with django_assert_max_num_queries(60):
        page = client.get(reverse("kpi:overview"))

    body = page.content.decode()
    assert page.status_code == 200
    assert "9 mục tiêu" in body
    assert body.count('class="owner"') == 9
    assert "Dương Thị Huyền Trân" in body  # owns the satisfaction target
    assert "Chưa phân công" not in body.split('id="landing-targets"')[1].split("</table>")[0]
    assert 'id="staff-table"' not in body
    assert 'id="unit-picker"' not in body  # one unit: nothing to pick


def test_tasks_due_this_month_carry_their_owners(plan, principal) -> None:
    data = overview_for_user(user=principal.user, unit_id=None, today=date(2026, 12, 10))

    assert len(data.targets) == 9
    numbers = {row.task.number for row in data.due}
    assert "3.6" in numbers  # the quarterly report: Q4 due in December
    assert all(row.task.owner is not None for row in data.due)
    assert all(row.due_on.month == 12 or row.is_overdue for row in data.due)
    reports = [row for row in data.due if row.task.number == "3.6"]
    assert len(reports) == 2  # Q4 due this month, and one row for the three late quarters
    assert [r.late_periods for r in reports if r.is_overdue] == [3]


def test_commune_officer_picks_a_school(plan, commune_officer, school, other_school) -> None:
    client = client_for(commune_officer)

    first = client.get(reverse("kpi:overview"), follow=True)
    picked = client.get(reverse("kpi:overview"), {"don_vi": school.pk}).content.decode()

    # His landing page is the roll-up of every school; from there he picks one.
    assert first.redirect_chain[-1][0] == reverse("kpi:rollup")
    assert other_school.name in first.content.decode()
    assert 'id="unit-picker"' in picked
    assert "9 mục tiêu" in picked
    assert client.get(reverse("kpi:overview"), {"don_vi": "x"}).status_code == 404


def test_unit_without_plan_offers_the_import(principal) -> None:
    body = client_for(principal).get(reverse("kpi:overview")).content.decode()

    assert "Chưa có kế hoạch cải cách hành chính" in body
    assert reverse("plans:import") in body
