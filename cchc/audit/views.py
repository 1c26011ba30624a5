"""The audit log page: events of the units the user may audit."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.audit import selectors
from cchc.core.audit_verbs import verb_groups


@require_safe
@login_required
def audit_list(request: AuthedHttpRequest) -> HttpResponse:
    """The audit events of the units the user may audit, filtered by the query string."""
    events = selectors.audit_event_list_for_user(
        user=request.user,
        unit_id=request.GET.get("don_vi") or None,
        verb=request.GET.get("hanh_dong", "").strip(),
        object_type=request.GET.get("doi_tuong", "").strip(),
        actor=request.GET.get("nguoi", "").strip(),
    )
    page = Paginator(events, 50).get_page(request.GET.get("trang"))
    units = permissions.visible_units(request.user)
    context = {"page": page, "units": units, "verb_groups": verb_groups()}
    return render(request, "audit/audit_list.html", context)
