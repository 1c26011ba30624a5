"""In Chromium (1280 px): the clerk reads why the principal sent the apology letter back,
is led from the letter's page to the dossier's correction form (no "Trình kiểm tra"),
corrects its reason and new date on the dossier page and sends it again; a wrong PIN on a
paper's signature brings her back to the dossier's papers with the message, and reloading the
page posts nothing."""

from __future__ import annotations

from datetime import datetime, time

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


def test_a_returned_apology_corrected_in_the_browser(live_server, page, settings, tmp_path) -> None:
    from django.utils import timezone

    from cchc.accounts.models import User
    from cchc.core.timezones import VN
    from cchc.documents import democa
    from cchc.documents import services as documents
    from cchc.documents.tests import pki
    from cchc.documents.workflow import OutgoingStatus
    from cchc.dossiers import procedures, services
    from cchc.dossiers.models import Apology
    from cchc.organizations.models import Unit
    from cchc.workdays.services import calendar_for_unit

    settings.MEDIA_ROOT = tmp_path / "media"
    page.set_viewport_size({"width": 1280, "height": 900})
    seed_base()
    school = Unit.objects.get(code="000.31.41.H29")
    clerk = User.objects.get(username="thuyltt")
    principal = User.objects.get(username="trangntt")
    ca = democa.make_ca()
    record = pki.p12_record(ca, clerk.staff.full_name)
    record.unit, record.staff = school, clerk.staff
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
    calendar = calendar_for_unit(school)
    due_day = timezone.localdate(dossier.due_at)
    first, second = (calendar.add_working_days(due_day, n) for n in (2, 1))
    services.dossier_apologize(
        actor=clerk,
        dossier=dossier,
        reason="Chờ xác nhận",
        new_due_at=datetime.combine(first, time(17, 0), tzinfo=VN),
    )
    doc = Apology.objects.get(dossier=dossier).outgoing
    assert doc is not None
    documents.outgoing_transition(
        actor=principal, doc=doc, to=OutgoingStatus.DRAFT, note="Ghi rõ trường nơi đi"
    )

    _log_in(page, live_server.url, "thuyltt")
    # On the letter's page under the register there is no sending it up unchanged: the link
    # leads to the correction form on the dossier page.
    page.goto(f"{live_server.url}/quan-ly/van-ban/di/{doc.pk}/")
    assert page.get_by_role("button", name="Trình kiểm tra").count() == 0
    page.get_by_role("link", name=f"Sửa và trình ký lại ở hồ sơ {dossier.code}").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/quan-ly/ho-so/{dossier.pk}/#apology-revise"
    letter = page.locator("#apology-letter")
    assert "Bị trả lại (Nguyễn Thị Thanh Trang" in letter.inner_text()
    assert "Ghi rõ trường nơi đi" in letter.inner_text()
    form = page.locator("#apology-revise")
    assert form.get_by_label("Lý do chậm").input_value() == "Chờ xác nhận"
    form.get_by_label("Lý do chậm").fill("Trường THCS Cát Linh chưa gửi xác nhận học bạ")
    form.get_by_label("Ngày hẹn trả mới").fill(f"{second:%Y-%m-%d}")
    page.screenshot(path=str(tmp_path / "returned.png"), full_page=True)
    form.get_by_role("button", name="Sửa và trình ký lại").click()
    page.wait_for_load_state()
    letter = page.locator("#apology-letter")
    assert "Chờ kiểm tra (người ký: Nguyễn Thị Thanh Trang)" in letter.inner_text()
    assert "Đã sửa lý do, ngày hẹn và trình ký lại văn bản xin lỗi." in page.content()
    assert page.locator("#apology-revise").count() == 0
    timeline = page.locator("#timeline").inner_text()
    assert f"Đơn vị sửa lại ngày hẹn trả kết quả: {second:%d/%m/%Y} 17:00" in timeline
    apology = Apology.objects.get(dossier=dossier)
    assert apology.reason == "Trường THCS Cát Linh chưa gửi xác nhận học bạ"

    # A wrong PIN: back on the dossier's papers with the message; a reload posts nothing.
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.locator("#pin-tiep-nhan").fill("000000")
    page.locator("#papers").get_by_role("button", name="Ký số").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/quan-ly/ho-so/{dossier.pk}/#papers"
    assert "Mã PIN của chứng thư số không đúng." in page.content()
    assert len(posts) == 1
    page.reload()
    page.wait_for_load_state()
    assert len(posts) == 1  # the reload was a GET
    assert page.locator("#pin-tiep-nhan").count() == 1

    # The principal is told the letter sent again waits for her: a count on "Tổng quan" leads
    # to "Việc của tôi", whose row leads to the letter (QA 30/11; domain.md 1.4).
    _log_in(page, live_server.url, "trangntt")
    page.goto(f"{live_server.url}/quan-ly/tong-quan/")
    notice = page.locator("#my-documents-notice")
    assert "Có 1 văn bản đi chờ bạn xử lý" in notice.inner_text()
    notice.get_by_role("link", name="Xem trong Việc của tôi").click()
    page.wait_for_load_state()
    row = page.locator("#my-documents tbody tr")
    assert row.count() == 1
    assert "Kiểm tra, duyệt" in row.inner_text()
    page.screenshot(path=str(tmp_path / "my-work.png"), full_page=True)
    row.get_by_role("link").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/quan-ly/van-ban/di/{doc.pk}/"
    assert page.get_by_role("button", name="Duyệt").count() == 1
