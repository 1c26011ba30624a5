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
from cchc.reports.builder import BLANK_LINE, ReportRequest, period_name, report_file
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
    # The empty section keeps a blank line to fill in Word, never a note to the writer.
    assert "Đơn vị bổ sung" not in text
    assert text.split("2. Đề xuất, kiến nghị\n", 1)[1].startswith(BLANK_LINE + "\n")
    # Q1 under the default calendar: the Decree 09/2019 cut-off window, stated on the paper.
    assert "Số liệu báo cáo tính từ ngày 15/12/2025 đến ngày 14/03/2026" in text
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
    said = io.StringIO()
    call_command(
        "report", "build", "--unit", school.code, "--period", "2026-Q2", "-o", str(out), stdout=said
    )
    # The half-year report replaces Q2 in the default calendar: the decree's window, said so.
    assert "số liệu từ 15/03/2026 đến 14/06/2026 (theo Nghị định 09/2019" in said.getvalue()
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


# ------------------------------------------------------------ the data window of a report


@pytest.mark.django_db
def test_a_quarter_report_covers_the_calendars_cut_off_window(school) -> None:
    """Báo cáo quý III counts what happened from 15/06 to 14/09 (Decree 09/2019 cut-off under the
    default calendar), not the calendar quarter: a task due on 20/09 is the next report's."""
    from cchc.reports.calendar import report_window

    plan = Plan.objects.create(unit=school, title="Kế hoạch CCHC 2026", year=2026)
    parent = Task.objects.create(plan=plan, number="1", title="Chỉ đạo điều hành")
    tasks = [
        (date(2026, 6, 10), date(2026, 6, 9)),  # before the window
        (date(2026, 9, 10), date(2026, 9, 8)),  # in it, on time
        (date(2026, 9, 20), date(2026, 9, 30)),  # after the cut-off, late
    ]
    for i, (due, done) in enumerate(tasks, start=1):
        Task.objects.create(
            plan=plan,
            parent=parent,
            order=i,
            number=f"1.{i}",
            title=f"Nhiệm vụ {i}",
            due_on=due,
            status=TaskStatus.DONE,
            completed_on=done,
        )
    window = report_window(school, "2026-Q3")
    assert (window.start, window.end, window.in_calendar) == (
        date(2026, 6, 15),
        date(2026, 9, 14),
        True,
    )

    content, _kind, _name = report_file(
        ReportRequest(school, "2026-Q3", today=date(2026, 9, 16)), "xlsx"
    )
    book = load_workbook(io.BytesIO(content))
    figures = {row[0]: row for row in book["Chỉ số"].iter_rows(min_row=2, values_only=True)}
    assert figures["task_on_time_rate"][3:5] == (1, 1)  # only the task due 10/09
    text, _tables = _docx_text(
        report_file(ReportRequest(school, "2026-Q3", today=date(2026, 9, 16)), "docx")[0]
    )
    assert "Số liệu báo cáo tính từ ngày 15/06/2026 đến ngày 14/09/2026" in text
    assert "theo lịch báo cáo định kỳ của đơn vị" in text


@pytest.mark.django_db
def test_a_commune_calendar_of_calendar_quarters_moves_the_window(commune, school) -> None:
    from cchc.reports.calendar import report_window
    from cchc.reports.models import ReportingRule

    ReportingRule.objects.create(
        unit=commune,
        slot="Q3",
        cutoff_from_month=7,
        cutoff_from_day=1,
        cutoff_to_month=9,
        cutoff_to_day=30,
    )
    window = report_window(school, "2026-Q3")
    assert (window.start, window.end) == (date(2026, 7, 1), date(2026, 9, 30))
    # A slot the calendar lacks takes the decree's window, flagged as outside the calendar.
    q2 = report_window(school, "2026-Q2")
    assert (q2.start, q2.end, q2.in_calendar) == (date(2026, 3, 15), date(2026, 6, 14), False)
    assert report_window(school, "2026").start == date(2025, 12, 15)


@pytest.mark.django_db
def test_the_form_offers_only_the_calendars_periods_and_refuses_others(school, principal) -> None:
    """The school's own calendar: Q3 as a calendar quarter and the year. The request form
    offers exactly those that have begun (with their windows), and a period outside the
    calendar is refused by the form, the service and the one-off download."""
    import re

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from cchc.reports import services
    from cchc.reports.models import ReportingRule

    for slot, start, end in (("Q3", (7, 1), (9, 30)), ("Y", (1, 1), (12, 31))):
        ReportingRule.objects.create(
            unit=school,
            slot=slot,
            cutoff_from_month=start[0],
            cutoff_from_day=start[1],
            cutoff_to_month=end[0],
            cutoff_to_day=end[1],
        )
    today = timezone.localdate()
    expected = set()
    for year in (today.year - 1, today.year, today.year + 1):
        if date(year, 7, 1) <= today:
            expected.add(f"{year}-Q3")
        if date(year, 1, 1) <= today:
            expected.add(str(year))

    page = client_for(principal).get(reverse("reports:index")).content.decode()
    form = page[page.index('id="report-request"') :]
    select = form[form.index('name="ky"') : form.index("</select>")]
    offered = re.findall(r'<option value="([^"]+)"', select)
    assert set(offered) == expected
    assert f"Quý III năm {today.year - 1} (01/07/{today.year - 1}–30/09/{today.year - 1})" in select

    refused = client_for(principal).post(
        reverse("reports:request"), {"ky": f"{today.year - 1}-Q2", "loai": "unit"}
    )
    assert refused.status_code == 422
    with pytest.raises(ValidationError, match="không có kỳ quý II"):
        services.report_request(actor=principal.user, unit=school, period=f"{today.year}-Q2")
    download = client_for(principal).get(
        reverse("reports:download") + f"?ky={today.year}-H1&dinh_dang=xlsx"
    )
    assert download.status_code == 400
    assert "không có kỳ 6 tháng đầu năm" in download.content.decode()
