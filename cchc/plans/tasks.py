"""Background jobs of the plans app (django-tasks; run by `cchc db_worker`)."""

from __future__ import annotations

from django_tasks import task

from cchc.plans.reminders import send_digests


@task()
def send_weekly_digests() -> dict[str, int]:
    """Enqueued weekly by `cchc plan remind --enqueue` from cron or a systemd timer."""
    return send_digests()
