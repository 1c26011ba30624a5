"""Public pages: no account, no personal data, rate-limited, usable on a phone."""

from __future__ import annotations

import hashlib
import re

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from cchc.core.form_errors import add_validation_errors
from cchc.core.ratelimit import hit
from cchc.dossiers import selectors as dossier_selectors
from cchc.dossiers import services as dossier_services
from cchc.dossiers.forms import LookupForm, OnlineSubmissionForm
from cchc.dossiers.uploads import UploadRejected, attach_public_uploads
from cchc.organizations import installation
from cchc.organizations.models import Unit, UnitKind


def _home_unit() -> Unit:
    if settings.CCHC_HOME_UNIT:
        return get_object_or_404(Unit, code=settings.CCHC_HOME_UNIT)
    unit = Unit.objects.filter(kind=UnitKind.SCHOOL).order_by("path").first() or (
        Unit.objects.order_by("path").first()
    )
    if unit is None:
        raise Http404("Chưa có đơn vị nào được khai báo.")
    return unit


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "error.html",
        {
            "title": "Quá nhiều yêu cầu",
            "message": "Bạn gửi quá nhiều yêu cầu trong thời gian ngắn. Hãy thử lại sau 1 phút.",
            "status": 429,
        },
        status=429,
    )


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The installation's own unit: contact details and what citizens can do here.

    On a fresh install (no unit yet) this is where the installer lands: send them to set-up.
    """
    try:
        unit = _home_unit()
    except Http404:
        if installation.setup_is_open():
            return redirect("setup:setup")
        raise
    return render(request, "portal/unit_home.html", {"unit": unit})


@require_safe
def unit_home(request: HttpRequest, code: str) -> HttpResponse:
    """Any unit's public page, by its electronic identifier code."""
    unit = get_object_or_404(Unit, code=code)
    return render(request, "portal/unit_home.html", {"unit": unit})


@require_safe
def procedure_list(request: HttpRequest) -> HttpResponse:
    """The unit's procedures, published in full (the plan's "niêm yết công khai")."""
    unit = _home_unit()
    query = request.GET.get("q", "").strip()[:100]
    procedures = (
        dossier_selectors.procedure_search(unit, query)
        if query
        else dossier_selectors.procedures_current(unit).filter(is_published=True)
    )
    return render(
        request, "portal/procedure_list.html", {"unit": unit, "procedures": procedures, "q": query}
    )


@require_safe
def procedure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _home_unit()
    procedure = get_object_or_404(
        dossier_selectors.procedures_current(unit).filter(is_published=True), pk=pk
    )
    return render(request, "portal/procedure_detail.html", {"unit": unit, "procedure": procedure})


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Online submission: a code at once; the clerk then accepts or asks for supplements."""
    unit = _home_unit()
    procedure = get_object_or_404(
        dossier_selectors.procedures_current(unit).filter(is_published=True), pk=pk
    )
    if not procedure.accepts_online:
        raise Http404("Thủ tục này chưa nhận hồ sơ trực tuyến.")
    form = OnlineSubmissionForm(request.POST or None, request.FILES or None, procedure=procedure)
    if request.method == "POST":
        if not hit(request, "submit", per_minute=5):
            return _too_many(request)
        if form.is_valid():
            try:
                dossier = attach_public_uploads(
                    submit=lambda provided: dossier_services.dossier_submit_online(
                        unit=unit,
                        procedure=procedure,
                        applicant=form.cleaned_data,
                        subject=form.cleaned_data["subject"],
                        provided_documents=provided,
                    ),
                    procedure=procedure,
                    files={
                        k: v for k, v in form.cleaned_data.items() if k.startswith("file_") and v
                    },
                )
            except UploadRejected as error:
                form.add_error(error.field, str(error))
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                return render(
                    request, "portal/submit_done.html", {"unit": unit, "dossier": dossier}
                )
    status = 422 if form.errors else 200
    context = {"unit": unit, "procedure": procedure, "form": form}
    return render(request, "portal/submit.html", context, status=status)


_CODE = re.compile(r"^[A-Za-z0-9.\-]{6,60}$")
_PHONE4 = re.compile(r"^\d{4}$")


def _cached_lookup_key(request: HttpRequest, code: str, phone: str) -> str | None:
    """Anonymous look-ups of an existing dossier are cached per dossier version: one indexed
    query decides whether the stored page is still current."""
    if request.user.is_authenticated or not _CODE.match(code):
        return None
    if phone and not _PHONE4.match(phone):
        return None
    version = dossier_selectors.dossier_version(code)
    if version is None:
        return None
    digest = hashlib.sha256(f"{code.upper()}|{phone}".encode()).hexdigest()[:32]
    return f"lookup:{digest}:{version}"


@require_safe
def lookup(request: HttpRequest, code: str = "") -> HttpResponse:
    """Look a dossier up by its code (typed, or from the QR on the receipt)."""
    data = request.GET.copy()
    if code and "code" not in data:
        data["code"] = code
    if data:
        if not hit(request, "lookup"):
            return _too_many(request)
        # Hot path (QR scans, refreshes): a well-formed request for a cached page skips the form.
        key = _cached_lookup_key(
            request, data.get("code", "").strip(), data.get("phone_last4", "").strip()
        )
        cached = caches["pages"].get(key) if key else None
        if cached is not None:
            return HttpResponse(cached)
    form = LookupForm(data if data else None)
    result = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            result = dossier_selectors.public_lookup(
                form.cleaned_data["code"], phone_last4=form.cleaned_data.get("phone_last4") or ""
            )
            if result is None:
                form.add_error(
                    "code", "Không tìm thấy hồ sơ có mã này. Hãy kiểm tra lại mã trên giấy hẹn."
                )
                status = 404
        else:
            status = 422
    response = render(
        request, "portal/lookup.html", {"form": form, "result": result}, status=status
    )
    if result is not None and status == 200:
        key = _cached_lookup_key(
            request, form.cleaned_data["code"], form.cleaned_data.get("phone_last4") or ""
        )
        if key:
            caches["pages"].set(key, response.content, timeout=600)
    return response
