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
    page.wait_for_url("**/quan-ly/tong-quan/")  # the landing page is the plan, not the staff
    page.goto(f"{live_server.url}/quan-ly/don-vi/")
    page.locator("main").get_by_role("link", name="Trường Trung học cơ sở Nguyễn Thái Bình").click()

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


def test_counter_to_public_lookup(live_server, page) -> None:
    """Receive at the counter, print the slip, process, return, then look it up as a citizen."""
    from cchc.dossiers import procedures
    from cchc.organizations.models import Unit

    seed_base()
    school = Unit.objects.get(code="000.31.41.H29")
    procedures.procedure_seed_defaults(actor=None, unit=school)
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("thuyltt")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/quan-ly/tong-quan/")

    page.goto(f"{live_server.url}/quan-ly/ho-so/tiep-nhan/")
    page.get_by_label("Thủ tục").select_option(label="Chỉnh sửa nội dung văn bằng, chứng chỉ")
    page.get_by_label("Họ và tên người nộp").fill("Trần Văn Bình")
    page.get_by_label("Số điện thoại").fill("0912 345 678")
    for box in page.locator("fieldset.checklist:not([hidden]) input[name=documents]").all():
        box.check()
    page.get_by_role("button", name="Tiếp nhận và cấp mã hồ sơ").click()
    code = page.locator("#dossier-code").inner_text()
    with page.expect_download() as slip:
        page.locator("#papers a", has_text="PDF").first.click()
    assert slip.value.suggested_filename == f"tiep-nhan-{code}.pdf"

    page.get_by_text("Ghi nhận kết quả").click()
    page.get_by_role("button", name="Lưu kết quả").click()
    page.get_by_role("button", name="Đã trả kết quả cho người dân").click()
    assert "Đã trả kết quả" in page.locator("#timeline").inner_text()

    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")  # a fresh visitor
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_role("button", name="Tra cứu").click()
    result = page.locator("#lookup-result").inner_text()
    assert "Đã trả kết quả" in result
    assert "Trần Văn Bình" not in result


def test_first_run_from_an_empty_database_to_the_landing_page(live_server, page) -> None:
    """Issue 9: a fresh install, no developer: the nine targets with owners on the landing page."""
    from cchc.plans.models import Plan, Task
    from tests.first_run_flow import first_run

    first_run(page, live_server.url)

    rows = page.locator("#landing-targets tbody tr")
    assert rows.count() == 9
    owners = page.locator("#landing-targets td.owner").all_inner_texts()
    assert "Chưa phân công" not in owners
    assert "Dương Thị Huyền Trân" in owners  # the satisfaction target, from her duties
    assert "Nguyễn Thị Thanh Trang" in owners
    plan = Plan.objects.get()
    assert plan.place == "Bình Hưng"
    assert not Task.objects.filter(plan=plan, owner__isnull=True).exists()
    assert Task.objects.filter(plan=plan).values("owner").distinct().count() >= 4
    page.goto(f"{live_server.url}/cai-dat/")
    assert "Không tìm thấy trang" in page.content()  # closed for ever
