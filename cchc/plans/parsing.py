"""Recognise the structure of a Vietnamese reform plan (kế hoạch CCHC) in plain text.

A plan follows Decree 30/2020/NĐ-CP loosely: a header (issuing body, "Số: 211/KH-UBND", place
and date), the title "KẾ HOẠCH" with its subject, the basis (*căn cứ*), Roman-numbered parts
(purposes, targets, tasks, organisation), numbered items, "-" bullets, a closing sentence,
"Nơi nhận:" and the signature. Real files are messier than the decree: the seed repeats
"III.", numbers get glued to words ("1.Tiếp tục"), lines are hard-wrapped, tables replace
lists. The parser therefore never trusts one cue: it reads lines, joins wrapped ones, builds a
tree by marker rank, and only then reads targets, tasks and assignments off the tree. Whatever
it had to guess or could not read goes to ``ParsedPlan.warnings`` with the line number, so the
staff page can show it for review before anything is saved.

Decisions on the open points of issue 5 (the import flow relies on them):

* Tasks written as "a)", "b)" under group "1" are numbered "1.a", "1.b"; "-" bullets directly
  under a group that has no numbered sub-items become tasks "1.1", "1.2" … by position; a
  group with no sub-items at all is itself a task (its group number equals its number).
* Items of "Tổ chức thực hiện" that name a unit or a group instead of a person ("Văn phòng
  HĐND-UBND", "Các tổ chuyên môn") become assignments with ``kind="unit"``, ``name=""`` and
  ``title`` set to the unit; other items there (e.g. "Chế độ báo cáo") are kept in the
  sections but produce a warning instead of an assignment.
  A bare role ("Kế toán: …", "Hiệu trưởng: …") is a ``kind="unit"`` assignment too: the
  reviewer picks the person.
* Targets under "a)" or bullets take their container's number: "2.a", "2.1" (positional).
  A rating ("xếp loại Tốt", "từ loại tốt trở lên") is always ``>=``: a better rating meets it.
  "dưới 5%" gives ``"<"``, a fifth comparator besides the four of the brief.
* The plan year is the year in the title ("… năm 2026"), else the year of the date: a plan for
  2026 is often signed in December 2025.
* A wrapped line joins its paragraph when it starts in lower case, when the paragraph ends on
  an unfinished word ("của", "và", ",") or, in hard-wrapped text, when the previous line filled
  the column; blank lines alone never split a sentence, so double-spaced exports read the same.

Pure module: no Django import; user-facing text is Vietnamese.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from cchc.plans.plan_reading import (
    PlanParseError,
    clean_text,
    decode_plan_bytes,
    fold,
    read_plan_file,
    roman_numeral,
)

__all__ = [
    "AssignmentItem",
    "Basis",
    "DocumentReference",
    "ParsedPlan",
    "PlanParseError",
    "Section",
    "Target",
    "TaskItem",
    "decode_plan_bytes",
    "extract_references",
    "match_kpi",
    "parse_plan",
    "read_plan_file",
    "short_title",
    "target_figure",
]

NOT_A_PLAN = (
    "Không nhận ra cấu trúc kế hoạch: không có tiêu đề 'KẾ HOẠCH' và không có mục đánh số La Mã."
)


# =========================================================================== result types


@dataclass
class DocumentReference:
    """A document cited as "Kế hoạch số 211/KH-UBND ngày 19 tháng 01 năm 2026 của …"."""

    raw: str
    number: str
    symbol: str
    doc_type: str
    date: dt.date | None
    issuer: str

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "symbol": self.symbol,
            "type": self.doc_type,
            "date": self.date.isoformat() if self.date else None,
            "issuer": self.issuer,
            "raw": self.raw,
        }


@dataclass
class Basis:
    text: str
    references: list[DocumentReference] = field(default_factory=list)
    line: int = 0


@dataclass
class Section:
    """A node of the plan body; ``kind`` keeps the marker type so an export can print it back."""

    number: str
    title: str
    text: str
    children: list[Section] = field(default_factory=list)
    line: int = 0
    kind: str = "item"  # part | item | letter | bullet | paragraph
    columns: dict[str, str] = field(default_factory=dict)  # task-table cells by role

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()

    def to_json(self) -> dict:
        data = {
            "number": self.number,
            "title": self.title,
            "children": [child.to_json() for child in self.children],
            "text": self.text,
            "kind": self.kind,
            "line": self.line,
        }
        if self.columns:
            data["columns"] = dict(self.columns)
        return data


@dataclass
class Target:
    number: str
    text: str
    comparator: str | None
    value: Decimal | str | None
    unit: str | None
    kpi: str | None
    line: int = 0

    def to_json(self) -> dict:
        value: int | float | str | None
        if isinstance(self.value, Decimal):
            value = (
                int(self.value)
                if self.value == self.value.to_integral_value()
                else float(self.value)
            )
        else:
            value = self.value
        return {
            "number": self.number,
            "text": self.text,
            "comparator": self.comparator,
            "value": value,
            "unit": self.unit,
            "kpi": self.kpi,
        }


@dataclass
class TaskItem:
    number: str
    title: str
    text: str
    group_number: str
    group_title: str
    references: list[DocumentReference] = field(default_factory=list)
    owner: str = ""
    collaborators: str = ""
    deadline: str = ""  # as written ("Tháng 3/2026", "Thường xuyên"); the import flow parses it
    line: int = 0

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "text": self.text,
            "group_number": self.group_number,
            "group_title": self.group_title,
            "references": [ref.to_json() for ref in self.references],
            "owner": self.owner,
            "collaborators": self.collaborators,
            "deadline": self.deadline,
        }


@dataclass
class AssignmentItem:
    name: str
    honorific: str
    title: str
    duties: list[str] = field(default_factory=list)
    kind: str = "person"  # person | unit
    line: int = 0

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "title": self.title,
            "duties": list(self.duties),
            "honorific": self.honorific,
            "kind": self.kind,
        }


@dataclass
class ParsedPlan:
    issuer: str = ""
    parent_body: str = ""
    number: str | None = None
    symbol: str | None = None
    title: str = ""
    unit: str = ""
    place: str | None = None
    date: dt.date | None = None
    year: int | None = None
    basis: list[Basis] = field(default_factory=list)
    purposes: str = ""
    requirements: str = ""
    sections: list[Section] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    tasks: list[TaskItem] = field(default_factory=list)
    assignments: list[AssignmentItem] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signer: str | None = None
    signer_title: str | None = None
    warnings: list[str] = field(default_factory=list)
    recognised: dict[str, int] = field(default_factory=dict)
    introduction: str = ""
    closing: str = ""
    signature_lines: list[str] = field(default_factory=list)

    @property
    def parent_plan(self) -> DocumentReference | None:
        """The plan this one implements (the school plan is based on the commune's 211/KH-UBND)."""
        for basis in self.basis:
            for reference in basis.references:
                if reference.doc_type == "Kế hoạch":
                    return reference
        return None

    def to_json(self) -> dict:
        """The ``cchc plan import --json`` contract of issue 5, plus a few extra keys."""
        parent = self.parent_plan
        return {
            "number": self.number,
            "symbol": self.symbol,
            "title": self.title,
            "unit": self.unit,
            "date": self.date.isoformat() if self.date else None,
            "basis": [
                {"text": b.text, "references": [r.to_json() for r in b.references]}
                for b in self.basis
            ],
            "sections": [section.to_json() for section in self.sections],
            "targets": [target.to_json() for target in self.targets],
            "tasks": [task.to_json() for task in self.tasks],
            "assignments": [assignment.to_json() for assignment in self.assignments],
            "issuer": self.issuer,
            "parent_body": self.parent_body,
            "place": self.place,
            "year": self.year,
            "parent_plan": parent.symbol if parent else None,
            "purposes": self.purposes,
            "requirements": self.requirements,
            "recipients": list(self.recipients),
            "signer": self.signer,
            "signer_title": self.signer_title,
            "warnings": list(self.warnings),
            "recognised": dict(self.recognised),
        }


# =========================================================================== lines and markers


@dataclass
class _Line:
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


def _read_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
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
        lines.append(_Line(number, text_line, raw.replace("\t", "    "), cells, blank, closed))
        blank = False
    return lines


_ROMAN_VALID = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ROMAN_LINE = re.compile(
    r"^(?:(?:PHẦN|Phần|phần)\s+(?P<p>[IVXLC]{1,7})\b\s*[.:\-–/)]?"
    r"|(?P<r>[IVXLC]{1,7})\s*(?:[.:/)]|[-–]))\s*(?P<rest>.*)$"
)
_NUMBERED = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2}){0,3})(?P<t>[.)])?(?P<sp>\s*)(?P<rest>\S.*)$")
_LETTERED = re.compile(r"^(?P<l>[a-zđ])(?P<t>[).])(?P<sp>\s*)(?P<rest>\S.*)$")
_BULLET = re.compile(r"^(?P<b>[-–—+•·●○▪■◦►➢➤✓❖□*])(?P<sp>\s*)(?P<rest>\S.*)$")
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


