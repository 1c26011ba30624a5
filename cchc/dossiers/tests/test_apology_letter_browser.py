"""The apology letter in Chromium: the principal makes the apology in the dossier's panel (htmx)
and the panel shows the letter waiting for its number with its draft PDF; once numbered, signed
and released without an e-mail address, the clerk records on the page that it was posted."""

from __future__ import annotations

import pytest

from cchc.organizations.demo import DEMO_PASSWORD, seed_base

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def test_the_apology_letter_from_the_dossier_page(live_server, page, settings, tmp_path) -> None:
    from django.utils import timezone

    from cchc.accounts.models import User
    from cchc.documents import democa
    from cchc.documents.tests import pki
    from cchc.dossiers import procedures, services
    from cchc.dossiers.models import Apology
    from cchc.dossiers.tests.conftest import released_letter
    from cchc.organizations.models import Unit
    from cchc.workdays.services import calendar_for_unit

    settings.MEDIA_ROOT = tmp_path / "media"
    seed_base()
    school = Unit.objects.get(code="000.31.41.H29")
    clerk = User.objects.get(username="thuyltt")
    principal = User.objects.get(username="trangntt")
    ca = democa.make_ca()
    for owner, name in ((principal.staff, principal.staff.full_name), (None, school.name)):
        record = pki.p12_record(ca, name, image=None if owner else democa.seal_png())
        record.unit, record.staff = school, owner
        record.save()
    catalogue = {p.name: p for p in procedures.procedure_seed_defaults(actor=clerk, unit=school)}
    transfer = next(p for n, p in catalogue.items() if n.startswith("Chuyển trường"))
    dossier = services.dossier_receive(
        actor=clerk,
        unit=school,
        procedure=transfer,
        applicant={"applicant_name": "Phạm Thị Mai"},
        provided_documents=[d["name"] for d in transfer.documents],
    )
    assert dossier.due_at is not None
    new_day = calendar_for_unit(school).add_working_days(timezone.localdate(dossier.due_at), 2)

    _log_in(page, live_server.url, "trangntt")
    page.goto(f"{live_server.url}/quan-ly/ho-so/{dossier.pk}/")
    panel = page.locator("#dossier-panel")
    page.locator("#apology summary").click()
    page.locator("#apology_reason").fill("Trường nơi đi chưa gửi xác nhận học bạ")
    page.locator("#apology_new_due_at").fill(f"{new_day:%Y-%m-%d}")
    page.get_by_role("button", name="Lập văn bản xin lỗi").click()
    letter = panel.locator("#apology-letter")
    letter.wait_for()
    assert "Đã duyệt, chờ văn thư cấp số (người ký: Nguyễn Thị Thanh Trang)" in letter.inner_text()
    assert letter.get_by_role("link", name="Bản PDF chưa ký (để đọc trước khi ký)").count() == 1

    doc = Apology.objects.get(dossier=dossier).outgoing
    assert doc is not None
    released_letter(doc, clerk=clerk.staff, principal=principal.staff)

    _log_in(page, live_server.url, "thuyltt")
    page.goto(f"{live_server.url}/quan-ly/ho-so/{dossier.pk}/")
    letter = page.locator("#apology-letter")
    assert "chờ trao trực tiếp hoặc gửi bưu điện" in letter.inner_text()
    assert page.locator("#applicant-address").inner_text() == "Chưa ghi"
    # No address was given at the counter: posting is refused, saying what to fill in, where.
    page.get_by_label("Cách gửi").select_option("buu-dien")
    page.get_by_role("button", name="Ghi nhận đã trao, gửi").click()
    page.wait_for_load_state()
    refusal = page.get_by_text("hồ sơ chưa có địa chỉ của người nộp")
    refusal.wait_for()
    assert "Sửa địa chỉ người nộp" in refusal.inner_text()
    Apology.objects.get(dossier=dossier, handed_over_at__isnull=True)  # nothing written
    page.goto(f"{live_server.url}/quan-ly/ho-so/{dossier.pk}/")
    page.locator("#address summary").click()
    page.get_by_label("Địa chỉ liên hệ của người nộp").fill(" Số 27, tổ 4,\n ấp 3, xã Bình Hưng ")
    page.get_by_role("button", name="Lưu địa chỉ").click()
    page.wait_for_load_state()
    address = page.locator("#applicant-address")
    address.filter(has_text="Số 27").wait_for()
    assert address.inner_text() == "Số 27, tổ 4, ấp 3, xã Bình Hưng"
    letter = page.locator("#apology-letter")
    page.get_by_label("Cách gửi").select_option("buu-dien")
    page.get_by_role("button", name="Ghi nhận đã trao, gửi").click()
    page.wait_for_load_state()
    today = timezone.localdate()
    assert f"Đã ký số, gửi bưu điện ngày {today:%d/%m/%Y}" in letter.inner_text()
    assert letter.get_by_role("link", name="Bản PDF đã ký số").count() == 1
