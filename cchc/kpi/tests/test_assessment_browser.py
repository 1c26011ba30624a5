"""In Chromium: the principal scores and submits, the commune officer adjusts with a reason and
makes the result final; the school's target 1 then reads the appraised rating."""

from __future__ import annotations

import pytest

from cchc.organizations.demo import DEMO_PASSWORD, seed_base

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def test_unit_scores_commune_appraises_and_finalizes(live_server, page) -> None:
    seed_base()
    _login(page, live_server.url, "trangntt")
    page.goto(f"{live_server.url}/quan-ly/chi-so/tu-danh-gia/?nam=2026")
    page.get_by_role("button", name="Bắt đầu tự đánh giá").click()
    for code, points in {"1.1": "4", "1.3": "3", "1.4": "2", "2.3": "4", "2.4": "3"}.items():
        page.get_by_label(f"Điểm tự chấm tiêu chí {code}").fill(points)
        page.get_by_label(f"Minh chứng tiêu chí {code}").fill(f"Minh chứng {code}")
    page.get_by_role("button", name="Gửi xã thẩm định").click()
    summary = page.locator("#summary").inner_text()
    assert "Chờ xã thẩm định" in summary

    _login(page, live_server.url, "tuanpm")
    page.goto(f"{live_server.url}/quan-ly/chi-so/tu-danh-gia/danh-sach/?nam=2026")
    page.get_by_role("link", name="Trường Trung học cơ sở Nguyễn Thái Bình").click()
    assert page.get_by_label("Điểm tự chấm tiêu chí 1.1").count() == 0  # not his to score
    page.get_by_label("Điểm thẩm định tiêu chí 2.4").fill("1")
    page.get_by_role("button", name="Chốt kết quả").click()
    assert "phải nêu lý do" in page.get_by_role("alert").inner_text()
    page.get_by_label("Điểm thẩm định tiêu chí 2.4").fill("1")
    page.get_by_label("Lý do điều chỉnh tiêu chí 2.4").fill("Trang công khai TTHC chưa cập nhật")
    page.get_by_role("button", name="Chốt kết quả").click()
    summary = page.locator("#summary").inner_text()
    assert "Đã thẩm định (chính thức)" in summary
    assert "Trang công khai TTHC chưa cập nhật" in page.locator("#criteria").inner_text()