def _classify(text: str) -> _Para | None:
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
    match = _BULLET.match(text)
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


def _wrap_width(lines: list[_Line]) -> int | None:
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


def _continues(previous: _Para, line: _Line, wrap_width: int | None = None) -> bool:
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


# =========================================================================== header and title

_NATIONAL_TITLE = "cong hoa xa hoi chu nghia viet nam"
_SYMBOL_TAIL = (
    r"(?:(?:19|20)\d{2}\s*/\s*)?[A-ZĐ][A-Za-zĐđ0-9&]*(?:\s*[-–]\s*[A-ZĐ][A-Za-zĐđ0-9&]*)*"
)
_NUMBER_LINE = re.compile(
    rf"\b(?i:số)\s*:?\s*(?P<num>\d{{1,5}}[a-z]?)?\s*/\s*(?P<tail>{_SYMBOL_TAIL})"
)
_DATE_WORDS = re.compile(
    r"(?i:ngày)\s*(?P<d>\d{1,2})?[\s.…_]*(?i:tháng)\s*(?P<m>\d{1,2})?[\s.…_]*(?i:năm)\s*(?P<y>\d{4})"
)
_DATE_NUMERIC = re.compile(
    r"(?i:ngày)\s*(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})"
)
_BODY_WORDS = (
    "ubnd", "uy ban", "hdnd", "hoi dong", "so ", "phong", "truong", "ban ", "dang", "cong an",
    "trung tam", "bo ", "cuc", "van phong", "chi cuc", "mat tran", "doan", "hoi ", "vien",
    "tram", "chi bo", "lien doi",
)  # fmt: skip
_OTHER_TYPES = {
    "bao cao": "Báo cáo", "quyet dinh": "Quyết định", "to trinh": "Tờ trình",
    "thong bao": "Thông báo", "bien ban": "Biên bản", "chi thi": "Chỉ thị",
    "nghi quyet": "Nghị quyết", "huong dan": "Hướng dẫn", "giay moi": "Giấy mời",
    "cong van": "Công văn", "chuong trinh": "Chương trình", "de an": "Đề án",
    "phuong an": "Phương án", "thong cao": "Thông cáo", "quy che": "Quy chế",
}  # fmt: skip


