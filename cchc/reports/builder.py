"""Periodic reform reports (quarter, half-year, year) in the Decree 30/2020 layout, and the XLSX
annex of the same figures.

The figures come only from `kpi.selectors.unit_figures` (one source for the dashboard and the
paper), the plan's tasks from the plan, the 766 index and the self-assessment from the kpi app.
The figures cover the data window of the period in the unit's reporting calendar
(`calendar.report_window`: e.g. 15/06–14/09 for quý III under Decree 09/2019), and the paper says
which, in dd/mm/yyyy.

"Difficulties and proposals" are the unit's own words, typed on the page. Left empty, the paper
keeps a blank dotted line under each heading to fill in Word: never a note to the writer that
could go out printed. A report is only issued through the system with both filled in
(`issuing.report_submit`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

from cchc.core.official_docs import (
    OfficialDocError,
    OfficialDocument,
    OfficialHeader,
    Paragraph,
    SignatureBlock,
    Table,
    build_docx,
    docx_to_pdf,
)
from cchc.core.text import ascii_slug
from cchc.documents.services import place_of
from cchc.kpi import index766, registry, selectors
from cchc.kpi.models import Assessment
from cchc.kpi.registry import Period
from cchc.kpi.templatetags.kpi_format import diem
from cchc.organizations.models import Unit
from cchc.organizations.selectors import superior_name, unit_head
from cchc.plans.models import Plan, TaskStatus
from cchc.reports import calendar

__all__ = ["OfficialDocError", "ReportRequest", "report_file"]

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("docx", "pdf", "xlsx")
_ROMAN_QUARTER = {1: "I", 2: "II", 3: "III", 4: "IV"}
# The blank of a section the unit has not written yet: a dotted line, as on any form to fill in.
BLANK_LINE = "…" * 30
_REPORT_PERIOD = re.compile(r"(?P<year>\d{4})(?:-(?P<kind>Q|H)(?P<number>\d))?")


@dataclass(frozen=True)
class ReportRequest:
    """What to report: a unit, a reporting period (2026-Q1, 2026-H1, 2026) and its own text."""

    unit: Unit
    period_text: str
    difficulties: str = ""
    proposals: str = ""
    today: date | None = None
    window: calendar.Window | None = None
    # Set when the report is issued: the number, the date of issue and who signs.
    number: int | None = None
    signature: SignatureBlock | None = None

    def resolved_window(self) -> calendar.Window:
        return self.window or calendar.report_window(self.unit, self.period_text)


def measured_period(window: calendar.Window, today: date) -> Period:
    """The window up to today: a report made before the cut-off counts what exists so far."""
    return Period(window.start, min(window.end, max(today, window.start)))


def window_sentence(window: calendar.Window, period: Period) -> str:
    """The paper's statement of the data it covers, dd/mm/yyyy, and where the window comes from."""
    basis = (
        "thời gian chốt số liệu của kỳ báo cáo theo lịch báo cáo định kỳ của đơn vị"
        if window.in_calendar
        else "thời gian chốt số liệu của kỳ báo cáo theo Nghị định 09/2019/NĐ-CP"
    )
    text = f"Số liệu báo cáo tính từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y}"
    if period.end < window.end:
        return (
            f"{text} (ngày lập báo cáo; {basis} là đến ngày {window.end:%d/%m/%Y}), "
            "lấy tự động từ hệ thống quản lý CCHC."
        )
    return f"{text} ({basis}), lấy tự động từ hệ thống quản lý CCHC."


def period_name(text: str) -> str:
    """ "quý I năm 2026", "6 tháng đầu năm 2026", "năm 2026"; ValueError (Vietnamese) else.

    Reports are by quarter, half-year or year (the reporting regime), never by month.
    """
    match = _REPORT_PERIOD.fullmatch(text.strip().upper())
    if match is None:
        raise ValueError(
            f"Kỳ báo cáo «{text}» không hợp lệ: dùng 2026-Q1…Q4, 2026-H1, 2026-H2 hoặc 2026."
        )
    Period.parse(text)  # the same range checks as everywhere
    year, kind, number = match["year"], match["kind"], int(match["number"] or 0)
    if kind == "Q":
        return f"quý {_ROMAN_QUARTER[number]} năm {year}"
    if kind == "H":
        return f"6 tháng {'đầu' if number == 1 else 'cuối'} năm {year}"
    return f"năm {year}"


