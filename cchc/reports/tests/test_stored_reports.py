"""Stored reports built by the worker: request → database queue → `db_worker` → three files that
open; a failure recorded in Vietnamese; who may request and download; the commune's report."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from cchc.core.models import AuditEvent
from cchc.core.official_docs import build_docx
from cchc.reports import consolidated, services
from cchc.reports.builder import ReportRequest
from cchc.reports.models import Report, ReportKind, ReportStatus
from cchc.reports.tests.test_reports import _docx_text
from cchc.reports.tests.test_reports import plan as plan
from tests.fixtures import client_for


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db(transaction=True)
def test_requested_report_is_built_by_the_database_worker(settings, plan, school, principal):
    """The real path: the page's POST queues a job in the database, `db_worker --batch` runs it,
    and the stored DOCX carries the figures, the PDF is a PDF, the XLSX opens."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    response = client_for(principal).post(
        reverse("reports:request"),
        {"ky": "2026-Q1", "loai": "unit", "kho_khan": "Thiếu máy quét tài liệu.", "de_xuat": ""},
    )

    assert response.status_code == 302
    report = Report.objects.get()
    assert report.status == ReportStatus.BUILDING
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    page = client_for(principal).get(reverse("reports:index")).content.decode()
    assert "Đang lập" in page
    assert AuditEvent.objects.filter(verb="reports.request", object_id=str(report.pk)).exists()

    call_command("db_worker", "--batch", "--queue-name", "default", verbosity=0)

    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error
    assert report.built_at is not None
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    text, tables = _docx_text(report.docx.read())
    assert "Thiếu máy quét tài liệu." in text
    targets = next(t for t in tables if t[0][:2] == ["TT", "Mục tiêu"])
    assert {row[0]: row for row in targets[1:]}["2"][3] == "75% (3/4)"
    assert report.pdf.read().startswith(b"%PDF")
    book = load_workbook(io.BytesIO(report.xlsx.read()))
    figures = {r[0]: r for r in book["Chỉ số"].iter_rows(min_row=2, values_only=True)}
    assert figures["task_on_time_rate"][2:5] == (75.0, 3, 4)
    assert AuditEvent.objects.filter(verb="reports.build", object_id=str(report.pk)).exists()
    download = client_for(principal).get(reverse("reports:file", args=[report.pk, "docx"]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"


@pytest.mark.django_db
def test_a_failed_build_is_recorded_in_vietnamese(school, principal) -> None:
    """A report whose period cannot be reported (stored before validation existed, or edited in
    the admin) ends "failed" with the reason, and the page shows it."""
    report = Report.objects.create(unit=school, period="2026-13", requested_by=principal.user)

    services.report_build(report.pk)

    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.error.startswith("Không lập được báo cáo: Kỳ báo cáo «2026-13» không hợp lệ")
    assert not report.docx
    assert AuditEvent.objects.filter(verb="reports.build_failed").exists()
    page = client_for(principal).get(reverse("reports:index")).content.decode()
    assert "Lập không thành công" in page
    assert "không hợp lệ" in page
    pending = client_for(principal).get(reverse("reports:file", args=[report.pk, "pdf"]))
    assert pending.status_code == 409


@pytest.mark.django_db
def test_who_may_request_and_download(
    django_capture_on_commit_callbacks, school, principal, colleague, outsider, commune_officer
) -> None:
    url = reverse("reports:request")
    form = {"ky": "2026", "loai": "unit"}
    # Another school's unit: not visible at all → 404 with a clear message, nothing recorded.
    hidden = client_for(outsider).post(url, {**form, "don_vi": school.pk})
    assert hidden.status_code == 404
    assert "bạn không có quyền xem" in hidden.content.decode()
    # The commune reads the school but does not write its report → 403 saying so.
    above = client_for(commune_officer).post(url, {**form, "don_vi": school.pk})
    assert above.status_code == 403
    assert "báo cáo do lãnh đạo đơn vị đó lập" in above.content.decode()
    # A teacher reads reports but does not make them.
    assert client_for(colleague).post(url, form).status_code == 403
    # A period off the list is a form error, not a crash.
    bad = client_for(principal).post(url, {**form, "ky": "2026-Q9"})
    assert bad.status_code == 422
    assert Report.objects.count() == 0

    report = Report.objects.create(unit=school, period="2026", status=ReportStatus.READY)
    file_url = reverse("reports:file", args=[report.pk, "docx"])
    assert client_for(outsider).get(file_url).status_code == 404
    assert client_for(outsider).get(reverse("reports:file", args=[report.pk, "exe"])).status_code
    missing = client_for(commune_officer).get(file_url)  # visible, file gone: a Vietnamese 404
    assert missing.status_code == 404
    assert "Không tìm thấy tệp" in missing.content.decode()
    page = client_for(outsider).get(reverse("reports:index")).content.decode()
    assert school.name not in page


@pytest.mark.django_db
def test_a_second_request_while_building_returns_the_first(school, principal) -> None:
    first = services.report_request(actor=principal.user, unit=school, period="2026-q1")
    again = services.report_request(actor=principal.user, unit=school, period="2026-Q1")

    assert first.pk == again.pk
    assert first.period == "2026-Q1"
    assert first.symbol == f"BC-{school.symbol or 'DV'}"
    # The worker died: half an hour on the request shows as interrupted and may be made again.
    from datetime import timedelta

    from django.utils import timezone

    Report.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(minutes=31))
    page = client_for(principal).get(reverse("reports:index")).content.decode()
    assert "Bị gián đoạn" in page
    assert services.report_request(actor=principal.user, unit=school, period="2026-Q1") != first


@pytest.mark.django_db
def test_consolidated_report_puts_schools_side_by_side_with_pooled_totals(
    plan, commune, school, other_school, principal, outsider, commune_officer
) -> None:
    """Figures per school, and the total adding the parts: target 9 counts the staff in charge
    (one principal per school, none sending official mail): 0/1 and 0/1 → 0/2."""
    data = consolidated.collect(ReportRequest(commune, "2026-Q1"))
    content = build_docx(consolidated.report_document(data))
    text, tables = _docx_text(content)

    assert "Tổng hợp kết quả thực hiện công tác cải cách hành chính quý I năm 2026" in text
    assert "Số liệu báo cáo tính từ ngày 15/12/2025 đến ngày 14/03/2026" in text
    # Readable on A4 portrait: no table wider than seven columns (nine targets side by side
    # wrapped letter by letter); one table per target instead, after its heading.
    assert max(len(t[0]) for t in tables) <= 7
    blocks = _blocks(content)
    heading = "9. Tỷ lệ viên chức phụ trách sử dụng hệ thống thư điện tử công vụ"
    side = blocks[blocks.index(("p", heading)) + 1][1]
    assert side[0] == ["TT", "Đơn vị", "Chỉ tiêu", "Kết quả", "Đánh giá"]
    by_name = {row[1]: row for row in side[1:]}
    assert set(by_name) == {school.name, other_school.name, "Tổng cộng các đơn vị"}
    assert by_name[school.name][3] == "0% (0/1)"
    assert by_name[other_school.name][3] == "0% (0/1)"
    assert by_name["Tổng cộng các đơn vị"][3] == "0% (0/2)"
    summary = next(t for t in tables if t[0][:3] == ["TT", "Đơn vị", "Kế hoạch năm"])
    plans = {row[1]: row[2] for row in summary[1:]}
    assert plans == {school.name: "Có", other_school.name: "Chưa có"}
    signed = " ".join(cell for table in tables for row in table for cell in row)
    assert "TM. ỦY BAN NHÂN DÂN" in signed  # a collective body: its chair signs for it
    assert "CHỦ TỊCH" in signed
    assert f"{other_school.name}" in text  # without a plan: listed to follow up
    assert f"Đơn vị chưa có kế hoạch CCHC năm 2026: {other_school.name}." in text
    book = load_workbook(io.BytesIO(consolidated.report_xlsx(data)))
    rows = list(book["Tổng hợp"].iter_rows(min_row=2, values_only=True))
    assert "Đơn vị bổ sung" not in text
    assert {row[0] for row in rows} == {school.name, other_school.name, "Tổng cộng"}
    total = next(r for r in rows if r[0] == "Tổng cộng" and r[1] == "official_email_rate")
    assert total[4:6] == (0, 2)


@pytest.mark.django_db
def test_consolidated_summary_row_accounts_for_every_target(
    plan, commune, school, other_school
) -> None:
    """QA walk: "Tổng hợp 3 đơn vị theo 9 mục tiêu" with rows adding up to 8 and 6. Each row's
    columns add up to the number of targets the sentence states, and a school whose plan gives
    fewer targets (here none: no plan) is told why in a line under the table."""
    import re

    data = consolidated.collect(ReportRequest(commune, "2026-Q1"))
    text, tables = _docx_text(build_docx(consolidated.report_document(data)))

    stated = re.search(r"Tổng hợp (\d+) đơn vị theo (\d+) mục tiêu", text)
    assert stated is not None
    units, targets = int(stated[1]), int(stated[2])
    summary = next(t for t in tables if t[0][:3] == ["TT", "Đơn vị", "Kế hoạch năm"])
    assert summary[0][3:] == [
        "Mục tiêu đạt",
        "Chưa đạt",
        "Chưa đo được",
        "Không có chỉ tiêu định lượng",
    ]
    assert len(summary[1:]) == units == 2
    for row in summary[1:]:
        assert sum(int(cell) for cell in row[3:]) == targets == 9, row
    without_plan = {row[1]: row for row in summary[1:]}[other_school.name]
    assert without_plan[6] == "9"
    assert (
        f"{other_school.name}: chưa có kế hoạch CCHC năm 2026, nên cả 9 mục tiêu không có "
        "chỉ tiêu định lượng để đánh giá." in text
    )


@pytest.mark.django_db
def test_consolidated_report_names_its_recipient_and_the_chair_who_signs(
    commune, school, other_school
) -> None:
    """Decree 30 boxes 7 and 9 (QA walk: "Nơi nhận: Cấp trên" and no name under CHỦ TỊCH): the
    superior the commune reports to (the top of the unit tree: its city's People's Committee,
    from its address), the schools, the clerk's copy; the chair's full name under the title."""
    from cchc.organizations.services import staff_create

    commune.address = "Số 1 Quốc lộ 50, xã Thử nghiệm, Thành phố Hồ Chí Minh"
    commune.save(update_fields=["address"])
    staff_create(
        actor=None, unit=commune, full_name="Nguyễn Văn Hùng", position="Phó Chủ tịch UBND xã"
    )
    staff_create(actor=None, unit=commune, full_name="Trần Minh Chánh", position="Chủ tịch UBND xã")

    document = consolidated.report_document(consolidated.collect(ReportRequest(commune, "2026")))

    assert document.recipients == [
        "Ủy ban nhân dân Thành phố Hồ Chí Minh (để báo cáo);",
        "Các đơn vị trực thuộc;",
        "Lưu: VT.",
    ]
    assert document.signature.authority == "TM. ỦY BAN NHÂN DÂN"
    assert document.signature.title == "CHỦ TỊCH"
    assert document.signature.name == "Trần Minh Chánh"
    text, tables = _docx_text(build_docx(document))
    cells = " ".join(cell for table in tables for row in table for cell in row)
    assert "Cấp trên" not in text + cells
    assert "Trần Minh Chánh" in cells


def _blocks(content: bytes) -> list[tuple[str, object]]:
    """The body in order: ("p", text) for a paragraph, ("t", rows of cell texts) for a table."""
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    document = Document(io.BytesIO(content))
    out: list[tuple[str, object]] = []
    for element in document.element.body.iterchildren():
        if element.tag.endswith("}p"):
            out.append(("p", DocxParagraph(element, document).text))
        elif element.tag.endswith("}tbl"):
            table = DocxTable(element, document)
            out.append(("t", [[cell.text for cell in row.cells] for row in table.rows]))
    return out


@pytest.mark.django_db
def test_consolidated_pdf_reads_whole_words_on_a4_portrait(
    tmp_path, plan, commune, school, other_school
) -> None:
    """The PDF as LibreOffice prints it: every school name and target name on one line, not
    broken letter by letter, on A4 portrait pages."""
    from cchc.core.official_docs import docx_to_pdf
    from cchc.dossiers.tests.paper_reading import pdf_info, require_tools, run_tool

    require_tools()
    data = consolidated.collect(ReportRequest(commune, "2026-Q1"))
    pdf = docx_to_pdf(build_docx(consolidated.report_document(data)))
    path = tmp_path / "tong-hop.pdf"
    path.write_bytes(pdf)
    layout = run_tool("pdftotext", "-layout", str(path), "-")

    assert pdf_info(path)[1] == (595, 842)  # A4 portrait
    lines = layout.splitlines()
    for name in (school.name, other_school.name, "Tổng cộng các đơn vị"):
        assert sum(name in line for line in lines) >= 9, name  # one row in each target table
    for figure in data.totals:
        words = figure.indicator.name.split()[:5]
        assert any(" ".join(words) in " ".join(line.split()) for line in lines), words


@pytest.mark.django_db
def test_consolidated_report_needs_schools_below(school, principal) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="không có đơn vị trực thuộc"):
        services.report_request(
            actor=principal.user, unit=school, period="2026", kind=ReportKind.CONSOLIDATED
        )


@pytest.mark.django_db
def test_a_report_computes_each_indicator_once(school) -> None:
    """Inside `memoized` (as `collect` runs) the 766 index reuses a figure already read; outside
    it every call reads the database again (pages stay fresh)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cchc.kpi import registry
    from cchc.organizations.models import Unit

    units, period = Unit.objects.filter(pk=school.pk), registry.Period.parse("2026")
    with registry.memoized():
        first = registry.measure("dossier_on_time_rate", units, period)
        with CaptureQueriesContext(connection) as again:
            assert registry.measure("dossier_on_time_rate", units, period) == first
    with CaptureQueriesContext(connection) as fresh:
        registry.measure("dossier_on_time_rate", units, period)

    assert len(again) == 0
    assert len(fresh) > 0
