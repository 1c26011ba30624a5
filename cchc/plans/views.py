"""Plan pages: list, import with review, dashboard, tasks, my work, activities, export."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.core.form_errors import add_validation_errors
from cchc.core.htmx import render_partial
from cchc.core.refusals import REFUSALS, refusal_of
from cchc.kpi.selectors import plan_measures
from cchc.plans import exporting, importing, selectors, services
from cchc.plans import forms as plan_forms
from cchc.plans.forms import (
    ActivityForm,
    ImportReviewForm,
    PlanUploadForm,
    TaskActionForm,
)
from cchc.plans.models import Activity, InitiativeStatus, Task
from cchc.plans.workflow import TASK_ACTIONS, TaskAction, offered_task_actions


@require_safe
@login_required
def plan_list(request: AuthedHttpRequest) -> HttpResponse:
    """Plans of the units the user may see, newest year first."""
    plans = selectors.plan_list_for_user(user=request.user)
    unit = permissions.acting_staff(request.user)
    can_import = unit is not None and permissions.can(
        request.user, permissions.MANAGE_PLANS, unit.unit
    )
    return render(request, "plans/plan_list.html", {"plans": plans, "can_import": can_import})


@require_http_methods(["GET", "POST"])
@login_required
def plan_import(request: AuthedHttpRequest) -> HttpResponse:
    """Upload a plan file; it is parsed and shown for review before anything is saved."""
    unit = permissions.acting_unit_or_404(request.user)
    permissions.require(request.user, permissions.MANAGE_PLANS, unit)
    form = PlanUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            pending = importing.plan_import_preview(
                actor=request.user, unit=unit, filename=upload.name, data=upload.read()
            )
        except importing.PlanImportError as error:
            form.add_error("file", str(error))
        else:
            return redirect("plans:import_review", pk=pending.pk)
    status = 422 if form.errors else 200
    return render(request, "plans/plan_import.html", {"form": form, "unit": unit}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def plan_import_review(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Show what was recognised (and what was not); save only when the user confirms."""
    pending = selectors.import_get_for_user(user=request.user, pk=pk)
    if pending.plan_id:
        messages.info(request, "Kế hoạch này đã được lưu.")
        return redirect("plans:detail", pk=pending.plan_id)
    report = importing.preview_report(pending)
    form = ImportReviewForm(request.POST or None, report=report, unit=pending.unit)
    if request.method == "POST" and form.is_valid():
        try:
            plan = importing.plan_import_confirm(
                actor=request.user, pending=pending, corrections=form.corrections()
            )
        except (importing.PlanImportError, ValidationError) as error:
            form.add_error(None, str(error))
        else:
            summary = importing.imported_summary(plan)
            messages.success(request, f"Đã lưu kế hoạch “{plan.title}”: {summary}.")
            return redirect("plans:detail", pk=plan.pk)
    context = {
        "pending": pending,
        "report": report,
        "form": form,
        "target_rows": [
            {
                "target": t,
                "field": form[f"target_{i}"],
                "owner": form[f"target_owner_{i}"],
                "reason": report["target_reasons"][i],
            }
            for i, t in enumerate(report["data"].get("targets", []))
        ],
        "task_rows": [
            {"task": t, "owner": form[f"task_owner_{i}"], "reason": report["task_reasons"][i]}
            for i, t in enumerate(report["data"].get("tasks", []))
        ],
        "assignment_rows": [
            {
                "match": m,
                "field": form[f"assignment_{i}"],
                "role": form[f"assignment_{i}_role"] if m["assignment"].get("name") else None,
            }
            for i, m in enumerate(report["matches"])
        ],
    }
    status = 422 if form.errors else 200
    return render(request, "plans/plan_import_review.html", context, status=status)


@require_safe
@login_required
def plan_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The plan dashboard: targets with live values, tasks by owner, overdue tasks first."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    today = timezone.localdate()
    rows = selectors.task_rows(plan, today=today)
    # The same figures, counted to the same day, as the indicators page and the landing page.
    measures, as_of = plan_measures(plan, today=today)
    context = {
        "plan": plan,
        "targets": selectors.target_statuses(
            plan, today=today, measures=measures, with_companions=True
        ),
        "as_of": as_of,
        "rows": rows,
        "owners": selectors.tasks_by_owner(rows),
        "figures": selectors.plan_figures(plan, rows),
        "overdue": sum(r["overdue"] for r in rows),
        "assignments": plan.assignments.select_related("staff"),
        "basis": plan.basis.all(),
        "can_manage": permissions.can(request.user, permissions.MANAGE_PLANS, plan.unit),
    }
    return render(request, "plans/plan_detail.html", context)