_ANY_PERIOD = re.compile(r"(?P<year>\d{4})(?:-(?P<kind>Q|H|)(?P<number>\d{1,2}))?")


def period_label(text: str) -> str:
    """A period code as a heading or a table names it: "2026-Q3" → "Quý III/2026", "2026-10" →
    "Tháng 10/2026", "2026" → "Năm 2026", "2026-H1" → "6 tháng đầu năm 2026"; the code itself
    when it is none of these (QA walk: the lists showed the raw "2026-Q3")."""
    match = _ANY_PERIOD.fullmatch(text.strip().upper())
    if match is None:
        return text
    year, kind, number = match["year"], match["kind"], int(match["number"] or 0)
    if kind is None:
        return f"Năm {year}"
    if kind == "Q" and number in _ROMAN_QUARTER:
        return f"Quý {_ROMAN_QUARTER[number]}/{year}"
    if kind == "H" and number in (1, 2):
        return f"6 tháng {'đầu' if number == 1 else 'cuối'} năm {year}"
    if kind == "" and 1 <= number <= 12:
        return f"Tháng {number}/{year}"
    return text


def recipients(unit: Unit, *, units_below: bool = False) -> list[str]:
    """ "Nơi nhận" of a report (Decree 30/2020, Appendix I): the superior it reports to, the
    units below for a consolidated one, and the clerk's copy ("Lưu: VT.") last."""
    superior = superior_name(unit)
    return (
        ([f"{superior} (để báo cáo);"] if superior else [])
        + (["Các đơn vị trực thuộc;"] if units_below else [])
        + ["Lưu: VT."]
    )


def signer_of(unit: Unit, plan: Plan | None) -> tuple[str, str]:
    """(title, full name) under the signature of a draft report: the plan's signer, as the plan
    names them, else the unit's head; the issued paper carries whoever signs it."""
    title = plan.signer_title if plan else ""
    name = (plan.signer_name or (plan.signer.full_name if plan.signer else "")) if plan else ""
    if not name:
        head = unit_head(unit)
        if head is not None:
            name, title = head.full_name, title or head.position
    return title, name


def _plan(unit: Unit, year: int) -> Plan | None:
    return Plan.objects.filter(unit=unit, year=year).order_by("-pk").first()


def _plan_reference(plan: Plan) -> str:
    number = f"số {plan.number}/{plan.symbol}" if plan.number and plan.symbol else ""
    day = f" ngày {plan.issued_on:%d/%m/%Y}" if plan.issued_on else ""
    return f"Kế hoạch {number}{day}".replace("  ", " ").strip()


def _target_rows(plan: Plan | None, figures: list[selectors.Figure]) -> list[list[str]]:
    """One row per plan target, in the plan's order, with the goal as the plan words it; without
    a plan, the nine target indicators without goals."""
    by_code = {f.indicator.code: f for f in figures}
    if plan is not None and plan.targets.exists():
        rows = []
        for target in plan.targets.all():
            figure = by_code.get(target.kpi_code)
            rows.append(
                [
                    target.number,
                    target.text,
                    target.goal_display,
                    figure.measure.display() if figure else "Chưa gắn chỉ số",
                    (figure.status_label if figure else "") or "Chưa đo được",
                ]
            )
        return rows
    rows = []
    for number, code in enumerate(selectors.TARGET_CODES, start=1):
        figure = by_code.get(code)
        if figure is not None:
            rows.append([str(number), figure.indicator.name, "", figure.measure.display(), ""])
    return rows


def _task_rows(plan: Plan | None, period: Period) -> list[list[str]]:
    if plan is None:
        return []
    rows = []
    tasks = plan.tasks.filter(parent__isnull=False).select_related("owner").order_by("order", "pk")
    for task in tasks:
        due = f"{task.due_on:%d/%m/%Y}" if task.due_on else "Thường xuyên"
        if task.status == TaskStatus.DONE and task.completed_on:
            result = f"Hoàn thành {task.completed_on:%d/%m/%Y}"
            if task.due_on and task.completed_on > task.due_on:
                result += " (trễ hạn)"
        else:
            result = task.get_status_display()
            if task.due_on and task.due_on <= period.end and task.status != TaskStatus.CANCELLED:
                result += " (đã đến hạn)"
        owner = task.owner.full_name if task.owner else ""
        rows.append([task.number, task.title, owner, due, result])
    return rows


