"""End to end in Chromium: a parent sends feedback from a phone, the clerk classifies it, a
teacher drafts the answer, the principal approves and publishes it, and the parent finds the
published answer by searching without diacritics and rates it from the private link."""

from __future__ import annotations

import pytest

from cchc.organizations.demo import DEMO_PASSWORD, seed_base

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}


def _staff_page(browser, browser_context_args, live_server, username: str):
    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    # Where staff land after logging in depends on their role: wait to leave the login page.
    page.wait_for_url(lambda url: "/tai-khoan/dang-nhap/" not in url)
    return page


def test_citizen_to_published_answer_and_rating(
    live_server, browser, browser_context_args, settings
) -> None:
    from cchc.feedback.models import Feedback

    seed_base()
    settings.CCHC_HOME_UNIT = "000.31.41.H29"
    citizen = browser.new_context(**browser_context_args, viewport=PHONE).new_page()

    citizen.goto(f"{live_server.url}/phan-anh-kien-nghi/gui/")
    citizen.get_by_label("Họ và tên").fill("Võ Thị Hạnh")
    citizen.get_by_label("Số điện thoại").fill("0905 123 456")
    citizen.get_by_label("Tiêu đề").fill("Học phí tháng 9 thu trùng")
    citizen.locator("#id_content").fill(
        "Tôi là Võ Thị Hạnh, phụ huynh lớp 6C. Tháng 9 con tôi bị thu học phí hai lần. "
        "Xin gọi lại số 0905 123 456."
    )
    citizen.get_by_label("Tôi đồng ý công khai").check()
    citizen.get_by_role("button", name="Gửi phản ánh").click()
    code = citizen.locator("#tracking-code").inner_text()
    track_url = citizen.locator("#track-link").get_attribute("href")
    assert citizen.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    pk = Feedback.objects.get(tracking_code=code).pk

    clerk = _staff_page(browser, browser_context_args, live_server, "thuyltt")
    clerk.goto(f"{live_server.url}/quan-ly/phan-anh/")
    clerk.get_by_role("link", name=code).click()
    clerk.locator("#id_classification").select_option("competent")
    clerk.locator("#id_assignee").select_option(label="Phan Văn Lợi (Giáo viên Toán)")
    clerk.get_by_role("button", name="Phân loại", exact=True).click()
    assert "Đang xử lý" in clerk.locator("main").inner_text()

    teacher = _staff_page(browser, browser_context_args, live_server, "loipv")
    teacher.goto(f"{live_server.url}/quan-ly/phan-anh/{pk}/")
    teacher.get_by_label("Nội dung trả lời").fill(
        "Nhà trường đã hoàn trả khoản thu trùng cho chị Hạnh; liên hệ 0905 123 456 nếu cần."
    )
    teacher.get_by_role("button", name="Trình duyệt").click()

    principal = _staff_page(browser, browser_context_args, live_server, "trangntt")
    principal.goto(f"{live_server.url}/quan-ly/phan-anh/{pk}/")
    principal.get_by_role("button", name="Duyệt và gửi trả lời cho người gửi").click()
    preview = principal.get_by_label("Câu trả lời sẽ công khai").input_value()
    assert "0905" not in preview
    assert "[số điện thoại]" in preview
    principal.get_by_role("button", name="Công khai trên Trang thông tin điện tử").click()
    assert "Đã công khai kết quả" in principal.locator("main").inner_text()

    citizen.goto(f"{live_server.url}/phan-anh-kien-nghi/")
    citizen.get_by_label("Tìm theo nội dung").fill("hoc phi thu trung")
    citizen.get_by_role("button", name="Tìm").click()
    citizen.get_by_role("link", name="Học phí tháng 9 thu trùng").click()
    published = citizen.locator("main").inner_text()
    assert "hoàn trả khoản thu trùng" in published
    assert "0905" not in published
    assert "Hạnh" not in published

    citizen.goto(f"{live_server.url}{track_url}")
    citizen.get_by_label("Hài lòng", exact=True).check()
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    assert "Cảm ơn bạn đã đánh giá" in citizen.locator("main").inner_text()
    assert Feedback.objects.get(pk=pk).rating == "satisfied"
