"""The parser: :func:`parse_plan` finds header, title, body and ending and puts them together.

It decides where each block starts and ends, hands the blocks to :mod:`.header`,
:mod:`.lines` and :mod:`.extract`, and adds the warnings and ``recognised`` counts the review
page shows.
"""

from __future__ import annotations

import re

from cchc.plans.parsing.extract import read_body
from cchc.plans.parsing.figures import extract_references
from cchc.plans.parsing.header import (
    DATE_WORDS,
    Header,
    document_kind,
    ending_start,
    is_header_like,
    is_header_line,
    parse_ending,
    parse_header,
    title_block,
    title_match,
    unit_from_title,
    unit_name,
)
from cchc.plans.parsing.lines import (
    Line,
    build_tree,
    classify,
    find_wrap_width,
    group_paragraphs,
    read_lines,
)
from cchc.plans.parsing.reading import PlanParseError, clean_text, fold
from cchc.plans.parsing.types import Basis, ParsedPlan
from cchc.plans.parsing.unflatten import restore_lines

__all__ = ["NOT_A_PLAN", "parse_plan"]


NOT_A_PLAN = (
    "Không nhận ra cấu trúc kế hoạch: không có tiêu đề 'KẾ HOẠCH' và không có mục đánh số La Mã."
)


def _body_start(lines: list[Line], start: int) -> int | None:
    for index in range(start, len(lines)):
        para = classify(lines[index].text)
        if para and para.kind == "part":
            return index
    for index in range(start, len(lines)):
        para = classify(lines[index].text)
        if (
            para
            and para.kind == "item"
            and para.rank == 1
            and not fold(para.text).startswith("can cu")
        ):
            return index
    return None


def _sentence_case(text: str) -> str:
    lowered = text.lower()
    return lowered[:1].upper() + lowered[1:]


def parse_plan(text: str) -> ParsedPlan:
    """Recognise a plan's structure; raise :class:`PlanParseError` only if it is no plan at all."""
    text = restore_lines(clean_text(text))
    if not text.strip():
        raise PlanParseError("Tệp rỗng.")
    lines = read_lines(text)
    if not lines:
        raise PlanParseError("Tệp rỗng.")
    warnings: list[str] = []
    first_part = next(
        (i for i, ln in enumerate(lines) if (p := classify(ln.text)) and p.kind == "part"), None
    )
    search_end = first_part if first_part is not None else len(lines)
    title_index = next(
        (i for i in range(min(search_end, 80)) if title_match(lines[i]) is not None), None
    )
    if title_index is None:
        other = document_kind(lines[:search_end])
        if other:
            raise PlanParseError(
                f"Văn bản này là {other}, không phải kế hoạch (không có tiêu đề 'KẾ HOẠCH')."
            )
        if first_part is None:
            raise PlanParseError(NOT_A_PLAN)
        warnings.append("Không thấy tiêu đề 'KẾ HOẠCH'; đọc theo các mục đánh số La Mã.")

    plan = ParsedPlan()
    if title_index is not None:
        header_lines = lines[:title_index]
        plan.title, after_title = title_block(lines, title_index, search_end)
        # A pasted page may print the header after the title.
        while (
            after_title < search_end
            and not classify(lines[after_title].text)
            and (
                is_header_line(lines[after_title].text)
                or (lines[after_title].text.isupper() and len(lines[after_title].text) <= 100)
            )
        ):
            header_lines = [*header_lines, lines[after_title]]
            after_title += 1
    else:
        count = 0
        while (
            count < search_end
            and is_header_like(lines[count])
            and not fold(lines[count].text).startswith(_BASIS_OPENERS)
            and len(lines[count].text) <= 200
        ):
            count += 1
        header_lines, after_title = lines[:count], count
        plan.title, header_lines = _title_among_header(header_lines)
        if plan.title:
            warnings.append(
                f"Không thấy dòng “KẾ HOẠCH”; lấy “{plan.title[:80]}” làm trích yếu: hãy kiểm tra."
            )
    body_start = _body_start(lines, after_title)
    if body_start is None:
        raise PlanParseError(
            "Không nhận ra cấu trúc kế hoạch: có tiêu đề 'KẾ HOẠCH' nhưng không có mục nào được "
            "đánh số (I., 1., 1.1.)."
        )
    body_end = max(ending_start(lines, body_start), body_start)

    header = parse_header(header_lines, warnings)
    wrap_width = find_wrap_width(lines)
    _read_preamble(plan, lines[after_title:body_start], wrap_width)
    plan.sections = build_tree(group_paragraphs(lines[body_start:body_end], wrap_width), warnings)
    ending = parse_ending(lines[body_end:], warnings)
    _fill_header(plan, header, warnings)
    read_body(plan, warnings)
    plan.closing = "\n".join(ending.closing)
    plan.recipients = ending.recipients
    plan.signature_lines = ending.signature
    plan.signer = ending.signer
    if ending.signature:
        plan.signer_title = _sentence_case(ending.signature[-1])
    _report(plan, header, warnings)
    plan.warnings = warnings
    return plan


def _title_among_header(header_lines: list[Line]) -> tuple[str, list[Line]]:
    """A plan whose "KẾ HOẠCH" line was lost (some legal sites drop it): the upper-case line
    after the place-and-date line is its subject ("CẢI CÁCH HÀNH CHÍNH … NĂM 2026")."""
    dated = next((i for i, ln in enumerate(header_lines) if DATE_WORDS.search(ln.text)), None)
    if dated is None:
        return "", header_lines
    for index in range(dated + 1, len(header_lines)):
        text = header_lines[index].text
        if text.isupper() and not is_header_line(text) and re.search(r"\d{4}|\s", text):
            rest = header_lines[:index] + header_lines[index + 1 :]
            return text, rest
    return "", header_lines


