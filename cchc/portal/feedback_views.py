"""Public feedback pages: send (no account), published answers searchable without diacritics,
the sender's tracking page with rating and dispute (from the link in the mail)."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from cchc.core.form_errors import add_validation_errors
from cchc.core.ratelimit import hit
from cchc.dossiers.uploads import UploadRejected, check_upload
from cchc.feedback import selectors, services
from cchc.feedback.forms import DisputeForm, PublicForm, RateForm
from cchc.feedback.models import Feedback
from cchc.portal.views import too_many_requests, unit_from_address


@require_safe
def feedback_list(request: HttpRequest, unit_code: str | None = None) -> HttpResponse:
    """Published answers, newest first; "hoc phi" finds "Học phí". Each unit has its own list
    (`/don-vi/<code>/phan-anh-kien-nghi/`); the short address is the installation's unit's."""
    unit = unit_from_address(unit_code)
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.public_list(unit, query), 20).get_page(request.GET.get("trang"))
    return render(request, "portal/feedback_list.html", {"unit": unit, "page": page, "q": query})


@require_safe
def feedback_detail(request: HttpRequest, code: str, unit_code: str | None = None) -> HttpResponse:
    unit = unit_from_address(unit_code)
    item = selectors.public_get(unit, code)
    return render(request, "portal/feedback_detail.html", {"unit": unit, "item": item})


SENT_KEY = "portal_feedback_sent"


@require_http_methods(["GET", "POST"])
def feedback_submit(request: HttpRequest, unit_code: str | None = None) -> HttpResponse:
    """The public form: a register number and a tracking code at once, and a mail.

    Post/redirect/get and idempotent, like the online dossier submission: each form carries a
    one-time token; a second POST of the same token (a reload, the back button, a double
    click) leads to the first item's confirmation instead of registering it twice. Sent from
    `/don-vi/<code>/phan-anh-kien-nghi/gui/`, the item lands in that unit's register."""
    unit = unit_from_address(unit_code)
    form = PublicForm(request.POST or None, request.FILES or None)
    token = request.POST.get("token", "") if request.method == "POST" else secrets.token_urlsafe(16)
    sent: dict[str, str] = request.session.get(SENT_KEY, {})
    context = {"unit": unit, "form": form, "token": token}
    if request.method == "POST":
        if token in sent:
            return redirect("portal:feedback_sent", code=sent[token])
        if not hit(request, "feedback", per_minute=5):
            return too_many_requests(request)
        if request.POST.get("website"):
            form.add_error(None, "Không gửi được phản ánh. Nếu bạn là người, hãy để trống ô cuối.")
            return render(request, "portal/feedback_submit.html", context, status=400)
        if form.is_valid():
            try:
                upload = form.cleaned_data.get("attachment")
                if upload:
                    check_upload("attachment", upload)
                with transaction.atomic():
                    item = services.feedback_submit_public(
                        unit=unit, data=form.cleaned_data, attachments=[upload] if upload else []
                    )
            except UploadRejected as error:
                form.add_error("attachment", str(error))
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                code = item.tracking_code
                request.session[SENT_KEY] = {**sent, token or code: code}
                return redirect("portal:feedback_sent", code=item.tracking_code)
    status = 422 if form.errors else 200
    return render(request, "portal/feedback_submit.html", context, status=status)


@require_safe
def feedback_sent(request: HttpRequest, code: str) -> HttpResponse:
    """The confirmation after a submission, for the browser that sent it only (the session):
    the register number, the due date and the private tracking link with its secret."""
    if code not in request.session.get(SENT_KEY, {}).values():
        raise Http404("Không tìm thấy phản ánh.")
    item = get_object_or_404(Feedback.objects.select_related("unit"), tracking_code=code)
    link = reverse("portal:feedback_track", args=[item.tracking_code])
    context = {"unit": item.unit, "item": item, "link": f"{link}?k={item.access_key}"}
    return render(request, "portal/feedback_done.html", context)


@require_http_methods(["GET", "POST"])
def feedback_track(request: HttpRequest, code: str) -> HttpResponse:
    """The sender's own page: status, the answer, rate it, or say they disagree."""
    if not hit(request, "feedback_track"):
        return too_many_requests(request)
    key = request.GET.get("k") or request.POST.get("k") or ""
    item = services.feedback_for_sender(code, key)
    if item is None:
        raise Http404("Không tìm thấy phản ánh. Hãy mở đúng đường dẫn trong thư đã nhận.")
    rate_form, dispute_form = RateForm(), DisputeForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "rate":
                rate_form = RateForm(request.POST)
                if rate_form.is_valid():
                    services.feedback_rate(item=item, rating=rate_form.cleaned_data["rating"])
                    return redirect(f"{request.path}?k={key}&da_danh_gia=1")
            elif action == "dispute":
                dispute_form = DisputeForm(request.POST)
                if dispute_form.is_valid():
                    services.feedback_dispute(item=item, reason=dispute_form.cleaned_data["reason"])
                    return redirect(f"{request.path}?k={key}&da_gui=1")
            else:
                raise Http404("Thao tác không tồn tại.")
        except ValidationError as error:
            add_validation_errors(dispute_form if action == "dispute" else rate_form, error)
        status = 422
        item.refresh_from_db()
    context = {
        "item": item,
        "key": key,
        "events": item.events.filter(is_public=True),
        "rate_form": rate_form,
        "dispute_form": dispute_form,
        "can_respond": item.status in ("approved", "published", "closed"),
        "rated": request.GET.get("da_danh_gia") == "1",
        "disputed": request.GET.get("da_gui") == "1",
    }
    return render(request, "portal/feedback_track.html", context, status=status)
