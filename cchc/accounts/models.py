"""Users, the roles they hold in their unit, per-role security policy and API tokens."""

from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models

from cchc.core.models import TimeStampedModel


class User(AbstractUser):
    """A log-in. The person behind it is `user.staff` (organizations.Staff), if any."""

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
            models.UniqueConstraint(fields=["staff", "role"], name="role_assignment_unique")
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


class ApiToken(TimeStampedModel):
    """A bearer token for an integration; only its SHA-256 is stored."""

    user = models.ForeignKey(
        User, verbose_name="Tài khoản", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("Tên", max_length=100)
    prefix = models.CharField("Tiền tố", max_length=12, db_index=True)
    key_hash = models.CharField("Mã băm", max_length=64, unique=True)
    last_used_at = models.DateTimeField("Dùng lần cuối", null=True, blank=True)
    revoked_at = models.DateTimeField("Thu hồi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "Mã truy cập API"
        verbose_name_plural = "Mã truy cập API"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
