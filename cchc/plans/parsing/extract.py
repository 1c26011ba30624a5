"""Reading the body tree: basis, purposes, targets, tasks and assignments.

``read_body`` finds the parts by their titles ("MỤC TIÊU", "NHIỆM VỤ", "TỔ CHỨC THỰC HIỆN")
and fills the ``ParsedPlan``; the numbering rules for tasks and targets and the person-or-unit
rules for assignments are the decisions listed in the package docstring.

Underscore names are private to the package and shared between its modules.
"""

from __future__ import annotations

import re

from cchc.plans.parsing.figures import (
    duty_text,
    extract_references,
    match_kpi,
    short_title,
    target_figure,
)
from cchc.plans.parsing.reading import fold
from cchc.plans.parsing.types import (
    AssignmentItem,
    Basis,
    ParsedPlan,
    Section,
    Target,
    TaskItem,
)

# =========================================================================== reading the tree


_NUMBERED_KINDS = ("item", "letter")


def _find_root(
    roots: list[Section], pattern: str, exclude: tuple[Section | None, ...] = ()
) -> Section | None:
    for section in roots:
        if all(section is not other for other in exclude) and re.search(
            pattern, fold(section.title)
        ):
            return section
    return None


def _block_text(section: Section, *, include_own: bool = False) -> str:
    """Text of a block, one line per paragraph, "- " kept on bullets (for printing back)."""
    lines: list[str] = []
    if include_own:
        lines.append(section.text)
    else:
        _, colon, inline = section.text.partition(":")
        if colon and inline.strip():
            lines.append(inline.strip())
    for child in section.children:
        for node in child.walk():
            lines.append(("- " if node.kind == "bullet" else "") + node.text)
    return "\n".join(lines)


def _purposes(part: Section | None) -> tuple[str, str]:
    if part is None:
        return "", ""
    purposes = next((c for c in part.children if fold(c.title).startswith("muc dich")), None)
    requirements = next((c for c in part.children if fold(c.title).startswith("yeu cau")), None)
    if purposes is None and requirements is None:
        return _block_text(part), ""
    return (
        _block_text(purposes) if purposes else "",
        _block_text(requirements) if requirements else "",
    )


def _targets_container(roots: list[Section]) -> Section | None:
    part = _find_root(roots, r"\b(?:muc tieu|chi tieu)\b")
    if part:
        return part
    for root in roots:
        for node in root.walk():
            if node is not root and re.match(r"(?:cac )?(?:muc tieu|chi tieu)", fold(node.title)):
                return node
    return None


def _targets(container: Section) -> list[Target]:
    targets: list[Target] = []

    def visit(section: Section, prefix: str) -> None:
        position = 0
        for child in section.children:
            if child.kind in ("bullet", "paragraph"):
                position += 1
                number = f"{prefix}.{position}" if prefix else str(position)
            elif child.kind == "letter":
                number = f"{prefix}.{child.number}" if prefix else child.number
            else:
                number = child.number
            folded = fold(child.title)
            if re.match(r"muc dich|yeu cau|nhiem vu|giai phap", folded):
                continue  # "MỤC ĐÍCH, YÊU CẦU VÀ MỤC TIÊU" or "MỤC TIÊU, NHIỆM VỤ" parts
            subheading = re.match(r"(?:cac )?(?:muc tieu|chi tieu)", folded)
            no_figure = target_figure(child.text)[1] is None
            if child.children and (subheading or child.text.endswith(":") or no_figure):
                if not (subheading and "chung" in folded):
                    visit(child, number)
                continue
            if child.kind == "paragraph" and child.text.endswith(":"):
                continue
            comparator, value, unit = target_figure(child.text)
            targets.append(
                Target(
                    number, child.text, comparator, value, unit, match_kpi(child.text), child.line
                )
            )

    visit(container, "" if container.kind == "part" else container.number)
    return targets