@require_safe
@login_required
def plan_export(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The plan as an official DOCX (Decree 30/2020 layout) or its PDF."""
    plan = selectors.plan_get_for_user(user=request.user, pk=pk)
    try:
        content, content_type = exporting.plan_file(plan, fmt)
    except exporting.OfficialDocError as error:
        messages.error(request, str(error))
        return redirect("plans:detail", pk=plan.pk)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exporting.filename(plan, fmt)}"'
    return response


TASK_PAGE: Final = "plans/task_detail.html"
PROGRESS: Final = "task-progress"  # the partial (and element id) htmx replaces after an update


def _task_context(
    request: AuthedHttpRequest, task: Task, kept: dict[str, TaskActionForm] | None = None
) -> dict[str, Any]:
    """The task and the actions offered to the user, each with a blank form or the refused one."""
    kept = kept or {}
    offers = {
        action.name: Offer(action=action, form=kept.get(action.name) or _form(action, task))
        for action in offered_task_actions(request.user, task)
    }
    return {
        "task": task,
        "occurrences": task.occurrences.all(),
        "evidence": task.evidence.select_related("added_by"),
        "comments": task.comments.all(),
        "activities": task.activities.all(),
        "collaborators": task.collaborators.all(),
        "offers": offers,
        "today": timezone.localdate(),
    }


@dataclass(frozen=True)
class Offer:
    """A task action offered on the page (the shape `components/action.html` renders)."""

    action: TaskAction
    form: TaskActionForm | None
    hint: str = ""
    is_open: bool = True


def _form(
    action: TaskAction, task: Task, request: HttpRequest | None = None
) -> TaskActionForm | None:
    if not action.form:
        return None
    form_class: type[TaskActionForm] = getattr(plan_forms, action.form)
    if request is None:
        return form_class(task=task)
    return form_class(request.POST, request.FILES, task=task)


@require_safe
@login_required
def task_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """One task: progress, periods, evidence, comments and related activities."""
    task = selectors.task_get_for_user(user=request.user, pk=pk)
    return render_partial(request, TASK_PAGE, _task_context(request, task), target=PROGRESS)


def _task_page(
    request: AuthedHttpRequest,
    task: Task,
    status: int,
    kept: dict[str, TaskActionForm] | None = None,
) -> HttpResponse:
    task.refresh_from_db()
    context = _task_context(request, task, kept)
    return render_partial(request, TASK_PAGE, context, target=PROGRESS, status=status)


def _task_action(request: AuthedHttpRequest, pk: int, name: str) -> HttpResponse:
    """Apply one action of TASK_ACTIONS posted from the task page: guard → form → service; a
    refusal shows the page again with its status, the message on the form."""
    task = selectors.task_get_for_user(user=request.user, pk=pk)
    action = TASK_ACTIONS[name]
    form = _form(action, task, request)
    if form is None:
        raise ValueError(f"{name} has no form")
    if not action.may(request.user, task):
        # Guard first: who may not act is told so, not shown the form's field errors (the
        # service checks again before writing).
        messages.error(request, action.refusal)
        return _task_page(request, task, 403)
    if not form.is_valid():
        return _task_page(request, task, 422, {name: form})
    try:
        getattr(services, action.service)(actor=request.user, task=task, **form.arguments())
    except REFUSALS as error:
        refusal = refusal_of(error)
        if refusal.status == 403:
            messages.error(request, refusal.message)
        else:
            add_validation_errors(form, ValidationError(refusal.fields or refusal.message))
        return _task_page(request, task, refusal.status, {name: form})
    if action.done:
        messages.success(request, action.done)
    return redirect("plans:task_detail", pk=task.pk)


@require_POST
@login_required
def task_progress(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _task_action(request, pk, "progress")


@require_POST
@login_required
def task_plan(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _task_action(request, pk, "plan")


@require_POST
@login_required
def task_evidence(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _task_action(request, pk, "evidence")


@require_POST
@login_required
def task_comment(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _task_action(request, pk, "comment")


@require_POST
@login_required
def occurrence_toggle(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    occurrence = selectors.occurrence_get_for_user(user=request.user, pk=pk)
    try:
        services.occurrence_complete(
            actor=request.user, occurrence=occurrence, done=request.POST.get("done") == "1"
        )
    except REFUSALS as error:
        refusal = refusal_of(error)
        messages.error(request, refusal.message)
        return _task_page(request, occurrence.task, refusal.status)
    return redirect("plans:task_detail", pk=occurrence.task_id)


@require_safe
@login_required
def my_work(request: AuthedHttpRequest) -> HttpResponse:
    """My duties from the plan and my open tasks, overdue first."""
    return render(request, "plans/my_work.html", selectors.my_work(user=request.user))


@require_http_methods(["GET", "POST"])
@login_required
def activity_list(request: AuthedHttpRequest) -> HttpResponse:
    """Training, communication, legal dissemination and initiatives of my unit; add one."""
    unit = permissions.acting_unit_or_404(request.user)
    permissions.require(request.user, permissions.VIEW_PLANS, unit)
    form = ActivityForm(request.POST or None, request.FILES or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.activity_create(
                actor=request.user,
                unit=unit,
                kind=data["kind"],
                title=data["title"],
                held_on=data["held_on"],
                description=data["description"],
                task=data["task"],
                participants=list(data["participants"]),
                participant_count=data["participant_count"],
                evidence_upload=data["evidence_file"],
                evidence_url=data["evidence_url"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Đã ghi nhận hoạt động.")
            return redirect("plans:activity_list")
    activities: list[Activity] = list(selectors.activity_list_for_user(user=request.user)[:200])
    context = {
        "form": form,
        "activities": activities,
        "can_manage": permissions.can(request.user, permissions.MANAGE_PLANS, unit),
        "next_status": {
            InitiativeStatus.SUBMITTED: [InitiativeStatus.EVALUATED, InitiativeStatus.REJECTED],
            InitiativeStatus.EVALUATED: [InitiativeStatus.ADOPTED, InitiativeStatus.REJECTED],
        },
        "statuses": dict(InitiativeStatus.choices),
    }
    return render(request, "plans/activity_list.html", context, status=422 if form.errors else 200)


@require_POST
@login_required
def initiative_status(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_user(user=request.user, pk=pk)
    try:
        services.initiative_set_status(
            actor=request.user, activity=activity, status=request.POST.get("status", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("plans:activity_list")
    messages.success(request, "Đã cập nhật tình trạng sáng kiến.")
    return redirect("plans:activity_list")
