"""Requesting a stored reform report and building it (the background task's work).

`report_request` checks the actor may make the unit's report, records the request ("Đang lập")
with its audit event and enqueues the build once the transaction commits. `report_build` runs in
the worker: it writes the DOCX, the PDF and the XLSX annex and marks the report ready, or records
why it could not (a Vietnamese message on the report, never a lost job).
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cchc.accounts import permissions
from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb
from cchc.core.official_docs import OfficialDocError, build_docx, docx_to_pdf
from cchc.organizations.models import Unit
from cchc.reports import builder, calendar, consolidated
from cchc.reports.models import Report, ReportKind, ReportStatus

if TYPE_CHECKING:
    from cchc.accounts.models import User

log = logging.getLogger(__name__)

_WATCHED = [
    "unit",
    "period",
    "data_from",
    "data_to",
    "kind",
    "status",
    "number",
    "symbol",
    "error",
    "docx",
    "pdf",
    "xlsx",
]
# A request still "Đang lập" after this long is taken as lost (the worker died) and may be redone
# (Report.is_stalled says the same on the page).
STALE_AFTER = timedelta(minutes=30)
MAX_TEXT = 5000


def may_request(actor: User, unit: Unit) -> bool:
    """The unit's own leaders make its report (plans.manage, never for a unit below)."""
    return permissions.can(actor, permissions.MANAGE_PLANS, unit)


def report_request(
    *,
    actor: User,
    unit: Unit,
    period: str,
    kind: str = ReportKind.UNIT,
    difficulties: str = "",
    proposals: str = "",
) -> Report:
    """Record a report to build and enqueue the build; ValidationError (Vietnamese) on bad input.

    The same report already being built is returned instead of a second one.
    """
    if not may_request(actor, unit):
        raise PermissionDenied("Chỉ lãnh đạo đơn vị lập được báo cáo của đơn vị mình.")
    if kind not in ReportKind.values:
        raise ValidationError("Loại báo cáo không hợp lệ.")
    period = period.strip().upper()
    try:
        name = builder.period_name(period)
        window = calendar.report_window(unit, period)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    if not window.in_calendar:
        raise ValidationError(
            f"Lịch báo cáo định kỳ của {unit.name} không có kỳ {name}: chọn một kỳ trong lịch "
            "(hoặc sửa lịch báo cáo)."
        )
    if window.start > timezone.localdate():
        raise ValidationError(
            f"Kỳ {name} chưa bắt đầu: số liệu tính từ ngày {window.start:%d/%m/%Y}."
        )
    if kind == ReportKind.CONSOLIDATED and not unit.children.exists():
        raise ValidationError(f"{unit.name} không có đơn vị trực thuộc để lập báo cáo tổng hợp.")
    if len(difficulties) > MAX_TEXT or len(proposals) > MAX_TEXT:
        raise ValidationError(f"Phần khó khăn, đề xuất dài quá {MAX_TEXT} ký tự.")
    with transaction.atomic():
        running = (
            Report.objects.select_for_update()
            .filter(
                unit=unit,
                period=period,
                kind=kind,
                status=ReportStatus.BUILDING,
                created_at__gte=timezone.now() - STALE_AFTER,
            )
            .first()
        )
        if running is not None:
            return running
        report = Report.objects.create(
            unit=unit,
            period=period,
            data_from=window.start,
            data_to=window.end,
            kind=kind,
            difficulties=difficulties.strip(),
            proposals=proposals.strip(),
            symbol=f"BC-{unit.symbol or 'DV'}",
            requested_by=actor,
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.REPORTS_REQUEST,
            obj=report,
            unit=unit,
            after=snapshot(report, _WATCHED),
        )
        transaction.on_commit(lambda: _enqueue(report.pk))
    return report


def _enqueue(report_id: int) -> None:
    from cchc.reports.tasks import build_report

    build_report.enqueue(report_id)


def stored_window(report: Report) -> calendar.Window | None:
    """The window recorded when the report was requested (the calendar may change since)."""
    if report.data_from is None or report.data_to is None:
        return None
    year, slot = calendar.split_period(report.period)
    return calendar.Window(report.period, slot, year, report.data_from, report.data_to, True)