_OWNER_IN_TEXT = re.compile(
    r"(?:người|bộ phận|đơn vị|cá nhân)\s+(?:thực hiện|phụ trách|chủ trì)\s*:\s*([^;.()\n]+)", re.I
)
_DEADLINE_IN_TEXT = re.compile(
    r"(?:thời gian(?: thực hiện)?|thời hạn|tiến độ)\s*:\s*([^;()\n]+?)\s*(?:[;)]|\.(?:\s|$)|$)",
    re.I,
)


def _task(node: Section, number: str, group: Section | None) -> TaskItem:
    details = [n.text for n in node.walk() if n is not node]
    text = "\n".join([node.text, *details])
    owner = node.columns.get("owner", "")
    deadline = node.columns.get("deadline", "")
    if not owner and (match := _OWNER_IN_TEXT.search(text)):
        owner = match.group(1).strip()
    if not deadline and (match := _DEADLINE_IN_TEXT.search(text)):
        deadline = match.group(1).strip()
    return TaskItem(
        number=number,
        title=short_title(node.text),
        text=text,
        group_number=group.number if group else "",
        group_title=group.title if group else "",
        references=extract_references(text),
        owner=owner,
        collaborators=node.columns.get("collaborators", ""),
        deadline=deadline,
        line=node.line,
    )


def _task_leaves(node: Section, parent_number: str) -> list[tuple[Section, str]]:
    if node.kind == "item" and ("." in node.number or not parent_number):
        number = node.number
    else:
        number = f"{parent_number}.{node.number}" if parent_number else node.number
    numbered = [c for c in node.children if c.kind in _NUMBERED_KINDS]
    if not numbered:
        return [(node, number)]
    return [leaf for child in numbered for leaf in _task_leaves(child, number)]


def _group_tasks(group: Section) -> list[TaskItem]:
    """Tasks of one numbered group: its numbered items, else its bullets, else itself."""
    numbered = [c for c in group.children if c.kind in _NUMBERED_KINDS]
    if numbered:
        return [
            _task(node, number, group)
            for child in numbered
            for node, number in _task_leaves(child, group.number)
        ]
    listed = [c for c in group.children if c.kind == "bullet"]
    paragraphs = [c for c in group.children if c.kind == "paragraph"]
    listed = listed or (paragraphs if len(paragraphs) >= 2 else [])
    if listed:
        return [
            _task(child, f"{group.number}.{position}", group)
            for position, child in enumerate(listed, start=1)
        ]
    return [_task(group, group.number, group)]


def _tasks(parts: list[Section]) -> list[TaskItem]:
    tasks: list[TaskItem] = []
    for part in parts:
        if part.kind != "part":  # a sub-heading "2. Nhiệm vụ trọng tâm" is itself the group
            tasks.extend(_group_tasks(part))
            continue
        loose = 0
        for group in part.children:
            if group.kind == "bullet":
                loose += 1
                tasks.append(_task(group, str(loose), None))
            elif group.kind in _NUMBERED_KINDS:
                tasks.extend(_group_tasks(group))
    return tasks


def _task_parts(roots: list[Section], exclude: tuple[Section | None, ...]) -> list[Section]:
    """Parts holding the tasks: "NHIỆM VỤ …", else "GIẢI PHÁP", else such a sub-heading."""
    candidates = [
        s
        for s in roots
        if all(s is not e for e in exclude)
        and not re.search(r"ket qua|danh gia|tinh hinh|kinh phi", fold(s.title))
    ]
    for pattern in (r"nhiem vu", r"giai phap"):
        found = [s for s in candidates if re.search(pattern, fold(s.title))]
        if found:
            return found
    for root in candidates:
        found = [
            c
            for c in root.children
            if c.kind in _NUMBERED_KINDS
            and re.match(r"(?:cac )?(?:nhiem vu|giai phap)", fold(c.title))
        ]
        if found:
            return found
    return [s for s in candidates if fold(s.title).startswith("noi dung")]


