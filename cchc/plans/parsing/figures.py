"""Figures and phrases read out of free text: cited documents, target figures, KPIs, titles.

``extract_references`` finds "Kế hoạch số 211/KH-UBND ngày … của …"; ``target_figure`` reads
the comparator, value and unit of a target ("đạt từ 95% trở lên"); ``match_kpi`` ties a target
to a KPI code; ``short_title`` and ``duty_text`` shorten and tidy item texts. The symbol and date
helpers are shared with the header.

Underscore names are private to the package and shared between its modules.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from cchc.documents.references import find_references, type_name
from cchc.plans.parsing.reading import fold
from cchc.plans.parsing.types import DocumentReference

__all__ = ["extract_references", "kpi_family", "match_kpi", "short_title", "target_figure"]


# =========================================================================== symbols and dates


# One definition of "số, ký hiệu" for the whole project: cchc.documents.references.


def make_date(day: str | None, month: str | None, year: str | None) -> dt.date | None:
    if not (day and month and year):
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def normalise_symbol(number: str, tail: str) -> str:
    tail = re.sub(r"\s+", "", tail).replace("–", "-")
    return f"{number}/{tail}"


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
_ISSUER_BY_SUFFIX = {"CP": "Chính phủ", "TTg": "Thủ tướng Chính phủ", "VPCP": "Văn phòng Chính phủ"}
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
    for ref in find_references(text):
        symbol = ref.written
        leading = re.match(r"\d+", symbol)
        if leading is None:
            continue  # a reference is written from its number ("12/KH-UBND"); never happens
        written_number = leading[0]
        window_start = max(boundary, ref.start - 120, text.rfind(";", 0, ref.start) + 1)
        before = text[window_start : ref.start]
        type_match = _type_before(before)
        doc_type = ""
        if type_match:
            doc_type = _TYPE_BY_LOWER.get(type_match.group(1).lower(), type_match.group(1))
        else:
            doc_type = ref.type or (type_name(ref.type_code) if ref.type_code else "") or ""
        end = ref.end
        after = text[end:]
        date_match = _REFERENCE_DATE.match(after)
        found_date = None
        if date_match:
            found_date = make_date(
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
        start = window_start + type_match.start() if type_match else ref.start
        boundary = end
        if symbol in seen:
            continue
        seen.add(symbol)
        raw = " ".join(text[start:end].split()).strip(" ,;.")
        references.append(
            DocumentReference(raw, written_number, symbol, doc_type, found_date, issuer)
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
    _, first_comparator, first_value, first_unit = min(candidates, key=lambda item: item[0])
    return first_comparator, first_value, first_unit


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
        # A target about publishing the results only ("100% kết quả giải quyết phản ánh được
        # công khai"); target 4 names handling first, so its subject starts later and loses.
        "feedback_published_rate",
        r"ket qua (?:giai quyet|xu ly|tra loi)[^.;]{0,40}(?:phan anh|kien nghi|pakn)"
        r"[^.;]{0,60}cong khai|cong khai[^.;]{0,30}ket qua[^.;]{0,40}(?:phan anh|kien nghi|pakn)",
        None,
        True,
    ),
    (
        "feedback_on_time_rate",
        r"phan anh|kien nghi|pakn",
        r"xu ly|phan hoi|tra loi|giai quyet",
        False,
    ),
    # "100% viên chức ứng dụng thanh toán điện tử": counts staff who collect cashless, not payments.
    ("e_payment_staff_rate", r"vien chuc[^.;]{0,40}thanh toan", None, False),
    (
        "cashless_rate",
        r"thanh toan (?:dien tu|truc tuyen|khong dung tien mat|qua (?:ngan hang|tai khoan))"
        r"|khong dung tien mat|cashless|thanh toan [^.;]{0,30}qr",
        None,
        False,
    ),
    # Target 6 "Xây dựng môi trường làm việc điện tử": its own indicator, use of the system.
    ("e_workplace_rate", r"moi truong lam viec dien tu|van phong (?:dien tu|so)", None, False),
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


# Codes that measure the same subject from another side: a duty that names one names them all
# ("ứng dụng thanh toán điện tử … đạt 100%" is about the cashless figures, whichever is bound).
_KPI_FAMILY = {
    "cashless_value_rate": "cashless_rate",
    "e_payment_staff_rate": "cashless_rate",
    "dossier_on_time_rate_766": "dossier_on_time_rate",
    "outgoing_signed_rate": "digital_signature_rate",
    "one_stop_paper_signed_rate": "digital_signature_rate",
}


def kpi_family(code: str | None) -> str | None:
    """The subject a KPI code measures, shared by its variants (see `_KPI_FAMILY`)."""
    return _KPI_FAMILY.get(code or "", code)


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


# =========================================================================== item titles


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


def duty_text(text: str) -> str:
    text = text.strip().rstrip(" .;,:")
    return text[:1].upper() + text[1:]
