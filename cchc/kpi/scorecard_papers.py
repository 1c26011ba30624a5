"""The year-end summary of one person (DOCX/PDF, Decree 30/2020 layout) and the unit's ranked
list (XLSX), for the emulation and rewards council (thi đua, khen thưởng; seed plan)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from cchc.core.official_docs import (
    OfficialDocument,
    OfficialHeader,
    Paragraph,
    SignatureBlock,
    Table,
    build_docx,
    docx_to_pdf,
)
from cchc.core.spreadsheets import append_row, workbook_bytes
from cchc.core.text import ascii_slug
from cchc.kpi.scorecards import (
    ACTIVITY_DEFINITION,
    ACTIVITY_LABEL,
    NO_DATA,
    RANKING_RULE,
    Scorecard,
    period_label,
    rate_text,
    rules,
)
from cchc.kpi.templatetags.scorecard_format import tenth
from cchc.organizations.models import Unit
from cchc.plans.models import Plan

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PLACEHOLDER_OPINION = "(Hội đồng Thi đua – Khen thưởng của đơn vị ghi ý kiến đề nghị.)"


def _slug(text: str) -> str:
    return ascii_slug(text, max_length=40, fallback="ca-nhan").lower()


def filename(card: Scorecard, fmt: str) -> str:
    period = card.period
    return (
        f"ket-qua-cchc-{period.start:%Y%m%d}-{period.end:%Y%m%d}-{_slug(card.staff.full_name)}"
        f".{fmt}"
    )


def _score(value: Decimal | None) -> str:
    """One decimal, as the circular rounds it: "1,0", "5,7"; NO_DATA without data."""
    return tenth(value)


def scorecard_document(card: Scorecard, *, today: date) -> OfficialDocument:
    """The person's summary: identity, the official indices, dossiers, tasks, activities, and
    the council's opinion left to write."""
    staff, unit = card.staff, card.staff.unit
    name = period_label(card.period)
    official = card.official
    index_rows = [
        [
            str(i.number),
            i.title,
            str(i.count),
            str(i.total),
            _score(i.score),
        ]
        for i in official.indices
    ]
    total_line = (
        f"Tổng điểm: {_score(official.score)}/{official.max_points} điểm của các chỉ số có dữ "
        f"liệu (tối đa 10). Mức hoàn thành: {official.reading}."
        if official.score is not None
        else f"Không có hồ sơ được chấm điểm trong kỳ ({NO_DATA.lower()})."
    )
    body: list[Paragraph | Table] = [
        Paragraph(
            f"Tổng hợp kết quả thực hiện nhiệm vụ cải cách hành chính {name} "
            f"(từ {card.period.start:%d/%m/%Y} đến {card.period.end:%d/%m/%Y}) của viên chức "
            f"{staff.full_name}, {staff.position or 'viên chức'}, {unit.name}, tính tự động từ "
            "hệ thống quản lý CCHC của đơn vị, làm căn cứ xét thi đua, khen thưởng."
        ),
        Paragraph("I. CHẤM ĐIỂM GIẢI QUYẾT TTHC (THÔNG TƯ 01/2018/TT-VPCP)", "heading1"),
        Paragraph(rules()["rule"]),
        Table(
            ["Chỉ số", "Nội dung", "Số hồ sơ chấm", "Tổng điểm", "Điểm chỉ số"],
            index_rows,
            [1.3, 7.2, 2.3, 2.0, 2.2],
        ),
        Paragraph(total_line),
        *[Paragraph(note) for note in card.notes],
        Paragraph("II. HỒ SƠ TTHC VÀ NHIỆM VỤ KẾ HOẠCH", "heading1"),
        Table(
            ["Nội dung", "Đúng hạn / tổng số"],
            [
                ["Hồ sơ TTHC được giao xử lý", rate_text(card.dossiers)],
                ["Nhiệm vụ kế hoạch CCHC chủ trì", rate_text(card.tasks)],
            ],
            [9.0, 6.0],
        ),
        Paragraph("III. HOẠT ĐỘNG CẢI CÁCH HÀNH CHÍNH", "heading1"),
        Table(
            ["Hoạt động", "Số lượng"],
            [
                ["Tham gia hoạt động của kế hoạch CCHC", str(card.activities.plan_activities)],
                ["Văn bản soạn thảo đã phát hành", str(card.activities.documents_released)],
                ["Văn bản đến chủ trì giải quyết xong", str(card.activities.incoming_done)],
                ["Thao tác ghi nhận trên hệ thống", str(card.activities.audit_actions)],
                [f"{ACTIVITY_LABEL} (dùng để xếp hạng)", str(card.activities.reform_count)],
            ],
            [11.0, 4.0],
        ),
        Paragraph(ACTIVITY_DEFINITION),
        Paragraph(f"Xếp hạng trong đơn vị: {card.rank or 'không xếp hạng'}. {RANKING_RULE}"),
        Paragraph("IV. Ý KIẾN ĐỀ NGHỊ THI ĐUA, KHEN THƯỞNG", "heading1"),
        Paragraph(PLACEHOLDER_OPINION),
    ]
    plan = Plan.objects.filter(unit=unit, year=card.period.start.year).order_by("-pk").first()
    title = (plan.signer_title if plan else "") or "Thủ trưởng đơn vị"
    signer = (plan.signer_name if plan else "") or (
        plan.signer.full_name if plan and plan.signer else ""
    )
    parent: Unit | None = unit.parent
    return OfficialDocument(
        header=OfficialHeader(
            parent_body=parent.name.upper() if parent else "",
            issuer=unit.name.upper(),
            number=None,
            symbol=f"BC-{unit.symbol or 'DV'}",
            place=(plan.place if plan else "") or "",
            date=today,
        ),
        doc_type="BÁO CÁO",
        summary=f"Kết quả thực hiện nhiệm vụ cải cách hành chính {name} của {staff.full_name}",
        body=body,
        signature=SignatureBlock(title=title.upper(), name=signer),
        recipients=["Cá nhân được đánh giá;", "Hội đồng Thi đua – Khen thưởng;", "Lưu: VT."],
    )


