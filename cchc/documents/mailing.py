"""Sending released documents by e-mail from the unit's official address, with retries.

Each recipient is one :class:`Delivery`; each try is one :class:`DeliveryAttempt` row, so the
page shows what happened. A failed try is retried after 5, 10, 20, 40 minutes; after five
failures the delivery stops and shows as such. Secret documents never go by e-mail.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from functools import partial
from typing import cast

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from cchc.core.unsent_mail import NOT_SENT
from cchc.documents.models import Delivery, DeliveryAttempt, DeliveryStatus, OutgoingDocument
from cchc.documents.signals import citizen_mail_text
from cchc.organizations.models import Staff

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def queue_deliveries(doc: OutgoingDocument, *, sent_by: Staff | None) -> list[Delivery]:
    """One delivery per recipient address; sent after the release commits."""
    if doc.is_secret:
        return []
    sender = doc.unit.email or ""
    deliveries = [
        Delivery.objects.get_or_create(
            outgoing=doc, recipient=address, defaults={"sender": sender, "sent_by": sent_by}
        )[0]
        for address in doc.recipient_emails.split()
    ]
    for delivery in deliveries:
        transaction.on_commit(partial(send_delivery.enqueue, delivery.pk))
    return deliveries


def attempt(delivery: Delivery, now: datetime | None = None) -> bool:
    """Try once; log the attempt; schedule the next one on failure."""
    now = now or timezone.now()
    doc = delivery.outgoing
    if not delivery.sender:
        error = "Đơn vị chưa khai báo địa chỉ thư điện tử công vụ."
        ok = False
    else:
        subject, body = _text(doc)
        message = EmailMessage(
            subject=subject[:250],
            body=body,
            from_email=delivery.sender,
            to=[delivery.recipient],
            reply_to=[delivery.sent_by.email]
            if delivery.sent_by and delivery.sent_by.email
            else None,
        )
        doc.signed_pdf.open("rb")
        try:
            message.attach(
                f"{doc.symbol.replace('/', '-')}.pdf", doc.signed_pdf.read(), "application/pdf"
            )
        finally:
            doc.signed_pdf.close()
        try:
            ok = bool(message.send())
            # Nothing sent, nothing raised: no mail server configured (cchc.core.unsent_mail).
            error, detail = ("", "") if ok else (NOT_SENT, "UnsentMailBackend")
        except (smtplib.SMTPException, OSError) as exc:
            ok, error = False, explain_failure(exc)[:500]
            detail = f"{type(exc).__name__}: {exc}"
            logger.warning(
                "Delivery %s of %s to %s failed: %s",
                delivery.pk,
                doc.symbol,
                delivery.recipient,
                detail,
            )
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        delivery.attempts += 1
        # the attempt log (system admin only) keeps the technical detail; staff read `error`
        DeliveryAttempt.objects.create(
            delivery=delivery,
            at=now,
            ok=ok,
            error=f"{error} ({TECHNICAL}{detail})"[:500] if not ok else "",
        )
        if ok:
            delivery.status, delivery.sent_at, delivery.next_try_at = DeliveryStatus.SENT, now, None
            delivery.last_error = ""
        else:
            delivery.last_error = error
            if delivery.attempts >= MAX_ATTEMPTS:
                delivery.status, delivery.next_try_at = DeliveryStatus.GAVE_UP, None
            else:
                delivery.status = DeliveryStatus.FAILED
                delivery.next_try_at = now + timedelta(minutes=5 * 2 ** (delivery.attempts - 1))
        delivery.save()
    return ok


def _text(doc: OutgoingDocument) -> tuple[str, str]:
    """The letter's own words to a citizen when its app gives them (`citizen_mail_text`),
    else the text between agencies."""
    if not doc.to_state_agency:
        for _receiver, answer in citizen_mail_text.send(sender=OutgoingDocument, doc=doc):
            if answer is not None:
                return cast(tuple[str, str], answer)
    return (
        f"{doc.doc_type} số {doc.symbol}: {doc.summary}",
        f"{doc.unit.name} gửi {doc.doc_type.lower()} số {doc.symbol} ngày "
        f"{doc.issued_on:%d/%m/%Y} về việc: {doc.summary}.\n\n"
        "Văn bản điện tử đính kèm đã được ký số (PAdES); đề nghị kiểm tra chữ ký và "
        "xác nhận đã nhận.\n",
    )


@task()
def send_delivery(delivery_id: int) -> bool:
    delivery = (
        Delivery.objects.select_related("outgoing__unit", "sent_by").filter(pk=delivery_id).first()
    )
    if delivery is None or delivery.status == DeliveryStatus.SENT:
        return False
    return attempt(delivery)


def retry_due(now: datetime | None = None) -> int:
    """Retry every failed delivery whose time has come (scheduled, e.g. every 5 minutes)."""
    now = now or timezone.now()
    due = Delivery.objects.select_related("outgoing__unit", "sent_by").filter(
        status=DeliveryStatus.FAILED, next_try_at__lte=now
    )
    return sum(1 for delivery in due if attempt(delivery, now))


TECHNICAL = "chi tiết kỹ thuật: "


def explain_failure(exc: BaseException) -> str:
    """What the clerk and the commune officer read beside a failed delivery: the cause in
    Vietnamese only. The exception's own (English) text goes to the server log and the
    attempt log the system admin sees, never to staff pages."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        cause = "Máy chủ thư từ chối địa chỉ người nhận (kiểm tra lại địa chỉ thư)"
    elif isinstance(exc, smtplib.SMTPAuthenticationError):
        cause = "Máy chủ thư không chấp nhận tài khoản gửi thư (báo người phụ trách CNTT)"
    elif isinstance(exc, smtplib.SMTPServerDisconnected):
        cause = "Máy chủ thư ngắt kết nối giữa chừng"
    elif isinstance(exc, smtplib.SMTPException):
        cause = "Máy chủ thư báo lỗi khi gửi"
    elif isinstance(exc, TimeoutError):
        cause = "Máy chủ thư không trả lời kịp"
    else:
        cause = "Không kết nối được máy chủ thư (báo người phụ trách CNTT kiểm tra cấu hình thư)"
    return cause
