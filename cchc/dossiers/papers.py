"""Official papers of the one-stop workflow: Circular 03/2025/TT-VPCP, Phụ lục I, forms 01–07.

Pure functions, no Django. The caller maps its models onto the frozen dataclasses below, gets
one `OfficialDocument` per form (laid out by `cchc.core.official_docs`, Decree 30/2020) and turns
it into bytes with `render(doc, "docx" | "pdf")`. Slips 01–06 are A5 (Circular 01/2018 Art. 9,
kept as the default for 2025: domain.md 1.5, domain-2025.md 4). The tracking book 07 (A4) is a
spreadsheet, not a Word paper: `cchc.dossiers.book_sheet`.

The layout beyond Decree 30 that the forms need is asked of the builder through options of
`OfficialDocument`: the side-by-side signatures of the submitter and the officer (forms 01 and
03), with the receipt's look-up QR code and the other apps' codes beside them rather than in the
page-1 footer; compact body lines so that a slip fits one A5 page; rows that do not split
across pages.

Field lists follow the reproduction of the Circular 03/2025 forms in domain-2025.md 4 (form 05
was not found: its fields follow Circular 03 Art. 7). Times are printed in Vietnam time.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import segno

from cchc.core.official_docs import (
    OfficialDocument,
    OfficialHeader,
    Paragraph,
    QrCode,
    SignatureBlock,
    Table,
    build_docx,
    docx_to_pdf,
)
from cchc.core.timezones import VN

QR_CAPTION = "Quét mã để tra cứu hồ sơ"
SIGN_HERE = "(Ký và ghi rõ họ tên)"
BLANK = "…"

TITLES = {
    "01": "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    "02": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
    "03": "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
    "04": "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
    "05": "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
    "06": "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
    "07": "SỔ THEO DÕI HỒ SƠ",
}
# Where a title too long for one A5 line breaks (instead of leaving "QUYẾT" alone on the second).
_TITLE_LINES = {"04": "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN\nTHỜI GIAN GIẢI QUYẾT"}
# The code before the unit's symbol in "Số: …/PBS-THCSNTB" (the ministry copy of Phụ lục I shows
# none on form 01; form 05 was not found, so it takes Decree 30's abbreviation for Thông báo).
NUMBER_CODES = {
    "01": "",
    "02": "PBS",
    "03": "PTC",
    "04": "PXL",
    "05": "TB",
    "06": "PKS",
    "07": "STD",
}
HANDOVER_RESULTS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn", "": ""}

# --- input ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitInfo:
    """The receiving unit (the school) and the body above it, for the header of every form."""

    name: str
    parent_name: str
    place: str
    symbol: str
    address: str = ""
    phone: str = ""
    code: str = ""  # the unit's electronic identifier (mã định danh điện tử)


@dataclass(frozen=True)
class ApplicantInfo:
    """The person or organisation that submitted the dossier."""

    name: str
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class DocumentLine:
    """One paper of the dossier with the number of originals and copies handed in."""

    name: str
    originals: int = 0
    copies: int = 0


@dataclass(frozen=True)
class HandOver:
    """One hand-over of the dossier; `result` is "early", "on_time", "late" or "" (unknown)."""

    from_name: str
    to_name: str
    at: datetime
    result: str
    note: str = ""


@dataclass(frozen=True)
class CodeNote:
    """What another app adds to a paper handed to the applicant (the fee's VietQR on the
    receipt, the satisfaction-rating link): `lines` go at the end of the body, the QR code of
    `payload` beside the signatures with its short `caption` under it. Without a payload only
    the lines are printed (a fee already paid has nothing left to scan)."""

    lines: Sequence[str] = ()
    payload: str | None = None
    caption: str = ""


@dataclass(frozen=True)
class DossierInfo:
    """What the papers print about one dossier; `due_at` is the appointment, hour included."""

    code: str
    procedure_name: str
    procedure_code: str
    received_at: datetime
    due_at: datetime
    time_limit_text: str
    documents: Sequence[DocumentLine]
    sets: int
    applicant: ApplicantInfo
    receiver_name: str
    return_place: str
    lookup_url: str
    book_entry: int | None
    new_due_at: datetime | None = None
    lead_body: str = ""
    coordinating_bodies: str = ""
    handovers: Sequence[HandOver] = ()
    notes: Sequence[CodeNote] = ()


# --- formatting -------------------------------------------------------------------------------


def _local(value: datetime) -> datetime:
    """Vietnam time; a naive datetime is taken to be Vietnam time already."""
    return value.astimezone(VN) if value.tzinfo is not None else value


def _day(value: datetime | date | None) -> str:
    """dd/mm/yyyy, blank for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value).date()
    return value.strftime("%d/%m/%Y")


