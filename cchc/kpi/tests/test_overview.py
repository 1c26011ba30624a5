"""The landing page after log-in (issue 9, item 5): the plan's targets at a glance with owners,
and the tasks due this month with theirs; users of several units pick one."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

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


def _cells(body: str, table_id: str) -> list[list[str]]:
    """The text of each body row's cells of table `table_id` (tags dropped)."""
    import re

    table = body.split(f'id="{table_id}"')[1].split("</table>")[0]
    rows = table.split("<tbody>")[1].split("</tr>")[:-1]
    return [
        [re.sub(r"<[^>]+>", " ", cell).split() for cell in re.split(r"<td[^>]*>", row)[1:]]
        for row in rows
    ]


def test_goals_read_the_same_on_the_landing_page_and_the_indicator_page(plan, principal):
    """One wording of a goal everywhere (`Target.goal_display`): "từ 95% trở lên", and a target
    without a figure "Chưa có chỉ tiêu định lượng", never ">= 95%" or an empty "Mục tiêu 6:"."""
    client = client_for(principal)

    landing = client.get(reverse("kpi:overview")).content.decode()
    indicators = client.get(reverse("kpi:unit")).content.decode()

    goals = {t.number: t.goal_display for t in plan.targets.all()}
    assert goals["3"] == "từ 95% trở lên"
    assert goals["6"] == "Chưa có chỉ tiêu định lượng"
    landing_goals = {row[0][0]: " ".join(row[3]) for row in _cells(landing, "landing-targets")}
    assert landing_goals == goals
    for number, goal in goals.items():
        assert f"Mục tiêu {number}: {goal}" in indicators
    assert "&gt;= " not in indicators
    assert "Mục tiêu 6:</td>" not in indicators


def test_each_target_on_the_landing_page_shows_its_indicator_definition(plan, principal):
    """The plan's rule: each target is shown with the definition of the indicator it binds to,
    on the page itself (a <details> that opens on a phone), not one click away."""
    from cchc.kpi import registry
    from cchc.kpi.companions import companion_codes

    body = client_for(principal).get(reverse("kpi:overview")).content.decode()

    targets = body.split('id="landing-targets"')[1].split("</table>")[0]
    bound = [t for t in plan.targets.all() if t.kpi_code]
    assert len(bound) == 9
    # ... and each figure shown beside a target (target 8's companions) with its own.
    companions = sum(len(companion_codes(t.kpi_code)) for t in bound)
    assert companions == 2
    assert targets.count('<details class="definition">') == len(bound) + companions
    for target in bound:
        definition = registry.definition_of(target.kpi_code)
        assert definition
        assert escape(definition) in targets
