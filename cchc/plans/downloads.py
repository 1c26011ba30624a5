"""Evidence files of tasks and activities, served only to staff of units the user may see.

Nothing under MEDIA_ROOT is published: each file is found through the acting user's units, so
another school's file answers 404 whatever its id or path.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.core.downloads import file_response
from cchc.plans.models import Activity, Evidence


@require_safe
@login_required
def evidence_file(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    """The file of one piece of task evidence."""
    permissions.require(request.user, permissions.VIEW_PLANS)
    evidence = (
        permissions.scope_to_units(
            Evidence.objects.select_related("task__plan__unit"),
            request.user,
            field="task__plan__unit",
        )
        .filter(pk=pk)
        .first()
    )
    if evidence is None:
        raise Http404("Không tìm thấy minh chứng.")
    return file_response(request, evidence.file)


@require_safe
@login_required
def activity_file(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    """The evidence file of one activity (training, communication, initiative)."""
    permissions.require(request.user, permissions.VIEW_PLANS)
    activity = (
        permissions.scope_to_units(Activity.objects.select_related("unit"), request.user)
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404("Không tìm thấy hoạt động.")
    return file_response(request, activity.evidence_file)