def _clock(value: datetime) -> str:
    """Hour, minute and date in Vietnam time: "08 giờ 05 phút, ngày 28/11/2026"."""
    local = _local(value)
    return f"{local.hour:02d} giờ {local.minute:02d} phút, ngày {_day(local)}"


def _count(value: int) -> str:
    """Counts of sets and copies with a leading zero ("01"); zero is left blank."""
    return f"{value:02d}" if value else ""


def _or_blank(value: str) -> str:
    return value.strip() or BLANK


def _today() -> date:
    return datetime.now(VN).date()


def _procedure(dossier: DossierInfo) -> str:
    code = dossier.procedure_code.strip()
    return f"{dossier.procedure_name} (mã thủ tục: {code})" if code else dossier.procedure_name


def _contact_lines(applicant: ApplicantInfo) -> str:
    return (
        f"Địa chỉ: {_or_blank(applicant.address)}\n"
        f"Số điện thoại: {_or_blank(applicant.phone)}; Email: {_or_blank(applicant.email)}"
    )


def _header(
    unit: UnitInfo,
    form: str,
    issued_on: date | None,
    number: str | None = None,
    symbol: str = "",
) -> OfficialHeader:
    """The header; `number` and `symbol` are the register's once the paper is issued as an
    outgoing document (the apology letter), else the number is left blank to write by hand."""
    code = NUMBER_CODES[form]
    symbol = symbol or (f"{code}-{unit.symbol}" if code and unit.symbol else code or unit.symbol)
    return OfficialHeader(
        parent_body=unit.parent_name,
        issuer=unit.name,
        number=number,
        symbol=symbol,
        place=unit.place,
        date=issued_on,
    )


def _paper(
    unit: UnitInfo,
    form: str,
    *,
    issued_on: date | None,
    body: list[Paragraph | Table],
    summary: str = "",
    signature: SignatureBlock | None = None,
    recipients: Sequence[str] = (),
    kinh_gui: Sequence[str] = (),
    side_signatures: tuple[SignatureBlock, SignatureBlock] | None = None,
    qr_png: bytes | None = None,
    table_pt: float | None = None,
    notes: Sequence[CodeNote] = (),
    number: str | None = None,
    symbol: str = "",
) -> OfficialDocument:
    return OfficialDocument(
        header=_header(unit, form, issued_on, number, symbol),
        doc_type=_TITLE_LINES.get(form, TITLES[form]),
        summary=summary,
        body=body,
        signature=signature,
        recipients=list(recipients),
        kinh_gui=list(kinh_gui),
        page_size="A5",
        extra_header_right=f"Mẫu số {form}",
        qr_png=qr_png,
        qr_caption=QR_CAPTION if qr_png else "",
        side_signatures=side_signatures,
        # The other apps' codes beside the signatures, the look-up code first (qr_png).
        side_codes=tuple(QrCode(_qr_png(n.payload), n.caption) for n in notes if n.payload),
        table_pt=table_pt,
        compact=True,
        keep_rows_whole=True,
    )


def _with_notes(
    body: list[Paragraph | Table], notes: Sequence[CodeNote]
) -> list[Paragraph | Table]:
    """The other apps' lines at the end of the body (their QR codes go beside the signatures)."""
    lines = [line for note in notes for line in note.lines if line.strip()]
    return [*body, _plain("\n".join(lines))] if lines else body


def _counter_signatures(dossier: DossierInfo) -> tuple[SignatureBlock, SignatureBlock]:
    """The submitter and the receiving officer, both signing at the counter (forms 01, 03)."""
    return (
        SignatureBlock(title="NGƯỜI NỘP HỒ SƠ", note=SIGN_HERE, name=dossier.applicant.name),
        SignatureBlock(title="NGƯỜI TIẾP NHẬN HỒ SƠ", note=SIGN_HERE, name=dossier.receiver_name),
    )


@functools.lru_cache(maxsize=512)
def _qr_png(url: str) -> bytes:
    """The QR code of `url` (a pure function of it: kept, a repeated paper skips ~1/4 of its
    build)."""
    buffer = io.BytesIO()
    # Level M survives a crease or a smudge; the paper's margin is the rest of the quiet zone.
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=8, border=2)
    return buffer.getvalue()


def _plain(text: str) -> Paragraph:
    return Paragraph(text, "plain")


# --- the forms --------------------------------------------------------------------------------


