"""Files attached to a dossier (citizens' scans, ID copies), served only to staff who may see it.

Nothing under MEDIA_ROOT is published: every file goes through a view that finds it via the
acting user's dossiers, so a guessed path or id of another school's file answers 404.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib.auth.decorators import login_required
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cchc.dossiers.models import DossierAttachment
from cchc.dossiers.selectors import dossier_list_for_user


def _file_response(request: HttpRequest, field: FieldFile) -> HttpResponseBase:
    """The stored file as a download under its own name; a Vietnamese 404 if it is gone."""
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):  # ValueError: the record names no file
        return render(
            request,
            "error.html",
            {
                "status": 404,
                "title": "Không tìm thấy tệp",
                "message": "Tệp không còn trên máy chủ. Hãy báo quản trị hệ thống để khôi phục "
                "từ bản sao lưu.",
            },
            status=404,
        )
    response = FileResponse(handle, as_attachment=True, filename=PurePosixPath(field.name).name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    """One attachment of a dossier the user may see (teachers: only dossiers handed to them)."""
    found = DossierAttachment.objects.filter(
        pk=pk, dossier__in=dossier_list_for_user(user=request.user)
    ).first()
    if found is None:
        raise Http404("Không tìm thấy tệp đính kèm.")
    return _file_response(request, found.file)
