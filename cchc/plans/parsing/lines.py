"""From text to a tree: physical lines, item markers, logical paragraphs, the body tree.

``read_lines`` strips markdown, end marks and decoration and splits DOCX table rows into cells;
``classify`` recognises a line that starts an item ("II.", "1.2.", "a)", "-");
``group_paragraphs`` joins hard-wrapped lines and maps task-table rows; ``build_tree`` nests the
paragraphs by marker rank and repairs (with a warning) repeated Roman or item numbers.

Underscore names are private to the package and shared between its modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cchc.plans.parsing.figures import short_title
from cchc.plans.parsing.reading import fold, roman_numeral
from cchc.plans.parsing.types import Section

# =========================================================================== lines and markers


@dataclass
class Line:
    number: int
    text: str  # markdown and trailing "./." removed, spaces collapsed
    raw: str  # same, but inner runs of spaces kept (side-by-side header and signature blocks)
    cells: list[str]  # split on tabs: DOCX table rows
    blank_before: bool
    closed: bool = False  # the line ended with the end mark "./."


@dataclass
class _Para:
    kind: str  # part | item | letter | bullet | paragraph
    number: str
    text: str
    line: int
    rank: float
    marker: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    tail_length: int = 0  # length of the paragraph's last physical line


_MARKDOWN_STRONG = re.compile(r"(\*\*|__)(.+?)\1")
_END_MARK = re.compile(r"\s*\.?/\.\s*$")
_DECORATION = re.compile(r"^[\s\-–—_=*~.·•─━]+$")


def read_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    blank = True
    for number, source in enumerate(text.split("\n"), start=1):
        raw = _MARKDOWN_STRONG.sub(r"\2", source).replace("**", "")
        # Only spaces are trimmed: a leading tab is an empty first cell of a DOCX table row.
        raw = re.sub(r"^ *#{1,6}\s+", "", raw).strip(" ")
        closed = bool(_END_MARK.search(raw))
        raw = _END_MARK.sub("", raw)
        if not raw.strip() or _DECORATION.match(raw):
            blank = blank or not raw.strip()
            continue
        cells = [" ".join(cell.split()) for cell in raw.split("\t")]
        text_line = " ".join(cell for cell in cells if cell)
        lines.append(Line(number, text_line, raw.replace("\t", "    "), cells, blank, closed))
        blank = False
    return lines


_ROMAN_VALID = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_LINE = re.compile(
    r"^(?:(?:PHẦN|Phần|phần)\s+(?P<p>[IVXLC]{1,7})\b\s*[.:\-–/)]?"
    r"|(?P<r>[IVXLC]{1,7})\s*(?:[.:/)]|[-–]))\s*(?P<rest>.*)$"
)
_NUMBERED = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2}){0,3})(?P<t>[.)])?(?P<sp>\s*)(?P<rest>\S.*)$")
_LETTERED = re.compile(r"^(?P<l>[a-zđ])(?P<t>[).])(?P<sp>\s*)(?P<rest>\S.*)$")
BULLET = re.compile(r"^(?P<b>[-–—+•·●○▪■◦►➢➤✓❖□*])(?P<sp>\s*)(?P<rest>\S.*)$")
_BULLET_FAMILY = {"–": "-", "—": "-", "·": "•", "●": "•"}


def _roman_value(numeral: str) -> int | None:
    if not numeral or not _ROMAN_VALID.match(numeral):
        return None
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for index, letter in enumerate(numeral):
        value = values[letter]
        following = values[numeral[index + 1]] if index + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total if 0 < total <= 40 else None


def classify(text: str) -> _Para | None:
    """Recognise a line that starts an item; ``None`` for plain text."""
    match = _ROMAN_LINE.match(text)
    if match:
        numeral = match.group("p") or match.group("r")
        rest = match.group("rest").strip(" .:-–")
        value = _roman_value(numeral)
        starts_upper = bool(rest) and rest[0].isupper()  # "III/2026)" is a wrapped date
        if value and (match.group("p") or starts_upper or not match.group("rest").strip()):
            return _Para("part", numeral, rest, 0, 0)
    match = _NUMBERED.match(text)
    if match:
        number, terminator, space, rest = match.group("n", "t", "sp", "rest")
        first = rest[0]
        accepted = (
            (terminator and (first.isalpha() or first in "(“\"'" or (space and first.isdigit())))
            or (not terminator and "." in number and space and first.isupper())
        ) and first not in "%/"
        if accepted and not number.startswith("0"):
            return _Para("item", number, rest.strip(), 0, number.count(".") + 1)
    match = _LETTERED.match(text)
    if match:
        letter, terminator, space, rest = match.group("l", "t", "sp", "rest")
        if terminator == ")" or (space and rest[0].isupper()):
            return _Para("letter", letter, rest.strip(), 0, 5)
    match = BULLET.match(text)
    if match and (match.group("b") != "*" or match.group("sp")):
        marker = _BULLET_FAMILY.get(match.group("b"), match.group("b"))
        return _Para("bullet", "", match.group("rest").strip(), 0, 6, marker=marker)
    return None


# A line ending in one of these words is unfinished, whatever blank lines an export added.
_CONNECTIVE_END = re.compile(
    r"(?:[,\-–(/&]|\b(?:của|và|về|các|trong|với|cho|theo|tại|được|là|những|để|nhằm|trên|từ"
    r"|đến|hoặc|bằng|do|vào|thuộc|giữa|như|mọi|một|sự))$",
    re.IGNORECASE,
)


def find_wrap_width(lines: list[Line]) -> int | None:
    """The column a hard-wrapped text (copied from a PDF or an e-mail) was wrapped at, if any.

    Such text has most lines of a paragraph filling the column; a Word export has one line per
    paragraph and lengths all over the place. Knowing the column lets a wrapped line that starts
    with a capital ("… được đánh giá" / "Chỉ số CCHC …") still join its paragraph.
    """
    lengths = sorted(len(line.text) for line in lines if len(line.text) >= 20)
    if len(lengths) < 8:
        return None
    width = lengths[int(len(lengths) * 0.9)]
    near = sum(1 for length in lengths if length >= 0.85 * width)
    return width if 45 <= width <= 120 and near >= 0.35 * len(lengths) else None


def _continues(previous: _Para, line: Line, wrap_width: int | None = None) -> bool:
    """Is ``line`` a hard-wrapped continuation of ``previous`` rather than a new paragraph?"""
    last = previous.text
    first = line.text[0]
    if previous.kind == "part" and not last:
        return True  # "I." alone on its line: the title follows
    if previous.kind == "part":
        return line.text.isupper() and not line.blank_before and not last.endswith((".", ":"))
    if fold(line.text).startswith("can cu"):
        return False
    if first.islower() or first in "(“\"'&" or _CONNECTIVE_END.search(last):
        return True  # a paragraph does not start in lower case, nor end on "của"
    if (
        wrap_width
        and not line.blank_before
        and previous.tail_length >= 0.75 * wrap_width
        and (not re.search(r"[.;:!?]$", last) or (last.endswith(";") and first.isdigit()))
    ):
        return True  # the previous line filled the column: the paragraph goes on
    if re.search(r"[.;:!?]$", last) or line.blank_before:
        return False
    return first.isdigit()


# =========================================================================== paragraphs and tree


_TABLE_ROLES = (
    ("number", r"^(?:s?tt|so tt|so thu tu)$"),
    ("deadline", r"thoi gian|thoi han|tien do|thoi diem"),
    ("collaborators", r"phoi hop"),
    ("owner", r"thuc hien|phu trach|chu tri|nguoi|don vi|bo phan|ca nhan"),
    ("result", r"san pham|ket qua"),
    ("note", r"ghi chu"),
    ("content", r"noi dung|nhiem vu|cong viec|hoat dong"),
)
_PART_LEVEL_PARAGRAPH = re.compile(
    r"^(?:trong qua trinh|qua trinh (?:trien khai|thuc hien)|neu co kho khan|de nghi cac"
    r"|yeu cau cac)"
)


def _table_header(cells: list[str]) -> dict[int, str] | None:
    roles: dict[int, str] = {}
    for index, cell in enumerate(cells):
        folded = fold(cell)
        for role, pattern in _TABLE_ROLES:
            if role not in roles.values() and re.search(pattern, folded):
                roles[index] = role
                break
    if "content" in roles.values() and ("number" in roles.values() or len(roles) >= 3):
        return roles
    return None


def _table_row(line: Line, roles: dict[int, str] | None) -> _Para | None:
    cells = line.cells
    if roles is None:
        first = cells[0].rstrip(".)")
        others = [cell for cell in cells[1:] if cell]
        if not (others and re.fullmatch(r"\d{1,2}(?:\.\d{1,2}){0,3}|[IVXLC]{1,7}", first)):
            return None
        roles = {0: "number", 1: "content"}
    by_role = {role: cells[i] for i, role in roles.items() if i < len(cells) and cells[i]}
    extra = [cell for i, cell in enumerate(cells) if i not in roles and cell]
    content = by_role.pop("content", "") or " ".join(extra)
    number = by_role.pop("number", "").rstrip(".)")
    if not content:
        return None
    if re.fullmatch(r"\d{1,2}(?:\.\d{1,2}){0,3}", number):
        return _Para("item", number, content, line.number, number.count(".") + 1, columns=by_role)
    if _roman_value(number):
        return _Para("item", number, content, line.number, 0.5, columns=by_role)
    if re.fullmatch(r"[a-zđ]", number):
        return _Para("letter", number, content, line.number, 5, columns=by_role)
    return _Para("paragraph", "", content, line.number, 6, columns=by_role)


def group_paragraphs(lines: list[Line], wrap_width: int | None = None) -> list[_Para]:
    """Group lines into logical paragraphs: items, bullets, table rows, wrapped text joined."""
    paragraphs: list[_Para] = []
    roles: dict[int, str] | None = None
    for line in lines:
        if len(line.cells) > 1:
            header = _table_header(line.cells)
            if header:
                roles = header
                continue
            row = _table_row(line, roles)
            if row:
                paragraphs.append(row)
                continue
        else:
            roles = None
        item = classify(line.text)
        if item:
            item.line = line.number
            item.tail_length = len(line.text)
            paragraphs.append(item)
        elif paragraphs and _continues(paragraphs[-1], line, wrap_width):
            previous = paragraphs[-1]
            # A word cut at its hyphen ("27/CT-" / "TTg") is glued back without a space.
            glue = "" if re.search(r"\w[-–]$", previous.text) else " "
            previous.text = f"{previous.text}{glue}{line.text}".strip()
            previous.tail_length = len(line.text)
        else:
            rank = 0.6 if _PART_LEVEL_PARAGRAPH.match(fold(line.text)) else 6
            paragraph = _Para("paragraph", "", line.text, line.number, rank)
            paragraph.tail_length = len(line.text)
            paragraphs.append(paragraph)
    return paragraphs


@dataclass
class _Open:
    rank: float
    section: Section
    marker: str = ""
    source_number: str = ""


def build_tree(paragraphs: list[_Para], warnings: list[str]) -> list[Section]:
    """Nest paragraphs by marker rank; repair and report a repeated Roman or item number."""
    roots: list[Section] = []
    stack: list[_Open] = []
    last_roman = 0
    for para in paragraphs:
        if para.kind == "part":
            value = _roman_value(para.number) or last_roman + 1
            if last_roman and value <= last_roman:
                expected = roman_numeral(last_roman + 1)
                problem = (
                    "lặp lại" if value == last_roman else f"đứng sau {roman_numeral(last_roman)}"
                )
                warnings.append(
                    f"Dòng {para.line}: số La Mã {para.number} {problem} (đã hiểu là {expected})"
                )
                value = last_roman + 1
            elif value > last_roman + 1:
                missing = roman_numeral(last_roman + 1)
                warnings.append(
                    f"Dòng {para.line}: mục La Mã {para.number} đứng trước khi có mục {missing}"
                )
            last_roman = value
            section = Section(roman_numeral(value), para.text, para.text, [], para.line, "part")
            roots.append(section)
            stack = [_Open(0, section, source_number=para.number)]
            continue
        rank = para.rank
        if para.kind == "bullet":
            same = [o for o in stack if o.section.kind == "bullet" and o.marker == para.marker]
            if same:
                rank = same[-1].rank
            elif stack and stack[-1].section.kind == "bullet":
                rank = stack[-1].rank + 1
        while stack and stack[-1].rank >= rank:
            stack.pop()
        parent = stack[-1] if stack else None
        siblings = parent.section.children if parent else roots
        number = para.number
        if para.kind == "item" and parent and parent.source_number != parent.section.number:
            prefix = parent.source_number + "."
            if number.startswith(prefix):
                number = parent.section.number + "." + number[len(prefix) :]
        if para.kind == "item":
            number = _check_sibling_number(number, siblings, para.line, warnings)
        section = Section(
            number, short_title(para.text), para.text, [], para.line, para.kind, dict(para.columns)
        )
        if para.kind in ("item", "letter") and not section.title:
            section.title = para.text
        siblings.append(section)
        stack.append(_Open(rank, section, para.marker, para.number))
    return roots


def _check_sibling_number(
    number: str, siblings: list[Section], line: int, warnings: list[str]
) -> str:
    previous = next((s for s in reversed(siblings) if s.kind == "item"), None)
    if previous is None:
        return number
    head, _, last = number.rpartition(".")
    previous_head, _, previous_last = previous.number.rpartition(".")
    if head != previous_head or not (last.isdigit() and previous_last.isdigit()):
        return number
    if int(last) <= int(previous_last):
        fixed = f"{head}.{int(previous_last) + 1}" if head else str(int(previous_last) + 1)
        warnings.append(
            f"Dòng {line}: mục {number} trùng hoặc lùi số so với mục trước ({previous.number}); "
            f"đã hiểu là {fixed}"
        )
        return fixed
    if int(last) > int(previous_last) + 1:
        warnings.append(f"Dòng {line}: sau mục {previous.number} là mục {number} (thiếu số ở giữa)")
    return number