def receipt_slip(
    unit: UnitInfo, dossier: DossierInfo, *, issued_on: date | None = None
) -> OfficialDocument:
    """Mẫu 01: receipt and appointment slip, with the look-up QR code.

    Its number (box 3) is the dossier's entry in the tracking book, given by the system when the
    dossier is received (continuous from 01 through the year, domain.md 1.5 and 6.3): printed,
    not left blank to write by hand, since the receipt the officer signs digitally cannot be
    written on after signing, and the paper and electronic copies carry the same number."""
    applicant = dossier.applicant
    entry = f"{dossier.book_entry:02d}" if dossier.book_entry is not None else BLANK
    received = _local(dossier.received_at)
    documents = Table(
        columns=["STT", "Tên giấy tờ", "Bản chính", "Bản sao"],
        rows=[
            [str(number), line.name, _count(line.originals), _count(line.copies)]
            for number, line in enumerate(dossier.documents, start=1)
        ],
        widths_cm=[1.0, 7.5, 1.9, 1.9],
    )
    body: list[Paragraph | Table] = [
        _plain(
            f"Tiếp nhận hồ sơ của Ông (Bà)/Tổ chức: {applicant.name}\n"
            f"Số định danh cá nhân/tổ chức: {_or_blank(applicant.id_number)}\n"
            f"{_contact_lines(applicant)}\n"
            f"Nội dung yêu cầu giải quyết: {_procedure(dossier)}\n"
            "Thành phần hồ sơ nộp gồm:"
        ),
        documents,
        _plain(
            f"Số lượng hồ sơ: {_count(dossier.sets) or BLANK} (bộ)\n"
            f"Thời gian giải quyết hồ sơ theo quy định là: {_or_blank(dossier.time_limit_text)}\n"
            f"Thời gian nhận hồ sơ: {_clock(dossier.received_at)}\n"
            f"Thời gian trả kết quả giải quyết hồ sơ: {_clock(dossier.due_at)}\n"
            f"Đăng ký nhận kết quả tại: {_or_blank(dossier.return_place)}\n"
            f"Vào Sổ theo dõi hồ sơ: Quyển số: {received.year}, Số thứ tự: {entry}"
        ),
    ]
    return _paper(
        unit,
        "01",
        issued_on=issued_on or received.date(),
        body=_with_notes(body, dossier.notes),
        summary=f"Mã hồ sơ: {dossier.code}",
        side_signatures=_counter_signatures(dossier),
        qr_png=_qr_png(dossier.lookup_url),
        table_pt=10,
        notes=dossier.notes,
        number=entry if dossier.book_entry is not None else None,
    )


def supplement_request(
    unit: UnitInfo,
    dossier: DossierInfo,
    *,
    items: list[str],
    reason: str,
    contact: str,
    issued_on: date | None = None,
    number: str | None = None,
) -> OfficialDocument:
    """Mẫu 02: what the applicant must add or correct, why, and whom to ask. `number` ("07")
    is the one the system gave when the request was issued (`paper_numbers`); without it the
    number is left blank."""
    applicant = dossier.applicant
    wanted = "\n".join(f"{number}. {item.strip()}" for number, item in enumerate(items, start=1))
    body: list[Paragraph | Table] = [
        _plain(
            f"Hồ sơ của: {applicant.name}\n"
            f"Nội dung yêu cầu giải quyết: {_procedure(dossier)}\n"
            f"Thời gian nhận hồ sơ: {_clock(dossier.received_at)}\n"
            f"{_contact_lines(applicant)}\n"
            "Yêu cầu hoàn thiện hồ sơ gồm những nội dung sau:"
        ),
        Paragraph(wanted or BLANK, "plain"),
        _plain(f"Lý do: {_or_blank(reason)}"),
        Paragraph(
            "Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ với "
            f"{_or_blank(contact)} để được hướng dẫn./."
        ),
    ]
    return _paper(
        unit,
        "02",
        issued_on=issued_on or _today(),
        body=body,
        summary=f"Mã hồ sơ: {dossier.code}",
        signature=SignatureBlock(
            title="NGƯỜI HƯỚNG DẪN", note=SIGN_HERE, name=dossier.receiver_name
        ),
        number=number,
    )


