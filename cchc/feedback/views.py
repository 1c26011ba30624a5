"""Staff pages for feedback: the work list, intake, the item page and its actions, the
inspection board view and the register (page, XLSX, DOCX/PDF)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.core.form_errors import add_validation_errors
from cchc.feedback import deadlines, forms, selectors, services
from cchc.feedback.models import Feedback, Finding
from cchc.feedback.workflow import TONE, Action, InvalidTransition
from cchc.workdays.services import calendar_for_unit


def _rows(items: Any) -> list[dict[str, Any]]:
    calendars: dict[int, Any] = {}
    rows = []
    for item in items:
        if item.unit_id not in calendars:
            calendars[item.unit_id] = calendar_for_unit(item.unit)
        left = deadlines.working_days_left(item.due_at, calendar=calendars[item.unit_id])
        rows.append({"item": item, "left": left, "tone": TONE[item.status]})
    return rows


@require_safe
@login_required
def feedback_list(request: AuthedHttpRequest) -> HttpResponse:
    """Items the user may see, newest first, with filters kept in the URL."""
    form = forms.FilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    items = selectors.feedback_list_for_user(
        user=request.user,
        status=data.get("status", ""),
        channel=data.get("channel", ""),
        query=data.get("q", ""),
        received_from=data.get("tu_ngay"),
        received_to=data.get("den_ngay"),
        late_only=bool(data.get("qua_han")),
    )[:300]
    context = {
        "form": form,
        "rows": _rows(items),
        "can_receive": permissions.can(request.user, permissions.HANDLE_FEEDBACK),
        "can_register": permissions.can(request.user, permissions.VIEW_FEEDBACK),
        "can_configure": permissions.can(request.user, permissions.APPROVE_FEEDBACK),
    }
    return render(request, "feedback/feedback_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def intake(request: AuthedHttpRequest) -> HttpResponse:
    """Enter a letter, a phone call, an e-mail or a national portal item in the register."""
    unit = permissions.acting_unit_or_404(request.user)
    permissions.require(request.user, permissions.HANDLE_FEEDBACK, unit)
    form = forms.IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.feedback_receive(
                actor=request.user,
                unit=unit,
                channel=form.cleaned_data["channel"],
                data=form.cleaned_data,
                external_code=form.cleaned_data["external_code"],
                received_at=form.cleaned_data["received_at"],
            )
        except services.Conflict as error:
            form.add_error(None, error.messages)
            return render(request, "feedback/feedback_intake.html", {"form": form}, status=409)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(
                request,
                f"Đã vào sổ số {item.register_number}/{item.year}, mã {item.tracking_code}.",
            )
            return redirect("feedback:detail", pk=item.pk)
    status = 422 if form.errors else 200
    return render(request, "feedback/feedback_intake.html", {"form": form}, status=status)


def _context(request: AuthedHttpRequest, item: Feedback, **bound: Any) -> dict[str, Any]:
    unit = item.unit
    allowed = services.allowed_actions(request.user, item)
    question, answer = (
        (item.public_question, item.public_answer)
        if item.public_answer
        else services.public_versions(item)
    )
    return {
        "item": item,
        "tone": TONE[item.status],
        "events": item.events.all(),
        "findings": item.findings.all(),
        "attachments": item.attachments.all(),
        "left": deadlines.working_days_left(item.due_at, calendar=calendar_for_unit(unit)),
        "late": item.is_late(),
        "show_personal": permissions.can(request.user, permissions.VIEW_PERSONAL_DATA, unit)
        or item.assignee_id == getattr(permissions.acting_staff(request.user), "pk", None),
        "allowed": allowed,
        "may_inspect": permissions.can(request.user, permissions.INSPECT_FEEDBACK, unit)
        and (item.classification == "conduct" or item.dispute_count > 0),
        "classify_form": bound.get("classify") or forms.ClassifyForm(unit=unit),
        "assign_form": bound.get("assign") or forms.AssignForm(unit=unit),
        "note_form": bound.get("note") or forms.NoteForm(),
        "draft_form": bound.get("draft")
        or forms.DraftForm(unit=unit, initial={"answer": item.answer}),
        "publish_form": bound.get("publish")
        or forms.PublishForm(initial={"public_question": question, "public_answer": answer}),
        "finding_form": bound.get("finding") or forms.FindingForm(),
    }


@require_safe
@login_required
def detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """One item: sender (to those who need it), content, deadline, history, actions."""
    item = selectors.feedback_get_for_user(user=request.user, pk=pk)
    return render(request, "feedback/feedback_detail.html", _context(request, item))


_FORMS = {
    Action.CLASSIFY: ("classify", forms.ClassifyForm, True),
    Action.ASSIGN: ("assign", forms.AssignForm, True),
    Action.DRAFT: ("draft", forms.DraftForm, True),
    Action.PUBLISH: ("publish", forms.PublishForm, False),
    "finding": ("finding", forms.FindingForm, False),
}


def _run(
    action: str,
    request: AuthedHttpRequest,
    item: Feedback,
    data: dict[str, Any],
    version: int | None,
) -> Feedback | Finding:
    actor = request.user
    note = data.get("note", "") or ""
    common = services.ActionArgs(actor=actor, item=item, expected_version=version)
    if action == Action.CLASSIFY:
        return services.feedback_classify(
            **common,
            classification=data["classification"],
            reason=data.get("reason", ""),
            forwarded_to=data.get("forwarded_to", ""),
            assignee=data.get("assignee"),
        )
    if action == Action.ASSIGN:
        return services.feedback_assign(**common, assignee=data["assignee"])
    if action == Action.REQUEST_INFO:
        return services.feedback_request_info(**common, note=note)
    if action == Action.INFO_RECEIVED:
        return services.feedback_info_received(**common, note=note)
    if action == Action.DRAFT:
        template = data.get("template")
        answer = data.get("answer") or (template.body if template else "")
        return services.feedback_draft(**common, answer=answer)
    if action == Action.RETURN_DRAFT:
        return services.feedback_return_draft(**common, note=note)
    if action == Action.APPROVE:
        return services.feedback_approve(**common)
    if action == Action.PUBLISH:
        return services.feedback_publish(
            **common,
            public_question=data.get("public_question", ""),
            public_answer=data["public_answer"],
        )
    if action == Action.CLOSE:
        return services.feedback_close(**common, note=note)
    if action == "finding":
        return services.finding_add(actor=actor, item=item, text=data["text"])
    raise Http404("Thao tác không tồn tại.")


@require_POST
@login_required
def act(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Apply one workflow action posted from the item page."""
    item = selectors.feedback_get_for_user(user=request.user, pk=pk)
    if not services.may_act(request.user, item):
        raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")
    action = request.POST.get("action", "")
    if action not in Action.values and action != "finding":
        raise Http404("Thao tác không tồn tại.")
    raw = request.POST.get("version", "")
    version = (
        int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else (-1 if raw else None)
    )
    name, form_class, needs_unit = _FORMS.get(action, ("note", forms.NoteForm, False))
    form = form_class(request.POST, unit=item.unit) if needs_unit else form_class(request.POST)
    status = 422
    try:
        if not form.is_valid():
            raise ValidationError("Dữ liệu chưa hợp lệ, hãy xem thông báo bên dưới.")
        _run(action, request, item, form.cleaned_data, version)
    except (services.StaleFeedback, InvalidTransition) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        status = 409
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            add_validation_errors(form, error)
        else:
            messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Đã lưu.")
        if selectors.feedback_list_for_user(user=request.user).filter(pk=item.pk).exists():
            return redirect("feedback:detail", pk=item.pk)
        return redirect("feedback:list")
    item.refresh_from_db()
    context = _context(request, item, **{name: form})
    return render(request, "feedback/feedback_detail.html", context, status=status)


@require_safe
@login_required
def inspection(request: AuthedHttpRequest) -> HttpResponse:
    """The inspection board head's view: conduct complaints and disputes, with findings."""
    permissions.require(request.user, permissions.INSPECT_FEEDBACK)
    items = selectors.inspection_list(user=request.user)[:300]
    return render(request, "feedback/feedback_inspection.html", {"rows": _rows(items)})
