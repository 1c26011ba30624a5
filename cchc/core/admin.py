"""Admin for the audit log: readable by the system admin, never editable."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.contrib.auth.models import AbstractUser
from django.db import models, transaction
from django.http import HttpRequest

from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb
from cchc.core.models import AuditChainHead, AuditEvent


def _admin_user(request: HttpRequest) -> AbstractUser | None:
    """The signed-in administrator (the admin site lets no anonymous visitor in)."""
    user = request.user
    return user if isinstance(user, AbstractUser) else None


class AuditedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose saves and deletes leave an audit event like any service does."""

    def unit_of(self, obj: models.Model) -> Any:
        unit = getattr(obj, "unit", None)
        if unit is None and obj._meta.label_lower == "organizations.unit":
            return obj
        return unit

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            before = None
            if change:
                before = snapshot(type(obj)._default_manager.get(pk=obj.pk))
            super().save_model(request, obj, form, change)
            audit_record(
                actor=_admin_user(request),
                verb=AuditVerb.ADMIN_CHANGE if change else AuditVerb.ADMIN_ADD,
                obj=obj,
                unit=self.unit_of(obj),
                before=before,
                after=snapshot(obj),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            before = snapshot(obj)
            unit = self.unit_of(obj)
            if unit is not None and unit.pk == obj.pk:
                unit = None
            audit_record(
                actor=_admin_user(request),
                verb=AuditVerb.ADMIN_DELETE,
                obj=obj,
                unit=unit,
                before=before,
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Inline rows (e.g. a staff member's roles) are audited one by one too."""
        with transaction.atomic():
            parent_unit = self.unit_of(form.instance)
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                audit_record(
                    actor=_admin_user(request),
                    verb=AuditVerb.ADMIN_DELETE,
                    obj=obj,
                    unit=parent_unit,
                    before=snapshot(obj),
                )
                obj.delete()
            for obj in instances:
                is_new = obj.pk is None
                obj.save()
                audit_record(
                    actor=_admin_user(request),
                    verb=AuditVerb.ADMIN_ADD if is_new else AuditVerb.ADMIN_CHANGE,
                    obj=obj,
                    unit=parent_unit,
                    after=snapshot(obj),
                )
            formset.save_m2m()


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "unit", "actor_name", "verb", "object_type", "object_id", "seq"]
    list_filter = ["verb", "object_type"]
    search_fields = ["actor_name", "object_repr", "object_id"]
    date_hierarchy: ClassVar[str | None] = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditChainHead)
class AuditChainHeadAdmin(AuditEventAdmin):
    list_display = ["chain_key", "seq", "hash", "updated_at"]
    list_filter = []
    search_fields = []
    date_hierarchy = None
