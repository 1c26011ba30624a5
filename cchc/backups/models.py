"""The record of each backup run, shown on the admin's page ("Sao lưu")."""

from __future__ import annotations

from django.db import models


class BackupStatus(models.TextChoices):
    RUNNING = "running", "Đang chạy"
    OK = "ok", "Thành công"
    FAILED = "failed", "Thất bại"


class BackupRun(models.Model):
    """One `cchc backup` (by hand or the worker's nightly job), kept while its archive exists.

    Not audited per unit: it records the system's own housekeeping, not a change to any unit's data.
    """

    started_at = models.DateTimeField("Bắt đầu", db_index=True)
    finished_at = models.DateTimeField("Kết thúc", null=True, blank=True)
    status = models.CharField(
        "Trạng thái", max_length=10, choices=BackupStatus.choices, default=BackupStatus.RUNNING
    )
    trigger = models.CharField("Cách chạy", max_length=20, default="manual")
    path = models.CharField("Tệp sao lưu", max_length=500, blank=True)
    size = models.BigIntegerField("Dung lượng (byte)", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    verified = models.BooleanField("Đã kiểm tra", default=False)
    verify_note = models.TextField("Kết quả kiểm tra", blank=True)
    message = models.TextField("Ghi chú", blank=True)
    counts = models.JSONField("Số bản ghi chính", default=dict, blank=True)
    removed = models.BooleanField("Đã xóa theo lịch giữ", default=False)

    class Meta:
        verbose_name = "Lần sao lưu"
        verbose_name_plural = "Các lần sao lưu"
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%d/%m/%Y %H:%M} {self.get_status_display()}"
