"""Background jobs of accounts: the password-reset mail, sent by the worker so the page answers
in the same time whether or not the address has an account."""

from __future__ import annotations

from django.contrib.auth.forms import PasswordResetForm
from django_tasks import task


@task()
def send_password_reset(email: str, domain: str, use_https: bool) -> bool:
    """Mail a reset link to every active account with this address (none: nothing is sent)."""
    form = PasswordResetForm({"email": email})
    if not form.is_valid():
        return False
    form.save(
        domain_override=domain,
        use_https=use_https,
        subject_template_name="accounts/password_reset_subject.txt",
        email_template_name="accounts/password_reset_email.txt",
    )
    return True
