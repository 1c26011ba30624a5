"""The principal's page: the unit's feedback deadlines and answer templates."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.core.form_errors import add_validation_errors
from cchc.core.numbers import parse_id
from cchc.feedback import deadlines, services
from cchc.feedback.forms import LimitsForm, TemplateForm
from cchc.feedback.models import AnswerTemplate


@require_http_methods(["GET", "POST"])
@login_required
def unit_settings(request: AuthedHttpRequest) -> HttpResponse:
    """Deadlines (defaults from Decision 766 indicator 5.2) and answer templates of my unit."""
    unit = permissions.acting_unit_or_404(request.user)
    permissions.require(request.user, permissions.APPROVE_FEEDBACK, unit)
    current = {f"{k}_within_days": v for k, v in asdict(deadlines.limits_for(unit)).items()}
    action = request.POST.get("action", "")
    limits_form = LimitsForm(request.POST if action == "limits" else None, initial=current)
    template_form = TemplateForm(request.POST if action == "template" else None)
    status = 200
    try:
        if action == "limits" and limits_form.is_valid():
            services.feedback_settings_update(
                actor=request.user, unit=unit, limits=limits_form.cleaned_data
            )
            messages.success(request, "Đã lưu thời hạn; áp dụng cho phản ánh tiếp nhận từ nay.")
            return redirect("feedback:settings")
        if action == "template" and template_form.is_valid():
            services.answer_template_save(
                actor=request.user, unit=unit, **template_form.cleaned_data
            )
            messages.success(request, "Đã thêm mẫu trả lời.")
            return redirect("feedback:settings")
        if action == "delete_template":
            pk = parse_id(request.POST.get("template"))
            template = (
                None if pk is None else AnswerTemplate.objects.filter(unit=unit, pk=pk).first()
            )
            if template is None:
                raise Http404("Không tìm thấy mẫu trả lời.")
            services.answer_template_delete(actor=request.user, template=template)
            messages.success(request, "Đã xóa mẫu trả lời.")
            return redirect("feedback:settings")
    except services.Conflict as error:
        add_validation_errors(template_form, error)
        status = 409
    except ValidationError as error:
        add_validation_errors(limits_form if action == "limits" else template_form, error)
    if request.method == "POST" and status == 200:
        status = 422
    context = {
        "limits_form": limits_form,
        "template_form": template_form,
        "templates": AnswerTemplate.objects.filter(unit=unit),
    }
    return render(request, "feedback/feedback_settings.html", context, status=status)
