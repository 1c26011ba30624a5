"""A unit's own changes to the official calendar (a local day off, an extra working day)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cchc.core.models import TimeStampedModel


class CalendarOverride(TimeStampedModel):
    """Applies to its unit and every unit below it; the nearest unit's override wins."""

    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="Đơn vị",
        on_delete=models.CASCADE,
        related_name="calendar_overrides",
    )
    date = models.DateField("Ngày")
    is_working = models.BooleanField(
        "Là ngày làm việc", help_text="Bỏ chọn nếu đây là ngày nghỉ của đơn vị."
    )
    reason = models.CharField("Lý do, căn cứ", max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người tạo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "Điều chỉnh lịch làm việc"
        verbose_name_plural = "Điều chỉnh lịch làm việc"
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "date"], name="calendar_override_unit_date")
        ]

    def __str__(self) -> str:
        kind = "làm việc" if self.is_working else "nghỉ"
        return f"{self.date:%d/%m/%Y}: {kind} ({self.reason})"
