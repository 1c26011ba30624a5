"""Units (commune -> schools), professional groups (tổ chuyên môn) and staff."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from cchc.core.models import TimeStampedModel


class UnitKind(models.TextChoices):
    COMMUNE = "commune", "UBND xã/phường"
    SCHOOL = "school", "Trường học"
    EDUCATION_OFFICE = "education_office", "Cơ quan quản lý giáo dục"
    OTHER = "other", "Đơn vị khác"


class DeadlineMode(models.TextChoices):
    """How a time limit in working days becomes a due date (issue: working-day calendar)."""

    DATE_RULE = "date_rule", "Theo ngày làm việc (không tính ngày tiếp nhận)"
    WORKING_HOURS = "working_hours", "Quy đổi N × 8 giờ làm việc từ thời điểm tiếp nhận"


class UnitQuerySet(models.QuerySet["Unit"]):
    def descendants_of(self, unit: Unit, *, include_self: bool = True) -> UnitQuerySet:
        qs = self.filter(path__startswith=unit.path)
        return qs if include_self else qs.exclude(pk=unit.pk)


class Unit(TimeStampedModel):
    """A public body or service unit; `path` makes "this unit and all below it" one query."""

    kind = models.CharField("Loại đơn vị", max_length=32, choices=UnitKind.choices)
    name = models.CharField("Tên đầy đủ", max_length=255)
    short_name = models.CharField("Tên viết tắt", max_length=100, blank=True)
    code = models.CharField(
        "Mã định danh điện tử",
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                r"^[0-9A-Za-z.\-]+$", "Mã định danh chỉ gồm chữ, số, dấu chấm và gạch ngang."
            )
        ],
        help_text="Mã định danh điện tử của cơ quan (dùng trong mã hồ sơ TTHC).",
    )
    symbol = models.CharField(
        "Chữ viết tắt trong ký hiệu văn bản",
        max_length=30,
        blank=True,
        help_text="Ví dụ THCSNTB, dùng trong số ký hiệu văn bản (Nghị định 30/2020).",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="Đơn vị cấp trên",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("Đường dẫn cây", max_length=255, db_index=True, editable=False)
    address = models.CharField("Địa chỉ", max_length=300, blank=True)
    phone = models.CharField("Điện thoại", max_length=30, blank=True)
    email = models.EmailField("Thư điện tử công vụ", blank=True)
    website = models.URLField("Trang thông tin điện tử", blank=True)
    bank_bin = models.CharField("Mã ngân hàng (BIN)", max_length=6, blank=True)
    bank_account = models.CharField("Số tài khoản", max_length=30, blank=True)
    bank_account_holder = models.CharField("Chủ tài khoản", max_length=200, blank=True)
    deadline_mode = models.CharField(
        "Cách tính hạn",
        max_length=20,
        choices=DeadlineMode.choices,
        default=DeadlineMode.DATE_RULE,
    )
    # Decree 61 Art. 18: a dossier received after the cut-off counts from the next working day.
    # domain-2025.md 3.1 finds no hour in Decree 118, so the hour is the unit's (default 15:00).
    receipt_cutoff = models.TimeField("Giờ chốt tiếp nhận", default=time(15, 0))
    cutoff_all_procedures = models.BooleanField(
        "Áp dụng giờ chốt cho mọi thủ tục",
        default=False,
        help_text="Bỏ chọn: chỉ thủ tục giải quyết trong ngày và thủ tục có giờ chốt riêng.",
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "Đơn vị"
        verbose_name_plural = "Đơn vị"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Group(TimeStampedModel):
    """A professional group (tổ chuyên môn) with its head and supervising vice principal."""

    unit = models.ForeignKey(
        Unit, verbose_name="Đơn vị", on_delete=models.CASCADE, related_name="groups"
    )
    name = models.CharField("Tên tổ", max_length=200)
    head = models.ForeignKey(
        "Staff",
        verbose_name="Tổ trưởng",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_groups",
    )
    supervisor = models.ForeignKey(
        "Staff",
        verbose_name="Phó hiệu trưởng phụ trách",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervised_groups",
    )

    class Meta:
        verbose_name = "Tổ chuyên môn"
        verbose_name_plural = "Tổ chuyên môn"
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="group_unit_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


# What a commune calls the roles a school calls principal and vice principal (the same
# permissions: the unit's head and deputies approve and sign its papers).
COMMUNE_ROLE_TITLES = {
    "principal": "Chủ tịch UBND xã (thủ trưởng đơn vị)",
    "vice_principal": "Phó Chủ tịch UBND xã",
}


def role_title(role: str, unit: Unit) -> str:
    """What `unit` calls `role`: a commune's head is its chair, a school's its principal."""
    from cchc.accounts.models import Role

    own = COMMUNE_ROLE_TITLES if unit.kind == UnitKind.COMMUNE else {}
    return own.get(role) or str(Role(role).label)


class Staff(TimeStampedModel):
    """A civil servant or employee (viên chức, người lao động) of one unit."""

    unit = models.ForeignKey(
        Unit, verbose_name="Đơn vị", on_delete=models.PROTECT, related_name="staff"
    )
    group = models.ForeignKey(
        Group,
        verbose_name="Tổ chuyên môn",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    full_name = models.CharField("Họ và tên", max_length=200)
    position = models.CharField("Chức vụ", max_length=200, blank=True)
    email = models.EmailField("Thư điện tử công vụ", blank=True)
    phone = models.CharField("Điện thoại", max_length=30, blank=True)
    has_signature_certificate = models.BooleanField("Có chứng thư chữ ký số", default=False)
    is_active = models.BooleanField("Đang công tác", default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="Tài khoản",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )

    class Meta:
        verbose_name = "Viên chức, người lao động"
        verbose_name_plural = "Viên chức, người lao động"
        ordering = ["unit", "full_name"]
        indexes = [models.Index(fields=["unit", "full_name"], name="staff_unit_name_idx")]

    def __str__(self) -> str:
        return self.full_name

    def role_titles(self) -> list[str]:
        """Its roles as its unit calls them: a commune's chair holds the principal's role (the
        unit's head approves and signs its papers) but is no "Hiệu trưởng"."""

        return [role_title(a.role, self.unit) for a in self.role_assignments.all()]
