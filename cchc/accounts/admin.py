from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from cchc.accounts.models import ApiToken, RoleAssignment, RoleSecurityPolicy, User
from cchc.core.admin import AuditedModelAdmin


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    search_fields = ["username", "first_name", "last_name", "email"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedModelAdmin):
    list_display = ["staff", "role"]
    list_filter = ["role"]
    autocomplete_fields = ["staff"]

    def unit_of(self, obj):
        return obj.staff.unit


@admin.register(RoleSecurityPolicy)
class RoleSecurityPolicyAdmin(AuditedModelAdmin):
    list_display = ["role", "requires_otp"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "last_used_at"]
    search_fields = ["name", "user__username"]

    def has_add_permission(self, request):
        # Tokens are issued with `cchc api_token create` so the raw value is shown exactly once.
        return False
