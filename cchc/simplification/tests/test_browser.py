"""End to end in Chromium: the principal opens a review, is stopped by a proposal without legal
ground, completes it, approves it and reads the saving; the public page at phone width."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from cchc.organizations.demo import DEMO_PASSWORD, seed_base

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_principal_reviews_and_approves(live_server, page) -> None:
    from cchc.accounts.models import User
    from cchc.dossiers import procedures
    from cchc.dossiers import services as dossier_services
    from cchc.dossiers.deadlines import VN
    from cchc.organizations.models import Unit
    from cchc.simplification import services
    from cchc.simplification.models import Review

    seed_base()
    school = Unit.objects.get(code="000.31.41.H29")
    loaded = procedures.procedure_seed_defaults(actor=None, unit=school)
    procedure = next(p for p in loaded if p.name.startswith("Chuyển trường"))
    clerk = User.objects.get(username="thuyltt")
    for day in (9, 10):
        dossier_services.dossier_receive(
            actor=clerk,
            unit=school,
            procedure=procedure,
            applicant={"applicant_name": "Trần Văn Bình"},
            provided_documents=[d["name"] for d in procedure.documents],
            received_at=datetime(2026, 11, day, 8, 30, tzinfo=VN),
        )

    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("trangntt")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/quan-ly/tong-quan/")
    page.get_by_role("link", name="Đơn giản hóa TTHC").first.click()
    page.get_by_label("Thủ tục").select_option(label=procedure.name)
    page.get_by_label("Thu nhập bình quân 01 giờ làm việc (đồng)").fill("25000")
    page.get_by_role("button", name="Lập phiếu").click()
    page.wait_for_selector("#cost-table")
    assert "2 hồ sơ tiếp nhận trong hệ thống" in page.locator("main").inner_text()

    documents = page.locator("#finding-documents")
    documents.get_by_label("Phương án đơn giản hóa").fill("Không yêu cầu bản sao giấy khai sinh.")
    documents.get_by_role("button", name="Lưu").click()
    error = page.locator("#finding-documents .error-message").inner_text()
    assert "phải nêu căn cứ pháp lý" in error
    documents = page.locator("#finding-documents")
    documents.get_by_label("Căn cứ pháp lý").fill("Nghị định số 45/2020/NĐ-CP.")
    documents.get_by_role("button", name="Lưu").click()
    page.wait_for_selector("text=Đã lưu nội dung rà soát.")

    cost = page.locator("#cost-form")
    cost.get_by_label("Phương án").select_option(label="Sau đơn giản hóa")
    cost.get_by_label("Công việc người dân phải làm").fill("Nộp hồ sơ trực tuyến")
    cost.get_by_label("Thời gian (giờ)").fill("0.5")
    cost.get_by_role("button", name="Thêm dòng chi phí").click()
    page.wait_for_selector("text=Đã thêm dòng chi phí.")

    effective = timezone.localdate() + timedelta(days=7)
    page.locator("#review-form").get_by_label("Ngày dự kiến áp dụng").fill(effective.isoformat())
    page.locator("#review-form").get_by_role("button", name="Lưu thông tin chung").click()
    page.wait_for_selector("text=Đã lưu thông tin chung.")
    page.get_by_role("button", name="Duyệt phiếu rà soát").click()
    page.wait_for_selector("text=Đã cập nhật trạng thái phiếu rà soát.")

    review = Review.objects.get()
    assert review.status == "approved"
    saving = services.review_saving(review)
    table = page.locator("#cost-table").inner_text()
    assert services.costing.vnd(saving.per_year_vnd) in table
    assert "Hiệu trưởng đã duyệt" in page.locator("#review-status").inner_text()

    page.context.clear_cookies()
    page.set_viewport_size({"width": 360, "height": 740})
    public = f"{live_server.url}/thu-tuc/{procedure.pk}/"
    page.goto(public)
    assert page.locator("#simplifications").count() == 0  # published only once accepted
    principal, officer = User.objects.get(username="trangntt"), User.objects.get(username="tuanpm")
    for actor, action in ((principal, "submit"), (officer, "accept")):
        services.review_act(actor=actor, review=review, action=action, expected_version=None)
    page.goto(public)
    shown = page.locator("#simplifications").inner_text()
    assert f"Áp dụng từ ngày {effective:%d/%m/%Y}" in shown
    assert "Không yêu cầu bản sao giấy khai sinh." in shown
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
