"""Issuing a built report through the outgoing register (Decree 30/2020): number, sign, send.

A report is a document like any other the unit sends: the unit's leader submits it
(`report_submit`), which drafts an outgoing document of type "Báo cáo" with the leader as signer
and approves it (he is the one who approves the unit's documents); from there the existing
outgoing workflow of `cchc.documents` runs unchanged: the clerk numbers it, the signer signs it
with his certificate, the clerk releases it with the unit's seal and the system mails it.

The paper signed must carry its number and date, which exist only once the clerk numbers it:
on `documents.signals.outgoing_numbered` (inside the numbering transaction) `on_numbered` lays
the report out again with that number, the date of issue and the signer's name and title, over
the same data window, and stores it as the document's PDF, the one the signer then signs. A
failure there refuses the numbering (nothing numbered, the counter unused).

Only a report whose "difficulties" and "proposals" are written is issued: the signed PDF cannot
be completed afterwards, so a blank left to fill in Word would go out blank. "Không có." is an
answer; an empty field is not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cchc.accounts import permissions
from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb
from cchc.core.official_docs import OfficialDocError, SignatureBlock, build_docx, docx_to_pdf
from cchc.documents import services as documents
from cchc.documents.models import OutgoingDocument
from cchc.documents.workflow import OutgoingStatus
from cchc.organizations.models import Staff, UnitKind
from cchc.reports import builder, consolidated, services
from cchc.reports.models import Report, ReportKind, ReportStatus
from cchc.reports.sections import StaleSectionsError

if TYPE_CHECKING:
    from cchc.accounts.models import User
    from cchc.accounts.permissions import AnyUser

_WATCHED = ["status", "number", "symbol", "difficulties", "proposals", "outgoing", "docx", "pdf"]


def may_issue(actor: AnyUser, report: Report) -> bool:
    """The unit's own leader who approves its documents (the principal; never a unit above)."""
    staff = permissions.acting_staff(actor)
    return (
        staff is not None
        and staff.unit_id == report.unit_id
        and permissions.can(actor, permissions.MANAGE_PLANS, report.unit)  # may make it
        and permissions.can(actor, permissions.APPROVE_DOCUMENTS, report.unit)
    )


def _summary(report: Report) -> str:
    return summary_of(report.period, report.kind)


def summary_of(period: str, kind: str = ReportKind.UNIT) -> str:
    """The register's "trích yếu" of a report of `period` (the demo's too: demo_reports)."""
    name = builder.period_name(period)
    if kind == ReportKind.CONSOLIDATED:
        return (
            f"Tổng hợp kết quả thực hiện công tác cải cách hành chính {name} "
            "của các đơn vị trực thuộc"
        )
    return f"Kết quả thực hiện công tác cải cách hành chính {name}"


def report_submit(
    *,
    actor: User,
    report: Report,
    difficulties: str,
    proposals: str,
    expected_version: int | None = None,
) -> OutgoingDocument:
    """Send a built report into the outgoing workflow, approved, with the actor as signer.

    ValidationError (Vietnamese) when the report is not ready, already submitted, its data
    window not yet closed, or its own sections are empty; PermissionDenied for anyone but the
    unit's leader. `expected_version`: the report's version the chair's form was opened at (the
    page always sends it); if the drafter saved the sections since, StaleSectionsError (409,
    audited, nothing written), as the drafter's own form (`sections.sections_save`): the chair's
    older text never replaces the newer one unseen.
    """
    if not may_issue(actor, report):
        raise PermissionDenied("Chỉ lãnh đạo đơn vị duyệt văn bản mới trình ban hành báo cáo.")
    staff = permissions.acting_staff(actor)
    if staff is None:  # may_issue checked it; kept for the type checker
        raise PermissionDenied("Chỉ viên chức của đơn vị mới trình ban hành báo cáo.")
    difficulties, proposals = difficulties.strip(), proposals.strip()
    if not difficulties or not proposals:
        raise ValidationError(
            "Ghi phần khó khăn, vướng mắc và phần đề xuất, kiến nghị trước khi trình ban hành "
            "(không có thì ghi «Không có.»): bản đã ký số không bổ sung được."
        )
    if len(difficulties) > services.MAX_TEXT or len(proposals) > services.MAX_TEXT:
        raise ValidationError(f"Phần khó khăn, đề xuất dài quá {services.MAX_TEXT} ký tự.")
    today = timezone.localdate()
    if report.data_to is not None and report.data_to >= today:
        raise ValidationError(
            f"Kỳ báo cáo chốt số liệu đến hết ngày {report.data_to:%d/%m/%Y}: ban hành sau "
            "ngày đó để báo cáo đủ số liệu của kỳ."
        )
    with transaction.atomic():
        locked = Report.objects.select_for_update().select_related("unit").get(pk=report.pk)
        if locked.status != ReportStatus.READY:
            raise ValidationError("Báo cáo chưa lập xong, chưa trình ban hành được.")
        if locked.outgoing_id is not None:
            raise ValidationError("Báo cáo này đã được trình ban hành.")
        stale = expected_version is not None and locked.version != expected_version
        if stale:
            audit_record(
                actor=actor,
                verb=AuditVerb.REPORTS_SUBMIT_STALE,
                obj=locked,
                unit=locked.unit,
                before=snapshot(locked, ["difficulties", "proposals", "version"]),
                after={
                    "difficulties": difficulties,
                    "proposals": proposals,
                    "expected_version": expected_version,
                },
            )
        else:
            doc = _submit(actor, staff, locked, difficulties, proposals)
    if stale:
        raise StaleSectionsError(
            "Nội dung báo cáo vừa được người soạn lưu sau khi anh/chị mở trang: tải lại trang để "
            "xem bản mới nhất rồi trình ban hành."
        )
    return doc


