"""Date fields in an English Chromium (QA walk): the native picker shows mm/dd/yyyy whatever the
page's lang="vi", so each field says the chosen date beside it as dd/mm/yyyy (dates.js)."""

from __future__ import annotations

import pytest

from cchc.organizations.demo import DEMO_PASSWORD, seed_base

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_date_field_says_the_chosen_day_in_vietnamese_order(live_server, browser) -> None:
    seed_base()
    context = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("trangntt")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/quan-ly/tong-quan/")
    page.goto(f"{live_server.url}/quan-ly/lich-lam-viec/")

    assert page.locator("html").get_attribute("lang") == "vi"
    field = page.locator("input[type=date]").first
    field.fill("2026-12-01")

    said = page.locator(f"#{field.get_attribute('id')}-vn")
    assert said.inner_text() == "Ngày đã chọn: 01/12/2026"
    assert said.get_attribute("aria-live") == "polite"
    context.close()
