from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from cchc.accounts.models import (
    ApiToken,
    OtpEnrolmentCode,
    RoleAssignment,
    RoleSecurityPolicy,
    User,
)
from cchc.core.admin import AuditedModelAdmin


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    search_fields = ["username", "first_name", "last_name", "email"]
    # One "Họ và tên" column in Vietnamese order, not Django's separate given/family columns.
    list_display = ["username", "email", "full_name", "is_staff"]
    list_select_related = ["staff"]
    actions = ["issue_otp_enrolment_code"]

    @admin.display(description="Họ và tên")
    def full_name(self, obj: User) -> str:
        return obj.get_full_name()

    @admin.action(description="Cấp mã kích hoạt xác thực hai lớp (dùng một lần, 72 giờ)")
    def issue_otp_enrolment_code(self, request, queryset):
        from cchc.accounts.services import otp_enrolment_code_issue

        for user in queryset.filter(is_active=True):
            raw = otp_enrolment_code_issue(actor=request.user, user=user)
            self.message_user(
                request, f"Mã kích hoạt của {user.username}: {raw} — trao trực tiếp cho người dùng."
            )


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
    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = ["prefix", "key_hash", "last_used_at"]
    search_fields = ["name", "user__username"]

    def has_add_permission(self, request):
        # Tokens are issued with `cchc api_token create` so the raw value is shown exactly once.
        return False


@admin.register(OtpEnrolmentCode)
class OtpEnrolmentCodeAdmin(admin.ModelAdmin):
    list_display = ["user", "issued_by", "created_at", "expires_at", "used_at"]
    readonly_fields = ["user", "code_hash", "issued_by", "expires_at", "used_at"]
    search_fields = ["user__username"]

    def has_add_permission(self, request):
        # Issued with the "Cấp mã kích hoạt" action on accounts (or `cchc otp_code`), so the raw
        # code is shown exactly once.
        return False
