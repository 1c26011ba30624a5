"""Mail to the sender: acknowledgement, decision, request for information, the approved answer."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from cchc.feedback.models import Feedback

SUBJECTS = {
    "ack": "Đã tiếp nhận phản ánh, kiến nghị {code}",
    "decision": "Kết quả phân loại phản ánh, kiến nghị {code}",
    "info": "Phản ánh, kiến nghị {code}: cần bổ sung thông tin",
    "answer": "Trả lời phản ánh, kiến nghị {code}",
}


def sender_link(item: Feedback, name: str = "portal:feedback_track") -> str:
    """The sender's private link (tracking code + secret key), absolute for the mail."""
    path = reverse(name, args=[item.tracking_code])
    return f"{settings.CCHC_PUBLIC_URL.rstrip('/')}{path}?k={item.access_key}"


@task()
def notify_sender(feedback_id: int, kind: str) -> bool:
    """E-mail the sender; the answer mail carries the rating and dispute link."""
    item = Feedback.objects.select_related("unit").filter(pk=feedback_id).first()
    if item is None or not item.sender_email or kind not in SUBJECTS:
        return False
    body = render_to_string(
        "feedback/email/sender.txt",
        {
            "item": item,
            "kind": kind,
            "link": sender_link(item),
            "info_note": item.events.filter(to_status="info_requested").order_by("-at").first(),
        },
    )
    # False when nothing left (no mail server configured: cchc.core.unsent_mail).
    sent = send_mail(
        SUBJECTS[kind].format(code=item.tracking_code), body, None, [item.sender_email]
    )
    return sent > 0


@task()
def send_daily_digests() -> dict[str, int]:
    from cchc.feedback.alerts import send_digests

    return send_digests()
