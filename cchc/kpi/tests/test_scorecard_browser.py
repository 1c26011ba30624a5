"""In Chromium: a teacher opens their own card from the menu, picks a quarter, reads the
Circular 01/2018 score and downloads the year-end summary; the ranking is not offered."""

from __future__ import annotations

import pytest

from tests.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_views_their_own_card(live_server, page, figures, colleague) -> None:
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(colleague.user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)

    menu = page.get_by_role("navigation", name="Chức năng")
    assert menu.get_by_role("link", name="Xếp hạng thi đua").count() == 0
    menu.get_by_role("link", name="Kết quả của tôi").click()
    page.get_by_label("Kỳ").fill("2026-Q1")
    page.get_by_role("button", name="Xem").click()

    assert "5,7/10" in page.locator("#official-score").inner_text()
    assert "Hoàn thành 100% nhiệm vụ" in page.locator("#official-score").inner_text()
    assert "75% (3/4)" in page.locator("#dossiers").inner_text()
    assert page.locator("#tasks").inner_text() == "Chưa có số liệu"
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải bản tổng hợp (DOCX)").click()
    assert download.value.suggested_filename.endswith("phan-van-loi.docx")
