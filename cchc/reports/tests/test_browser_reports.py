"""In Chromium: the principal asks for a report, sees it "Đang lập", the database worker builds
it, the page updates itself and the Word file downloads and opens; then he opens the report and
submits it for issue (both of its own sections written), which approves it in the register."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from docx import Document

from cchc.organizations.demo import DEMO_PASSWORD, seed_base

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_principal_requests_and_downloads_a_report(live_server, page, settings, tmp_path) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_base()

    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("trangntt")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/quan-ly/tong-quan/")
    page.goto(f"{live_server.url}/quan-ly/bao-cao/")
    form = page.locator("#report-request")
    form.get_by_label("Kỳ báo cáo").select_option("2026-Q1")
    form.get_by_label("Khó khăn, vướng mắc").fill("Đường truyền Internet chập chờn.")
    form.get_by_role("button", name="Lập báo cáo").click()

    row = page.locator("#reports-list tbody tr").first
    assert "Đang lập" in row.inner_text()
    call_command("db_worker", "--batch", "--queue-name", "default", verbosity=0)
    page.locator("#reports-list a", has_text="Word").first.wait_for(timeout=20_000)
    assert "Đã lập xong" in page.locator("#reports-list").inner_text()

    with page.expect_download() as download:
        page.locator("#reports-list a", has_text="Word").first.click()
    path = download.value.path()
    text = "\n".join(p.text for p in Document(io.BytesIO(path.read_bytes())).paragraphs)
    assert "Đường truyền Internet chập chờn." in text
    assert download.value.suggested_filename.endswith(".docx")

    page.locator("#reports-list a", has_text="Quý I/2026").first.click()
    assert "Từ ngày 15/12/2025 đến ngày 14/03/2026" in page.locator("main").inner_text()
    issue = page.locator("#report-issue")
    issue.get_by_label("Đề xuất, kiến nghị").fill("Đề nghị hỗ trợ 01 máy quét tài liệu.")
    issue.get_by_role("button", name="Trình ban hành").click()
    assert "Đã trình ban hành: đã duyệt" in page.locator("#issue-state").inner_text()