def read_body(plan: ParsedPlan, warnings: list[str]) -> None:
    roots = plan.sections
    basis_part = _find_root(roots, r"^can cu")
    if basis_part:
        for child in basis_part.children:
            plan.basis.append(
                Basis(child.text.rstrip(" ;,"), extract_references(child.text), child.line)
            )
    plan.purposes, plan.requirements = _purposes(_find_root(roots, r"muc dich|yeu cau"))
    assignments_part = _find_root(
        roots, r"to chuc thuc hien|phan cong|trach nhiem (?:thuc hien|cua)"
    )
    container = _targets_container(roots)
    if container:
        plan.targets = _targets(container)
    else:
        warnings.append("Không thấy phần Mục tiêu / Chỉ tiêu.")
    task_parts = _task_parts(roots, (assignments_part, container, basis_part))
    if task_parts:
        plan.tasks = _tasks(task_parts)
    else:
        warnings.append("Không thấy phần Nhiệm vụ.")
    if assignments_part:
        plan.assignments = _assignments(assignments_part, warnings)
    else:
        warnings.append("Không thấy phần Tổ chức thực hiện.")


# =========================================================================== assignments


_HONORIFICS = {
    "bà": "Bà", "ông": "Ông", "đ/c": "Đ/c", "đồng chí": "Đồng chí", "thầy": "Thầy", "cô": "Cô",
    "anh": "Anh", "chị": "Chị",
}  # fmt: skip
_HONORIFIC = re.compile(
    r"(?:^|(?<=[\s(\-–:,]))(Bà|Ông|Đ/c|Đ/C|đ/c|Đồng chí|đồng chí|Thầy|Cô|Anh|Chị)\s+"
)
_SURNAMES = frozenset(
    {
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
        "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "La", "Đinh", "Lâm", "Trương", "Mai", "Cao", "Tạ",
        "Lương", "Đào", "Châu", "Thái", "Quách", "Tô", "Hà", "Kiều", "Đoàn", "Triệu", "Tăng",
        "Lưu", "Từ", "Trịnh", "Tôn", "Lã", "Diệp", "Thân", "Chu", "Âu", "Phùng", "Khổng",
        "Mạc", "Tống", "Nghiêm", "Vương", "Hứa", "Lạc", "Hầu", "Giang", "Kim", "Bạch", "Đàm",
        "Lục", "Văn", "Thạch",
    }
)  # fmt: skip
# Words that start a job title: "Bà Nguyễn Thị A Phó hiệu trưởng" has no comma to stop the name.
_TITLE_WORDS = frozenset(
    {
        "Phó", "Hiệu", "Tổ", "Trưởng", "Chủ", "Giáo", "Nhân", "Kế", "Bí", "Thủ", "Ủy", "Cán",
        "Công", "Tổng", "Thư",
    }
)  # fmt: skip
_DUTY_AFTER_COMMA = re.compile(
    r",\s*(?=(?:chịu trách nhiệm|có trách nhiệm|chủ trì|thực hiện|theo dõi|tham mưu|trực tiếp"
    r"|chỉ đạo|giúp)\b)",
    re.I,
)
_DUTY_VERB = re.compile(
    r"\s(?=(?:chủ trì|phối hợp|có trách nhiệm|chịu trách nhiệm|thực hiện|tham mưu|triển khai"
    r"|theo dõi|căn cứ|xây dựng|tổ chức|hướng dẫn|kiểm tra|đôn đốc|rà soát|phụ trách)\b)",
    re.I,
)
_UNIT_WORDS = (
    "van phong", "cong an", "truong", "cac ", "ban ", "phong", "to ", "bo phan", "tram", "hoi ",
    "doan", "mat tran", "ubnd", "uy ban", "dang uy", "cong chuc", "can bo", "giao vien",
    "nhan vien", "trung tam", "hieu truong", "pho hieu truong", "ke toan", "van thu", "thu quy",
    "y te", "chu tich", "pho chu tich", "doi ", "chi bo", "lien doi", "cong doan", "hoi dong",
    "quan su", "thu truong", "lanh dao", "nguoi dung dau", "chi doan", "thanh tra", "vien chuc",
    "hdnd", "bch", "ban chi huy", "tong phu trach",
)  # fmt: skip


