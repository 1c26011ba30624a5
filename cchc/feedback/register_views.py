"""The register (sổ tiếp nhận) page and its XLSX and DOCX/PDF downloads; attachment downloads."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.core.downloads import file_response
from cchc.core.numbers import MAX_ID
from cchc.feedback import exports, selectors
from cchc.feedback.models import FeedbackAttachment


def _period(request: HttpRequest) -> tuple[Any, int, date, date]:
    from cchc.feedback.forms import RegisterForm

    form = RegisterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("nam") or timezone.localdate().year
    start = data.get("tu_ngay") or date(year, 1, 1)
    end = data.get("den_ngay") or date(year, 12, 31)
    return form, year, start, end


@require_safe
@login_required
def register(request: AuthedHttpRequest) -> HttpResponse:
    """The register for a year or a period, 50 rows a page."""
    permissions.require(request.user, permissions.VIEW_FEEDBACK)
    fmt = request.GET.get("xuat", "")
    if fmt:
        return _export(request, fmt)
    form, year, start, end = _period(request)
    items = selectors.register(user=request.user, year=year, received_from=start, received_to=end)
    page = Paginator(items, 50).get_page(request.GET.get("trang"))
    context = {
        "form": form,
        "page": page,
        "year": year,
        "query": request.GET.urlencode(),
        "show_personal": permissions.sees_personal_data(request.user),
    }
    return render(request, "feedback/feedback_register.html", context)


def _export(request: HttpRequest, fmt: str) -> HttpResponse:
    """XLSX, DOCX or PDF of the register for the chosen period."""
    if fmt not in ("xlsx", "docx", "pdf"):
        raise Http404("Định dạng không được hỗ trợ.")
    _form, year, start, end = _period(request)
    items = selectors.register(
        user=request.user, year=year, received_from=start, received_to=end
    ).select_related("assignee")
    show_personal = permissions.sees_personal_data(request.user)
    stamp = f"{start:%Y%m%d}-{end:%Y%m%d}"
    if fmt == "xlsx":
        content = exports.register_xlsx(items, show_personal=show_personal)
        content_type = exports.XLSX_TYPE
    else:
        unit = permissions.acting_unit_or_404(request.user)
        staff = permissions.acting_staff(request.user)
        try:
            content = exports.register_paper(
                items,
                unit,
                fmt,
                start=start,
                end=end,
                show_personal=show_personal,
                signer=staff.full_name if staff else "",
            )
        except exports.TooManyRows as error:
            messages.error(request, str(error))
            query = request.GET.copy()
            query.pop("xuat", None)
            return redirect(f"{reverse('feedback:register')}?{query.urlencode()}")
        content_type = exports.DOCX_TYPE if fmt == "docx" else "application/pdf"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="so-tiep-nhan-pakn-{stamp}.{fmt}"'
    return response


@require_safe
@login_required
def attachment(request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
    """A file the sender attached, only to staff who may see the item (never published)."""
    found = None
    if 0 < pk <= MAX_ID:
        found = FeedbackAttachment.objects.filter(
            pk=pk, feedback__in=selectors.feedback_list_for_user(user=request.user)
        ).first()
    if found is None:
        raise Http404("Không tìm thấy tệp đính kèm.")
    return file_response(request, found.file)
