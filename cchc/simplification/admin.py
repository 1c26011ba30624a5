"""Admin views for inspection; the workflow fields are read-only here so that approving and
deciding only happen through the services (checks, optimistic version, audit)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from cchc.core.admin import AuditedModelAdmin
from cchc.simplification.models import CostLine, Finding, ProcessVersion, Review

_WORKFLOW = [
    "status",
    "approved_by",
    "approved_at",
    "submitted_at",
    "decided_by",
    "decided_at",
    "decision_note",
    "version",
]


class ReviewChildAdmin(AuditedModelAdmin):
    def unit_of(self, obj: Any) -> Any:
        return obj.review.unit


@admin.register(Review)
class ReviewAdmin(AuditedModelAdmin):
    list_display = ["procedure", "unit", "year", "status", "effective_on"]
    list_filter = ["status", "year", "unit"]
    readonly_fields = _WORKFLOW


@admin.register(Finding)
class FindingAdmin(ReviewChildAdmin):
    list_display = ["review", "part", "proposal"]


@admin.register(CostLine)
class CostLineAdmin(ReviewChildAdmin):
    list_display = ["review", "scenario", "activity", "hours", "fee_vnd", "other_vnd"]


@admin.register(ProcessVersion)
class ProcessVersionAdmin(AuditedModelAdmin):
    list_display = ["procedure", "number", "effective_from"]

    def unit_of(self, obj: Any) -> Any:
        return obj.procedure.unit
