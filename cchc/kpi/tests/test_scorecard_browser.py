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


def test_the_principal_reads_the_ranking_on_a_phone(live_server, page, figures, principal) -> None:
    """At 390 px the ranking stacks into one labelled card per person: nothing scrolls
    sideways, every figure sits after its column's name, the activities say what they count."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(principal.user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)

    page.goto(f"{live_server.url}/quan-ly/ket-qua-ca-nhan/xep-hang/?ky=2026-Q1")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first = page.locator("#ranking tbody tr").first
    box = first.bounding_box()
    assert box is not None
    assert box["width"] <= 390
    assert page.locator("#ranking thead").bounding_box()["height"] <= 1  # labels move to cells
    cells = first.locator("td, th")
    labels = [
        cells.nth(i).evaluate("e => getComputedStyle(e, '::before').content")
        for i in range(cells.count())
    ]
    assert '"Hoạt động CCHC"' in labels
    assert '"Điểm TT 01/2018"' in labels
    assert "Hoạt động CCHC = " in page.locator("#activity-definition").inner_text()
    name = first.get_by_role("link").bounding_box()
    assert name is not None
    assert name["height"] >= 44