def render(report: Report) -> dict[str, tuple[bytes, str]]:
    """The three files of the report: format → (content, file name).

    The figures are read once for all three; the PDF is converted (by the warm LibreOffice, a
    separate process) while the XLSX annex is written here.
    """
    req = builder.ReportRequest(
        report.unit,
        report.period,
        difficulties=report.difficulties,
        proposals=report.proposals,
        today=timezone.localdate(),
        window=stored_window(report),
    )
    module: Any = consolidated if report.kind == ReportKind.CONSOLIDATED else builder
    data = module.collect(req)
    name = module.filename(data, "{fmt}")
    docx = build_docx(module.report_document(data))
    with ThreadPoolExecutor(max_workers=1) as pool:
        pdf = pool.submit(docx_to_pdf, docx)
        annex = module.report_xlsx(data)
        return {
            "docx": (docx, name.format(fmt="docx")),
            "pdf": (pdf.result(), name.format(fmt="pdf")),
            "xlsx": (annex, name.format(fmt="xlsx")),
        }


def redraft(report: Report) -> None:
    """Lay the draft's three files out again from the report's current sections and store them
    on `report` (not saved: the caller saves it in its transaction, with the text). The draft PDF
    is what the chair reviews and the clerk reads before numbering: after the drafter's save it
    must read the new text (QA walk: it kept the text of the first build). The replaced files
    are deleted once the transaction commits; ValidationError (Vietnamese) if the paper cannot be
    laid out, so the caller's transaction writes nothing."""
    try:
        files = render(report)
    except (ValueError, OfficialDocError) as error:
        raise ValidationError(f"Không lập lại được bản dự thảo báo cáo: {error}") from None
    old = [getattr(report, field) for field in files if getattr(report, field)]
    replaced = [(field.storage, field.name) for field in old]
    for field, (content, name) in files.items():
        getattr(report, field).save(name, ContentFile(content), save=False)
    report.built_at = timezone.now()

    def delete_replaced() -> None:
        for storage, name in replaced:
            storage.delete(name)

    transaction.on_commit(delete_replaced)


def _fail(report: Report, message: str) -> Report:
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        before = snapshot(locked, _WATCHED)
        locked.status = ReportStatus.FAILED
        locked.error = message[:500]
        locked.save(update_fields=["status", "error", "updated_at"])
        audit_record(
            actor=None,
            verb=AuditVerb.REPORTS_BUILD_FAILED,
            obj=locked,
            unit=locked.unit,
            before=before,
            after=snapshot(locked, _WATCHED),
        )
    return locked


def report_build(report_id: int) -> Report | None:
    """Build a requested report (run by the worker). Whatever happens, the report ends ready or
    failed with the reason; a report already built is left alone (a retried job is harmless)."""
    report = Report.objects.select_related("unit", "unit__parent").filter(pk=report_id).first()
    if report is None or report.status != ReportStatus.BUILDING:
        return report
    try:
        files = render(report)
    except (ValueError, ValidationError, OfficialDocError) as error:
        text = error.messages[0] if isinstance(error, ValidationError) else str(error)
        return _fail(report, f"Không lập được báo cáo: {text}")
    except Exception:
        log.exception("report %s failed", report_id)
        return _fail(
            report,
            "Không lập được báo cáo do lỗi hệ thống; quản trị viên đã được ghi nhận lỗi. "
            "Hãy thử lập lại, nếu vẫn lỗi hãy báo quản trị hệ thống.",
        )
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.status != ReportStatus.BUILDING:
            return locked
        before = snapshot(locked, _WATCHED)
        for field, (content, name) in files.items():
            getattr(locked, field).save(name, ContentFile(content), save=False)
        locked.status = ReportStatus.READY
        locked.error = ""
        locked.built_at = timezone.now()
        locked.save()
        audit_record(
            actor=None,
            verb=AuditVerb.REPORTS_BUILD,
            obj=locked,
            unit=locked.unit,
            before=before,
            after=snapshot(locked, _WATCHED),
        )
    return locked
