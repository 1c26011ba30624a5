"""Public pages: no account, no personal data, rate-limited, usable on a phone."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from cchc.core.form_errors import add_validation_errors
from cchc.core.ratelimit import hit, hit_and_read, retry_after
from cchc.dossiers import intake_windows
from cchc.dossiers import models as dossier_models
from cchc.dossiers import selectors as dossier_selectors
from cchc.dossiers import services as dossier_services
from cchc.dossiers.deadlines import compute_due
from cchc.dossiers.forms import LookupEntry, LookupForm, OnlineSubmissionForm, lookup_code
from cchc.dossiers.uploads import UploadRejected, attach_public_uploads
from cchc.organizations import installation
from cchc.organizations.models import Unit, UnitKind
from cchc.portal import blank_forms, lean, lookup_page
from cchc.workdays.services import calendar_for_unit


def _home_unit() -> Unit:
    if settings.CCHC_HOME_UNIT:
        return get_object_or_404(Unit, code=settings.CCHC_HOME_UNIT)
    unit = Unit.objects.filter(kind=UnitKind.SCHOOL).order_by("path").first() or (
        Unit.objects.order_by("path").first()
    )
    if unit is None:
        raise Http404("Chưa có đơn vị nào được khai báo.")
    return unit


def too_many_requests(request: HttpRequest, *, back: tuple[str, str] | None = None) -> HttpResponse:
    """429 whose page says the wait its Retry-After gives: the seconds until the refusing
    sliding window frees a slot. In the lean public layout (`cchc.portal.lean`) for a visitor
    without a session: the answer a flood gets most often costs the least. `back`: (address,
    words) of the page the citizen came to use, offered before the home page (the look-up)."""
    wait = retry_after(request)
    context = {"wait": str(wait), "back_url": back[0] if back else "", "back_label": ""}
    if back:
        context["back_label"] = back[1]
    response = lean.render(request, "portal/too_many_requests.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


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
    return _unit_home(request, unit)


@require_safe
def unit_home(request: HttpRequest, code: str) -> HttpResponse:
    """Any unit's public page, by its electronic identifier code."""
    return _unit_home(request, get_object_or_404(Unit, code=code))


def _unit_home(request: HttpRequest, unit: Unit) -> HttpResponse:
    context = {"unit": unit, "hours": _office_hours(unit)}
    return render(request, "portal/unit_home.html", context)


def unit_from_address(code: str | None) -> Unit:
    """The unit named in the address (`/don-vi/<code>/…`), else the installation's own."""
    return get_object_or_404(Unit, code=code) if code else _home_unit()


def _office_hours(unit: Unit) -> list[str]:
    """The counter's opening hours from the unit's working calendar ("07:30–11:30")."""
    sessions = calendar_for_unit(unit).hours.sessions
    return [f"{start:%H:%M}–{end:%H:%M}" for start, end in sessions]


def _published(unit: Unit):
    return dossier_selectors.procedures_current(unit).filter(is_published=True)


