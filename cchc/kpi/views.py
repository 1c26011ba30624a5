"""The landing page after log-in: the plan's targets at a glance and this month's tasks."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cchc.kpi.overview import overview_for_user


@require_safe
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """One unit's plan at a glance; users of several units pick one with ?don_vi=."""
    data = overview_for_user(
        user=request.user, unit_id=request.GET.get("don_vi"), today=timezone.localdate()
    )
    return render(request, "kpi/overview.html", {"overview": data})
