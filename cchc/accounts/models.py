"""Users, the roles they hold in their unit, per-role security policy and API tokens."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from cchc.core.constraints import one_of
from cchc.core.models import TimeStampedModel


class User(AbstractUser):
    """A log-in. The person behind it is `user.staff` (organizations.Staff), if any."""

    # Not columns: the roles `permissions.roles_of` caches on the user for one request, and
    # django-otp's OTPMiddleware's "has this session passed the second factor?".
    _cchc_roles: frozenset[str]
    is_verified: Callable[[], bool]

    def get_full_name(self) -> str:
        """The person's full name in Vietnamese order ("Lê Thị Thanh Thủy"): the staff record's
        one field when there is one, else family and middle names (`last_name`) before the
        given name (`first_name`), never Django's Western "first last" ("Thủy Lê Thị Thanh")."""
        staff = getattr(self, "staff", None)
        if staff is not None and staff.full_name:
            return staff.full_name
        return " ".join(part for part in (self.last_name, self.first_name) if part).strip()

    class Meta:
        verbose_name = "Tài khoản"
        verbose_name_plural = "Tài khoản"
        ordering = ["username"]


class Role(models.TextChoices):
    PRINCIPAL = "principal", "Hiệu trưởng"
    VICE_PRINCIPAL = "vice_principal", "Phó hiệu trưởng"
    CLERK = "clerk", "Văn thư (tiếp nhận hồ sơ)"
    INSPECTION_HEAD = "inspection_head", "Trưởng ban Thanh tra nhân dân"
    IT_LEAD = "it_lead", "Phụ trách công nghệ thông tin"
    ACCOUNTANT = "accountant", "Kế toán"
    STAFF = "staff", "Viên chức, người lao động"
    COMMUNE_OFFICER = "commune_officer", "Cán bộ phụ trách CCHC cấp xã"
    SYSTEM_ADMIN = "system_admin", "Quản trị hệ thống"


class RoleAssignment(TimeStampedModel):
    """One role held by one staff member in their own unit."""

    staff = models.ForeignKey(
        "organizations.Staff",
        verbose_name="Viên chức",
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField("Vai trò", max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = "Phân công vai trò"
        verbose_name_plural = "Phân công vai trò"
        ordering = ["staff", "role"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "role"], name="role_assignment_unique"),
            # A role the permission table does not know would grant nothing, silently.
            one_of("role", Role, name="role_assignment_role_valid", label="Vai trò"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} — {self.get_role_display()}"


class RoleSecurityPolicy(TimeStampedModel):
    """Whether holders of a role must pass a TOTP second factor (set by the system admin)."""

    role = models.CharField("Vai trò", max_length=32, choices=Role.choices, unique=True)
    requires_otp = models.BooleanField("Bắt buộc xác thực hai lớp (TOTP)", default=False)

    class Meta:
        verbose_name = "Chính sách bảo mật theo vai trò"
        verbose_name_plural = "Chính sách bảo mật theo vai trò"
        ordering = ["role"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {'bắt buộc' if self.requires_otp else 'tùy chọn'} TOTP"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def token_expiry() -> object:
    """When a token issued now stops working (API_TOKEN_DAYS, 90 by default)."""
    return timezone.now() + timedelta(days=getattr(settings, "API_TOKEN_DAYS", 90))


class ApiToken(TimeStampedModel):
    """A bearer token for an integration; only its SHA-256 is stored. It expires."""

    user = models.ForeignKey(
        User, verbose_name="Tài khoản", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("Tên", max_length=100)
    prefix = models.CharField("Tiền tố", max_length=12, db_index=True)
    key_hash = models.CharField("Mã băm", max_length=64, unique=True)
    last_used_at = models.DateTimeField("Dùng lần cuối", null=True, blank=True)
    revoked_at = models.DateTimeField("Thu hồi lúc", null=True, blank=True)
    expires_at = models.DateTimeField("Hết hạn lúc", default=token_expiry)

    class Meta:
        verbose_name = "Mã truy cập API"
        verbose_name_plural = "Mã truy cập API"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class OtpEnrolmentCode(TimeStampedModel):
    """A one-time code the admin gives a person so they can pair their first authenticator.

    Without it, whoever knows a password of a role that requires the second factor could pair
    their own phone and pass it. Only the SHA-256 of the code is stored.
    """

    user = models.ForeignKey(
        User, verbose_name="Tài khoản", on_delete=models.CASCADE, related_name="otp_codes"
    )
    code_hash = models.CharField("Mã băm", max_length=64, unique=True)
    issued_by = models.ForeignKey(
        User,
        verbose_name="Người cấp",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    expires_at = models.DateTimeField("Hết hạn lúc")
    used_at = models.DateTimeField("Đã dùng lúc", null=True, blank=True)

    class Meta:
        verbose_name = "Mã kích hoạt xác thực hai lớp"
        verbose_name_plural = "Mã kích hoạt xác thực hai lớp"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} — {self.expires_at:%d/%m/%Y %H:%M}"
