"""Writes about accounts: API tokens, second-factor devices and enrolment codes, each audited."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from cchc.accounts.models import ApiToken, OtpEnrolmentCode, User, hash_token
from cchc.accounts.permissions import acting_staff, must_use_otp
from cchc.core.audit import audit_record
from cchc.core.audit_verbs import AuditVerb

# How long an enrolment code given by the admin stays usable.
OTP_CODE_HOURS = 72
SECOND_FACTOR_FIRST = (
    "Chỉ tạo được mã truy cập API sau khi đã xác thực hai lớp. Hãy cài đặt ứng dụng xác thực "
    "và đăng nhập lại bằng mã 6 chữ số."
)


def _unit_of(user: User):
    staff = acting_staff(user)
    return staff.unit if staff is not None else None


def has_second_factor(user: User) -> bool:
    """Whether the person has a confirmed authenticator."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def api_token_create(
    *, user: User, name: str, second_factor_passed: bool, actor: User | None = None
) -> tuple[ApiToken, str]:
    """Issue a token to someone who passed the second factor; the raw value is returned once.

    A bearer token skips the log-in page and its second factor for as long as it lives, so it
    is issued only after that factor (the web page passes `user.is_verified()`, the command
    line that the user has a confirmed authenticator), and it expires (API_TOKEN_DAYS).
    """
    if not second_factor_passed:
        raise PermissionDenied(SECOND_FACTOR_FIRST)
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": "Hãy đặt tên gợi nhớ cho mã (tối đa 100 ký tự)."})
    raw = "cchc_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:12], key_hash=hash_token(raw))
    audit_record(
        actor=actor or user,
        verb=AuditVerb.API_TOKEN_CREATE,
        obj=token,
        unit=_unit_of(user),
        after={
            "user": user.username,
            "name": name,
            "prefix": token.prefix,
            "expires_at": token.expires_at.isoformat(),
        },
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    if token.user_id != actor.pk and not actor.is_superuser:
        raise PermissionDenied("Bạn chỉ thu hồi được mã của chính mình.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.API_TOKEN_REVOKE,
        obj=token,
        unit=_unit_of(token.user),
        after={"prefix": token.prefix},
    )
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind a raw bearer token, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            key_hash=hash_token(raw),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def otp_device_get_or_create(*, user: User) -> TOTPDevice:
    """The user's unconfirmed or confirmed TOTP device (one per user)."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)
    return device


@transaction.atomic
def otp_enrolment_code_issue(*, actor: User | None, user: User) -> str:
    """A new one-time enrolment code for `user` (earlier unused ones stop working); shown once."""
    now = timezone.now()
    OtpEnrolmentCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    raw = "-".join(secrets.token_hex(3).upper() for _ in range(3))  # 72 bits, easy to dictate
    code = OtpEnrolmentCode.objects.create(
        user=user,
        code_hash=hash_token(raw),
        issued_by=actor,
        expires_at=now + timedelta(hours=OTP_CODE_HOURS),
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.OTP_ENROLMENT_CODE,
        obj=code,
        unit=_unit_of(user),
        after={"user": user.username, "expires_at": code.expires_at.isoformat()},
    )
    return raw


def otp_enrolment_code_find(*, user: User, raw: str) -> OtpEnrolmentCode | None:
    """The user's usable code matching `raw` (spaces, dashes and case ignored), or None."""
    cleaned = "".join(ch for ch in raw.upper() if ch.isalnum())
    if len(cleaned) != 18:
        return None
    formatted = "-".join(cleaned[i : i + 6] for i in range(0, 18, 6))
    return OtpEnrolmentCode.objects.filter(
        user=user,
        code_hash=hash_token(formatted),
        used_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).first()


def otp_needs_enrolment_code(user: User) -> bool:
    """A role that requires the second factor pairs its first authenticator with a code only."""
    return must_use_otp(user) and not has_second_factor(user)


def otp_device_new_secret(*, device: TOTPDevice) -> TOTPDevice:
    """A fresh secret, so a QR code seen before the enrolment code was given is worthless."""
    device.key = random_hex(20)
    device.save(update_fields=["key"])
    return device


@transaction.atomic
def otp_device_confirm(
    *, device: TOTPDevice, actor: User, enrolment_code: OtpEnrolmentCode | None = None
) -> TOTPDevice:
    if otp_needs_enrolment_code(actor):
        code = (
            None
            if enrolment_code is None
            else OtpEnrolmentCode.objects.select_for_update()
            .filter(pk=enrolment_code.pk, user=actor, used_at__isnull=True)
            .filter(expires_at__gt=timezone.now())
            .first()
        )
        if code is None:
            raise PermissionDenied(
                "Cần mã kích hoạt do quản trị hệ thống cấp để cài đặt xác thực hai lớp."
            )
        code.used_at = timezone.now()
        code.save(update_fields=["used_at", "updated_at"])
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        actor=actor,
        verb=AuditVerb.OTP_ENABLE,
        obj=device,
        unit=_unit_of(actor),
        after={"confirmed": True},
    )
    return device
