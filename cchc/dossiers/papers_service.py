"""Official papers of a dossier (forms 01–06) from its data, via `papers` (one template each)."""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import Http404
from django.urls import reverse

from cchc.core.official_docs import OfficialDocError, converter, docx_to_pdf, layout, ooxml
from cchc.core.timezones import VN
from cchc.dossiers import hooks, paper_numbers, papers
from cchc.dossiers.models import Dossier
from cchc.dossiers.workflow import DossierStatus

if TYPE_CHECKING:
    from cchc.accounts.models import User
    from cchc.accounts.permissions import AnyUser

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
KINDS = {
    "tiep-nhan": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu 01)",
    "bo-sung": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)",
    "tu-choi": "Phiếu từ chối tiếp nhận giải quyết hồ sơ (Mẫu 03)",
    "xin-loi": "Văn bản xin lỗi và đề nghị gia hạn (Mẫu 04)",
    "dung": "Thông báo dừng giải quyết hồ sơ (Mẫu 05)",
    "kiem-soat": "Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 06)",
}


class PaperUnavailable(ValueError):
    """The paper does not apply to this dossier (yet)."""


def available(dossier: Dossier) -> list[tuple[str, str]]:
    """The papers that make sense for the dossier's history."""
    kinds = ["kiem-soat"]
    if dossier.received_at and dossier.due_at:  # never an appointment equal to the receipt
        kinds.insert(0, "tiep-nhan")
    if dossier.pauses.exists():
        kinds.append("bo-sung")
    # Refused at intake (Mẫu 03), or refused after appraisal: the written refusal with its
    # reason is the result (Decree 61 Art. 19(8)).
    if dossier.status == DossierStatus.REJECTED or dossier.result_kind == "refused":
        kinds.append("tu-choi")
    if hasattr(dossier, "apology"):
        kinds.append("xin-loi")
    if dossier.status == DossierStatus.STOPPED:
        kinds.append("dung")
    return [(k, KINDS[k]) for k in kinds]


def _place(unit: Any) -> str:
    """Box 4's place name: a school's is its commune's ("Bình Hưng" from "Ủy ban nhân dân xã
    Bình Hưng"); a commune's is in its own name (the rule of the consolidated report and of
    `cchc.plans.importing.default_place`)."""
    from cchc.organizations.models import UnitKind

    names = ([unit.name] if unit.kind == UnitKind.COMMUNE else []) + (
        [unit.parent.name] if unit.parent is not None else []
    )
    for name in names:
        found = _PLACE.match(name.strip())
        if found:
            return found[1].strip()
    return ""


_PLACE = re.compile(
    r"(?i:ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s+(?i:xã|phường|thị trấn|đặc khu)\s+([^,]+)"
)


def unit_info(unit: Any) -> papers.UnitInfo:
    return papers.UnitInfo(
        name=unit.name,
        parent_name=unit.parent.name if unit.parent is not None else "",
        place=_place(unit),
        symbol=unit.symbol or "",
        address=unit.address,
        phone=unit.phone,
        code=unit.code,
    )


def lookup_url(dossier: Dossier) -> str:
    base = getattr(settings, "CCHC_PUBLIC_URL", "").rstrip("/")
    return f"{base}{reverse('portal:lookup_code', args=[dossier.code])}"


def dossier_info(
    dossier: Dossier, *, show_personal: bool = True, notes: list[papers.CodeNote] | None = None
) -> papers.DossierInfo:
    """The paper's data; without the right to see personal data the ID number, phone, e-mail
    and address are left blank (the clerk who prints the receipt for the applicant has it)."""
    events = list(dossier.events.all())
    handovers = [
        papers.HandOver(
            from_name=e.giver or "",
            to_name=e.receiver or DossierStatus(e.to_status).label,
            at=e.at,
            result=e.result,
            note=e.note,
        )
        for e in events
    ]
    return papers.DossierInfo(
        code=dossier.code,
        procedure_name=dossier.procedure.name,
        procedure_code=dossier.procedure.code,
        received_at=dossier.received_at or dossier.submitted_at,
        due_at=dossier.due_at or dossier.submitted_at,
        time_limit_text=dossier.procedure.time_limit_short,
        documents=[
            papers.DocumentLine(
                name=d.get("name", ""), originals=d.get("originals", 0), copies=d.get("copies", 0)
            )
            for d in dossier.documents
            if d.get("provided", True)
        ],
        sets=dossier.procedure.sets,
        applicant=papers.ApplicantInfo(
            name=dossier.applicant_name,
            id_number=dossier.applicant_id_number if show_personal else "",
            phone=dossier.applicant_phone if show_personal else "",
            email=dossier.applicant_email if show_personal else "",
            address=dossier.applicant_address if show_personal else "",
        ),
        receiver_name=_user_name(dossier.received_by),
        return_place=", ".join(p for p in (dossier.unit.name, dossier.unit.address) if p),
        lookup_url=lookup_url(dossier),
        book_entry=dossier.book_entry,
        new_due_at=dossier.new_due_at,
        lead_body=dossier.unit.name,
        handovers=handovers,
        notes=tuple(notes or ()),
    )


