"""Admin for the audit log: readable by the system admin, never editable."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import admin
from django.contrib.auth.models import AbstractUser
from django.db import models, transaction
from django.http import HttpRequest

# Imported for its effect: the libraries' admins re-registered with Vietnamese words.
from cchc.core import library_admin  # noqa: F401
from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb, verb_label
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


class _CodeFilter(admin.SimpleListFilter):
    """A filter over a stored code column that offers each code present under its words."""

    field = ""

    def label_of(self, code: str) -> str:
        raise NotImplementedError

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        codes = (
            model_admin.get_queryset(request)
            .order_by()
            .values_list(self.field, flat=True)
            .distinct()
        )
        return sorted(((code, self.label_of(code)) for code in codes), key=lambda item: item[1])

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        value = self.value()
        return queryset.filter(**{self.field: value}) if value else queryset


class VerbFilter(_CodeFilter):
    title = "Hành động"
    parameter_name = field = "verb"

    def label_of(self, code: str) -> str:
        return verb_label(code)


class ObjectTypeFilter(_CodeFilter):
    title = "Loại đối tượng"
    parameter_name = field = "object_type"

    def label_of(self, code: str) -> str:
        return AuditEvent(object_type=code).object_type_label


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """The log in words: verbs by their registry labels (the staff audit page's source) and
    object types by their models' Vietnamese names; the stored codes stay searchable."""

    list_display = [
        "at",
        "unit",
        "actor_display",
        "verb_name",
        "object_type_name",
        "object_id",
        "seq",
    ]
    list_filter: ClassVar[list[Any]] = [VerbFilter, ObjectTypeFilter]
    search_fields = ["actor_name", "object_repr", "object_id", "verb"]
    search_help_text: ClassVar[str | None] = (
        "Tìm theo tên người thực hiện, tên hoặc mã đối tượng, mã hành động."
    )
    date_hierarchy: ClassVar[str | None] = "at"
    fields: ClassVar[Any] = [
        "at",
        "unit",
        "actor",
        "actor_name",
        "verb_name",
        "object_type_name",
        "object_id",
        "object_repr",
        "before",
        "after",
        "chain_key",
        "seq",
        "prev_hash",
        "hash",
    ]
    readonly_fields: ClassVar[Any] = ["verb_name", "object_type_name"]

    @admin.display(description="Người thực hiện", ordering="actor_name")
    def actor_display(self, event: AuditEvent) -> str:
        """As the staff audit page says it: no actor is the system itself (demo, tasks)."""
        return event.actor_name or "Hệ thống"

    @admin.display(description="Hành động", ordering="verb")
    def verb_name(self, event: AuditEvent) -> str:
        return event.verb_label

    @admin.display(description="Loại đối tượng", ordering="object_type")
    def object_type_name(self, event: AuditEvent) -> str:
        return event.object_type_label

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
    search_help_text = None
    date_hierarchy = None
    fields = None
    readonly_fields = ()
