"""Background jobs: applicant notices and the daily digest (django-tasks, `cchc db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from cchc.dossiers.models import Dossier

SUBJECTS = {
    "submitted": "Hồ sơ {code}: đã nhận hồ sơ nộp trực tuyến",
    "supplement": "Hồ sơ {code}: cần bổ sung giấy tờ",
    "new_date": "Hồ sơ {code}: thư xin lỗi và hẹn lại ngày trả kết quả",
    "result_ready": "Hồ sơ {code}: đã có kết quả",
}


@task()
def notify_applicant(dossier_id: int, kind: str) -> bool:
    """E-mail the applicant when an online dossier arrives (the acknowledgement), a supplement is
    needed, a new date is set or a result is ready."""
    dossier = Dossier.objects.select_related("unit", "procedure").filter(pk=dossier_id).first()
    if dossier is None or not dossier.applicant_email or kind not in SUBJECTS:
        return False
    body = render_to_string(
        "dossiers/email/applicant.txt",
        {
            "dossier": dossier,
            "kind": kind,
            "site_name": settings.CCHC_SITE_NAME,
            "pause": dossier.pauses.order_by("-started_at").first(),
        },
    )
    # False when nothing left (no mail server configured: cchc.core.unsent_mail).
    sent = send_mail(
        SUBJECTS[kind].format(code=dossier.code), body, None, [dossier.applicant_email]
    )
    return sent > 0


@task()
def send_daily_digests() -> dict[str, int]:
    from cchc.dossiers.alerts import send_digests

    return send_digests()