def refusal(
    unit: UnitInfo,
    dossier: DossierInfo,
    *,
    reason: str,
    issued_on: date | None = None,
    number: str | None = None,
) -> OfficialDocument:
    """Mẫu 03: the unit does not accept the dossier, with the specific reason; `number` as on
    Mẫu 02."""
    applicant = dossier.applicant
    body: list[Paragraph | Table] = [
        _plain(
            f"{unit.name} (mã định danh điện tử: {_or_blank(unit.code)})\n"
            f"Tiếp nhận hồ sơ của: {applicant.name}\n"
            f"{_contact_lines(applicant)}\n"
            f"Thời gian nhận hồ sơ: {_clock(dossier.received_at)}\n"
            f"Nội dung yêu cầu giải quyết: {_procedure(dossier)}"
        ),
        Paragraph(
            f"Sau khi xem xét, đối chiếu thành phần hồ sơ, {unit.name} không tiếp nhận, "
            "giải quyết hồ sơ này với lý do cụ thể như sau:"
        ),
        Paragraph(_or_blank(reason), "bullet"),
        Paragraph("Xin thông báo cho Ông/Bà được biết và thực hiện./."),
    ]
    return _paper(
        unit,
        "03",
        issued_on=issued_on or _today(),
        body=_with_notes(body, dossier.notes),
        summary=f"Mã hồ sơ: {dossier.code}",
        side_signatures=_counter_signatures(dossier),
        notes=dossier.notes,
        number=number,
    )


def apology(
    unit: UnitInfo,
    dossier: DossierInfo,
    *,
    reason: str,
    new_due_at: datetime,
    signer_name: str,
    signer_title: str,
    issued_on: date | None = None,
    number: str | None = None,
    symbol: str = "",
) -> OfficialDocument:
    """Mẫu 04: apology for a late result and the new date (Decree 118/2025; domain.md 1.4).

    The form sets a new date, not an hour, so only the date of `new_due_at` is printed.
    `number` ("05") and `symbol` are the outgoing register's once the clerk numbers the letter.
    Under "Kính gửi" the addressee's address and phone (domain.md 1.4): the letter goes to that
    citizen; a reader who may not see them gets "…" (`ApplicantInfo` left blank).
    """
    applicant = dossier.applicant
    body: list[Paragraph | Table] = [
        _plain(
            f"Địa chỉ: {_or_blank(applicant.address)}\nSố điện thoại: {_or_blank(applicant.phone)}"
        ),
        Paragraph(
            f"Ngày {_day(dossier.received_at)}, {unit.name} (mã định danh điện tử: "
            f"{_or_blank(unit.code)}) tiếp nhận hồ sơ đề nghị giải quyết thủ tục hành chính "
            f"“{_procedure(dossier)}” của Ông/Bà, mã số hồ sơ: {dossier.code}."
        ),
        Paragraph(f"Thời gian hẹn trả kết quả giải quyết hồ sơ: {_clock(dossier.due_at)}."),
        Paragraph(
            "Tuy nhiên, hồ sơ của Ông/Bà chưa được giải quyết xong và không thể trả kết quả "
            "đúng thời hạn đã ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả."
        ),
        Paragraph(f"Lý do: {_or_blank(reason)}"),
        Paragraph(
            "Sự chậm trễ này có thể gây phiền hà, tốn kém chi phí, công sức của Ông/Bà. "
            f"{unit.name} thành thật xin lỗi Ông/Bà và đề nghị được gia hạn thời gian giải "
            f"quyết; kết quả giải quyết hồ sơ sẽ được trả cho Ông/Bà vào ngày {_day(new_due_at)}."
        ),
        Paragraph("Rất mong nhận được sự thông cảm của Ông/Bà./."),
    ]
    return _paper(
        unit,
        "04",
        issued_on=issued_on or _today(),
        body=body,
        summary=f"Mã hồ sơ: {dossier.code}",
        kinh_gui=[f"Ông/Bà {dossier.applicant.name}"],
        signature=SignatureBlock(
            title=(signer_title or "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ").upper(),
            note=SIGN_HERE,
            name=signer_name,
            sealed=True,  # the head signs, the clerk releases it with the unit's seal
        ),
        recipients=["Như trên;", "Lưu: VT, hồ sơ."],
        number=number,
        symbol=symbol,
    )