def _pieces(line: _Line) -> list[str]:
    """Split a side-by-side line (issuer | national title, Nơi nhận | signer) into its columns."""
    # The blanks of an unsigned date ("ngày     tháng 01 năm 2026") are not a column gap.
    raw = re.sub(r"(?i)\b(ngày|tháng)\s{3,}(?=tháng|năm|\d)", r"\1 ", line.raw)
    return [" ".join(piece.split()) for piece in re.split(r"\s{3,}", raw) if piece.strip()]


def _make_date(day: str | None, month: str | None, year: str | None) -> dt.date | None:
    if not (day and month and year):
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _normalise_symbol(number: str, tail: str) -> str:
    tail = re.sub(r"\s+", "", tail).replace("–", "-")
    return f"{number}/{tail}"


@dataclass
class _Header:
    bodies: list[str] = field(default_factory=list)
    number: str | None = None
    symbol: str | None = None
    place: str | None = None
    date: dt.date | None = None
    year: int | None = None
    found: int = 0


def _is_header_like(line: _Line) -> bool:
    folded = fold(line.text)
    return (
        _NATIONAL_TITLE in folded
        or ("doc lap" in folded and "hanh phuc" in folded)
        or bool(_NUMBER_LINE.search(line.text) or _DATE_WORDS.search(line.text))
        or (line.text.isupper() and len(line.text) <= 80 and not folded.startswith("ke hoach"))
    )


def _parse_header(lines: list[_Line], warnings: list[str]) -> _Header:
    header = _Header()
    for line in lines:
        for piece in _pieces(line):
            folded = fold(piece)
            if _NATIONAL_TITLE in folded or ("doc lap" in folded and "hanh phuc" in folded):
                header.found += 1
                continue
            rest = piece
            match = _NUMBER_LINE.search(rest)
            if match:
                header.found += 1
                if match.group("num"):
                    header.number = match.group("num")
                    header.symbol = _normalise_symbol(match.group("num"), match.group("tail"))
                else:
                    warnings.append(
                        f"Dòng {line.number}: số văn bản để trống ({match.group(0).strip()})."
                    )
                rest = (rest[: match.start()] + " " + rest[match.end() :]).strip()
            match = _DATE_WORDS.search(rest) or _DATE_NUMERIC.search(rest)
            if match:
                header.found += 1
                header.year = int(match.group("y"))
                header.date = _make_date(*match.group("d", "m", "y"))
                if header.date is None and match.group("d") and match.group("m"):
                    warnings.append(
                        f"Dòng {line.number}: ngày tháng không hợp lệ: “{match.group(0)}”."
                    )
                place = rest[: match.start()].strip(" ,")
                if (
                    place
                    and place[0].isupper()
                    and not re.search(r"\d", place)
                    and len(place) <= 60
                ):
                    header.place = place
                rest = rest[match.end() :].strip()
            rest = rest.strip(" ,.;:-–")
            if not rest or re.fullmatch(r"[(\[].*[)\]]", rest) or folded.startswith("v/v"):
                continue
            if rest.isupper():
                header.found += 1
                starts_body = any(fold(rest).startswith(word) for word in _BODY_WORDS)
                if header.bodies and not starts_body:
                    header.bodies[-1] += " " + rest
                else:
                    header.bodies.append(rest)
                continue
            warnings.append(
                f"Dòng {line.number}: không nhận ra dòng ở phần đầu văn bản: “{rest[:80]}”."
            )
    return header


def _title_match(line: _Line) -> str | None:
    """The subject written on the "KẾ HOẠCH" line itself, "" when alone; ``None`` if not a title."""
    match = re.match(r"^KẾ\s*HOẠCH\b\s*[:\-–]?\s*(.*)$", line.text)
    if match and (not match.group(1) or match.group(1)[0].isupper() or match.group(1).isupper()):
        return match.group(1).strip()
    if fold(line.text) == "ke hoach":
        return ""
    return None


