from django.contrib import admin

from cchc.accounts.models import RoleAssignment
from cchc.core.admin import AuditedModelAdmin
from cchc.organizations.models import Group, Staff, Unit
from cchc.organizations.services import unit_path


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "code", "symbol", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "code"]

    def save_model(self, request, obj, form, change):
        if not obj.pk:
            obj.path = ""
        super().save_model(request, obj, form, change)
        if obj.path != unit_path(obj):
            obj.path = unit_path(obj)
            obj.save(update_fields=["path"])


@admin.register(Group)
class GroupAdmin(AuditedModelAdmin):
    list_display = ["name", "unit", "head", "supervisor"]
    list_filter = ["unit"]
    search_fields = ["name"]
    autocomplete_fields = ["head", "supervisor"]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(Staff)
class StaffAdmin(AuditedModelAdmin):
    list_display = ["full_name", "position", "unit", "group", "email", "has_signature_certificate"]
    list_filter = ["unit", "has_signature_certificate", "is_active"]
    search_fields = ["full_name", "email"]
    autocomplete_fields = ["user"]
    inlines = [RoleAssignmentInline]
