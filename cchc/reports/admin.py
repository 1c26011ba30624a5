from django.contrib import admin

from cchc.core.admin import AuditedModelAdmin
from cchc.reports.models import Report, ReportingRule, ReportReminder


@admin.register(ReportingRule)
class ReportingRuleAdmin(AuditedModelAdmin):
    """The commune's or a unit's reporting calendar (replaces the Decree 09/2019 defaults)."""

    list_display = ("unit", "slot", "cutoff_to_month", "cutoff_to_day", "due_month", "due_day")
    list_filter = ("slot",)
    autocomplete_fields = ("unit", "responsible")


@admin.register(Report)
class ReportAdmin(AuditedModelAdmin):
    list_display = ("unit", "period", "kind", "status", "built_at")
    list_filter = ("status", "kind")
    readonly_fields = [f.name for f in Report._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ReportReminder)
class ReportReminderAdmin(admin.ModelAdmin):
    list_display = ("unit", "period", "due_on", "kind", "sent_at")
    readonly_fields = ("unit", "period", "due_on", "kind", "recipients", "sent_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False
