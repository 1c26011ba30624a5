"""Staff pages: the units a user may see, and one unit with its groups and staff."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.organizations import selectors


@require_safe
@login_required
def unit_list(request: AuthedHttpRequest) -> HttpResponse:
    """Every unit the user may see (one for school staff; the commune tree for its officer)."""
    units = selectors.unit_list_for_user(user=request.user)
    return render(request, "organizations/unit_list.html", {"units": units})


@require_safe
@login_required
def unit_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """A unit's contact details, groups and staff list."""
    unit = selectors.unit_get_for_user(user=request.user, pk=pk)
    query = request.GET.get("q", "").strip()
    context = {
        "unit": unit,
        # The unit above is linked only when the user may open it (a school's staff may not).
        "parent": (
            selectors.unit_list_for_user(user=request.user).filter(pk=unit.parent_id).first()
            if unit.parent_id is not None
            else None
        ),
        "children": selectors.unit_list_for_user(user=request.user).filter(parent=unit),
        "groups": selectors.group_list_for_unit(user=request.user, unit=unit),
        "staff_list": selectors.staff_list_for_unit(user=request.user, unit=unit, query=query),
        "show_personal": selectors.may_see_personal_data(user=request.user, unit=unit),
        "query": query,
        # The staff pages act in the user's own unit only.
        "can_manage": getattr(permissions.acting_staff(request.user), "unit_id", None) == unit.pk
        and permissions.can(request.user, permissions.MANAGE_STAFF, unit),
    }
    return render(request, "organizations/unit_detail.html", context)
