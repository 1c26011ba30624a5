"""The report's own two sections ("Khó khăn, vướng mắc", "Đề xuất, kiến nghị"), written by whoever
drafts it before the leader submits it (QA walk: the commune's reform officer could request the
report but not write it; the chair had to type both sections himself at submission).

Whoever may request the unit's report (`services.may_request`) may edit them while the report is
built and not yet submitted; the leader still submits and signs (`issuing.report_submit`), his
form filled with what was saved. Each save carries the version the form was opened at: an edit
from an older page is refused (`StaleSectionsError`, 409) and audited, never written over a newer
one; the chair's submission carries the version too (`issuing.report_submit`). A save lays the
draft's files out again (`services.redraft`), so the draft DOCX/PDF read what was saved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb
from cchc.reports.models import Report, ReportStatus
from cchc.reports.services import MAX_TEXT, may_request, redraft

if TYPE_CHECKING:
    from cchc.accounts.models import User

_FIELDS = ["difficulties", "proposals", "version"]


class StaleSectionsError(Exception):
    """The sections were saved by someone else after this form was opened."""


def may_edit(actor: User, report: Report) -> bool:
    return (
        may_request(actor, report.unit)
        and report.status == ReportStatus.READY
        and report.outgoing_id is None
    )


def sections_save(
    *, actor: User, report: Report, difficulties: str, proposals: str, expected_version: int
) -> Report:
    """Save both sections in one transaction; PermissionDenied, ValidationError (Vietnamese) or
    StaleSectionsError (the attempt is audited, nothing written)."""
    if not may_request(actor, report.unit):
        raise PermissionDenied("Chỉ người lập báo cáo của đơn vị mới soạn được nội dung báo cáo.")
    difficulties, proposals = difficulties.strip(), proposals.strip()
    if len(difficulties) > MAX_TEXT or len(proposals) > MAX_TEXT:
        raise ValidationError(f"Phần khó khăn, đề xuất dài quá {MAX_TEXT} ký tự.")
    stale = False
    with transaction.atomic():
        locked = Report.objects.select_for_update().select_related("unit").get(pk=report.pk)
        if locked.outgoing_id is not None:
            raise ValidationError("Báo cáo đã trình ban hành: nội dung không sửa được nữa.")
        if locked.status != ReportStatus.READY:
            raise ValidationError("Báo cáo chưa lập xong, chưa soạn được nội dung.")
        before = snapshot(locked, _FIELDS)
        if locked.version != expected_version:
            stale = True
            audit_record(
                actor=actor,
                verb=AuditVerb.REPORTS_SECTIONS_STALE,
                obj=locked,
                unit=locked.unit,
                before=before,
                after={
                    "difficulties": difficulties,
                    "proposals": proposals,
                    "expected_version": expected_version,
                },
            )
        else:
            locked.difficulties, locked.proposals = difficulties, proposals
            locked.version += 1
            redraft(locked)  # the draft DOCX/PDF/XLSX read the new text
            locked.save(
                update_fields=[
                    "difficulties",
                    "proposals",
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
                verb=AuditVerb.REPORTS_SECTIONS_EDIT,
                obj=locked,
                unit=locked.unit,
                before=before,
                after=snapshot(locked, _FIELDS),
            )
    if stale:
        raise StaleSectionsError(
            "Nội dung báo cáo vừa được người khác lưu sau khi anh/chị mở trang: tải lại trang "
            "để xem bản mới nhất rồi sửa tiếp."
        )
    return locked