def stop_notice(
    unit: UnitInfo,
    dossier: DossierInfo,
    *,
    stage: str,
    reason: str,
    settlement: str = "",
    signer_name: str = "",
    signer_title: str = "",
    issued_on: date | None = None,
) -> OfficialDocument:
    """Mẫu 05: processing stopped at the applicant's request, before any result (Circular 03
    Art. 7). The receiving officer signs unless a signer is given."""
    issued = issued_on or _today()
    body: list[Paragraph | Table] = [
        Paragraph(
            f"Ngày {_day(dossier.received_at)}, {unit.name} tiếp nhận hồ sơ đề nghị giải quyết "
            f"thủ tục hành chính “{_procedure(dossier)}” của Ông/Bà, "
            f"mã số hồ sơ: {dossier.code}."
        ),
        Paragraph(f"Lý do dừng giải quyết: {_or_blank(reason)}"),
        Paragraph(
            f"Hồ sơ đang ở bước: {_or_blank(stage)}; đến thời điểm này chưa có quyết định hoặc "
            "văn bản thông báo kết quả giải quyết hồ sơ."
        ),
        Paragraph(
            f"{unit.name} thông báo dừng giải quyết hồ sơ nêu trên kể từ ngày {_day(issued)}."
        ),
    ]
    if settlement.strip():
        body.append(Paragraph(f"Về phí, lệ phí và nghĩa vụ tài chính: {settlement.strip()}"))
    body += [
        Paragraph(
            "Ông/Bà nhận lại giấy tờ bản chính đã nộp (nếu có) tại: "
            f"{_or_blank(dossier.return_place)}."
        ),
        Paragraph("Xin thông báo để Ông/Bà được biết./."),
    ]
    return _paper(
        unit,
        "05",
        issued_on=issued,
        body=body,
        summary=f"Mã hồ sơ: {dossier.code}",
        kinh_gui=[f"Ông/Bà {dossier.applicant.name}"],
        signature=SignatureBlock(
            title=(signer_title or "NGƯỜI TIẾP NHẬN HỒ SƠ").upper(),
            note=SIGN_HERE,
            name=signer_name or dossier.receiver_name,
        ),
        recipients=["Như trên;", "Lưu: VT, hồ sơ."],
    )


def control_sheet(
    unit: UnitInfo, dossier: DossierInfo, *, issued_on: date | None = None
) -> OfficialDocument:
    """Mẫu 06: the process control sheet, one row per hand-over with its result at that step."""
    rows = []
    for handover in dossier.handovers:
        if handover.result not in HANDOVER_RESULTS:
            raise ValueError(
                f"Kết quả giao nhận không hợp lệ: {handover.result!r} "
                "(chỉ early, on_time, late hoặc để trống)."
            )
        local = _local(handover.at)
        rows.append(
            [
                f"Giao: {handover.from_name}\nNhận: {handover.to_name}",
                f"{local.hour:02d} giờ {local.minute:02d} phút\n{_day(local)}",
                "",
                "",
                HANDOVER_RESULTS[handover.result],
                handover.note,
            ]
        )
    lines = [
        f"Kèm theo hồ sơ của: {dossier.applicant.name}",
        f"Nội dung yêu cầu giải quyết: {_procedure(dossier)}",
        f"Cơ quan (bộ phận) giải quyết hồ sơ: {_or_blank(dossier.lead_body)}",
        f"Cơ quan phối hợp giải quyết hồ sơ: {_or_blank(dossier.coordinating_bodies)}",
        f"Thời gian nhận hồ sơ: {_clock(dossier.received_at)}",
        f"Hẹn trả kết quả vào {_clock(dossier.due_at)}",
    ]
    if dossier.new_due_at is not None:
        lines.append(f"Hẹn lại ngày trả kết quả (có văn bản xin lỗi): {_day(dossier.new_due_at)}")
    body: list[Paragraph | Table] = [
        _plain("\n".join(lines)),
        Table(
            columns=[
                "Tên cơ quan/bộ phận giao → nhận",
                "Thời gian giao nhận (giờ, phút, ngày)",
                "Người giao (ký)",
                "Người nhận (ký)",
                "Kết quả giải quyết (Trước hạn/ Đúng hạn/ Quá hạn)",
                "Ghi chú",
            ],
            rows=rows,
            # 12.3 cm: the A5 text width; names get the room so a row keeps to two lines.
            widths_cm=[3.5, 2.2, 1.3, 1.3, 1.9, 2.1],
        ),
        Paragraph("Kết quả giải quyết ở mỗi bước do bên nhận ghi khi giao nhận hồ sơ.", "italic"),
    ]
    return _paper(
        unit,
        "06",
        issued_on=issued_on or _today(),
        body=body,
        summary=f"Mã số hồ sơ: {dossier.code}",
        table_pt=8.5,
    )


# --- output -----------------------------------------------------------------------------------


def render(doc: OfficialDocument, fmt: str) -> bytes:
    """The paper as DOCX or PDF bytes (the PDF is converted from the same DOCX)."""
    kind = fmt.strip().lower()
    if kind not in {"docx", "pdf"}:
        raise ValueError(f"Định dạng không được hỗ trợ: {fmt!r} (chỉ DOCX hoặc PDF).")
    docx = build_docx(doc)
    return docx if kind == "docx" else docx_to_pdf(docx)
