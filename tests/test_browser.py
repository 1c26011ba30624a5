"""End-to-end in Debian's Chromium: the principal logs in and sees her staff list."""

from __future__ import annotations

import pytest

from cchc.organizations.demo import DEMO_PASSWORD, seed_base

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_principal_logs_in_and_sees_staff_list(live_server, page) -> None:
    seed_base()

    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("trangntt")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.wait_for_selector("#staff-table")
    assert page.locator("h1").inner_text() == "Trường Trung học cơ sở Nguyễn Thái Bình"
    staff_table = page.locator("#staff-table").inner_text()
    for name in (
        "Nguyễn Thị Thanh Trang",
        "Dương Thị Huyền Trân",
        "La Nguyễn Hoàng Anh",
        "Lê Thị Thanh Thủy",
        "Trần Thị Thoa",
        "Nguyễn Tấn Vinh",
    ):
        assert name in staff_table


def test_wrong_password_shows_message_at_phone_width(live_server, page) -> None:
    seed_base()
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("trangntt")
    page.get_by_label("Mật khẩu").fill("sai")
    page.get_by_role("button", name="Đăng nhập").click()

    assert (
        page.get_by_role("alert").inner_text().startswith("Tên đăng nhập hoặc mật khẩu không đúng")
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
