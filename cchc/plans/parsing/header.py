"""The parts around the body: header block, "KẾ HOẠCH" title, closing, recipients, signature.

The header (issuing bodies, "Số: 211/KH-UBND", place and date) and the ending ("Trên đây là …",
"Nơi nhận:", the signing authority and name) are often side-by-side blocks: ``_pieces`` splits
such a line into its columns before either is read. Also here: the unit named by the title or
the issuer, and the document type of a paper that is not a plan at all.

Underscore names are private to the package and shared between its modules.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from cchc.documents.references import SYMBOL_TAIL
from cchc.plans.parsing.figures import duty_text, make_date, normalise_symbol
from cchc.plans.parsing.lines import BULLET, Line, classify
from cchc.plans.parsing.reading import fold

# =========================================================================== header and title


_NATIONAL_TITLE = "cong hoa xa hoi chu nghia viet nam"


_NUMBER_LINE = re.compile(
    rf"\b(?i:số)\s*:?\s*(?P<num>\d{{1,5}}[a-z]?)?\s*/\s*(?P<tail>{SYMBOL_TAIL})"
)
DATE_WORDS = re.compile(
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


def _pieces(line: Line) -> list[str]:
    """Split a side-by-side line (issuer | national title, Nơi nhận | signer) into its columns."""
    # The blanks of an unsigned date ("ngày     tháng 01 năm 2026") are not a column gap.
    raw = re.sub(r"(?i)\b(ngày|tháng)\s{3,}(?=tháng|năm|\d)", r"\1 ", line.raw)
    return [" ".join(piece.split()) for piece in re.split(r"\s{3,}", raw) if piece.strip()]


@dataclass
class Header:
    bodies: list[str] = field(default_factory=list)
    number: str | None = None
    symbol: str | None = None
    place: str | None = None
    date: dt.date | None = None
    year: int | None = None
    found: int = 0


def is_header_like(line: Line) -> bool:
    folded = fold(line.text)
    return (
        _NATIONAL_TITLE in folded
        or ("doc lap" in folded and "hanh phuc" in folded)
        or bool(_NUMBER_LINE.search(line.text) or DATE_WORDS.search(line.text))
        or (line.text.isupper() and len(line.text) <= 80 and not folded.startswith("ke hoach"))
    )


def is_header_line(text: str) -> bool:
    """National title, motto, "Số: …/KH-…" or "<place>, ngày … tháng … năm …"."""
    folded = fold(text)
    return (
        _NATIONAL_TITLE in folded
        or ("doc lap" in folded and "hanh phuc" in folded)
        or bool(_NUMBER_LINE.match(text))
        or bool(re.match(r"^[^\d,]{2,40},\s*(?i:ngày)\s*\d", text))
    )


def parse_header(lines: list[Line], warnings: list[str]) -> Header:
    header = Header()
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
                    header.symbol = normalise_symbol(match.group("num"), match.group("tail"))
                else:
                    warnings.append(
                        f"Dòng {line.number}: số văn bản để trống ({match.group(0).strip()})."
                    )
                rest = (rest[: match.start()] + " " + rest[match.end() :]).strip()
            match = DATE_WORDS.search(rest) or _DATE_NUMERIC.search(rest)
            if match:
                header.found += 1
                header.year = int(match.group("y"))
                header.date = make_date(*match.group("d", "m", "y"))
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


def title_match(line: Line) -> str | None:
    """The subject written on the "KẾ HOẠCH" line itself, "" when alone; ``None`` if not a title."""
    match = re.match(r"^KẾ\s*HOẠCH\b\s*[:\-–]?\s*(.*)$", line.text)
    if match and (not match.group(1) or match.group(1)[0].isupper() or match.group(1).isupper()):
        return match.group(1).strip()
    if fold(line.text) == "ke hoach":
        return ""
    return None


def title_block(lines: list[Line], index: int, stop: int) -> tuple[str, int]:
    """Collect the subject lines after "KẾ HOẠCH"; return the title and the next line index."""
    first = title_match(lines[index]) or ""
    parts = [first] if first else []
    position = index + 1
    while position < stop and len(parts) < 4:
        line = lines[position]
        text = line.text
        folded = fold(text)
        if (
            folded.startswith("can cu")
            or classify(text)
            or len(text) > 200
            or text.endswith(":")
            or "xay dung ke hoach" in folded
            # Pasted pages: "(Ban hành kèm theo …)", a news sentence ("Ngày 18 tháng 7 …"),
            # or the header printed after the title.
            or text.startswith("(")
            or re.match(r"(?i)ngày\s+\d", text)
            or is_header_line(text)
            or (parts and text.isupper() and not parts[-1].isupper())
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


def unit_name(upper: str) -> str:
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


def unit_from_title(title: str) -> str:
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


def document_kind(lines: list[Line]) -> str | None:
    """The type named by a standalone upper-case title line ("BÁO CÁO", "QUYẾT ĐỊNH", …)."""
    for line in lines[:60]:
        folded = fold(line.text)
        if line.text.isupper():
            for key, name in _OTHER_TYPES.items():
                if folded == key or folded.startswith(key + " "):
                    return name
    return None


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


def ending_start(lines: list[Line], start: int) -> int:
    for index in range(start, len(lines)):
        line = lines[index]
        folded = fold(line.text)
        if folded.startswith(("tren day", "noi nhan", "kinh gui")) or _is_authority(
            _pieces(line)[0]
        ):
            return index
    last = len(lines) - 1
    if last > start and _looks_like_name(lines[last].text) and not classify(lines[last].text):
        return last
    return len(lines)


@dataclass
class _Ending:
    closing: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    signer: str | None = None


def parse_ending(lines: list[Line], warnings: list[str]) -> _Ending:
    ending = _Ending()
    mode = ""
    # Side-by-side blocks interleave "Nơi nhận" and the signature on the same lines, so a
    # recipient is recognised by its own shape once "Nơi nhận:" was seen, whatever came last.
    has_recipients = False
    closing_open = False  # "Trên đây là …" wrapped over lines and not yet ended by "./."
    for line in lines:
        for piece in _pieces(line):
            folded = fold(piece)
            bullet = BULLET.match(piece)
            match = re.match(r"^(?:Nơi nhận|Kính gửi)\s*:?\s*(.*)$", piece, re.I)
            if folded.startswith("tren day"):
                mode = "closing"
                ending.closing.append(piece)
                closing_open = not (line.closed or re.search(r"[.!?]$", piece))
            elif match:
                mode = "recipients"
                has_recipients = True
                if match.group(1).strip(" -"):
                    ending.recipients.append(duty_text(match.group(1).lstrip("-–+• ")))
            elif _is_authority(piece):
                mode = "signature"
                ending.signature.append(piece)
            elif re.fullmatch(r"[(\[].*[)\]]", piece):
                continue
            elif mode == "closing" and closing_open:
                ending.closing[-1] += " " + piece
                closing_open = not (line.closed or re.search(r"[.!?]$", piece))
            elif has_recipients and (bullet or piece.endswith((";", ".", ","))):
                ending.recipients.append(duty_text(bullet.group("rest") if bullet else piece))
            elif _looks_like_name(piece) and ending.signer is None:
                ending.signer = _ACADEMIC_TITLE.sub("", piece)
            elif mode == "recipients" and len(piece) <= 100:
                ending.recipients.append(duty_text(piece))
            else:
                warnings.append(
                    f"Dòng {line.number}: không nhận ra dòng ở phần cuối văn bản: “{piece[:80]}”."
                )
    return ending
