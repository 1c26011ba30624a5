"""Issue 8 points 9 and 10 in Chromium: the assigned handler acts on their dossier from "Việc
của tôi"; the principal's queue puts the overdue dossier on top, highlighted, and filters."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cchc.organizations.demo import DEMO_PASSWORD, seed_base

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()


def test_handler_acts_and_queue_puts_overdue_first(live_server, page) -> None:
    from cchc.accounts.models import User
    from cchc.dossiers import procedures, services
    from cchc.dossiers.models import Dossier
    from cchc.organizations.models import Staff, Unit

    seed_base()
    school = Unit.objects.get(code="000.31.41.H29")
    clerk = User.objects.get(username="thuyltt")
    loi = Staff.objects.get(user__username="loipv")
    catalogue = {p.name: p for p in procedures.procedure_seed_defaults(actor=clerk, unit=school)}
    transfer = next(p for n, p in catalogue.items() if n.startswith("Chuyển trường"))

    def receive(name: str, assignee=None) -> Dossier:
        return services.dossier_receive(
            actor=clerk,
            unit=school,
            procedure=transfer,
            applicant={"applicant_name": name},
            provided_documents=[d["name"] for d in transfer.documents],
            assignee=assignee,
        )

    mine = receive("Phạm Thị Mai", assignee=loi)
    fresh = receive("Đỗ Văn Nam")
    overdue = receive("Ngô Thị Lan")
    Dossier.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - timedelta(days=2))

    # 9. The teacher the dossier was handed to finds it in "Việc của tôi" and passes it on.
    _log_in(page, live_server, "loipv")
    page.goto(f"{live_server.url}/quan-ly/viec-cua-toi/")
    page.locator("#my-dossiers").get_by_role("link", name=mine.code).click()
    page.get_by_label("Chuyển cho").select_option(label="Nguyễn Thị Thanh Trang (Hiệu trưởng)")
    page.get_by_label("Bước").select_option(label="Trình ký")
    assert page.locator("button[value=decide]").count() == 0  # deciding stays with the head
    page.get_by_role("button", name="Chuyển", exact=True).click()
    assert f"Đã chuyển hồ sơ {mine.code}." in page.get_by_role("status").inner_text()
    mine.refresh_from_db()
    assert mine.assignee.full_name == "Nguyễn Thị Thanh Trang"
    assert mine.events.last().receiver == "Nguyễn Thị Thanh Trang"

    # 10. The principal's queue: overdue on top and highlighted, then the nearest due.
    _log_in(page, live_server, "trangntt")
    page.goto(f"{live_server.url}/quan-ly/ho-so/")
    rows = page.locator("#queue tbody tr")
    assert overdue.code in rows.nth(0).inner_text()
    assert "row-overdue" in (rows.nth(0).get_attribute("class") or "")
    assert "Quá hạn" in rows.nth(0).inner_text()
    assert fresh.code in page.locator("#queue").inner_text()
    page.get_by_label("Người xử lý").select_option(label="Nguyễn Thị Thanh Trang")
    page.get_by_role("button", name="Lọc").click()
    codes = page.locator("#queue tbody").inner_text()
    assert mine.code in codes
    assert overdue.code not in codes
