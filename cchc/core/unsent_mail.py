"""The mail backend when no mail server is configured (no EMAIL_HOST, as in `make demo`).

Django's default SMTP backend then tried 127.0.0.1:25 and every notification task ended in
"Connection refused" with a stack trace in the worker's log (QA walk). This backend attempts
nothing: it logs one line per batch and returns 0 ("none sent"), which every sender records as
not sent (a task's result, a delivery's failed attempt, a receipt not marked e-mailed).
Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD_FILE, EMAIL_USE_TLS) for real
mail: docs/configuration.md.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)

BACKEND = "cchc.core.unsent_mail.UnsentMailBackend"
#: What a sender records when its message was not sent for want of a mail server.
NOT_SENT = "Chưa cấu hình máy chủ thư điện tử (EMAIL_HOST): thư chưa được gửi."


class UnsentMailBackend(BaseEmailBackend):
    """Sends nothing; says so once per batch, without the recipients (personal data)."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if email_messages:
            logger.warning(
                "No mail server configured (EMAIL_HOST): %d message(s) not sent: %s",
                len(email_messages),
                "; ".join(str(message.subject) for message in email_messages)[:300],
            )
        return 0


def mail_configured() -> bool:
    """Whether mail can leave the system (False: nothing configured, nothing is sent)."""
    return settings.EMAIL_BACKEND != BACKEND
