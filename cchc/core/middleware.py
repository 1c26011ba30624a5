"""Request guards that apply to every page, public or staff, and to the API.

`RejectControlCharactersMiddleware` is the one place where NUL and other control characters are
refused (400 on pages; on the API its usual 422 with one error per field): PostgreSQL cannot
store or even compare a string with NUL (a DataError, i.e. a 500), and no name, note or search
term of a real user contains a control character. Checking here, before any view runs, covers
every query string, path, form and JSON body at once, instead of page by page. Tab, line
feed and carriage return stay allowed (multi-line notes).

`NoStoreMiddleware` keeps staff pages, personal-data downloads and the public look-up out of every
cache (browser back button on a shared computer, proxies): Cache-Control: no-store.

`ErrorPageMiddleware` gives an error that came without a body (Django's 405 for a wrong method,
a bare `HttpResponse(status=4xx)`) the Vietnamese page every other error has: the site's page,
a short text for htmx (it swaps fragments, not pages), the JSON `detail` for the API.

`ConflictMiddleware` is the safety net behind `cchc.core.conflicts`: a unique-key violation that
a service did not turn into a Conflict still answers 409 in Vietnamese, not 500.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.shortcuts import render

from cchc.core.conflicts import CONFLICT_MESSAGE, Conflict

logger = logging.getLogger(__name__)

# C0 controls except tab, LF and CR, plus DEL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_MESSAGE = (
    "Dữ liệu gửi lên chứa ký tự điều khiển không hợp lệ (ví dụ ký tự NUL). "
    "Hãy xóa ký tự đó rồi gửi lại."
)
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_control_characters(text: str) -> bool:
    return CONTROL.search(text) is not None


def _field_message(text: str) -> str:
    if "\x00" in text:
        return "chứa ký tự không hợp lệ (NUL)"
    return "chứa ký tự điều khiển không hợp lệ"


def _json_problems(value: Any, path: str) -> Iterable[tuple[str, str]]:
    """(dotted path, text) of every key and string of a decoded JSON document that is bad."""
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            if has_control_characters(item):
                yield where, item
        elif isinstance(item, dict):
            for key, child in item.items():
                if has_control_characters(key):
                    yield where, key
                stack.append((f"{where}.{key}", child))
        elif isinstance(item, list):
            stack.extend((f"{where}.{i}", child) for i, child in enumerate(item))


def _problems(request: HttpRequest) -> list[tuple[str, str]]:
    """(where, text) of every control character the request carries, path first."""
    found: list[tuple[str, str]] = []
    if has_control_characters(request.path):
        found.append(("path", request.path))
    for key, values in request.GET.lists():
        found.extend(
            (f"query.{key}", text) for text in [key, *values] if has_control_characters(text)
        )
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return found
    content_type = request.content_type or ""
    if content_type in _FORM_TYPES:
        for key, values in request.POST.lists():
            found.extend(
                (f"payload.{key}", text) for text in [key, *values] if has_control_characters(text)
            )
        for key, uploads in request.FILES.lists():
            found.extend(
                (f"payload.{key}", upload.name or "")
                for upload in uploads
                if has_control_characters(upload.name or "")
            )
    elif content_type == "application/json" or content_type.endswith("+json"):
        try:
            document = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            return found  # the view answers malformed JSON with its own message
        found.extend(_json_problems(document, "payload"))
    return found


def _refuse(request: HttpRequest, problems: list[tuple[str, str]]) -> HttpResponse:
    if request.path.startswith("/api/"):
        # The API's shape for invalid input (cchc.api.api.on_invalid): 422, one entry per field.
        errors = [{"field": where, "message": _field_message(text)} for where, text in problems]
        return JsonResponse(
            {
                "detail": "Dữ liệu gửi lên không hợp lệ.",
                "errors": errors,
                "message": CONTROL_MESSAGE,
            },
            status=422,
        )
    return _bad_request(request, 400, CONTROL_MESSAGE)


def _bad_request(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    title = "Yêu cầu không hợp lệ" if status == 400 else "Dữ liệu vừa thay đổi"
    context = {"title": title, "message": message, "status": status}
    return render(request, "error.html", context, status=status)


class RejectControlCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            problems = _problems(request)
        except (RequestDataTooBig, TooManyFieldsSent, UnreadablePostError):
            problems = []  # let Django's own handling answer these as it always has
        if problems:
            return _refuse(request, problems)
        if request.path.startswith("/api/"):
            # Every query parameter of the API is a single value; given twice, the view would
            # silently take the last one, so it is refused like any invalid input.
            repeated = [key for key, values in request.GET.lists() if len(values) > 1]
            if repeated:
                errors = [
                    {"field": f"query.{key}", "message": "chỉ được gửi một lần"} for key in repeated
                ]
                return JsonResponse(
                    {"detail": "Dữ liệu gửi lên không hợp lệ.", "errors": errors}, status=422
                )
        return self.get_response(request)


class ConflictMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Conflict):
            return _bad_request(request, 409, " ".join(exception.messages))
        if isinstance(exception, IntegrityError):
            logger.warning("Unique-key race answered 409 at %s: %s", request.path, exception)
            return _bad_request(request, 409, CONFLICT_MESSAGE)
        return None


# Paths whose answers may carry personal data whoever asks: staff pages and downloads, accounts,
# the admin, the API, and the public look-up (a verified look-up shows the applicant's name).
_PRIVATE_PREFIXES = ("/quan-ly/", "/tai-khoan/", "/quan-tri/", "/api/", "/tra-cuu/")


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        static = request.path.startswith(("/static/", "/healthz"))
        if not static and (signed_in or request.path.startswith(_PRIVATE_PREFIXES)):
            response["Cache-Control"] = "no-store, private"
            response.headers.pop("Expires", None)
        return response


def _lacks_page(request: HttpRequest, response: HttpResponse) -> bool:
    """An error answered with no body, or on the API with something other than JSON (django-ninja
    answers a wrong method with the English text "Method not allowed")."""
    if response.status_code < 400 or request.method == "HEAD" or response.streaming:
        return False
    if not response.content:
        return True
    json_type = response.get("Content-Type", "").startswith("application/json")
    return request.path.startswith("/api/") and not json_type


class ErrorPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not _lacks_page(request, response):
            return response
        from cchc.core.views import error_response, error_text

        if request.headers.get("HX-Request") == "true":
            page: HttpResponse = HttpResponse(
                error_text(response.status_code)[1],
                status=response.status_code,
                content_type="text/plain; charset=utf-8",
            )
        else:
            page = error_response(request, response.status_code)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):  # what the status promises
            if header in response:
                page[header] = response[header]
        return page