def _title_block(lines: list[_Line], index: int, stop: int) -> tuple[str, int]:
    """Collect the subject lines after "KẾ HOẠCH"; return the title and the next line index."""
    first = _title_match(lines[index]) or ""
    parts = [first] if first else []
    position = index + 1
    while position < stop and len(parts) < 4:
        line = lines[position]
        text = line.text
        folded = fold(text)
        if (
            folded.startswith("can cu")
            or _classify(text)
            or len(text) > 200
            or text.endswith(":")
            or "xay dung ke hoach" in folded
        ):
            break
        if parts:
            previous = parts[-1]
            wrapped = text[0].islower() or (text.isupper() and previous.isupper())
            if previous.endswith((".", ";")) or (line.blank_before and not wrapped):
                break
        parts.append(text)
        position += 1
    return " ".join(parts).strip().rstrip("."), position


_UNIT_PHRASES = (
    ("ỦY BAN NHÂN DÂN", "Ủy ban nhân dân"), ("UỶ BAN NHÂN DÂN", "Ủy ban nhân dân"),
    ("UBND", "Ủy ban nhân dân"), ("HỘI ĐỒNG NHÂN DÂN", "Hội đồng nhân dân"),
    ("HĐND", "Hội đồng nhân dân"), ("TRUNG HỌC CƠ SỞ", "Trung học cơ sở"),
    ("THCS", "Trung học cơ sở"), ("TRUNG HỌC PHỔ THÔNG", "Trung học phổ thông"),
    ("THPT", "Trung học phổ thông"), ("TIỂU HỌC", "Tiểu học"), ("TH", "Tiểu học"),
    ("MẦM NON", "Mầm non"), ("MN", "Mầm non"), ("MẪU GIÁO", "Mẫu giáo"),
    ("GIÁO DỤC VÀ ĐÀO TẠO", "Giáo dục và Đào tạo"), ("VĂN PHÒNG", "Văn phòng"),
    ("CÔNG AN", "Công an"), ("TRUNG TÂM", "Trung tâm"), ("XÃ", "xã"), ("PHƯỜNG", "phường"),
    ("THỊ TRẤN", "thị trấn"), ("ĐẶC KHU", "đặc khu"), ("THÀNH PHỐ", "Thành phố"),
    ("TỈNH", "tỉnh"), ("SỐ", "số"), ("VÀ", "và"),
)  # fmt: skip


def _unit_name(upper: str) -> str:
    """ "TRƯỜNG THCS NGUYỄN THÁI BÌNH" → "Trường Trung học cơ sở Nguyễn Thái Bình"."""
    words = upper.split()
    out: list[str] = []
    position = 0
    while position < len(words):
        for phrase, proper in _UNIT_PHRASES:
            size = len(phrase.split())
            if [w.upper() for w in words[position : position + size]] == phrase.split():
                out.append(proper)
                position += size
                break
        else:
            word = words[position]
            out.append(word if any(c.isdigit() for c in word) else word.capitalize())
            position += 1
    name = " ".join(out)
    return name[:1].upper() + name[1:]


def _unit_from_title(title: str) -> str:
    match = re.search(
        r"\b(?:tại|của|ở)\s+((?:trường|ủy ban|uỷ ban|ubnd|văn phòng|trung tâm|trạm|phòng|ban"
        r"|bộ phận)\b.*)$",
        title,
        re.IGNORECASE,
    )
    if not match:
        return ""
    unit = re.split(r",|\s+(?:năm\s+\d{4}|giai đoạn)\b", match.group(1))[0].strip(" .")
    return unit[:1].upper() + unit[1:]


# =========================================================================== references

_DOC_TYPES = (
    "Nghị quyết liên tịch", "Thông tư liên tịch", "Bộ luật", "Luật", "Pháp lệnh", "Nghị quyết",
    "Nghị định", "Quyết định", "Chỉ thị", "Thông tư", "Kế hoạch", "Công văn", "Văn bản",
    "Hướng dẫn", "Thông báo", "Chương trình", "Kết luận", "Quy định", "Quy chế", "Đề án",
    "Phương án", "Báo cáo", "Tờ trình", "Công điện",
)  # fmt: skip
_TYPE_ALTERNATION = "|".join(re.escape(t) for t in _DOC_TYPES)
_TYPE_WORD = re.compile(rf"\b({_TYPE_ALTERNATION})\b", re.I)
_TYPE_BY_LOWER = {t.lower(): t for t in _DOC_TYPES}
_ABBREVIATIONS = {
    "NQ": "Nghị quyết", "NĐ": "Nghị định", "QĐ": "Quyết định", "CT": "Chỉ thị", "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch", "KH": "Kế hoạch", "HD": "Hướng dẫn", "TB": "Thông báo",
    "CTr": "Chương trình", "KL": "Kết luận", "QyĐ": "Quy định", "QC": "Quy chế", "ĐA": "Đề án",
    "PA": "Phương án", "BC": "Báo cáo", "TTr": "Tờ trình", "CĐ": "Công điện", "TC": "Thông cáo",
}  # fmt: skip
_ISSUER_BY_SUFFIX = {"CP": "Chính phủ", "TTg": "Thủ tướng Chính phủ", "VPCP": "Văn phòng Chính phủ"}
_REFERENCE = re.compile(rf"(?<![\w/])(?P<num>\d{{1,5}}[a-z]?)\s*/\s*(?P<tail>{_SYMBOL_TAIL})")
_REFERENCE_DATE = re.compile(
    r"^\s*,?\s*(?:ban hành\s+)?(?i:ngày)\s*(?P<d>\d{1,2})\s*(?:(?i:tháng)\s*(?P<m>\d{1,2})\s*"
    r"(?i:năm)\s*(?P<y>\d{4})|[/.\-]\s*(?P<m2>\d{1,2})\s*[/.\-]\s*(?P<y2>\d{4}))"
)
_REFERENCE_ISSUER = re.compile(
    r"^\s*,?\s*(?:của|do)\s+(?P<issuer>.+?)(?=\s+(?:về|v/v|quy định|ban hành|hướng dẫn|phê duyệt"
    r"|triển khai|thực hiện|nhằm|đối với|trong|và|tại|với|để|sửa đổi|bổ sung|năm)\b|[;,.:()]|$)"
)


