"""Indicator snapshots in the admin: read-only (taken by `cchc kpi snapshot` each night)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cchc.kpi.models import Snapshot


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ("day", "unit", "code", "numerator", "denominator", "label")
    list_filter = ("code", "day")
    search_fields = ("code", "unit__name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
