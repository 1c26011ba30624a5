from django.contrib import admin

from cchc.core.admin import AuditedModelAdmin
from cchc.workdays.models import CalendarOverride


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(AuditedModelAdmin):
    list_display = ["date", "unit", "is_working", "reason"]
    list_filter = ["unit", "is_working"]
    date_hierarchy = "date"
