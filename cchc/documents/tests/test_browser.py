"""In Debian's Chromium: a draft becomes a released, really signed document."""

from __future__ import annotations

import pytest

from cchc.documents import signing
from cchc.documents.models import OutgoingDocument, SigningCertificate
from cchc.documents.tests import pki
from cchc.organizations.demo import DEMO_PASSWORD, seed_base
from cchc.organizations.models import Staff, Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, url: str, username: str) -> None:
    page.goto(f"{url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_selector("h1")


def test_draft_to_released_document(live_server, page, browser, ca) -> None:
    seed_base()
    school = Unit.objects.get(code="000.31.41.H29")
    principal = Staff.objects.get(unit=school, full_name="Nguyễn Thị Thanh Trang")
    for owner in (principal, None):
        record = pki.p12_record(ca, owner.full_name if owner else school.name)
        record.unit, record.staff = school, owner
        record.save()
    clerk_page = page
    leader_page = browser.new_page()
    _login(clerk_page, live_server.url, "thuyltt")
    _login(leader_page, live_server.url, "trangntt")

    clerk_page.goto(f"{live_server.url}/quan-ly/van-ban/di/du-thao/")
    clerk_page.locator("#id_type_code").select_option("KH")
    clerk_page.locator("#id_summary").fill("Ứng dụng chữ ký số năm 2026")
    clerk_page.locator("#id_body").fill("Nhà trường ban hành kế hoạch như sau.")
    clerk_page.locator("#id_signer").select_option(label="Nguyễn Thị Thanh Trang")
    clerk_page.locator("#id_recipients").fill("Phòng GD&ĐT;\nLưu: VT.")
    clerk_page.get_by_role("button", name="Lưu dự thảo").click()
    clerk_page.get_by_role("button", name="Trình kiểm tra").click()
    detail = clerk_page.url

    leader_page.goto(detail)
    leader_page.get_by_role("button", name="Duyệt").click()
    clerk_page.goto(detail)
    clerk_page.get_by_role("button", name="Cấp số").click()
    assert clerk_page.locator("#doc-symbol").inner_text() == "01/KH-THCSNTB"

    leader_page.goto(detail)
    leader_page.get_by_label("Mã PIN chứng thư số của người ký").fill("sai")
    leader_page.get_by_role("button", name="Ký số").click()
    assert "Mã PIN của chứng thư số không đúng" in leader_page.content()
    # Post/redirect/get: the wrong PIN lands on the letter's page itself, so a reload is a GET
    # that neither posts the PIN again nor repeats the message.
    assert leader_page.url == detail + "#sign-form"
    leader_page.reload()
    assert "Mã PIN của chứng thư số không đúng" not in leader_page.content()
    leader_page.get_by_label("Mã PIN chứng thư số của người ký").fill(pki.PIN)
    leader_page.get_by_role("button", name="Ký số").click()
    assert "Đã ký số" in leader_page.locator("main").inner_text()

    clerk_page.goto(detail)
    clerk_page.get_by_label("Mã PIN chữ ký số của cơ quan").fill(pki.PIN)
    clerk_page.get_by_role("button", name="Đóng dấu số và phát hành").click()
    assert "Đã phát hành" in clerk_page.locator("main").inner_text()
    with clerk_page.expect_download() as download:
        clerk_page.locator("#signed-pdf").click()
    reports = signing.verify_pdf(download.value.path().read_bytes(), [ca.pem])
    assert [r.ok for r in reports] == [True, True]
    assert OutgoingDocument.objects.get().status == "released"
    assert SigningCertificate.objects.count() == 2
    leader_page.close()
