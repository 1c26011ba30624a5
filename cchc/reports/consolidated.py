"""The commune's consolidated reform report: every school below it side by side on the nine
plan targets, the totals, and the schools to follow up (no plan, overdue reports).

The figures are `kpi.selectors.rollup` (the same as the roll-up page); the total adds each
indicator's numerators and denominators over the schools, never an average of percentages.

The paper stays A4 portrait (Decree 30/2020): nine targets side by side do not fit across it, so
it prints one short summary table (a row per school: targets met, not met, not measured) and
then one table per target with a row per school and the total, each naming the target in full.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from openpyxl import Workbook

from cchc.core.official_docs import (
    OfficialDocument,
    OfficialHeader,
    Paragraph,
    SignatureBlock,
    Table,
)
from cchc.documents.services import place_of
from cchc.kpi import selectors
from cchc.kpi.registry import Period, definition_of
from cchc.organizations.models import Unit, UnitKind
from cchc.reports import builder
from cchc.reports.builder import ReportRequest, period_name
from cchc.reports.calendar import Window
from cchc.reports.selectors import overdue_reports


@dataclass(frozen=True)
class ConsolidatedData:
    unit: Unit
    period: Period
    window: Window
    year: int
    name: str
    rows: list[selectors.UnitRow]
    totals: list[selectors.Figure]
    overdue: dict[int, list[str]]
    difficulties: str
    proposals: str
    today: date
    number: int | None = None
    signature: SignatureBlock | None = None


def collect(req: ReportRequest) -> ConsolidatedData:
    name = period_name(req.period_text)
    window = req.resolved_window()
    today = req.today or timezone.localdate()
    period = builder.measured_period(window, today)
    children = Unit.objects.filter(parent=req.unit)
    if not children.exists():
        raise ValueError(f"{req.unit.name} không có đơn vị trực thuộc để tổng hợp.")
    rows, totals = selectors.rollup(children, period)
    late = overdue_reports(list(children), today)
    return ConsolidatedData(
        unit=req.unit,
        period=period,
        window=window,
        year=window.year,
        name=name,
        rows=rows,
        totals=totals,
        overdue={pk: [builder.period_name(d.period) for d in dues] for pk, dues in late.items()},
        difficulties=req.difficulties.strip(),
        proposals=req.proposals.strip(),
        today=today,
        number=req.number,
        signature=req.signature,
    )


def _bucket(figure: selectors.Figure) -> str:
    """Which summary column a target falls in, so a school's row accounts for every target:
    met, not met, not measured (the plan set a figure but there is none yet), or no quantitative
    goal (the plan sets no figure for it, or the school's plan has no target bound to it)."""
    if figure.status == "met":
        return "met"
    if figure.status in ("missed", "at_risk"):
        return "missed"
    if figure.status == "not_measurable":
        return "unmeasured"
    return "no_goal"  # "no_goal", or "" when no target of the school's plan is bound to it


def summary_counts(row: selectors.UnitRow) -> dict[str, int]:
    """The row's targets per summary column; the four always add up to the number of targets."""
    counts = dict.fromkeys(("met", "missed", "unmeasured", "no_goal"), 0)
    for figure in row.figures:
        counts[_bucket(figure)] += 1
    return counts


def _summary_rows(data: ConsolidatedData) -> list[list[str]]:
    """A row per school, in the roll-up's ranking: plan, then every target in one column."""
    rows = []
    for n, row in enumerate(data.rows, start=1):
        counts = summary_counts(row)
        rows.append(
            [
                str(n),
                row.unit.name,
                "Có" if row.has_plan else "Chưa có",
                str(counts["met"]),
                str(counts["missed"]),
                str(counts["unmeasured"]),
                str(counts["no_goal"]),
            ]
        )
    return rows


def _no_goal_notes(data: ConsolidatedData) -> list[Paragraph]:
    """Why a school's row counts targets without a quantitative goal: no plan for the year, a
    target the plan states without a figure, or a target the school's plan does not have."""
    notes = []
    for row in data.rows:
        if not row.has_plan:
            notes.append(
                Paragraph(
                    f"{row.unit.name}: chưa có kế hoạch CCHC năm {data.year}, nên cả "
                    f"{len(row.figures)} mục tiêu không có chỉ tiêu định lượng để đánh giá."
                )
            )
            continue
        without_figure = [
            str(i) for i, f in enumerate(row.figures, start=1) if f.status == "no_goal"
        ]
        not_in_plan = [str(i) for i, f in enumerate(row.figures, start=1) if f.status == ""]
        parts = []
        if without_figure:
            parts.append(
                "kế hoạch không đặt chỉ tiêu định lượng cho mục tiêu " + ", ".join(without_figure)
            )
        if not_in_plan:
            parts.append("kế hoạch của đơn vị không có mục tiêu " + ", ".join(not_in_plan))
        if parts:
            notes.append(Paragraph(f"{row.unit.name}: " + "; ".join(parts) + "."))
    return notes


def _target_tables(data: ConsolidatedData) -> list[Paragraph | Table]:
    """One table per target: the school's goal, result and rating, then the pooled total."""
    out: list[Paragraph | Table] = []
    for index, total in enumerate(data.totals):
        out.append(Paragraph(f"{index + 1}. {total.indicator.name}", "heading2"))
        rows = []
        for n, row in enumerate(data.rows, start=1):
            figure = row.figures[index]
            rows.append(
                [
                    str(n),
                    row.unit.name,
                    figure.goal or "Chưa có chỉ tiêu",
                    figure.measure.display(),
                    figure.status_label or "",
                ]
            )
        rows.append(["", "Tổng cộng các đơn vị", "", total.measure.display(), ""])
        out.append(Table(_TARGET_COLUMNS, rows, _TARGET_WIDTHS))
    return out


_TARGET_COLUMNS = ["TT", "Đơn vị", "Chỉ tiêu", "Kết quả", "Đánh giá"]
_TARGET_WIDTHS = [1.0, 5.9, 3.3, 3.4, 2.9]
_SUMMARY_COLUMNS = [
    "TT",
    "Đơn vị",
    "Kế hoạch năm",
    "Mục tiêu đạt",
    "Chưa đạt",
    "Chưa đo được",
    "Không có chỉ tiêu định lượng",
]
_SUMMARY_WIDTHS = [0.9, 5.0, 2.0, 1.8, 1.8, 2.1, 2.9]


def _follow_up(data: ConsolidatedData) -> list[Paragraph]:
    lines = []
    without_plan = [row.unit.name for row in data.rows if not row.has_plan]
    if without_plan:
        lines.append(
            Paragraph(
                f"Đơn vị chưa có kế hoạch CCHC năm {data.year}: " + ", ".join(without_plan) + "."
            )
        )
    for row in data.rows:
        late = data.overdue.get(row.unit.pk)
        if late:
            lines.append(Paragraph(f"{row.unit.name} chưa nộp báo cáo quá hạn: {', '.join(late)}."))
    if not lines:
        lines.append(Paragraph("Các đơn vị đều có kế hoạch và không có báo cáo quá hạn."))
    return lines


def report_document(data: ConsolidatedData) -> OfficialDocument:
    unit = data.unit
    count = len(data.rows)
    body: list[Paragraph | Table] = [
        Paragraph(
            f"{unit.name} tổng hợp kết quả thực hiện công tác cải cách hành chính {data.name} "
            f"của {count} đơn vị trực thuộc như sau:"
        ),
        Paragraph("I. KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU CỦA CÁC ĐƠN VỊ", "heading1"),
        Paragraph(builder.window_sentence(data.window, data.period)),
        Paragraph(
            f"Tổng hợp {count} đơn vị theo {len(data.totals)} mục tiêu của kế hoạch CCHC "
            "(xếp theo số mục tiêu đạt):"
        ),
        Table(_SUMMARY_COLUMNS, _summary_rows(data), _SUMMARY_WIDTHS),
        *_no_goal_notes(data),
        Paragraph(
            "Kết quả từng mục tiêu của các đơn vị; dòng tổng cộng cộng tử số và mẫu số của các "
            "đơn vị (không lấy trung bình các tỷ lệ):"
        ),
        *_target_tables(data),
        Paragraph("II. CÁC ĐƠN VỊ CẦN ĐÔN ĐỐC", "heading1"),
        *_follow_up(data),
        Paragraph("III. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ", "heading1"),
        Paragraph("1. Khó khăn, vướng mắc", "heading2"),
        Paragraph(data.difficulties or builder.BLANK_LINE),
        Paragraph("2. Đề xuất, kiến nghị", "heading2"),
        Paragraph(data.proposals or builder.BLANK_LINE),
        Paragraph(
            f"Trên đây là báo cáo tổng hợp kết quả thực hiện công tác cải cách hành chính "
            f"{data.name} của các đơn vị trực thuộc {unit.name}./."
        ),
    ]
    parent = unit.parent
    return OfficialDocument(
        header=OfficialHeader(
            parent_body=parent.name.upper() if parent else "",
            issuer=unit.name.upper(),
            number=str(data.number) if data.number else None,
            symbol=f"BC-{unit.symbol or 'DV'}",
            place=_place(unit),
            date=data.today,
        ),
        doc_type="BÁO CÁO",
        summary=(
            f"Tổng hợp kết quả thực hiện công tác cải cách hành chính {data.name} "
            "của các đơn vị trực thuộc"
        ),
        body=body,
        signature=data.signature or _signature(unit, data.year),
        recipients=builder.recipients(unit, units_below=True),
    )


def _place(unit: Unit) -> str:
    """A commune's place name is in its own name ("UBND xã Bình Hưng" → "Bình Hưng")."""
    found = re.search(r"(?i:xã|phường|thị trấn|đặc khu)\s+([^,]+)", unit.name)
    return found[1].strip() if unit.kind == UnitKind.COMMUNE and found else place_of(unit)


def _signature(unit: Unit, year: int) -> SignatureBlock:
    """A People's Committee is a collective body: its chair signs on its behalf ("TM. ỦY BAN
    NHÂN DÂN" / "CHỦ TỊCH", Decree 30/2020 Art. 13, domain.md); other units, their head. The
    name is the school report's: the unit's plan signer, else its head."""
    title, name = builder.signer_of(unit, builder._plan(unit, year))
    if unit.kind == UnitKind.COMMUNE:
        return SignatureBlock(authority="TM. ỦY BAN NHÂN DÂN", title="CHỦ TỊCH", name=name)
    return SignatureBlock(title=(title or "Thủ trưởng đơn vị").upper(), name=name)


def report_xlsx(data: ConsolidatedData) -> bytes:
    """One row per school and indicator with its parts, the total rows, and the definitions."""
    book = Workbook()
    book.remove(book.active)
    headers = ["Đơn vị", "Mã chỉ số", "Chỉ số", "Tỷ lệ (%)", "Tử số", "Mẫu số", "Kết quả"]
    rows = []
    for row in data.rows:
        for figure in row.figures:
            d = figure.as_dict()
            rows.append(
                [
                    row.unit.name,
                    d["code"],
                    d["name"],
                    d["value"],
                    d["numerator"],
                    d["denominator"],
                    d["display"],
                ]
            )
    for figure in data.totals:
        d = figure.as_dict()
        rows.append(
            [
                "Tổng cộng",
                d["code"],
                d["name"],
                d["value"],
                d["numerator"],
                d["denominator"],
                d["display"],
            ]
        )
    builder._sheet(book, "Tổng hợp", headers, rows)
    builder._sheet(
        book,
        "Cần đôn đốc",
        ["Đơn vị", "Có kế hoạch năm", "Báo cáo quá hạn"],
        [
            [
                row.unit.name,
                "Có" if row.has_plan else "Chưa",
                ", ".join(data.overdue.get(row.unit.pk, [])),
            ]
            for row in data.rows
        ],
    )
    builder._sheet(
        book,
        "Cách tính",
        ["Mục tiêu", "Mã", "Chỉ số", "Cách tính"],
        [
            [str(i), f.indicator.code, f.indicator.name, definition_of(f.indicator.code)]
            for i, f in enumerate(data.totals, start=1)
        ],
    )
    builder._sheet(
        book,
        "Khó khăn, đề xuất",
        ["Nội dung", "Ý kiến của đơn vị"],
        [["Khó khăn, vướng mắc", data.difficulties], ["Đề xuất, kiến nghị", data.proposals]],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(data: ConsolidatedData, fmt: str) -> str:
    return "tong-hop-" + builder.filename(data, fmt)  # type: ignore[arg-type]
