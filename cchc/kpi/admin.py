"""Admin: read-only. Snapshots are recomputed by `cchc kpi snapshot`; assessments change only
through their workflow (cchc/kpi/assessments.py), which audits every step."""

from django.contrib import admin

from cchc.kpi.models import Assessment, CriterionScore, PeriodSnapshot, Snapshot


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnly):
    list_display = ["unit", "code", "day", "numerator", "denominator", "label"]
    list_filter = ["code"]


@admin.register(PeriodSnapshot)
class PeriodSnapshotAdmin(ReadOnly):
    list_display = ["unit", "code", "period", "day", "numerator", "denominator", "label"]
    list_filter = ["period", "code"]


class ScoreInline(admin.TabularInline):
    model = CriterionScore
    extra = 0
    can_delete = False
    readonly_fields = ("code", "title", "max_points", "measured", "self_points", "final_points")
    fields = readonly_fields


@admin.register(Assessment)
class AssessmentAdmin(ReadOnly):
    list_display = ["unit", "year", "status", "self_points", "final_points", "max_points"]
    list_filter = ["status", "year"]
    inlines = [ScoreInline]


@admin.register(CriterionScore)
class CriterionScoreAdmin(ReadOnly):
    list_display = ["assessment", "code", "self_points", "final_points"]
