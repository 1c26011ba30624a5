"""In Chromium: the commune officer logs in, lands on the roll-up of his schools (stamped with the
snapshot day, ranked, flagged), and drills down into one school's live indicators."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cchc.kpi.models import Snapshot
from cchc.organizations.demo import DEMO_PASSWORD, SCHOOL, seed_base
from cchc.organizations.models import Unit
from cchc.plans.models import Plan, Target

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_commune_officer_lands_on_the_rollup_and_drills_down(live_server, page) -> None:
    seed_base()
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    school = Unit.objects.get(code=SCHOOL["code"])
    plan = Plan.objects.create(unit=school, title="Kế hoạch CCHC", year=today.year)
    Target.objects.create(
        plan=plan,
        number="2",
        text="Tỷ lệ giải quyết hồ sơ đúng hạn đạt 100%",
        comparator=">=",
        value=100,
        unit_label="%",
        kpi_code="dossier_on_time_rate",
    )
    Snapshot.objects.create(
        unit=school, code="dossier_on_time_rate", day=yesterday, numerator=9, denominator=10
    )

    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("tuanpm")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/chi-so/tong-hop/")

    assert (
        f"Số liệu đến hết ngày {yesterday:%d/%m/%Y}" in page.locator("#rollup-source").inner_text()
    )
    rows = page.locator("#rollup tbody tr")
    assert rows.count() == 3
    first = rows.first.inner_text()
    assert school.name in first
    assert "90% (9/10)" in first
    assert "Có nguy cơ không đạt" in first
    assert "2 trường" in page.locator("#rollup-flags").inner_text()  # two schools without a plan

    rows.first.get_by_role("link", name="Chỉ số", exact=True).click()
    page.wait_for_url(f"**/chi-so/?don_vi={school.pk}*")
    assert f"Chỉ số của {school.name}" in page.locator("h1").inner_text()
