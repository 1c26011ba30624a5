"""The commune's consolidated reform report: every school below it side by side on the nine
plan targets, the totals, and the schools to follow up (no plan, overdue reports).

The figures are `kpi.selectors.rollup` (the same as the roll-up page); the total adds each
indicator's numerators and denominators over the schools, never an average of percentages.
"""

from __future__ import annotations

import io
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
from cchc.reports.selectors import overdue_reports


@dataclass(frozen=True)
class ConsolidatedData:
    unit: Unit
    period: Period
    name: str
    rows: list[selectors.UnitRow]
    totals: list[selectors.Figure]
    overdue: dict[int, list[str]]
    difficulties: str
    proposals: str
    today: date


def collect(req: ReportRequest) -> ConsolidatedData:
    name = period_name(req.period_text)
    period = req.period
    today = req.today or timezone.localdate()
    children = Unit.objects.filter(parent=req.unit)
    if not children.exists():
        raise ValueError(f"{req.unit.name} không có đơn vị trực thuộc để tổng hợp.")
    rows, totals = selectors.rollup(children, period)
    late = overdue_reports(list(children), today)
    return ConsolidatedData(
        unit=req.unit,
        period=period,
        name=name,
        rows=rows,
        totals=totals,
        overdue={pk: [builder.period_name(d.period) for d in dues] for pk, dues in late.items()},
        difficulties=req.difficulties.strip(),
        proposals=req.proposals.strip(),
        today=today,
    )


def _legend(data: ConsolidatedData) -> list[list[str]]:
    return [[f"MT{i}", f.indicator.name] for i, f in enumerate(data.totals, start=1)]


def _figure_rows(data: ConsolidatedData) -> list[list[str]]:
    rows = [
        [str(n), row.unit.name, *(f.measure.display() for f in row.figures)]
        for n, row in enumerate(data.rows, start=1)
    ]
    rows.append(["", "Tổng cộng", *(f.measure.display() for f in data.totals)])
    return rows


def _follow_up(data: ConsolidatedData) -> list[Paragraph]:
    lines = []
    without_plan = [row.unit.name for row in data.rows if not row.has_plan]
    if without_plan:
        lines.append(
            Paragraph(
                f"Đơn vị chưa có kế hoạch CCHC năm {data.period.start.year}: "
                + ", ".join(without_plan)
                + "."
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
        Paragraph(
            f"Số liệu từ {data.period.start:%d/%m/%Y} đến {data.period.end:%d/%m/%Y}, tính tự "
            "động từ hệ thống quản lý CCHC. Dòng tổng cộng cộng tử số và mẫu số của các đơn vị "
            "(không lấy trung bình các tỷ lệ)."
        ),
        Table(["Ký hiệu", "Mục tiêu (chỉ số đo)"], _legend(data), [2.0, 13.5]),
        Table(
            ["TT", "Đơn vị", *(f"MT{i}" for i in range(1, len(data.totals) + 1))],
            _figure_rows(data),
            [1.0, 3.4, *([11.1 / max(len(data.totals), 1)] * len(data.totals))],
        ),
        Paragraph("II. CÁC ĐƠN VỊ CẦN ĐÔN ĐỐC", "heading1"),
        *_follow_up(data),
        Paragraph("III. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ", "heading1"),
        Paragraph("1. Khó khăn, vướng mắc", "heading2"),
        Paragraph(data.difficulties or builder.PLACEHOLDER_DIFFICULTIES),
        Paragraph("2. Đề xuất, kiến nghị", "heading2"),
        Paragraph(data.proposals or builder.PLACEHOLDER_PROPOSALS),
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
            number=None,
            symbol=f"BC-{unit.symbol or 'DV'}",
            place=place_of(unit),
            date=data.today,
        ),
        doc_type="BÁO CÁO",
        summary=(
            f"Tổng hợp kết quả thực hiện công tác cải cách hành chính {data.name} "
            "của các đơn vị trực thuộc"
        ),
        body=body,
        signature=_signature(unit),
        recipients=[
            f"{parent.name} (để báo cáo);" if parent else "Cấp trên (để báo cáo);",
            "Các đơn vị trực thuộc;",
            "Lưu: VT.",
        ],
    )


def _signature(unit: Unit) -> SignatureBlock:
    """A People's Committee is a collective body: its chair signs on its behalf ("TM. ỦY BAN
    NHÂN DÂN" / "CHỦ TỊCH", Decree 30/2020 Art. 13, domain.md); other units, their head."""
    if unit.kind == UnitKind.COMMUNE:
        return SignatureBlock(authority="TM. ỦY BAN NHÂN DÂN", title="CHỦ TỊCH", name="")
    return SignatureBlock(title="THỦ TRƯỞNG ĐƠN VỊ", name="")


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
        ["Ký hiệu", "Mã", "Chỉ số", "Cách tính"],
        [
            [f"MT{i}", f.indicator.code, f.indicator.name, definition_of(f.indicator.code)]
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