def _type_before(before: str) -> re.Match[str] | None:
    """The type word nearest before a number: "Luật Cán bộ, công chức số 22/2008/QH12" too."""
    words = list(_TYPE_WORD.finditer(before))
    if not words:
        return None
    gap = before[words[-1].end() :]
    return words[-1] if len(gap) <= 80 and not re.search(r"[;]", gap) else None


def extract_references(text: str) -> list[DocumentReference]:
    """Every numbered document cited in ``text``, with its type, date and issuer when stated."""
    references: list[DocumentReference] = []
    seen: set[str] = set()
    boundary = 0
    for match in _REFERENCE.finditer(text):
        tail = match.group("tail")
        if "-" not in tail and "–" not in tail and not re.match(r"(?:19|20)\d{2}\s*/", tail):
            continue
        symbol = _normalise_symbol(match.group("num"), tail)
        window_start = max(boundary, match.start() - 120, text.rfind(";", 0, match.start()) + 1)
        before = text[window_start : match.start()]
        type_match = _type_before(before)
        type_code = re.sub(r"^(?:19|20)\d{2}/", "", symbol.split("/", 1)[1]).split("-")[0]
        doc_type = ""
        if type_match:
            doc_type = _TYPE_BY_LOWER.get(type_match.group(1).lower(), type_match.group(1))
        elif re.fullmatch(r"QH\d*", type_code):
            doc_type = "Luật"
        else:
            doc_type = _ABBREVIATIONS.get(type_code, "")
        end = match.end()
        after = text[end:]
        date_match = _REFERENCE_DATE.match(after)
        found_date = None
        if date_match:
            found_date = _make_date(
                date_match.group("d"),
                date_match.group("m") or date_match.group("m2"),
                date_match.group("y") or date_match.group("y2"),
            )
            end += date_match.end()
        issuer_match = _REFERENCE_ISSUER.match(text[end:])
        issuer = ""
        if issuer_match and len(issuer_match.group("issuer")) <= 100:
            issuer = issuer_match.group("issuer").strip()
            end += issuer_match.end()
        else:
            suffix = symbol.rsplit("-", 1)[-1]
            issuer = _ISSUER_BY_SUFFIX.get(suffix, "Quốc hội" if doc_type == "Luật" else "")
        start = window_start + type_match.start() if type_match else match.start()
        boundary = end
        if symbol in seen:
            continue
        seen.add(symbol)
        raw = " ".join(text[start:end].split()).strip(" ,;.")
        references.append(
            DocumentReference(raw, match.group("num"), symbol, doc_type, found_date, issuer)
        )
    return references


# =========================================================================== targets and KPIs

_GE_BEFORE = re.compile(
    r"(?:tối thiểu|ít nhất|không dưới|không thấp hơn|không ít hơn|từ)\s*(?:là\s*)?$", re.I
)
_LE_BEFORE = re.compile(
    r"(?:không quá|tối đa|không vượt quá|không cao hơn|không vượt|nhiều nhất)\s*$", re.I
)
_LT_BEFORE = re.compile(r"(?:dưới|thấp hơn|ít hơn)\s*$", re.I)
_GT_BEFORE = re.compile(r"(?:trên|hơn|cao hơn|vượt)\s*$", re.I)
_PERCENT = re.compile(r"(\d{1,3}(?:[.,]\d{1,2})?)\s*%")
_RATING = re.compile(
    r"(?:xếp\s+loại|loại|mức)\s+(xuất sắc|tốt|khá|trung bình)(?!\w)(\s+trở\s+lên)?", re.I
)
_COUNT = re.compile(
    r"(tối thiểu|ít nhất|không dưới|không ít hơn|từ|không quá|tối đa|trên)\s+"
    r"(\d{1,4}(?:[.,]\d+)?)\s+([^\W\d_]+)",
    re.I,
)


