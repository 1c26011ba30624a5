"""Files attached to a dossier (citizens' scans, ID copies), served only to staff who may see it.

Nothing under MEDIA_ROOT is published: every file goes through a view that finds it via the
acting user's dossiers, so a guessed path or id of another school's file answers 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_safe

from cchc.accounts.http import AuthedHttpRequest
from cchc.core.downloads import file_response
from cchc.dossiers.models import DossierAttachment
from cchc.dossiers.selectors import dossier_list_for_user


@require_safe
@login_required
def attachment(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    """One attachment of a dossier the user may see (teachers: only dossiers handed to them)."""
    found = DossierAttachment.objects.filter(
        pk=pk, dossier__in=dossier_list_for_user(user=request.user)
    ).first()
    if found is None:
        raise Http404("Không tìm thấy tệp đính kèm.")
    return file_response(request, found.file)
