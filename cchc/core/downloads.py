"""Sending a stored upload to a user who was already allowed to see it (domain-free)."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render


def file_response(
    request: HttpRequest, field: FieldFile, filename: str | None = None
) -> HttpResponseBase:
    """The stored file as a download under ``filename`` (by default its stored name, which may
    carry the storage's suffix, e.g. "_HAPGXsN"); a Vietnamese 404 if it is gone."""
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
    response = FileResponse(
        handle, as_attachment=True, filename=filename or PurePosixPath(field.name or "").name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