def _comparator(before: str, after: str) -> str:
    if re.match(r"^\s*trở\s+lên", after, re.I):
        return ">="
    if re.match(r"^\s*trở\s+xuống", after, re.I):
        return "<="
    for pattern, comparator in (
        (_GE_BEFORE, ">="),
        (_LE_BEFORE, "<="),
        (_LT_BEFORE, "<"),
        (_GT_BEFORE, ">"),
    ):
        if pattern.search(before):
            return comparator
    return "="


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        return None


def target_figure(text: str) -> tuple[str | None, Decimal | str | None, str | None]:
    """(comparator, value, unit) of the first figure in a target; (None, None, None) if none."""
    candidates: list[tuple[int, str | None, Decimal | str | None, str | None]] = []
    percent = _PERCENT.search(text)
    if percent:
        comparator = _comparator(
            text[max(0, percent.start() - 30) : percent.start()], text[percent.end() :]
        )
        candidates.append((percent.start(), comparator, _decimal(percent.group(1)), "%"))
    rating = _RATING.search(text)
    if rating:
        # A rating target is met by that rating or a better one, written "trở lên" or not.
        candidates.append((rating.start(), ">=", rating.group(1).capitalize(), "xếp loại"))
    for count in _COUNT.finditer(text):
        value = _decimal(count.group(2))
        unit = count.group(3).lower()
        if value is None or value >= 1900 or (unit in ("năm", "tháng", "ngày") and value > 31):
            continue
        comparator = _comparator(count.group(1) + " ", text[count.end() :])
        candidates.append((count.start(), comparator, value, unit))
        break
    if not candidates:
        return None, None, None
    _, comparator, value, unit = min(candidates, key=lambda item: item[0])
    return comparator, value, unit


# Each rule: code, subject pattern (its position decides between rules), pattern that must
# also occur (anywhere: word order varies), and whether the subject must be in the first sentence.
_KPI_RULES: tuple[tuple[str, str, str | None, bool], ...] = (
    (
        "cchc_self_score",
        r"chi so (?:cai cach hanh chinh|cchc)|par ?index|(?:danh gia|xep loai)[^.;]{0,40}"
        r"(?:cai cach hanh chinh|cchc)|(?:cai cach hanh chinh|cchc)[^.;]{0,40}xep loai",
        None,
        False,
    ),
    (
        "dossier_on_time_rate",
        r"dung han|dung hen|truoc han|dung thoi han",
        r"ho so|tthc|thu tuc",
        False,
    ),
    ("late_apology_rate", r"xin loi", r"tre han|tre hen|qua han|cham", True),
    ("satisfaction_rate", r"hai long", None, False),
    (
        "feedback_on_time_rate",
        r"phan anh|kien nghi|pakn",
        r"xu ly|phan hoi|tra loi|giai quyet",
        False,
    ),
    (
        "cashless_rate",
        r"thanh toan (?:dien tu|truc tuyen|khong dung tien mat|qua (?:ngan hang|tai khoan))"
        r"|khong dung tien mat|cashless|thanh toan [^.;]{0,30}qr",
        None,
        False,
    ),
    ("e_document_rate", r"van ban|tai lieu", r"dien tu|moi truong mang|truc tuyen", False),
    ("digital_signature_rate", r"chu ky so|ky so|ky dien tu", None, False),
    (
        "official_email_rate",
        r"thu dien tu cong vu|hop thu (?:dien tu )?cong vu|e-?mail cong vu|thu cong vu",
        None,
        False,
    ),
)
_KPI_BEATS_E_DOCUMENT = ("digital_signature_rate", "official_email_rate")


def match_kpi(text: str) -> str | None:
    """KPI code measured by a target, or ``None``: the rule whose subject comes first wins.

    "100% văn bản đi được ký số" is about signatures, not e-documents: a signature or official
    e-mail rule beats the e-document rule whatever the order of words.
    """
    folded = fold(text)
    first_sentence = re.split(r"[.;](?:\s|$)", folded, maxsplit=1)[0]
    hits: dict[str, int] = {}
    for code, subject, required, in_first_sentence in _KPI_RULES:
        scope = first_sentence if in_first_sentence else folded
        match = re.search(subject, scope)
        if match and (required is None or re.search(required, scope)):
            hits[code] = match.start()
    if "e_document_rate" in hits and any(code in hits for code in _KPI_BEATS_E_DOCUMENT):
        del hits["e_document_rate"]
    return min(hits, key=lambda code: hits[code]) if hits else None


# =========================================================================== body tree


def short_title(text: str, limit: int = 150) -> str:
    """First sentence or clause of an item, at most ``limit`` characters, no final punctuation."""
    text = " ".join(text.split())
    end = re.search(r"[;:!?]|\.(?=\s+[A-ZĐÀ-Ỹ]|\s*$)", text)
    if end and end.start() >= 3:
        text = text[: end.start()]
    if len(text) > limit:
        cut = text.rfind(", ", 0, limit)
        if cut < limit // 3:
            cut = text.rfind(" ", 0, limit)
        text = text[: cut if cut > 0 else limit]
    return text.strip().rstrip(" ,;:.-–")


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


