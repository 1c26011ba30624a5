"""The plan printed back as an official document (Decree 30/2020 layout), DOCX and PDF.

The text follows the structure the importer recognises, so import -> export -> import gives the
same targets, tasks and assignments.
"""

from __future__ import annotations

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
from cchc.plans.models import Plan

__all__ = ["OfficialDocError", "filename", "plan_document", "plan_docx", "plan_file"]

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _bullet(line: str) -> str:
    return line if line.startswith(("-", "+", "•")) else f"- {line}"


def plan_document(plan: Plan) -> OfficialDocument:
    unit = plan.unit
    parent = unit.parent
    body: list[Paragraph | Table] = []
    for basis in plan.basis.all():
        body.append(Paragraph(basis.text, "body"))
    body.append(
        Paragraph(
            f"{unit.name} xây dựng Kế hoạch {plan.title[:1].lower()}{plan.title[1:]}, như sau:",
            "body",
        )
    )
    parts: list[tuple[str, list[Paragraph]]] = []
    purpose_part: list[Paragraph] = []
    if plan.purposes:
        purpose_part.append(Paragraph("1. Mục đích", "heading2"))
        purpose_part += [Paragraph(_bullet(line), "body") for line in _lines(plan.purposes)]
    if plan.requirements:
        purpose_part.append(Paragraph("2. Yêu cầu", "heading2"))
        purpose_part += [Paragraph(_bullet(line), "body") for line in _lines(plan.requirements)]
    if purpose_part:
        parts.append(("MỤC ĐÍCH, YÊU CẦU", purpose_part))
    targets = [Paragraph(f"{t.number}. {t.text}", "body") for t in plan.targets.all()]
    if targets:
        parts.append(("MỤC TIÊU", targets))
    tasks: list[Paragraph] = []
    for task in plan.tasks.select_related("parent").order_by("order"):
        if task.parent_id is None:
            tasks.append(Paragraph(f"{task.number}. {task.title}", "heading2"))
        else:
            tasks.append(Paragraph(f"{task.number}. {task.text or task.title}", "body"))
    if tasks:
        parts.append(("NHIỆM VỤ TRỌNG TÂM", tasks))
    people: list[Paragraph] = []
    for i, assignment in enumerate(plan.assignments.all(), start=1):
        who = " ".join(p for p in (assignment.honorific, assignment.name) if p)
        head = f"{i}. {who}, {assignment.title}" if assignment.title else f"{i}. {who}"
        people.append(Paragraph(head, "heading2"))
        people += [Paragraph(_bullet(duty), "body") for duty in assignment.duties]
    if people:
        parts.append(("TỔ CHỨC THỰC HIỆN", people))
    for roman, (title, paragraphs) in zip(_ROMAN, parts, strict=False):
        body.append(Paragraph(f"{roman}. {title}", "heading1"))
        body += paragraphs
    closing = plan.closing or (
        f"Trên đây là Kế hoạch {plan.title[:1].lower()}{plan.title[1:]} của {unit.name}./."
    )
    body.append(Paragraph(closing, "body"))
    title = plan.signer_title or (plan.signer.position if plan.signer else "Thủ trưởng đơn vị")
    return OfficialDocument(
        header=OfficialHeader(
            parent_body=parent.name.upper() if parent else "",
            issuer=unit.name.upper(),
            number=plan.number or None,
            symbol=plan.symbol or f"KH-{unit.symbol or 'DV'}",
            place=plan.place,
            date=plan.issued_on,
        ),
        doc_type="KẾ HOẠCH",
        summary=plan.title,
        body=body,
        signature=SignatureBlock(
            title=title.upper(),
            name=plan.signer_name or (plan.signer.full_name if plan.signer else ""),
        ),
        recipients=list(plan.recipients) or ["Viên chức;", "Lưu: VT."],
    )


def plan_docx(plan: Plan) -> bytes:
    return build_docx(plan_document(plan))


def plan_file(plan: Plan, fmt: str) -> tuple[bytes, str]:
    if fmt == "docx":
        return plan_docx(plan), DOCX_TYPE
    if fmt == "pdf":
        return docx_to_pdf(plan_docx(plan)), "application/pdf"
    raise OfficialDocError("Chỉ tải được định dạng docx hoặc pdf.")


def filename(plan: Plan, fmt: str) -> str:
    slug = ascii_slug(plan.title, max_length=60, fallback="ke-hoach")
    return f"ke-hoach-{plan.year}-{slug}.{fmt}"