@dataclass(frozen=True)
class ReportData:
    unit: Unit
    period: Period
    window: calendar.Window
    year: int
    name: str
    plan: Plan | None
    figures: list[selectors.Figure]
    targets: list[list[str]]
    tasks: list[list[str]]
    index: index766.Index766
    assessment: Assessment | None
    difficulties: str
    proposals: str
    today: date
    number: int | None = None
    signature: SignatureBlock | None = None


def collect(req: ReportRequest) -> ReportData:
    name = period_name(req.period_text)  # first: a month is refused as a report period
    window = req.resolved_window()
    today = req.today or timezone.localdate()
    period = measured_period(window, today)
    with registry.memoized():  # the 766 index reuses the figures, never recomputes them
        return _collect(req, name, window, period, today)


def _collect(
    req: ReportRequest, name: str, window: calendar.Window, period: Period, today: date
) -> ReportData:
    figures = selectors.unit_figures(req.unit, period, today=today)
    plan = _plan(req.unit, window.year)
    return ReportData(
        unit=req.unit,
        period=period,
        window=window,
        year=window.year,
        name=name,
        plan=plan,
        figures=figures,
        targets=_target_rows(plan, figures),
        tasks=_task_rows(plan, period),
        index=index766.compute(req.unit, period),
        assessment=Assessment.objects.filter(unit=req.unit, year=window.year).first(),
        difficulties=req.difficulties.strip(),
        proposals=req.proposals.strip(),
        today=today,
        number=req.number,
        signature=req.signature,
    )


def _index_line(data: ReportData) -> str:
    index = data.index
    if index.total is None:
        return "Chỉ số 766 (Quyết định 766/QĐ-TTg): kỳ này chưa có số liệu để tính."
    return (
        f"Chỉ số 766 (Quyết định 766/QĐ-TTg), quy đổi thang 100: {diem(index.total)} điểm"
        f"{f', xếp loại {index.rating}' if index.rating else ''} ({index.rescale_text()})."
    )


def _assessment_line(data: ReportData) -> str:
    found = data.assessment
    if found is None:
        return f"Tự đánh giá Chỉ số CCHC năm {data.year}: đơn vị chưa tự đánh giá."
    return (
        f"Tự đánh giá Chỉ số CCHC năm {found.year}: {diem(found.points)}/{diem(found.max_points)} "
        f"điểm, xếp loại {found.rating or 'chưa xếp loại'} ({found.get_status_display().lower()})."
    )


def report_document(data: ReportData) -> OfficialDocument:
    unit = data.unit
    plan = data.plan
    intro = (
        f"Thực hiện {_plan_reference(plan)} về thực hiện công tác cải cách hành "
        f"chính năm {data.year}, "
        if plan is not None
        else ""
    )
    intro += (
        f"{unit.name} báo cáo kết quả thực hiện công tác cải cách hành chính {data.name} như sau:"
    )
    body: list[Paragraph | Table] = [Paragraph(intro[:1].upper() + intro[1:])]
    body.append(Paragraph("I. KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU", "heading1"))
    body.append(Paragraph(window_sentence(data.window, data.period)))
    if data.targets:
        body.append(
            Table(
                ["TT", "Mục tiêu", "Chỉ tiêu", "Kết quả", "Đánh giá"],
                data.targets,
                [1.0, 6.0, 2.6, 3.4, 2.5],
            )
        )
    body.append(Paragraph(_index_line(data)))
    body.append(Paragraph(_assessment_line(data)))
    body.append(Paragraph("II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ", "heading1"))
    if data.tasks:
        body.append(
            Table(
                ["Số", "Nhiệm vụ", "Người phụ trách", "Thời hạn", "Kết quả"],
                data.tasks,
                [1.2, 6.0, 3.0, 2.3, 3.0],
            )
        )
    else:
        body.append(Paragraph("Đơn vị chưa có kế hoạch CCHC của năm trong hệ thống."))
    body.append(Paragraph("III. CÁC CHỈ SỐ KHÁC", "heading1"))
    others = [
        [f.indicator.name, f.measure.display()]
        for f in data.figures
        if not f.target_number and f.indicator.code not in selectors.TARGET_CODES
    ]
    body.append(Table(["Chỉ số", "Kết quả"], others, [10.0, 5.5]))
    body.append(Paragraph("IV. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ", "heading1"))
    body.append(Paragraph("1. Khó khăn, vướng mắc", "heading2"))
    body.append(Paragraph(data.difficulties or BLANK_LINE))
    body.append(Paragraph("2. Đề xuất, kiến nghị", "heading2"))
    body.append(Paragraph(data.proposals or BLANK_LINE))
    body.append(
        Paragraph(
            f"Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính {data.name} "
            f"của {unit.name}./."
        )
    )
    parent = unit.parent
    title, name = signer_of(unit, plan)
    title = title or "Thủ trưởng đơn vị"
    return OfficialDocument(
        header=OfficialHeader(
            parent_body=parent.name.upper() if parent else "",
            issuer=unit.name.upper(),
            number=str(data.number) if data.number else None,
            symbol=f"BC-{unit.symbol or 'DV'}",
            place=(plan.place if plan else "") or place_of(unit),
            date=data.today,
        ),
        doc_type="BÁO CÁO",
        summary=f"Kết quả thực hiện công tác cải cách hành chính {data.name}",
        body=body,
        signature=data.signature or SignatureBlock(title=title.upper(), name=name),
        recipients=recipients(unit),
    )


