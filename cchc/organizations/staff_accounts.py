"""Giving a staff member a log-in: a set-password e-mail, or a printable one-time link.

No password is ever chosen for someone else or shown: the account is created with an unusable
password, and the person sets their own through Django's password-reset token, which works once
(it is tied to the password and the last log-in) and expires after PASSWORD_RESET_TIMEOUT.
Staff with an official e-mail get it by mail; the others get it on a sheet the principal prints
and hands over (with a QR code of the same link).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cchc.accounts.models import User
from cchc.core.audit import audit_record
from cchc.core.audit_verbs import AuditVerb
from cchc.core.text import fold
from cchc.core.unsent_mail import mail_configured
from cchc.organizations.models import Staff


class AccountError(ValueError):
    """Why an account cannot be issued; Vietnamese message."""


@dataclass(frozen=True)
class IssuedAccount:
    staff: Staff
    username: str
    link: str
    emailed: bool


def username_for(full_name: str) -> str:
    """ "Nguyễn Thị Thanh Trang" -> "trangntt" (given name + initials, as the demo's accounts),
    with a number appended when taken."""
    words = [w for w in re.split(r"[^a-z0-9]+", fold(full_name)) if w]
    if not words:
        words = ["canbo"]
    base = (words[-1] + "".join(w[0] for w in words[:-1]))[:140]
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}{n}"
    return candidate


def set_password_link(user: User) -> str:
    """Absolute address where `user` chooses a password (valid once)."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.CCHC_PUBLIC_URL.rstrip("/") + path


def _send(email: str, full_name: str, username: str, link: str) -> None:
    send_mail(
        "Tài khoản hệ thống CCHC của bạn",
        (
            f"Xin chào {full_name},\n\n"
            f"Đơn vị đã tạo cho bạn tài khoản “{username}” trên hệ thống quản lý cải cách "
            "hành chính. Mở đường dẫn sau để tự đặt mật khẩu (chỉ dùng được một lần):\n\n"
            f"{link}\n\nSau đó đăng nhập bằng tên “{username}” và mật khẩu vừa đặt.\n"
        ),
        settings.DEFAULT_FROM_EMAIL,
        [email],
    )


@transaction.atomic
def staff_account_issue(*, actor: User, staff: Staff) -> IssuedAccount:
    """Create the log-in of `staff` (or renew the link of an account never used)."""
    staff = Staff.objects.select_for_update(of=("self",)).select_related("user").get(pk=staff.pk)
    if not staff.is_active:
        raise AccountError(f"{staff.full_name} đã ngừng công tác; không cấp tài khoản.")
    user = staff.user
    if user is not None and user.last_login is not None:
        raise AccountError(
            f"{staff.full_name} đã dùng tài khoản “{user.username}”; nếu quên mật khẩu, "
            "hãy dùng chức năng Quên mật khẩu."
        )
    if user is None:
        if staff.email and User.objects.filter(email__iexact=staff.email).exists():
            raise AccountError(f"Thư điện tử {staff.email} đã gắn với một tài khoản khác.")
        user = User(username=username_for(staff.full_name), email=staff.email)
        user.first_name = staff.full_name[:150]
        user.set_unusable_password()
        user.save()
        staff.user = user
        staff.save(update_fields=["user", "updated_at"])
    link = set_password_link(user)
    # Without a mail server the link is handed over in person (printed), not lost in a mail.
    emailed = bool(staff.email) and mail_configured()
    if emailed:
        transaction.on_commit(partial(_send, staff.email, staff.full_name, user.username, link))
    audit_record(
        actor=actor,
        verb=AuditVerb.STAFF_ISSUE_ACCOUNT,
        obj=staff,
        unit=staff.unit,
        after={"username": user.username, "by": "email" if emailed else "printed"},
    )
    return IssuedAccount(staff, user.username, link, emailed)