def _table_row(line: _Line, roles: dict[int, str] | None) -> _Para | None:
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


def _paragraphs(lines: list[_Line], wrap_width: int | None = None) -> list[_Para]:
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
        item = _classify(line.text)
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


def _build_tree(paragraphs: list[_Para], warnings: list[str]) -> list[Section]:
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


# --------------------------------------------------------------------------- assignments

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


def _duty(text: str) -> str:
    text = text.strip().rstrip(" .;,:")
    return text[:1].upper() + text[1:]


def _assignments(part: Section, warnings: list[str]) -> list[AssignmentItem]:
    assignments: list[AssignmentItem] = []
    for child in part.children:
        if child.kind == "paragraph" and not child.children:
            continue
        duties = [_duty(node.text) for node in child.walk() if node is not child]
        person = _person(child.text)
        if person:
            name, honorific, title, inline = person
            duties = [_duty(inline), *duties] if inline else duties
            assignments.append(AssignmentItem(name, honorific, title, duties, "person", child.line))
            continue
        if any(c.kind in _NUMBERED_KINDS for c in child.children):
            assignments.extend(_assignments(child, warnings))
            continue
        unit = _unit_assignment(child.text)
        if unit:
            title, inline = unit
            duties = [_duty(inline), *duties] if inline else duties
            assignments.append(AssignmentItem("", "", title, duties, "unit", child.line))
            continue
        warnings.append(
            f"Dòng {child.line}: mục “{short_title(child.text, 60)}” trong phần Tổ chức thực hiện "
            "không nêu người hay đơn vị; không tạo phân công."
        )
    return assignments


# =========================================================================== ending

_SIGNER_TITLES = frozenset(
    {
        "hieu truong", "pho hieu truong", "chu tich", "pho chu tich", "giam doc", "pho giam doc",
        "truong phong", "pho truong phong", "bi thu", "pho bi thu", "truong ban", "pho truong ban",
        "thu truong", "thu truong don vi", "chanh van phong", "truong tram", "to truong",
        "nguoi lap", "nguoi lap ke hoach", "nguoi ky",
    }
)  # fmt: skip


def _is_authority(text: str) -> bool:
    text = text.strip()
    if not text or len(text) > 70 or text != text.upper() or not any(c.isalpha() for c in text):
        return False
    folded = fold(text)
    return bool(re.match(r"(?:tm|kt|tl|tuq|q)\s*\.\s*\S", folded)) or folded in _SIGNER_TITLES


_ACADEMIC_TITLE = re.compile(r"^(?:PGS\.\s*TS|ThS|TS|CN|KS|BS|NGƯT|NGND)\.?\s+")


def _looks_like_name(text: str) -> bool:
    words = _ACADEMIC_TITLE.sub("", text).split()
    return (
        2 <= len(words) <= 6
        and len(text) <= 50
        and all(word[0].isupper() and word.isalpha() for word in words)
        and fold(text) not in _SIGNER_TITLES
    )


def _ending_start(lines: list[_Line], start: int) -> int:
    for index in range(start, len(lines)):
        line = lines[index]
        folded = fold(line.text)
        if folded.startswith(("tren day", "noi nhan", "kinh gui")) or _is_authority(
            _pieces(line)[0]
        ):
            return index
    last = len(lines) - 1
    if last > start and _looks_like_name(lines[last].text) and not _classify(lines[last].text):
        return last
    return len(lines)


@dataclass
class _Ending:
    closing: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    signer: str | None = None


def _parse_ending(lines: list[_Line], warnings: list[str]) -> _Ending:
    ending = _Ending()
    mode = ""
    # Side-by-side blocks interleave "Nơi nhận" and the signature on the same lines, so a
    # recipient is recognised by its own shape once "Nơi nhận:" was seen, whatever came last.
    has_recipients = False
    closing_open = False  # "Trên đây là …" wrapped over lines and not yet ended by "./."
    for line in lines:
        for piece in _pieces(line):
            folded = fold(piece)
            bullet = _BULLET.match(piece)
            match = re.match(r"^(?:Nơi nhận|Kính gửi)\s*:?\s*(.*)$", piece, re.I)
            if folded.startswith("tren day"):
                mode = "closing"
                ending.closing.append(piece)
                closing_open = not (line.closed or re.search(r"[.!?]$", piece))
            elif match:
                mode = "recipients"
                has_recipients = True
                if match.group(1).strip(" -"):
                    ending.recipients.append(_duty(match.group(1).lstrip("-–+• ")))
            elif _is_authority(piece):
                mode = "signature"
                ending.signature.append(piece)
            elif re.fullmatch(r"[(\[].*[)\]]", piece):
                continue
            elif mode == "closing" and closing_open:
                ending.closing[-1] += " " + piece
                closing_open = not (line.closed or re.search(r"[.!?]$", piece))
            elif has_recipients and (bullet or piece.endswith((";", ".", ","))):
                ending.recipients.append(_duty(bullet.group("rest") if bullet else piece))
            elif _looks_like_name(piece) and ending.signer is None:
                ending.signer = _ACADEMIC_TITLE.sub("", piece)
            elif mode == "recipients" and len(piece) <= 100:
                ending.recipients.append(_duty(piece))
            else:
                warnings.append(
                    f"Dòng {line.number}: không nhận ra dòng ở phần cuối văn bản: “{piece[:80]}”."
                )
    return ending