def _split_inline(text: str) -> tuple[str, str]:
    head, colon, inline = text.partition(":")
    if not colon:
        match = _DUTY_AFTER_COMMA.search(text)
        if match:
            return text[: match.start()].strip(), text[match.end() :].strip()
        return text.strip(), ""
    return head.strip(), inline.strip()


def _person(header: str) -> tuple[str, str, str, str] | None:
    """(name, honorific, title, inline duty) of "Bà Nguyễn Thị A, Hiệu trưởng: …" or ``None``."""
    match = _HONORIFIC.search(header[:80])
    if match:
        honorific = _HONORIFICS[match.group(1).lower()]
        before = header[: match.start(1)].strip(" -–(:,")
        rest = header[match.end() :]
    elif header.split(" ", 1)[0] in _SURNAMES:
        honorific, before, rest = "", "", header
    else:
        return None
    tokens: list[str] = []
    end = 0
    for token in re.finditer(r"\S+", rest):
        word = token.group()
        core = word.rstrip(",:;)")
        if not core or not core[0].isupper() or not core.isalpha() or len(tokens) == 6:
            break
        tokens.append(core)
        end = token.start() + len(core)
        if core != word:
            break
    remainder = rest[end:]
    if remainder.strip() and not re.match(r"\s*[,\-–:(]", remainder):
        while len(tokens) > 2 and tokens[-1] in _TITLE_WORDS:
            tokens.pop()
        end = rest.find(tokens[-1], 0) + len(tokens[-1]) if tokens else 0
        remainder = rest[end:]
    if len(tokens) < (1 if honorific else 2):
        return None
    remainder = remainder.strip().lstrip(",-–(").strip()
    if before:
        title = before
        inline = remainder.partition(":")[2].strip() if ":" in remainder else ""
    else:
        title, inline = _split_inline(remainder)
    return " ".join(tokens), honorific, title.strip(" ,.;:()"), inline


def _unit_assignment(header: str) -> tuple[str, str] | None:
    text = re.sub(r"^(?:Giao|Đề nghị)\s+", "", header.strip(), flags=re.I)
    folded = fold(text)
    if not folded.startswith(_UNIT_WORDS):
        return None
    title, inline = _split_inline(text) if ":" in text[:100] else (text, "")
    if not inline and len(title) > 60:
        match = _DUTY_VERB.search(title, 3)
        if match:
            inline = title[match.end() :].strip()
            title = title[: match.start()].strip()
    if len(title) > 120:
        return None
    inline = inline[:1].upper() + inline[1:]
    return title.strip(" ,.;:"), inline


def _assignments(part: Section, warnings: list[str]) -> list[AssignmentItem]:
    assignments: list[AssignmentItem] = []
    for child in part.children:
        if child.kind == "paragraph" and not child.children:
            continue
        duties = [duty_text(node.text) for node in child.walk() if node is not child]
        person = _person(child.text)
        if person:
            name, honorific, title, inline = person
            duties = [duty_text(inline), *duties] if inline else duties
            assignments.append(AssignmentItem(name, honorific, title, duties, "person", child.line))
            continue
        if any(c.kind in _NUMBERED_KINDS for c in child.children):
            assignments.extend(_assignments(child, warnings))
            continue
        unit = _unit_assignment(child.text)
        if unit:
            title, inline = unit
            duties = [duty_text(inline), *duties] if inline else duties
            assignments.append(AssignmentItem("", "", title, duties, "unit", child.line))
            continue
        warnings.append(
            f"Dòng {child.line}: mục “{short_title(child.text, 60)}” trong phần Tổ chức thực hiện "
            "không nêu người hay đơn vị; không tạo phân công."
        )
    return assignments