def issuer_of(dossier: Dossier, kind: str) -> User | None:
    """The officer a paper names under its signature, as of when it was issued: the supplement
    request (Mẫu 02) names whoever asked for the papers (the clerk who guided the applicant at
    the counter, or the officer who asked during processing: `DossierPause.requested_by`),
    never the clerk who later accepted the completed dossier (`received_by` then changes);
    the receipt and the refusal name the officer who received the dossier."""
    if kind == "bo-sung":
        pause = dossier.pauses.select_related("requested_by__staff").order_by("-started_at").first()
        if pause is not None and pause.requested_by is not None:
            return pause.requested_by
    return dossier.received_by


def _user_name(user: User | None) -> str:
    return _staff_name(user) or (user.get_full_name() if user is not None else "")


def _staff_name(user: AnyUser) -> str:
    staff = getattr(user, "staff", None) if user is not None else None
    return staff.full_name if staff else ""


def _head(dossier: Dossier) -> tuple[str, str]:
    from cchc.accounts.models import Role
    from cchc.organizations.models import Staff

    head = Staff.objects.filter(
        unit=dossier.unit, is_active=True, role_assignments__role=Role.PRINCIPAL
    ).first()
    return (head.full_name, head.position or "Hiệu trưởng") if head else ("", "Thủ trưởng đơn vị")


def build(
    dossier: Dossier,
    kind: str,
    *,
    show_personal: bool = True,
    notes: list[papers.CodeNote] | None = None,
) -> Any:
    """The paper; `notes` are what other apps print on it (`hooks.paper_notes`), asked for
    here unless the caller already has them."""
    if kind not in dict(available(dossier)):
        raise PaperUnavailable("Hồ sơ này chưa có loại giấy tờ đó.")
    if notes is None:
        notes = hooks.paper_notes(dossier, kind)
    unit = unit_info(dossier.unit)
    info = dossier_info(dossier, show_personal=show_personal, notes=notes)
    if kind == "tiep-nhan":
        return papers.receipt_slip(unit, info)
    if kind == "bo-sung":
        pause = dossier.pauses.order_by("-started_at").first()
        if pause is None:
            raise Http404("Hồ sơ chưa từng được yêu cầu bổ sung.")
        return papers.supplement_request(
            unit,
            replace(info, receiver_name=_user_name(issuer_of(dossier, kind))),
            items=pause.items,
            reason=pause.reason,
            contact=f"{dossier.unit.name} — {dossier.unit.phone}".strip(" —"),
            # Dated the day it was asked for, not the day it is printed or signed.
            issued_on=pause.started_at.astimezone(VN).date(),
            number=paper_numbers.number_of(
                dossier, kind, paper_numbers.subject_for_pause(pause.pk)
            ),
        )
    if kind == "tu-choi":
        refused_at = dossier.result_at or dossier.stopped_at
        return papers.refusal(
            unit,
            info,
            reason=dossier.result_note,
            issued_on=refused_at.astimezone(VN).date() if refused_at is not None else None,
            number=paper_numbers.number_of(dossier, kind),
        )
    if kind == "xin-loi":
        from cchc.documents.services import symbol_to_be
        from cchc.dossiers.apology_letters import DRAFTING_UNIT

        apology = dossier.apology
        letter = apology.outgoing
        # Before numbering, the symbol the register will give the letter, its number left
        # blank for the clerk: "Số:    /THCSNTB-VP", as released "Số: 25/THCSNTB-VP".
        to_be = (
            symbol_to_be(letter.type_code, dossier.unit.symbol, letter.drafting_unit)
            if letter is not None
            else symbol_to_be("", dossier.unit.symbol, DRAFTING_UNIT)
        )
        if letter is not None and letter.signer is not None:
            # Issued as an outgoing letter: its signer, and its number and date once numbered.
            number, symbol = _split_symbol(letter.symbol)
            return papers.apology(
                unit,
                info,
                reason=apology.reason,
                new_due_at=apology.new_due_at,
                signer_name=letter.signer.full_name,
                signer_title=letter.head_title or letter.signer.position or "Thủ trưởng đơn vị",
                issued_on=letter.issued_on,
                number=number,
                symbol=symbol or to_be,
            )
        name, title = _head(dossier)
        return papers.apology(
            unit,
            info,
            reason=apology.reason,
            new_due_at=apology.new_due_at,
            signer_name=name,
            signer_title=title,
            symbol=to_be,
        )
    if kind == "dung":
        stage = DossierStatus(
            dossier.events.order_by("-at").values_list("from_status", flat=True).first()
            or DossierStatus.PROCESSING
        ).label
        return papers.stop_notice(unit, info, stage=stage, reason=dossier.result_note)
    return papers.control_sheet(unit, info)