# =========================================================================== the parser


def _body_start(lines: list[_Line], start: int) -> int | None:
    for index in range(start, len(lines)):
        para = _classify(lines[index].text)
        if para and para.kind == "part":
            return index
    for index in range(start, len(lines)):
        para = _classify(lines[index].text)
        if (
            para
            and para.kind == "item"
            and para.rank == 1
            and not fold(para.text).startswith("can cu")
        ):
            return index
    return None


def _document_kind(lines: list[_Line]) -> str | None:
    """The type named by a standalone upper-case title line ("BÁO CÁO", "QUYẾT ĐỊNH", …)."""
    for line in lines[:60]:
        folded = fold(line.text)
        if line.text.isupper():
            for key, name in _OTHER_TYPES.items():
                if folded == key or folded.startswith(key + " "):
                    return name
    return None


def _sentence_case(text: str) -> str:
    lowered = text.lower()
    return lowered[:1].upper() + lowered[1:]


def parse_plan(text: str) -> ParsedPlan:
    """Recognise a plan's structure; raise :class:`PlanParseError` only if it is no plan at all."""
    text = clean_text(text)
    if not text.strip():
        raise PlanParseError("Tệp rỗng.")
    lines = _read_lines(text)
    if not lines:
        raise PlanParseError("Tệp rỗng.")
    warnings: list[str] = []
    first_part = next(
        (i for i, ln in enumerate(lines) if (p := _classify(ln.text)) and p.kind == "part"), None
    )
    search_end = first_part if first_part is not None else len(lines)
    title_index = next(
        (i for i in range(min(search_end, 80)) if _title_match(lines[i]) is not None), None
    )
    if title_index is None:
        other = _document_kind(lines[:search_end])
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
        plan.title, after_title = _title_block(lines, title_index, search_end)
    else:
        count = 0
        while count < search_end and _is_header_like(lines[count]):
            count += 1
        header_lines, after_title = lines[:count], count
    body_start = _body_start(lines, after_title)
    if body_start is None:
        raise PlanParseError(
            "Không nhận ra cấu trúc kế hoạch: có tiêu đề 'KẾ HOẠCH' nhưng không có mục nào được "
            "đánh số (I., 1., 1.1.)."
        )
    body_end = max(_ending_start(lines, body_start), body_start)

    header = _parse_header(header_lines, warnings)
    wrap_width = _wrap_width(lines)
    _read_preamble(plan, lines[after_title:body_start], wrap_width)
    plan.sections = _build_tree(_paragraphs(lines[body_start:body_end], wrap_width), warnings)
    ending = _parse_ending(lines[body_end:], warnings)
    _fill_header(plan, header)
    _read_body(plan, warnings)
    plan.closing = "\n".join(ending.closing)
    plan.recipients = ending.recipients
    plan.signature_lines = ending.signature
    plan.signer = ending.signer
    if ending.signature:
        plan.signer_title = _sentence_case(ending.signature[-1])
    _report(plan, header, warnings)
    plan.warnings = warnings
    return plan


def _read_preamble(plan: ParsedPlan, lines: list[_Line], wrap_width: int | None) -> None:
    introduction: list[str] = []
    for para in _paragraphs(lines, wrap_width):
        text = para.text.strip()
        if fold(text).startswith("can cu"):
            plan.basis.append(Basis(text.rstrip(" ;,"), extract_references(text), para.line))
        elif text:
            introduction.append(text)
    plan.introduction = "\n".join(introduction)


def _fill_header(plan: ParsedPlan, header: _Header) -> None:
    plan.number, plan.symbol = header.number, header.symbol
    plan.place, plan.date = header.place, header.date
    if header.bodies:
        plan.issuer = header.bodies[-1]
        plan.parent_body = header.bodies[0] if len(header.bodies) > 1 else ""
    title_year = re.search(r"\bnăm\s+((?:19|20)\d{2})\b", plan.title, re.I)
    plan.year = int(title_year.group(1)) if title_year else header.year
    plan.unit = _unit_from_title(plan.title)
    if not plan.unit and plan.issuer:
        plan.unit = _unit_name(plan.issuer)
    if not plan.unit:
        match = re.match(
            r"^((?:Trường|Ủy ban|Uỷ ban|UBND)\s[^,;]{3,80}?)\s+(?:xây dựng|ban hành)",
            plan.introduction,
        )
        plan.unit = match.group(1) if match else ""


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


def _read_body(plan: ParsedPlan, warnings: list[str]) -> None:
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


def _report(plan: ParsedPlan, header: _Header, warnings: list[str]) -> None:
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
