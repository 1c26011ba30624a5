"""Periodic reports: the figures read back from the DOCX and XLSX, the CLI, the page's scope."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from cchc.kpi.assessments import Entry, assessment_save, assessment_start
from cchc.plans.models import Plan, Target, Task, TaskStatus
from cchc.reports.builder import ReportRequest, period_name, report_file
from tests.fixtures import client_for


@pytest.fixture
def plan(school, principal):
    """Target 1 bound to the self-assessment, target 2 to the plan's own tasks (3 of 4 on time
    in Q1 = 75%, goal 100% → not met), and four tasks."""
    plan = Plan.objects.create(
        unit=school,
        title="Thực hiện công tác cải cách hành chính năm 2026",
        year=2026,
        number="15",
        symbol="KH-THCS",
        issued_on=date(2026, 1, 23),
        place="Bình Hưng",
        signer_title="Hiệu trưởng",
        signer_name="Nguyễn Thị Thanh Trang",
    )
    Target.objects.create(
        plan=plan,
        order=1,
        number="1",
        text="Chỉ số CCHC đạt loại Tốt trở lên",
        comparator=">=",
        value_label="Tốt",
        kpi_code="cchc_self_score",
    )
    Target.objects.create(
        plan=plan,
        order=2,
        number="2",
        text="Nhiệm vụ kế hoạch hoàn thành đúng hạn 100%",
        comparator="=",
        value=Decimal(100),
        unit_label="%",
        kpi_code="task_on_time_rate",
    )
    parent = Task.objects.create(plan=plan, number="1", title="Chỉ đạo điều hành")
    for i, day in enumerate([2, 9, 10, 20], start=1):
        Task.objects.create(
            plan=plan,
            parent=parent,
            order=i,
            number=f"1.{i}",
            title=f"=Nhiệm vụ {i}",
            due_on=date(2026, 3, 10),
            status=TaskStatus.DONE,
            completed_on=date(2026, 3, day),
        )
    return plan


def _docx_text(content: bytes) -> tuple[str, list[list[list[str]]]]:
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
    ]
    return text, tables


@pytest.mark.parametrize(
    ("text", "name"),
    [("2026-Q1", "quý I năm 2026"), ("2026-h1", "6 tháng đầu năm 2026"), ("2026", "năm 2026")],
)
def test_period_names(text, name) -> None:
    assert period_name(text) == name


@pytest.mark.parametrize("text", ["2026-11", "2026-Q5", "quý 1"])
def test_a_report_is_by_quarter_half_or_year(text) -> None:
    with pytest.raises(ValueError, match="không"):
        period_name(text)


@pytest.mark.django_db
def test_docx_carries_the_figures_of_the_period(plan, school, principal) -> None:
    started = assessment_start(actor=principal.user, unit=school, year=2026)
    entries = {code: Entry("0", "") for code in ("1.1", "1.3", "1.4", "2.3", "2.4")}
    assessment_save(actor=principal.user, assessment=started, entries=entries, revision=None)

    content, kind, name = report_file(
        ReportRequest(school, "2026-Q1", difficulties="Thiếu máy quét tài liệu."), "docx"
    )

    assert kind.endswith("wordprocessingml.document")
    assert name.endswith(".docx")
    text, tables = _docx_text(content)
    assert "BÁO CÁO" in text
    assert "Kết quả thực hiện công tác cải cách hành chính quý I năm 2026" in text
    assert "Kế hoạch số 15/KH-THCS ngày 23/01/2026" in text
    assert "Thiếu máy quét tài liệu." in text
    assert "(Đơn vị bổ sung đề xuất, kiến nghị với cấp trên.)" in text  # left to complete
    assert "Chỉ số 766 (Quyết định 766/QĐ-TTg): kỳ này chưa có số liệu để tính." in text
    targets = next(t for t in tables if t[0][:2] == ["TT", "Mục tiêu"])
    rows = {row[0]: row for row in targets[1:]}
    # 3 of 4 tasks due in Q1 done on time.
    assert rows["2"][3] == "75% (3/4)"
    assert rows["2"][4] in ("Không đạt", "Có nguy cơ không đạt")
    # Only a formula criterion with data scores (task_on_time_rate 75% → 2 of 6), the manual
    # ones were scored 0: 2 of the applicable maximum → Yếu.
    assert rows["1"][3] == "Yếu"
    tasks = next(t for t in tables if t[0][:2] == ["Số", "Nhiệm vụ"])
    assert tasks[4][:2] == ["1.4", "=Nhiệm vụ 4"]
    assert tasks[4][4] == "Hoàn thành 20/03/2026 (trễ hạn)"


@pytest.mark.django_db
def test_xlsx_annex_keeps_user_text_as_text(plan, school) -> None:
    content, _kind, _name = report_file(
        ReportRequest(school, "2026-Q1", proposals='=HYPERLINK("http://x")'), "xlsx"
    )

    book = load_workbook(io.BytesIO(content))
    figures = {row[0]: row for row in book["Chỉ số"].iter_rows(min_row=2, values_only=True)}
    assert figures["task_on_time_rate"][2:5] == (75.0, 3, 4)
    tasks = list(book["Nhiệm vụ"].iter_rows(min_row=2, values_only=True))
    assert tasks[0][1] == "=Nhiệm vụ 1"
    cell = book["Khó khăn, đề xuất"]["B3"]
    assert cell.value == '=HYPERLINK("http://x")'
    assert cell.data_type == "s"


@pytest.mark.django_db
def test_cli_builds_each_format_and_refuses_bad_input(plan, school, tmp_path) -> None:
    out = tmp_path / "bc.xlsx"
    call_command(
        "report",
        "build",
        "--unit",
        school.code,
        "--period",
        "2026-H1",
        "--format",
        "xlsx",
        "-o",
        str(out),
    )
    assert out.read_bytes()[:2] == b"PK"
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command(
            "report",
            "build",
            "--unit",
            school.code,
            "--period",
            "2026-13",
            "--format",
            "docx",
            "-o",
            str(out),
        )
    with pytest.raises(CommandError, match="Không có đơn vị"):
        call_command("report", "build", "--unit", "x", "--period", "2026", "-o", str(out))
    with pytest.raises(CommandError, match="docx, pdf hoặc xlsx"):
        call_command(
            "report",
            "build",
            "--unit",
            school.code,
            "--period",
            "2026",
            "--format",
            "odt",
            "-o",
            str(out),
        )


@pytest.mark.django_db
def test_school_downloads_its_own_commune_any_below_outsider_none(
    plan, school, principal, outsider, commune_officer
) -> None:
    url = reverse("reports:download")
    mine = client_for(principal).get(url + "?ky=2026-Q1&dinh_dang=docx")
    assert mine.status_code == 200
    assert "attachment" in mine["Content-Disposition"]
    officer = client_for(commune_officer).get(url + f"?don_vi={school.pk}&ky=2026&dinh_dang=xlsx")
    assert officer.status_code == 200
    assert client_for(outsider).get(url + f"?don_vi={school.pk}&ky=2026").status_code == 404
    bad = client_for(principal).get(url + "?ky=2026-Q9")
    assert bad.status_code == 400
    assert "không" in bad.content.decode()
    page = client_for(commune_officer).get(reverse("reports:index")).content.decode()
    assert school.name in page
    assert school.name not in client_for(outsider).get(reverse("reports:index")).content.decode()


@pytest.mark.django_db
def test_pdf_is_converted_by_libreoffice(plan, school) -> None:
    from cchc.core.official_docs import libreoffice_available

    assert libreoffice_available(), "LibreOffice is required (make test installs it)"
    content, kind, _name = report_file(ReportRequest(school, "2026"), "pdf")

    assert kind == "application/pdf"
    assert content.startswith(b"%PDF")
