"""The 766 index: the threshold rule, N/A indicators, the rescaled total, the rule set's checks."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from cchc.kpi import index766
from cchc.kpi.registry import Period
from cchc.kpi.rubric import RubricError
from cchc.plans.models import Plan, Task, TaskStatus
from tests.fixtures import client_for


@pytest.mark.parametrize(
    ("rate", "maximum", "target", "points"),
    [
        (Decimal(100), 20, 100, Decimal(20)),
        (Decimal(95), 20, 100, Decimal(19)),
        (Decimal(45), 4, 50, Decimal("3.6")),  # 3.3: 45 × 4 ÷ 50
        (Decimal(50), 4, 50, Decimal(4)),
        (Decimal(60), 4, 50, Decimal(4)),  # above the threshold: full points, no more
        (Decimal(85), 6, 90, Decimal("5.67")),  # 5.4: 85 × 6 ÷ 90 = 5.666… → 5.67
        (Decimal(100) / 3, 20, 100, Decimal("6.67")),  # 33.33% first, then 6.666 → 6.67
        (Decimal(0), 6, 100, Decimal(0)),
    ],
)
def test_threshold_rule(rate, maximum, target, points) -> None:
    assert index766.threshold_points(rate, Decimal(maximum), Decimal(target)) == points


def test_the_shipped_rule_set_adds_up_to_100_and_is_versioned() -> None:
    data = index766.rules()

    assert data["version"]
    assert sum(Decimal(str(g["max_points"])) for g in data["groups"]) == 100


def test_a_rule_set_with_an_unknown_kpi_or_wrong_sums_is_refused() -> None:
    data = json.loads(json.dumps(index766.rules()))
    data["groups"][1]["indicators"][0]["kpi"] = "khong_co"
    with pytest.raises(RubricError, match="«khong_co» không có trong hệ thống"):
        index766.parse_rules(data)
    data = json.loads(json.dumps(index766.rules()))
    data["groups"][0]["max_points"] = 19
    with pytest.raises(RubricError, match="khác tổng điểm"):
        index766.parse_rules(data)


@pytest.mark.django_db
def test_a_period_without_data_is_na_never_zero(school) -> None:
    result = index766.compute(school, Period.parse("2026-Q1"))

    assert result.total is None
    assert result.rating == ""
    scored = [i for g in result.groups for i in g.items if i.kpi]
    assert scored
    assert {i.status for i in scored} == {"no_data"}
    assert "chưa tính được" in result.rescale_text()


@pytest.mark.django_db
def test_na_indicators_leave_the_maximum_and_the_total_is_rescaled(school) -> None:
    # Four tasks due in Q1, three on time: 75%. Threshold 80%, max 10 → 75 × 10 ÷ 80 = 9.375
    # → 9.38. A not-applicable 5 and a no-data 5 leave the maximum: 9.38 × 100 ÷ 10 = 93.8.
    plan = Plan.objects.create(unit=school, title="Kế hoạch", year=2026)
    parent = Task.objects.create(plan=plan, number="1", title="Nhóm")
    for i, day in enumerate([2, 9, 10, 20], start=1):
        Task.objects.create(
            plan=plan,
            parent=parent,
            number=f"1.{i}",
            title=f"Việc {i}",
            due_on=date(2026, 3, 10),
            status=TaskStatus.DONE,
            completed_on=date(2026, 3, day),
        )
    rules = {
        "version": "thu",
        "groups": [
            {
                "code": "1",
                "title": "Nhóm thử",
                "max_points": 20,
                "indicators": [
                    {
                        "code": "a",
                        "title": "Việc",
                        "max_points": 10,
                        "kpi": "task_on_time_rate",
                        "target": 80,
                    },
                    {
                        "code": "b",
                        "title": "Hồ sơ",
                        "max_points": 5,
                        "kpi": "dossier_on_time_rate",
                        "target": 100,
                    },
                    {
                        "code": "c",
                        "title": "Không áp dụng",
                        "max_points": 5,
                        "status": "not_applicable",
                        "reason": "Không thuộc trường",
                    },
                ],
            }
        ],
    }

    result = index766.compute(school, Period.parse("2026-Q1"), index766.parse_rules(rules))

    a, b, c = result.groups[0].items
    assert a.points == Decimal("9.38")
    assert (b.status, c.status) == ("no_data", "not_applicable")
    assert (result.earned, result.applicable_max, result.nominal_max) == (
        Decimal("9.38"),
        Decimal(10),
        Decimal(20),
    )
    assert result.total == Decimal("93.80")
    assert result.rating == "Xuất sắc"
    assert result.rescale_text() == "9,38 điểm đạt ÷ 10 điểm tối đa áp dụng (trên 20) × 100 = 93,8"


@pytest.mark.django_db
def test_command_prints_json_and_page_marks_na(school, principal, outsider) -> None:
    out = StringIO()
    call_command("kpi", "index766", "--unit", school.code, "--period", "2026", "--json", stdout=out)
    payload = json.loads(out.getvalue())
    assert payload["total"] is None
    assert payload["groups"][0]["indicators"][0]["status"] == "not_applicable"

    body = client_for(principal).get(reverse("kpi:index766") + "?ky=2026-Q1").content.decode()
    assert "Không áp dụng với trường" in body
    assert "chưa tính được" in body
    page = reverse("kpi:index766") + f"?don_vi={school.pk}"
    assert client_for(outsider).get(page).status_code == 404


@pytest.mark.django_db
def test_the_commune_rollup_shows_each_schools_766_total(school, other_school, commune_officer):
    body = client_for(commune_officer).get(reverse("kpi:rollup") + "?ky=2026-Q1").content.decode()

    assert "Chỉ số 766 (thang 100)" in body
    assert body.count("chưa tính được") == 2  # neither school has data: N/A, never 0
    assert f"{reverse('kpi:index766')}?don_vi={other_school.pk}" in body
