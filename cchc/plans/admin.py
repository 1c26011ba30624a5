from django.contrib import admin

from cchc.core.admin import AuditedModelAdmin
from cchc.plans.models import (
    Activity,
    Assignment,
    Evidence,
    Plan,
    PlanBasis,
    PlanImport,
    Target,
    Task,
    TaskComment,
    TaskOccurrence,
)


class PlanChildAdmin(AuditedModelAdmin):
    def unit_of(self, obj):
        return obj.plan.unit


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ["staff"]


@admin.register(Plan)
class PlanAdmin(AuditedModelAdmin):
    list_display = ["title", "unit", "year", "number", "symbol", "status"]
    list_filter = ["unit", "year", "status"]
    search_fields = ["title", "number", "symbol"]
    inlines = [TargetInline, AssignmentInline]


@admin.register(PlanBasis)
class PlanBasisAdmin(PlanChildAdmin):
    list_display = ["plan", "order", "text"]


@admin.register(Target)
class TargetAdmin(PlanChildAdmin):
    list_display = ["plan", "number", "text", "comparator", "value", "kpi_code"]


@admin.register(Task)
class TaskAdmin(PlanChildAdmin):
    list_display = ["number", "title", "plan", "owner", "due_on", "status", "progress"]
    list_filter = ["plan", "status", "recurrence"]
    search_fields = ["title", "number"]


@admin.register(TaskOccurrence)
class TaskOccurrenceAdmin(AuditedModelAdmin):
    list_display = ["task", "period_label", "due_on", "status"]

    def unit_of(self, obj):
        return obj.task.plan.unit


@admin.register(Evidence)
class EvidenceAdmin(TaskOccurrenceAdmin):
    list_display = ["title", "task", "created_at"]


@admin.register(TaskComment)
class TaskCommentAdmin(TaskOccurrenceAdmin):
    list_display = ["task", "author_name", "created_at"]


@admin.register(Assignment)
class AssignmentAdmin(PlanChildAdmin):
    list_display = ["name", "title", "plan", "staff"]


@admin.register(Activity)
class ActivityAdmin(AuditedModelAdmin):
    list_display = ["held_on", "kind", "title", "unit", "initiative_status"]
    list_filter = ["kind", "unit"]


@admin.register(PlanImport)
class PlanImportAdmin(AuditedModelAdmin):
    list_display = ["filename", "unit", "created_at", "plan"]
