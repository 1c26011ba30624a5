"""Give a plan pasted from a web page or a PDF its lines back before it is parsed.

Plans reach schools as web pages (news items, legal-document sites) and PDFs, and a copy-paste
of either loses the layout of the Decree 30/2020 header:

* legal-document sites render the two header columns as a table: "ỦY BAN NHÂN DÂN | CỘNG HÒA
  XÃ HỘI CHỦ NGHĨA VIỆT NAM |", lone "|" lines, and a metadata table ("| Số hiệu | … |") and a
  caption line above the document;
* PDF text interleaves the two columns: "UBND XÃ BÌNH HƯNG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
  "TRƯỜNG THCS NGUYỄN THÁI BÌNH Độc lập - Tự do - Hạnh phúc";
* the national title breaks in two ("CỘNG HÒA XÃ HỘI" / "CHỦ NGHĨA VIỆT NAM");
* a reference is glued to the next word ("158/KH-UBNDngày 20/12/2024") or broken at a line end
  ("4021/KH-" / "UBND ngày …");
* a news sentence is glued before the title ("… ban hành kế hoạch dưới đây. KẾ HOẠCH …"), and
  the title runs on into the basis and the first part ("KẾ HOẠCH … năm 2024 Căn cứ … I. MỤC").

Each repair only splits or joins at one of these recognisable seams, so a plan typed properly
passes through unchanged. Pure: no Django import.
"""

from __future__ import annotations

import re

from cchc.core.text import fold

# Rows of the metadata table legal-document sites put above a document.
_SITE_META = re.compile(
    r"^\|?\s*(?:Số hiệu|Ngày ban hành|Ngày có hiệu lực|Ngày hiệu lực|Loại văn bản|Cơ quan ban "
    r"hành|Nơi ban hành|Người ký|Lĩnh vực|Tình trạng|Ngày công báo|Số công báo)\s*[|:]",
    re.IGNORECASE,
)
# The caption such a site puts above the document: "Kế hoạch 257/KH-UBND năm 2025 …".
_SITE_CAPTION = re.compile(
    r"^(?:Kế hoạch|Quyết định|Công văn)\s+\d{1,5}/[^\s]+\s+(?:năm|ngày)\s", re.IGNORECASE
)
_NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
_NATIONAL_RE = re.compile(r"C[ỘO]NG\s+H[ÒOÓ]A\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM")
_MOTTO_RE = re.compile(r"Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc", re.IGNORECASE)
# A reference glued to the word after it: "158/KH-UBNDngày", "12/KH-UBNDcủa".
_GLUED_REFERENCE = re.compile(r"(\d{1,5}\s*/\s*[A-ZĐ0-9][A-ZĐ0-9.&\-]*[A-ZĐ0-9])(?=(\w+))")
# A reference broken at a line end: "4021/KH-" + "UBND", "4021/" + "KH-UBND", "4021" + "/KH".
_BROKEN_REFERENCE = (
    re.compile(r"(\d{1,5}\s*/\s*(?:[A-ZĐ0-9.&]+-)+)[ \t]*\n[ \t]*(?=[A-ZĐ])"),
    re.compile(r"(\d{1,5}\s*/)[ \t]*\n[ \t]*(?=[A-ZĐ]{2})"),
    re.compile(r"((?:số|Số)\s+\d{1,5})[ \t]*\n[ \t]*(?=/[A-ZĐ])"),
)
# Where a run-on title or header line is cut: before the basis, before the first part.
_RUN_ON = re.compile(
    r"(?<=\S)\s+(?=Căn cứ\s|Thực hiện\s+(?:Kế hoạch|Nghị quyết|Quyết định|Chỉ thị|Công văn"
    r"|Thông tư|Luật|Chương trình)\b|(?:I|II|III|IV|V|VI)\.\s+(?P<word>\w\w))"
)
# A new agency starting in the middle of an upper-case header line ("UBND TỈNH … SỞ …").
_AGENCY_START = re.compile(r"(?<=\w)\s+(?=(?:SỞ|TRƯỜNG|VĂN PHÒNG|(?<!VĂN )PHÒNG)\s)")
_HEADER_SPAN = 40


def _split_header_line(line: str) -> list[str]:
    """One header line of a PDF or a pasted table into its columns."""
    pieces = [p.strip() for p in line.split("|")] if "|" in line else [line]
    out: list[str] = []
    for piece in pieces:
        piece = _NATIONAL_RE.sub(lambda m: f"\n{_NATIONAL}\n", piece)
        piece = _MOTTO_RE.sub(lambda m: f"\n{m.group(0)}\n", piece)
        piece = re.sub(r"(?<=\S)\s+(?=Số\s*:)", "\n", piece)
        for part in piece.split("\n"):
            part = part.strip()
            if part:
                out.extend(_split_agencies(part))
    return out


def _join_national(lines: list[str]) -> list[str]:
    """ "CỘNG HÒA XÃ HỘI" + "CHỦ NGHĨA VIỆT NAM" on two lines → one line."""
    out: list[str] = []
    for line in lines:
        if out and fold(out[-1]) == "cong hoa xa hoi" and fold(line) == "chu nghia viet nam":
            out[-1] = _NATIONAL
        else:
            out.append(line)
    return out


def _unglue(match: re.Match[str]) -> str:
    """Space before a glued word ("UBNDngày"), not inside a symbol ending in lower case
    ("CT-TTg": one letter)."""
    word = match.group(2)
    glued = len(word) >= 2 and word[:2].islower()
    return match.group(1) + (" " if glued else "")


def _cut_run_on(match: re.Match[str]) -> str:
    word = match.group("word")
    return match.group(0) if word is not None and not word.isupper() else "\n"


def _split_agencies(line: str) -> list[str]:
    """ "PHÒNG GDĐT THÀNH PHỐ BẢO LỘC TRƯỜNG TIỂU HỌC KIM ĐỒNG" → the two agencies."""
    if not line.isupper() or len(line.split()) <= 3 or "KẾ HOẠCH" in line:
        return [line]
    if re.search(r"NĂM\s+\d{4}", line):
        return [line]
    return [part.strip() for part in _AGENCY_START.sub("\n", line).split("\n")]


def restore_lines(text: str) -> str:
    """The text with the seams of a web or PDF paste repaired (see the module docstring)."""
    text = _GLUED_REFERENCE.sub(_unglue, text)
    for pattern in _BROKEN_REFERENCE:
        text = pattern.sub(r"\1", text)
    lines = text.split("\n")
    head, tail = lines[:_HEADER_SPAN], lines[_HEADER_SPAN:]
    repaired: list[str] = []
    for index, line in enumerate(head):
        stripped = line.strip()
        if _SITE_META.match(stripped) or (index < 5 and _SITE_CAPTION.match(stripped)):
            continue
        if stripped in {"|", "||"}:
            continue
        if (
            "|" in stripped
            or _NATIONAL_RE.search(stripped)
            or _MOTTO_RE.search(stripped)
            or re.search(r"\S\s+Số\s*:", stripped)
        ) and not stripped.startswith(("Căn cứ", "Thực hiện")):
            repaired.extend(_split_header_line(stripped))
            continue
        # A news sentence glued before the title: "… dưới đây. KẾ HOẠCH …".
        line = re.sub(r"(?<=[.!?:;)])\s+(?=KẾ\s*HOẠCH\b)", "\n", line)
        if "KẾ HOẠCH" in line or stripped.isupper():
            line = _RUN_ON.sub(_cut_run_on, line)
        for part in line.split("\n"):
            repaired.extend(_split_agencies(part.strip()) if part.strip() else [part])
    return "\n".join(_join_national(repaired) + tail)
