"""Writes about accounts: API tokens and second-factor devices, each audited."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cchc.accounts.models import ApiToken, User, hash_token
from cchc.accounts.permissions import acting_staff
from cchc.core.audit import audit_record


def _unit_of(user: User):
    staff = acting_staff(user)
    return staff.unit if staff is not None else None


@transaction.atomic
def api_token_create(*, user: User, name: str, actor: User | None = None) -> tuple[ApiToken, str]:
    """Issue a token; the raw value is returned once and never stored."""
    raw = "cchc_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:12], key_hash=hash_token(raw))
    audit_record(
        actor=actor or user,
        verb="api_token.create",
        obj=token,
        unit=_unit_of(user),
        after={"user": user.username, "name": name, "prefix": token.prefix},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at", "updated_at"])
    audit_record(
        actor=actor,
        verb="api_token.revoke",
        obj=token,
        unit=_unit_of(token.user),
        after={"prefix": token.prefix},
    )
    return token


def api_token_authenticate(raw: str) -> User | None:
    """The active user behind a raw bearer token, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
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
def otp_device_confirm(*, device: TOTPDevice, actor: User) -> TOTPDevice:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        actor=actor, verb="otp.enable", obj=device, unit=_unit_of(actor), after={"confirmed": True}
    )
    return device
