"""Daily snapshots of every indicator per unit, so trends are read, not recomputed."""

from __future__ import annotations

from django.db import models

from cchc.core.models import TimeStampedModel


class Snapshot(TimeStampedModel):
    """An indicator's parts for one unit over its year up to `day` (as measured that day).

    Parts, not percentages, so a commune's trend is the sum of its schools' parts (design.md 1).
    """

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="Đơn vị", on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField("Mã chỉ số", max_length=64)
    day = models.DateField("Ngày chụp")
    numerator = models.DecimalField("Tử số", max_digits=20, decimal_places=4)
    denominator = models.DecimalField("Mẫu số", max_digits=20, decimal_places=4)
    label = models.CharField("Xếp loại", max_length=40, blank=True)

    class Meta:
        verbose_name = "Ảnh chụp chỉ số"
        verbose_name_plural = "Ảnh chụp chỉ số"
        ordering = ["unit", "code", "day"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code", "day"], name="kpi_snapshot_unique"),
            models.CheckConstraint(
                condition=models.Q(denominator__gte=0) & models.Q(numerator__gte=0),
                name="kpi_snapshot_parts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.day:%d/%m/%Y}"