def scorecard_paper(card: Scorecard, fmt: str, *, today: date) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the summary as DOCX or PDF; ValueError (Vietnamese)
    for another format, OfficialDocError when the PDF converter fails."""
    if fmt not in ("docx", "pdf"):
        raise ValueError("Định dạng phải là docx hoặc pdf.")
    docx = build_docx(scorecard_document(card, today=today))
    if fmt == "docx":
        return docx, DOCX_TYPE, filename(card, fmt)
    return docx_to_pdf(docx), "application/pdf", filename(card, fmt)


RANKED_COLUMNS = [
    "Hạng",
    "Họ và tên",
    "Chức vụ",
    "Điểm TT 01/2018",
    "Điểm tối đa có dữ liệu",
    "Mức hoàn thành",
    "Hồ sơ đúng hạn",
    "Hồ sơ được giao",
    "Tỷ lệ hồ sơ đúng hạn",
    "Nhiệm vụ đúng hạn",
    "Nhiệm vụ đến hạn",
    "Tỷ lệ nhiệm vụ đúng hạn",
    ACTIVITY_LABEL,
    "Hoạt động kế hoạch",
    "Văn bản đã phát hành",
    "Văn bản đến giải quyết xong",
    "Thao tác trên hệ thống",
]


def ranked_xlsx(unit: Unit, cards: list[Scorecard]) -> bytes:
    """The unit's ranked list; every name and title written as text (never a formula)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Xếp hạng"
    period = cards[0].period if cards else None
    append_row(sheet, [f"Kết quả CCHC của viên chức — {unit.name}"])
    append_row(sheet, [period_label(period) if period else "", RANKING_RULE, ACTIVITY_DEFINITION])
    append_row(sheet, RANKED_COLUMNS)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for card in cards:
        score = card.official.score
        append_row(
            sheet,
            [
                card.rank,
                card.staff.full_name,
                card.staff.position,
                NO_DATA if score is None else float(score),
                card.official.max_points,
                card.official.reading,
                int(card.dossiers.numerator),
                int(card.dossiers.denominator),
                _rate(card.dossiers.value),
                int(card.tasks.numerator),
                int(card.tasks.denominator),
                _rate(card.tasks.value),
                card.activities.reform_count,
                card.activities.plan_activities,
                card.activities.documents_released,
                card.activities.incoming_done,
                card.activities.audit_actions,
            ],
        )
    return workbook_bytes(book)


def _rate(value: object) -> float | str:
    return NO_DATA if value is None else round(float(value), 2)  # type: ignore[arg-type]
