"""The proposal as an official paper (Decree 30/2020/NĐ-CP layout via `cchc.core.official_docs`):
a "tờ trình" from the school to the commune's People's Committee with the findings per part,
the legal ground of each proposal, and the compliance-cost table before/after with the saving.
PDF through the shared converter (`docx_to_pdf`)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from cchc.accounts.models import Role
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
from cchc.dossiers.deadlines import VN
from cchc.organizations.models import Staff
from cchc.simplification import costing
from cchc.simplification.models import Review, Scenario
from cchc.simplification.services import review_saving

__all__ = ["OfficialDocError", "cost_rows", "filename", "review_document", "review_file"]

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _place(unit: Any) -> str:
    parent = unit.parent.name if unit.parent_id else ""
    for prefix in ("Ủy ban nhân dân xã ", "Ủy ban nhân dân phường ", "UBND xã ", "UBND phường "):
        if parent.startswith(prefix):
            return parent[len(prefix) :]
    return ""


def cost_rows(review: Review) -> list[list[str]]:
    """The cost table: one row per figure, before / after / saving (shown on the page too);
    "—" for "after" and the saving while the proposal has no cost lines yet."""
    result = review_saving(review)
    b, a = result.before, result.after
    rows: list[tuple[str, Decimal | int, Decimal | int, Callable[[Any], str]]] = [
        ("Thời gian người dân bỏ ra (giờ/hồ sơ)", b.hours, a.hours, costing.hours_text),
        ("Chi phí thời gian (giờ × thu nhập/giờ)", b.time_vnd, a.time_vnd, costing.vnd),
        ("Phí, lệ phí", b.fee_vnd, a.fee_vnd, costing.vnd),
        ("Chi phí khác (đi lại, sao chụp…)", b.other_vnd, a.other_vnd, costing.vnd),
        ("Chi phí tuân thủ 01 hồ sơ", b.per_dossier_vnd, a.per_dossier_vnd, costing.vnd),
        (
            f"Chi phí tuân thủ/năm ({review.yearly_volume} hồ sơ)",
            b.per_year_vnd,
            a.per_year_vnd,
            costing.vnd,
        ),
    ]
    return [
        [
            label,
            show(before),
            show(after) if a.lines else "—",
            show(before - after) if result.complete else "—",
        ]
        for label, before, after, show in rows
    ]


def _signer(review: Review) -> str:
    staff = (
        Staff.objects.filter(
            unit=review.unit, is_active=True, role_assignments__role=Role.PRINCIPAL
        )
        .order_by("pk")
        .first()
    )
    return staff.full_name if staff else ""


def review_document(review: Review) -> OfficialDocument:
    unit, procedure = review.unit, review.procedure
    result = review_saving(review)
    body: list[Paragraph | Table] = [
        Paragraph(
            "Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ về kiểm soát thủ tục "
            "hành chính (được sửa đổi, bổ sung); Thông tư số 07/2014/TT-BTP ngày 24/02/2014 của "
            "Bộ Tư pháp hướng dẫn việc đánh giá tác động của thủ tục hành chính và rà soát, đánh "
            f"giá thủ tục hành chính; thực hiện nhiệm vụ 3.5 Kế hoạch cải cách hành chính năm "
            f"{review.year} của đơn vị,"
        ),
        Paragraph(
            f"{unit.name} đã rà soát thủ tục “{procedure.name}” và kính trình phương án đơn giản "
            "hóa như sau:"
        ),
        Paragraph("I. NỘI DUNG RÀ SOÁT VÀ PHƯƠNG ÁN ĐƠN GIẢN HÓA", "heading1"),
    ]
    number = 0
    for finding in review.findings.all():
        if not (finding.finding or finding.proposal):
            continue
        number += 1
        body.append(Paragraph(f"{number}. {finding.get_part_display()}", "heading2"))
        body.append(Paragraph(f"- Quy định hiện hành: {finding.current}"))
        if finding.finding:
            body.append(Paragraph(f"- Kết quả rà soát: {finding.finding}"))
        if finding.proposal:
            body.append(Paragraph(f"- Phương án đơn giản hóa: {finding.proposal}"))
            body.append(Paragraph(f"- Căn cứ pháp lý: {finding.legal_ground}"))
    body += [
        Paragraph("II. CHI PHÍ TUÂN THỦ TRƯỚC VÀ SAU ĐƠN GIẢN HÓA", "heading1"),
        Paragraph(
            "Chi phí tuân thủ 01 hồ sơ = Σ (thời gian thực hiện từng công việc × thu nhập bình "
            f"quân 01 giờ làm việc, {costing.vnd(review.wage_per_hour_vnd)}) + phí, lệ phí + chi "
            f"phí khác; chi phí/năm = chi phí 01 hồ sơ × số hồ sơ/năm ({review.volume_basis})."
        ),
        Table(
            columns=["Nội dung", "Trước", "Sau", "Tiết kiệm"],
            rows=cost_rows(review),
            widths_cm=[6.5, 3.2, 3.2, 3.1],
        ),
        Paragraph(
            f"Chi phí tuân thủ tiết kiệm được: {costing.vnd(result.per_year_vnd)}/năm, tương "
            f"ứng {costing.percent(result.percent)} so với hiện hành."
            if result.complete
            else "Chưa tính được phần tiết kiệm: phương án chưa có chi phí sau đơn giản hóa."
        ),
    ]
    for scenario, label in Scenario.choices:
        lines = [x for x in review.cost_lines.all() if x.scenario == scenario]
        if not lines:
            continue
        body.append(Paragraph(f"Chi tiết {label.lower()}:", "italic"))
        body.append(
            Table(
                columns=["Công việc", "Giờ", "Phí, lệ phí", "Chi phí khác"],
                rows=[
                    [
                        x.activity,
                        costing.hours_text(x.hours),
                        costing.vnd(x.fee_vnd),
                        costing.vnd(x.other_vnd),
                    ]
                    for x in lines
                ],
                widths_cm=[8, 2, 3, 3],
            )
        )
    if review.effective_on:
        body.append(Paragraph(f"Đề nghị áp dụng từ ngày {review.effective_on:%d/%m/%Y}."))
    body.append(
        Paragraph(
            f"Kính trình Ủy ban nhân dân xã xem xét, chấp thuận phương án đơn giản hóa thủ tục "
            f"“{procedure.name}”./."
        )
    )
    signed_on = review.approved_at.astimezone(VN).date() if review.approved_at else None
    return OfficialDocument(
        header=OfficialHeader(
            parent_body=unit.parent.name.upper() if unit.parent is not None else "",
            issuer=unit.name.upper(),
            number=None,
            symbol=f"TTr-{unit.symbol or 'DV'}",
            place=_place(unit),
            date=signed_on,
        ),
        doc_type="TỜ TRÌNH",
        summary=f"Về phương án đơn giản hóa thủ tục hành chính “{procedure.name}”",
        body=body,
        kinh_gui=[unit.parent.name] if unit.parent is not None else [],
        signature=SignatureBlock(
            title="HIỆU TRƯỞNG",
            name=_signer(review),
            note="" if review.approved_at else "(Dự thảo)",
        ),
        recipients=["Như trên;", "Lưu: VT."],
    )


def review_file(review: Review, fmt: str) -> tuple[bytes, str]:
    if fmt == "docx":
        return build_docx(review_document(review)), DOCX_TYPE
    if fmt == "pdf":
        return docx_to_pdf(build_docx(review_document(review))), "application/pdf"
    raise OfficialDocError("Chỉ tải được định dạng docx hoặc pdf.")


def filename(review: Review, fmt: str) -> str:
    slug = ascii_slug(review.procedure.name, max_length=50, fallback="thu-tuc").lower()
    return f"phuong-an-don-gian-hoa-{review.year}-{slug}.{fmt}"
