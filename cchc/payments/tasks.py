"""Background jobs: e-mail each receipt to the payer (django-tasks, `cchc db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django_tasks import task

from cchc.core.official_docs import OfficialDocError, docx_to_pdf, libreoffice_available
from cchc.core.templatetags.vn import format_date, format_vnd
from cchc.payments.models import Receipt
from cchc.payments.papers import DOCX_TYPE, public_url, receipt_docx


@task()
def email_receipt(receipt_id: int) -> bool:
    """Send the receipt (PDF, or DOCX when LibreOffice is missing) to the payer's address."""
    receipt = (
        Receipt.objects.select_related("payment__bill__unit__parent", "payment__collector")
        .filter(pk=receipt_id)
        .first()
    )
    if receipt is None or not receipt.payment.bill.payer_email:
        return False
    payment, bill = receipt.payment, receipt.payment.bill
    body = (
        f"Kính gửi {bill.payer_name},\n\n"
        f"{bill.unit.name} xác nhận đã nhận {format_vnd(payment.amount_vnd)} "
        f"({payment.get_method_display().lower()}) ngày {format_date(payment.paid_on)} "
        f"cho khoản thu {bill.code}: {bill.reason}.\n"
        f"Biên lai số {receipt.display_number} gửi kèm thư này.\n"
        f"Trạng thái khoản thu: {public_url(bill)}\n\n"
        f"{settings.CCHC_SITE_NAME}\n"
    )
    message = EmailMessage(
        f"Biên lai {receipt.display_number} – {bill.reason}", body, None, [bill.payer_email]
    )
    docx = receipt_docx(receipt)
    name = f"bien-lai-{receipt.year}-{receipt.number:06d}"
    pdf = None
    if libreoffice_available():
        try:
            pdf = docx_to_pdf(docx)
        except OfficialDocError:
            pdf = None
    if pdf:
        message.attach(f"{name}.pdf", pdf, "application/pdf")
    else:
        message.attach(f"{name}.docx", docx, DOCX_TYPE)
    if not message.send():  # no mail server configured (cchc.core.unsent_mail): not e-mailed
        return False
    Receipt.objects.filter(pk=receipt.pk).update(
        emailed_to=bill.payer_email, emailed_at=timezone.now()
    )
    return True
