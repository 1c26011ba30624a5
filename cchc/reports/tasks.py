"""Background jobs of the reports app (django-tasks; run by `cchc db_worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def build_report(report_id: int) -> str:
    """Build a requested report's DOCX, PDF and XLSX; the report records a failure itself."""
    from cchc.reports.services import report_build

    report = report_build(report_id)
    return report.status if report is not None else "missing"


@task()
def send_report_reminders() -> dict[str, int]:
    """Enqueued daily by `cchc report remind --enqueue` from cron or a systemd timer."""
    from cchc.reports.reminders import send_reminders

    return send_reminders()