def _split_symbol(symbol: str) -> tuple[str | None, str]:
    """ "05/THCSNTB-VP" → ("05", "THCSNTB-VP"); an unnumbered letter → (None, "")."""
    if "/" not in symbol:
        return None, ""
    number, tail = symbol.split("/", 1)
    return number, tail


@functools.cache
def layout_version() -> str:
    """Changes whenever the code that draws the papers changes (this code, python-docx), so a
    stored paper of an older layout is never served."""
    from cchc.dossiers import book_sheet, exports

    digest = hashlib.sha256(importlib.metadata.version("python-docx").encode())
    for module in (papers, layout, ooxml, exports, book_sheet):
        digest.update(Path(module.__file__ or "").read_bytes())
    # This module too: it picks what a paper says (e.g. the officer a Mẫu 02 names).
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()[:16]


def paper_key(document: Any) -> str:
    """What the paper prints, as a key: the paper as drawn (`build`: every text, date, number
    and QR code on it, plain dataclasses whose repr holds them all) and the code that lays it
    out, of which its DOCX is a function. So the key changes whenever what the paper prints
    does, whoever's record it comes from (an officer's name corrected on his staff record, the
    day of a paper dated today, the procedure's and the units' names), which a key named from
    the dossier's inputs missed; and it costs no DOCX (two thirds of a receipt's build).
    `SignedPaper.content_key` keeps it, to tell a paper signed before a correction."""
    return converter.record_key("dossier-paper", layout_version(), repr(document))


def _docx(document: Any) -> bytes:
    try:
        return papers.build_docx(document)
    except OfficialDocError as error:
        raise PaperUnavailable(str(error)) from None


def paper_docx(dossier: Dossier, kind: str, *, show_personal: bool) -> bytes:
    """The paper's DOCX (the Word file, and the source of its PDF)."""
    return _docx(build(dossier, kind, show_personal=show_personal))


def paper_pdf(dossier: Dossier, kind: str, *, show_personal: bool) -> tuple[bytes, str]:
    """The paper's PDF and its `paper_key`: converted once per content, then from storage."""
    document = build(dossier, kind, show_personal=show_personal)
    key = paper_key(document)
    pdf = converter.stored_paper(key)
    if pdf is None:
        try:
            pdf = docx_to_pdf(_docx(document))  # stored under the DOCX's content too
        except OfficialDocError as error:
            raise PaperUnavailable(str(error)) from None
        converter.store_paper(key, pdf)
    return pdf, key


def current_key(dossier: Dossier, kind: str) -> str:
    """The `paper_key` of the paper as issued (with the applicant's details) as it reads now."""
    return paper_key(build(dossier, kind, show_personal=True))


def render_paper(
    dossier: Dossier, kind: str, fmt: str, *, show_personal: bool
) -> tuple[bytes, str, str]:
    """The paper's bytes; a PDF of the same content is converted only once (then stored)."""
    if fmt not in ("docx", "pdf"):
        raise PaperUnavailable("Chỉ tải được định dạng docx hoặc pdf.")
    if fmt == "docx":
        content, content_type = paper_docx(dossier, kind, show_personal=show_personal), DOCX_TYPE
    else:
        content, _key = paper_pdf(dossier, kind, show_personal=show_personal)
        content_type = "application/pdf"
    return content, content_type, f"{kind}-{dossier.code}.{fmt}"


__all__ = [
    "KINDS",
    "PaperUnavailable",
    "available",
    "build",
    "current_key",
    "paper_docx",
    "paper_key",
    "paper_pdf",
    "render_paper",
]