@require_safe
def procedure_list(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """The unit's procedures, published in full (the plan's "niêm yết công khai"); each unit
    has its own list at `/don-vi/<code>/thu-tuc/`."""
    unit = unit_from_address(code)
    query = request.GET.get("q", "").strip()[:100]
    procedures = (
        dossier_selectors.procedure_search(unit, query) if query else list(_published(unit))
    )
    context = {"unit": unit, "procedures": procedures, "q": query}
    return render(request, "portal/procedure_list.html", context)


@require_safe
def procedure_detail(request: HttpRequest, pk: int, code: str | None = None) -> HttpResponse:
    unit = unit_from_address(code)
    procedure = get_object_or_404(_published(unit), pk=pk)
    by_plan = procedure.time_limit_unit == dossier_models.TimeLimitUnit.PLAN
    today = timezone.localdate()
    context = {
        "unit": unit,
        "procedure": procedure,
        "by_plan": by_plan,
        "windows": list(intake_windows.windows_ahead(procedure, today)) if by_plan else [],
        "desk_open": not by_plan or intake_windows.window_on(procedure, today) is not None,
        "hours": _office_hours(unit),
        "blank_forms": blank_forms.forms_of(procedure),
    }
    return render(request, "portal/procedure_detail.html", context)


@require_safe
def blank_form(
    request: HttpRequest, pk: int, index: int, fmt: str, code: str | None = None
) -> HttpResponse:
    """A blank application form of the procedure (DOCX or PDF) to fill in before coming."""
    unit = unit_from_address(code)
    procedure = get_object_or_404(_published(unit), pk=pk)
    forms = blank_forms.forms_of(procedure)
    if not 0 <= index < len(forms) or fmt not in ("docx", "pdf"):
        raise Http404("Không có mẫu đơn này.")
    content, content_type = blank_forms.render_blank(unit, procedure, forms[index], fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="mau-don-{procedure.pk}-{index}.{fmt}"'
    return response


SUBMISSIONS_KEY = "portal_submissions"


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest, pk: int, code: str | None = None) -> HttpResponse:
    """Online submission: a code at once; the clerk then accepts or asks for supplements.

    Post/redirect/get and idempotent: each form carries a one-time token; a second POST of the
    same token (a double click, the back button) leads to the first dossier's confirmation
    instead of a second dossier. Only accepted submissions count against the rate limit."""
    unit = unit_from_address(code)
    procedure = get_object_or_404(_published(unit), pk=pk)
    if not procedure.accepts_online:
        raise Http404("Thủ tục này chưa nhận hồ sơ trực tuyến.")
    form = OnlineSubmissionForm(request.POST or None, request.FILES or None, procedure=procedure)
    token = request.POST.get("token", "") if request.method == "POST" else secrets.token_urlsafe(16)
    done: dict[str, str] = request.session.get(SUBMISSIONS_KEY, {})
    if request.method == "POST":
        if token in done:
            return redirect("portal:submitted", code=done[token])
        if form.is_valid():
            if not hit(request, "submit", per_minute=5):
                return too_many_requests(request)
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
                request.session[SUBMISSIONS_KEY] = {**done, token or dossier.code: dossier.code}
                return redirect("portal:submitted", code=dossier.code)
    status = 422 if form.errors else 200
    context = {"unit": unit, "procedure": procedure, "form": form, "token": token}
    return render(request, "portal/submit.html", context, status=status)


@require_safe
def submitted(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation after a submission, for the browser that made it only (the session):
    the code, the expected due date, the phone hint and how to follow the dossier."""
    if code not in request.session.get(SUBMISSIONS_KEY, {}).values():
        raise Http404("Không tìm thấy hồ sơ.")
    dossier = get_object_or_404(
        dossier_models.Dossier.objects.select_related("unit", "procedure"), code=code
    )
    expected = compute_due(dossier.unit, dossier.procedure, timezone.now())
    context = {
        "unit": dossier.unit,
        "dossier": dossier,
        "expected_due": expected,
        "phone_hint": dossier.applicant_phone[-4:] if dossier.applicant_phone else "",
    }
    return render(request, "portal/submit_done.html", context)


@csrf_exempt  # it only reads: see the docstring
@require_http_methods(["GET", "HEAD", "POST"])
def lookup(request: HttpRequest, code: str = "") -> HttpResponse:
    """Look a dossier up by its code (typed, or from the QR on the receipt).

    The form is posted, so the phone digits never land in an address bar, a browser's history
    or a server's access log; the QR code's link (the code alone) stays a plain GET. The post
    changes nothing (it reads a dossier and counts against the sender's own rate limit), and
    another site that makes a browser post it cannot read the answer, so it carries no CSRF
    token: the page needs no cookie, and renders in the lean public layout (`cchc.portal.lean`).

    Not cached: `public_lookup_query` is one indexed query, as cheap for the first request of a
    code as for the hundredth, and never stale whichever worker or host answers (issue 11 item
    2); `hit_and_read` runs it with the rate limit's count (one statement on PostgreSQL). The
    input is checked by `LookupForm.check` (the form's fields, without a form per request).
    """
    sent = request.POST if request.method == "POST" else request.GET
    answer = lookup_answer(request, lookup_entry(sent, code))
    if answer is None:
        return too_many_requests(request, back=(reverse("portal:lookup"), "Về trang tra cứu hồ sơ"))
    status, context = answer
    return lean.render(request, "portal/lookup.html", context, status=status)


def lookup_entry(sent: Mapping[str, Any], code: str = "") -> LookupEntry:
    """The look-up's fields as sent (and the code from the address), checked."""
    # Each field's last value, as a form reads it; a token from a page opened before the form
    # lost its CSRF token is not a field.
    data: dict[str, str] = {
        name: cast(str, value)  # a form field's value is text (the stubs allow lists)
        for name, value in sent.items()
        if name != "csrfmiddlewaretoken"
    }
    if code and "code" not in data:
        data["code"] = code
    if data:
        # The code as printed may carry spaces; a whole phone number means its last 4 digits.
        data["code"] = lookup_code(data.get("code", ""))
        digits = re.sub(r"\D", "", data.get("phone_last4", ""))
        if len(digits) > 4 and re.fullmatch(r"[\d\s.+()\-]+", data.get("phone_last4", "")):
            data["phone_last4"] = digits[-4:]
    return LookupForm.check(data if data else None)


def lookup_answer(request: HttpRequest, form: LookupEntry) -> tuple[int, dict[str, Any]] | None:
    """The look-up's status and page context for a checked entry; None when the sender's limit
    refuses it. Also the receipt QR code's WSGI path (`cchc.portal.lookup_wsgi`)."""
    result = None
    status = 200
    if form.is_bound:
        # Every sent form counts against the sender's limit, checked before anything is said
        # about the input; a valid one is looked up in the same round trip where the database
        # allows it.
        if form.errors:
            if not hit(request, "lookup"):
                return None
            status = 422
        else:
            accepted, rows = hit_and_read(
                request, "lookup", *dossier_selectors.public_lookup_query(form.cleaned["code"])
            )
            if not accepted:
                return None
            result = dossier_selectors.public_lookup_result(
                rows, phone_last4=form.cleaned.get("phone_last4", "")
            )
            if result is None:
                form.add_error(
                    "code", "Không tìm thấy hồ sơ có mã này. Hãy kiểm tra lại mã trên giấy hẹn."
                )
                status = 404
    return status, {**lookup_page.context(form, result), "action": lean.address("portal:lookup")}
