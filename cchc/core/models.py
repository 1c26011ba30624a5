"""Domain-free base models and the append-only audit log."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.text import capfirst


class TimeStampedModel(models.Model):
    """Every table has created_at and updated_at (style.md 2.8)."""

    created_at = models.DateTimeField("Tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("Cập nhật lúc", auto_now=True)

    class Meta:
        abstract = True


class AuditChainHead(models.Model):
    """The last link of one unit's audit chain.

    Appending locks this row, so concurrent writers of one unit queue up and the chain never forks;
    writers of different units do not wait for each other.
    """

    chain_key = models.BigIntegerField("Khóa chuỗi", unique=True)
    seq = models.BigIntegerField("Số thứ tự cuối", default=0)
    hash = models.CharField("Mã băm cuối", max_length=64, default="")
    updated_at = models.DateTimeField("Cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "Đầu chuỗi nhật ký"
        verbose_name_plural = "Đầu chuỗi nhật ký"
        ordering = ["chain_key"]

    def __str__(self) -> str:
        return f"{self.chain_key}#{self.seq}"


class AuditEvent(models.Model):
    """One change made through a service. Rows are never updated; the hash chain proves it."""

    chain_key = models.BigIntegerField("Khóa chuỗi", db_index=True)
    seq = models.BigIntegerField("Số thứ tự")
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="Đơn vị",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người thực hiện",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    actor_name = models.CharField("Tên người thực hiện", max_length=200, blank=True)
    verb = models.CharField("Hành động", max_length=64, db_index=True)
    object_type = models.CharField("Loại đối tượng", max_length=100, db_index=True)
    object_id = models.CharField("Mã đối tượng", max_length=64, blank=True)
    object_repr = models.CharField("Đối tượng", max_length=300, blank=True)
    before = models.JSONField("Trước", null=True, blank=True)
    after = models.JSONField("Sau", null=True, blank=True)
    at = models.DateTimeField("Thời điểm", db_index=True)
    prev_hash = models.CharField("Mã băm trước", max_length=64)
    hash = models.CharField("Mã băm", max_length=64)

    class Meta:
        verbose_name = "Nhật ký thay đổi"
        verbose_name_plural = "Nhật ký thay đổi"
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["chain_key", "seq"], name="audit_chain_seq_unique"),
        ]
        indexes = [models.Index(fields=["unit", "-at"], name="audit_unit_at_idx")]

    def __str__(self) -> str:
        # The admin's titles and breadcrumbs show this: words, not the stored codes.
        number = f" #{self.object_id}" if self.object_id else ""
        return f"{self.verb_label}: {self.object_type_label}{number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Nhật ký thay đổi chỉ được ghi thêm, không được sửa.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("Nhật ký thay đổi không được xóa.")

    @property
    def verb_label(self) -> str:
        """The verb in words, from the registry (`cchc.core.audit_verbs`)."""
        from cchc.core.audit_verbs import verb_label

        return verb_label(self.verb)

    @property
    def object_type_label(self) -> str:
        """The changed object's kind in words (its model's Vietnamese name, "Hồ sơ" for
        "dossiers.dossier"); the stored code when it names no installed model."""
        try:
            return capfirst(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type