# "Thực hiện Kế hoạch số 158/KH-UBND …; … ban hành Kế hoạch …": a basis too when it cites.
_BASIS_OPENERS = ("can cu", "thuc hien", "trien khai")
# A news item about the plan: "Ngày 18 tháng 7 năm 2025 Uỷ ban nhân dân xã … đã ban hành …".
_NEWS_SENTENCE = re.compile(
    r"^(?i:ngày)\s+(?P<d>\d{1,2})\s+(?i:tháng)\s+(?P<m>\d{1,2})\s+(?i:năm)\s+(?P<y>\d{4}),?\s+"
    r"(?P<issuer>(?:Ủy|Uỷ|UBND|Trường|Sở|Phòng|Văn phòng)\b.{3,80}?)\s+(?:đã\s+)?(?:ký\s+)?ban hành"
)


def _read_preamble(plan: ParsedPlan, lines: list[Line], wrap_width: int | None) -> None:
    introduction: list[str] = []
    for para in group_paragraphs(lines, wrap_width):
        text = para.text.strip()
        folded = fold(text)
        references = extract_references(text) if folded.startswith(_BASIS_OPENERS) else []
        if folded.startswith("can cu") or references:
            plan.basis.append(Basis(text.rstrip(" ;,"), references, para.line))
        elif text:
            introduction.append(text)
    plan.introduction = "\n".join(introduction)


def _fill_header(plan: ParsedPlan, header: Header, warnings: list[str]) -> None:
    plan.number, plan.symbol = header.number, header.symbol
    plan.place, plan.date = header.place, header.date
    if header.bodies:
        plan.issuer = header.bodies[-1]
        plan.parent_body = header.bodies[0] if len(header.bodies) > 1 else ""
    news = _NEWS_SENTENCE.match(plan.introduction)
    if news and (plan.date is None or not plan.issuer):
        from cchc.plans.parsing.figures import make_date

        plan.date = plan.date or make_date(*news.group("d", "m", "y"))
        plan.issuer = plan.issuer or news.group("issuer").strip()
        header.year = header.year or int(news.group("y"))
        warnings.append(
            "Ngày ban hành và cơ quan ban hành lấy từ câu giới thiệu đầu trang "
            f"(“{news.group(0)[:80]}…”): hãy kiểm tra."
        )
    if not plan.issuer:
        warnings.append("Không thấy tên cơ quan ban hành ở phần đầu văn bản.")
    title_year = re.search(r"\bnăm\s+((?:19|20)\d{2})\b", plan.title, re.I)
    plan.year = int(title_year.group(1)) if title_year else header.year
    plan.unit = unit_from_title(plan.title)
    if not plan.unit and plan.issuer:
        plan.unit = unit_name(plan.issuer)
    if not plan.unit:
        match = re.match(
            r"^((?:Trường|Ủy ban|Uỷ ban|UBND)\s[^,;]{3,80}?)\s+(?:xây dựng|ban hành)",
            plan.introduction,
        )
        plan.unit = match.group(1) if match else ""


def _report(plan: ParsedPlan, header: Header, warnings: list[str]) -> None:
    if plan.symbol is None and not any("số văn bản để trống" in w for w in warnings):
        warnings.append("Không thấy số, ký hiệu văn bản (dòng “Số: …/KH-…”).")
    if header.year is None:
        warnings.append("Không thấy địa danh, ngày tháng ban hành.")
    elif plan.date is None:
        warnings.append(
            f"Ngày ban hành để trống hoặc không hợp lệ (chỉ đọc được năm {header.year})."
        )
    if not plan.unit:
        warnings.append("Không xác định được đơn vị của kế hoạch.")
    for target in plan.targets:
        missing = []
        if target.value is None:
            missing.append("không có số liệu chỉ tiêu")
        if target.kpi is None:
            missing.append("không gắn được chỉ số đo (KPI)")
        if missing:
            warnings.append(f"Mục tiêu {target.number} (dòng {target.line}): {'; '.join(missing)}.")
    if plan.signer is None:
        warnings.append("Không thấy họ tên người ký.")
    elif plan.signer_title is None:
        match = next((a for a in plan.assignments if a.name == plan.signer), None)
        if match:
            plan.signer_title = match.title
            warnings.append(
                f"Không thấy chức vụ người ký; lấy theo phần Tổ chức thực hiện: {match.title}."
            )
    plan.recognised = {
        "header": header.found,
        "basis": len(plan.basis),
        "references": sum(len(b.references) for b in plan.basis),
        "parts": len(plan.sections),
        "sections": sum(1 for root in plan.sections for _ in root.walk()),
        "targets": len(plan.targets),
        "targets_with_value": sum(1 for t in plan.targets if t.value is not None),
        "targets_with_kpi": sum(1 for t in plan.targets if t.kpi),
        "task_groups": len({t.group_number for t in plan.tasks if t.group_number}),
        "tasks": len(plan.tasks),
        "assignments": len(plan.assignments),
        "duties": sum(len(a.duties) for a in plan.assignments),
        "recipients": len(plan.recipients),
    }
