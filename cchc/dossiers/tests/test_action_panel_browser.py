"""Issue 18 part 5 in Chromium: the dossier's action panel works through htmx. A refused action
comes back in place with its message and the form still open, an accepted one updates the
status, the timeline and the offered actions, and the page is not reloaded; a bare confirmation
button reloads it as without JavaScript."""

from __future__ import annotations

import pytest

from cchc.organizations.demo import DEMO_PASSWORD, seed_base

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_action_panel_works_in_place(live_server, page) -> None:
    from cchc.accounts.models import User
    from cchc.dossiers import procedures, services
    from cchc.organizations.models import Unit

    seed_base()
    school = Unit.objects.get(code="000.31.41.H29")
    clerk = User.objects.get(username="thuyltt")
    catalogue = {p.name: p for p in procedures.procedure_seed_defaults(actor=clerk, unit=school)}
    transfer = next(p for n, p in catalogue.items() if n.startswith("Chuyển trường"))
    dossier = services.dossier_receive(
        actor=clerk,
        unit=school,
        procedure=transfer,
        applicant={"applicant_name": "Phạm Thị Mai"},
        provided_documents=[d["name"] for d in transfer.documents],
    )
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("trangntt")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/quan-ly/ho-so/{dossier.pk}/")
    page.evaluate("window.notReloaded = true")  # a full page load would forget it
    panel = page.locator("#dossier-panel")

    # Refusing without a written reason: a 422, shown in place, the form left open.
    page.get_by_text("Ghi nhận kết quả").click()
    page.get_by_label("Từ chối, có lý do").check()
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Lưu kết quả").click()
    assert posted.value.status == 422
    assert posted.value.request.headers.get("hx-request") == "true"
    error = panel.locator("#decision_note_error")
    assert "Từ chối phải có lý do bằng văn bản." in error.inner_text()
    assert page.locator("#decision").get_attribute("open") is not None

    # With the reason: the result is recorded and the panel offers the return, in place.
    page.get_by_label("Nội dung / lý do").fill("Học sinh không đủ điều kiện chuyển trường.")
    page.get_by_role("button", name="Lưu kết quả").click()
    panel.get_by_role("button", name="Đã trả kết quả cho người dân").wait_for()
    assert "Đã xử lý xong" in panel.inner_text()
    assert "Từ chối: Học sinh không đủ điều kiện" in panel.locator("#timeline").inner_text()
    assert page.get_by_role("button", name="Lưu kết quả").count() == 0

    assert page.evaluate("window.notReloaded") is True

    # A bare confirmation posts and reloads the page, as without JavaScript.
    with page.expect_navigation():
        panel.get_by_role("button", name="Đã trả kết quả cho người dân").click()
    assert "Đã trả kết quả" in page.locator("#timeline").inner_text()
    assert page.locator("#actions").count() == 0  # nothing left to do
    dossier.refresh_from_db()
    assert (dossier.status, dossier.result_kind) == ("returned", "refused")
