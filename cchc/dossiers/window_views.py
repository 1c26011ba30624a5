"""The dates of an approved plan for a procedure "theo kế hoạch" (admission): list, add, remove."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.core.conflicts import Conflict
from cchc.core.form_errors import add_validation_errors
from cchc.dossiers import intake_windows
from cchc.dossiers.models import IntakeWindow, Procedure, TimeLimitUnit


def _date_field(label: str, required: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": required, "invalid": "Ngày không hợp lệ."},
    )


class WindowForm(forms.Form):
    opens_on = _date_field("Nhận hồ sơ từ ngày", "Hãy chọn ngày bắt đầu.")
    closes_on = _date_field("Nhận hồ sơ đến ngày", "Hãy chọn ngày cuối.")
    results_on = _date_field(
        "Công bố kết quả ngày",
        "Hãy chọn ngày công bố kết quả.",
        "Là hạn giải quyết của mọi hồ sơ nhận trong đợt.",
    )
    basis = forms.CharField(
        label="Căn cứ",
        max_length=300,
        help_text="Ví dụ: Kế hoạch số 12/KH-THCS ngày 02/6/2026, được UBND xã phê duyệt.",
        error_messages={"required": "Hãy ghi kế hoạch được phê duyệt."},
    )


def _procedure(request: AuthedHttpRequest, pk: int) -> Procedure:
    unit = permissions.acting_unit_or_404(request.user)
    permissions.require(request.user, permissions.VIEW_DOSSIERS, unit)
    return get_object_or_404(
        Procedure.objects.select_related("unit"),
        pk=pk,
        unit=unit,
        time_limit_unit=TimeLimitUnit.PLAN,
    )


def _page(request: AuthedHttpRequest, procedure: Procedure, form: WindowForm, status: int = 200):
    context = {
        "procedure": procedure,
        "windows": IntakeWindow.objects.filter(procedure=procedure).order_by("-opens_on"),
        "form": form,
        "can_manage": permissions.can(request.user, permissions.MANAGE_PROCEDURES, procedure.unit),
    }
    return render(request, "dossiers/procedure_windows.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def windows(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The plan's windows of one procedure; the clerk or principal enters a new one."""
    procedure = _procedure(request, pk)
    if request.method == "GET":
        return _page(request, procedure, WindowForm())
    permissions.require(request.user, permissions.MANAGE_PROCEDURES, procedure.unit)
    form = WindowForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            window = intake_windows.window_add(
                actor=request.user, procedure=procedure, **form.cleaned_data
            )
        except Conflict as error:
            form.add_error(None, error.messages)
            status = 409
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                f"Đã thêm đợt tiếp nhận từ {window.opens_on:%d/%m/%Y} đến "
                f"{window.closes_on:%d/%m/%Y}.",
            )
            return redirect(reverse("dossiers:procedure_windows", args=[procedure.pk]))
    return _page(request, procedure, form, status=status)


@require_POST
@login_required
def window_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    unit = permissions.acting_unit_or_404(request.user)
    window = get_object_or_404(
        IntakeWindow.objects.select_related("procedure__unit"), pk=pk, procedure__unit=unit
    )
    try:
        intake_windows.window_delete(actor=request.user, window=window)
    except Conflict as error:
        messages.error(request, " ".join(error.messages))
        return _page(request, window.procedure, WindowForm(), status=409)
    messages.success(request, "Đã xóa đợt tiếp nhận.")
    return redirect(reverse("dossiers:procedure_windows", args=[window.procedure_id]))