def _submit(
    actor: User, staff: Staff, locked: Report, difficulties: str, proposals: str
) -> OutgoingDocument:
    """`report_submit`'s writes, inside its transaction on the locked report."""
    parent = locked.unit.parent
    before = snapshot(locked, _WATCHED)
    if (difficulties, proposals) != (locked.difficulties, locked.proposals):
        # The chair changed the text: the draft the clerk reads must say what he submits.
        locked.difficulties, locked.proposals = difficulties, proposals
        services.redraft(locked)
    doc = documents.outgoing_create(
        actor=actor,
        unit=locked.unit,
        data={
            "type_code": "BC",
            "summary": _summary(locked),
            "body": f"{_summary(locked)} (toàn văn trong bản PDF lập từ hệ thống).",
            "recipients": "\n".join(
                builder.recipients(locked.unit, units_below=locked.kind == ReportKind.CONSOLIDATED)
            ),
            "recipient_emails": parent.email if parent is not None else "",
            "to_state_agency": True,
            **_register_signature(locked, staff),
        },
        signer=staff,
        drafter=_drafter(locked),
    )
    if locked.pdf:  # the draft paper, for the clerk to read before numbering
        doc.pdf.save(f"du-thao-bao-cao-{locked.pk}.pdf", ContentFile(locked.pdf.read()))
    doc = documents.outgoing_transition(actor=actor, doc=doc, to=OutgoingStatus.REVIEW)
    doc = documents.outgoing_transition(actor=actor, doc=doc, to=OutgoingStatus.APPROVED)
    locked.difficulties, locked.proposals = difficulties, proposals
    locked.outgoing = doc
    locked.version += 1  # the drafter's open form is now stale
    locked.save(
        update_fields=[
            "difficulties",
            "proposals",
            "outgoing",
            "version",
            "docx",
            "pdf",
            "xlsx",
            "built_at",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.REPORTS_SUBMIT,
        obj=locked,
        unit=locked.unit,
        before=before,
        after=snapshot(locked, _WATCHED),
    )
    return doc


def _register_signature(report: Report, signer: Staff) -> dict[str, str]:
    """The register entry's signing words: a commune's consolidated report is signed on behalf
    of its People's Committee ("TM." + the collective, the signer's rank under it), as its paper
    (`committee_signature`); other reports by the head, under his own title."""
    if report.kind == ReportKind.CONSOLIDATED and report.unit.kind == UnitKind.COMMUNE:
        return {"authority": "TM.", "head_title": "Ủy ban nhân dân"}
    return {"head_title": signer.position}


def _drafter(report: Report) -> Staff | None:
    """Who made the draft: the staff member of the unit who had the report built (the commune's
    reform officer), not the leader who puts it in the register and signs it; None (the actor)
    when that person is unknown or no longer of the unit."""
    if report.requested_by is None:
        return None
    staff = permissions.acting_staff(report.requested_by)
    return staff if staff is not None and staff.unit_id == report.unit_id else None


def committee_signature(position: str, name: str) -> SignatureBlock:
    """A People's Committee's paper signed by its chair: "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH"; by a
    vice chair: "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH" (Decree 30/2020 Art. 13,
    domain.md 6.1–6.2; the commune's committee after the 2025 reorganisation signs the same way).
    The title line is the rank only, never the position's full wording ("Chủ tịch Ủy ban nhân
    dân xã" printed "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ" under "TM. ỦY BAN NHÂN DÂN", QA walk)."""
    if position.strip().casefold().startswith("phó chủ tịch"):
        return SignatureBlock(
            authority="TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", title="PHÓ CHỦ TỊCH", name=name
        )
    return SignatureBlock(authority="TM. ỦY BAN NHÂN DÂN", title="CHỦ TỊCH", name=name)


def _signature(report: Report, signer: Staff) -> SignatureBlock:
    """The signer as the paper must show him for his signature to be placed on his name."""
    if report.kind == ReportKind.CONSOLIDATED and report.unit.kind == UnitKind.COMMUNE:
        return committee_signature(signer.position, signer.full_name)
    return SignatureBlock(
        title=(signer.position or "Thủ trưởng đơn vị").upper(), name=signer.full_name
    )


def numbered_files(report: Report, doc: OutgoingDocument) -> dict[str, tuple[bytes, str]]:
    """The report's three files again, now with the document's number, date and signer."""
    if doc.signer is None or doc.number is None:
        raise ValueError("văn bản chưa có người ký hoặc chưa có số.")
    req = builder.ReportRequest(
        report.unit,
        report.period,
        difficulties=report.difficulties,
        proposals=report.proposals,
        today=doc.issued_on,
        window=services.stored_window(report),
        number=doc.number,
        signature=_signature(report, doc.signer),
    )
    module: Any = consolidated if report.kind == ReportKind.CONSOLIDATED else builder
    data = module.collect(req)
    name = f"{doc.year}-{doc.number:02d}-" + module.filename(data, "{fmt}")
    docx = build_docx(module.report_document(data))
    return {
        "docx": (docx, name.format(fmt="docx")),
        "pdf": (docx_to_pdf(docx), name.format(fmt="pdf")),
        "xlsx": (module.report_xlsx(data), name.format(fmt="xlsx")),
    }


def on_numbered(sender: Any, doc: OutgoingDocument, actor: User, **_: Any) -> None:
    """The clerk numbered an outgoing document: if it is a report, write its numbered paper."""
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("unit", "unit__parent")
        .filter(outgoing=doc)
        .first()
    )
    if report is None:
        return
    try:
        files = numbered_files(report, doc)
    except (ValueError, OfficialDocError) as error:
        raise ValidationError(f"Không lập được bản báo cáo có số: {error}") from None
    before = snapshot(report, _WATCHED)
    for field, (content, name) in files.items():
        getattr(report, field).save(name, ContentFile(content), save=False)
    report.number = doc.number
    report.symbol = doc.symbol.split("/", 1)[1] if "/" in doc.symbol else report.symbol
    report.save()
    pdf, pdf_name = files["pdf"]
    doc.pdf.save(pdf_name, ContentFile(pdf), save=False)
    OutgoingDocument.objects.filter(pk=doc.pk).update(pdf=doc.pdf.name)
    audit_record(
        actor=actor,
        verb=AuditVerb.REPORTS_NUMBERED,
        obj=report,
        unit=report.unit,
        before=before,
        after=snapshot(report, _WATCHED),
    )


def issued_text(report: Report) -> str:
    """ "Đã ban hành số 05/BC-THCSNTB ngày 02/12/2026" once released, else where it stands."""
    doc = report.outgoing
    if doc is None:
        return ""
    if doc.status == OutgoingStatus.RELEASED and doc.issued_on is not None:
        return f"Đã ban hành số {doc.symbol} ngày {doc.issued_on:%d/%m/%Y}"
    if doc.symbol:
        return f"Đang ban hành số {doc.symbol}: {doc.get_status_display().lower()}"
    return f"Đã trình ban hành: {doc.get_status_display().lower()}"