def _text(sheet: Any, row: int, column: int, value: Any) -> None:
    """Write a cell; text stays text (a leading "=" never becomes a formula)."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = TYPE_STRING


def _sheet(book: Workbook, title: str, headers: list[str], rows: list[list[Any]]) -> None:
    sheet = book.create_sheet(title)
    for column, header in enumerate(headers, start=1):
        _text(sheet, 1, column, header)
        sheet.cell(row=1, column=column).font = Font(bold=True)
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            _text(sheet, r, c, value)


def report_xlsx(data: ReportData) -> bytes:
    """The annex: every indicator with its parts and definition, targets, tasks, the 766 index."""
    book = Workbook()
    book.remove(book.active)
    _sheet(
        book,
        "Chỉ số",
        [
            "Mã",
            "Chỉ số",
            "Tỷ lệ (%)",
            "Tử số",
            "Mẫu số",
            "Kết quả",
            "Mục tiêu",
            "Chỉ tiêu",
            "Đánh giá",
            "Cách tính",
        ],
        [
            [
                d["code"],
                d["name"],
                d["value"],
                d["numerator"],
                d["denominator"],
                d["display"],
                d["target"] or "",
                d["goal"] or "",
                d["status_label"] or "",
                d["definition"],
            ]
            for d in (f.as_dict() for f in data.figures)
        ],
    )
    _sheet(book, "Mục tiêu", ["TT", "Mục tiêu", "Chỉ tiêu", "Kết quả", "Đánh giá"], data.targets)
    _sheet(
        book, "Nhiệm vụ", ["Số", "Nhiệm vụ", "Người phụ trách", "Thời hạn", "Kết quả"], data.tasks
    )
    _sheet(
        book,
        "Chỉ số 766",
        ["Nhóm", "Chỉ số", "Tên", "Điểm tối đa", "Kết quả", "Ngưỡng (%)", "Điểm", "Ghi chú"],
        [
            [
                g.code,
                i.code,
                i.title,
                float(i.max_points),
                i.measure.display() if i.measure else "",
                float(i.target) if i.target is not None else "",
                float(i.points) if i.counted and i.points is not None else index766.NOT_COUNTED,
                i.status_label,
            ]
            for g in data.index.groups
            for i in g.items
        ]
        + [["", "", "Tổng quy đổi thang 100", "", data.index.rescale_text(), "", "", ""]],
    )
    _sheet(
        book,
        "Khó khăn, đề xuất",
        ["Nội dung", "Ý kiến của đơn vị"],
        [["Khó khăn, vướng mắc", data.difficulties], ["Đề xuất, kiến nghị", data.proposals]],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(data: ReportData, fmt: str) -> str:
    slug = ascii_slug(data.unit.short_name or data.unit.name, max_length=40, fallback="don-vi")
    slug = slug.lower()
    return f"bao-cao-cchc-{data.period.start:%Y%m%d}-{data.period.end:%Y%m%d}-{slug}.{fmt}"


def report_file(req: ReportRequest, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the report in `fmt`; ValueError/OfficialDocError
    with a Vietnamese message on a bad period or format."""
    if fmt not in FORMATS:
        raise ValueError("Định dạng phải là docx, pdf hoặc xlsx.")
    data = collect(req)
    if fmt == "xlsx":
        return report_xlsx(data), XLSX_TYPE, filename(data, fmt)
    docx = build_docx(report_document(data))
    if fmt == "docx":
        return docx, DOCX_TYPE, filename(data, fmt)
    return docx_to_pdf(docx), "application/pdf", filename(data, fmt)
