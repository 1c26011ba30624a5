"""Staff pages: thin (guard → form → service → render). Reading follows the dossier desk's read
right scoped to the user's units (the commune sees every school below it); writing is checked
again in the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.core.form_errors import add_validation_errors
from cchc.dossiers.models import Procedure
from cchc.simplification import exports, rules, selectors, services
from cchc.simplification.forms import (
    ActForm,
    CostLineDeleteForm,
    CostLineForm,
    FindingForm,
    OpenForm,
    ProcessForm,
    ReviewForm,
)
from cchc.simplification.models import Review, Scenario
from cchc.simplification.workflow import ACTIONS, EDITABLE

DEFAULT_WAGE = 30_000


def _guard(request: HttpRequest) -> None:
    if not rules.may_view(request.user):
        raise PermissionDenied("Bạn không có quyền xem rà soát, đơn giản hóa TTHC.")


def _review_or_404(request: HttpRequest, pk: int) -> Review:
    _guard(request)
    return get_object_or_404(selectors.reviews_for(request.user), pk=pk)


def _procedure_or_404(request: HttpRequest, pk: int) -> Procedure:
    _guard(request)
    return get_object_or_404(
        permissions.scope_to_units(Procedure.objects.select_related("unit"), request.user), pk=pk
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def review_list(request: AuthedHttpRequest) -> HttpResponse:
    _guard(request)
    staff = permissions.acting_staff(request.user)
    unit = staff.unit if staff is not None else None
    may_open = unit is not None and rules.may_draft(request.user, unit)
    form = None
    status = 200
    if may_open and unit is not None:
        procedures = selectors.procedures_of(unit).order_by("name")
        form = OpenForm(
            request.POST or None,
            procedures=procedures,
            initial={"wage_per_hour_vnd": DEFAULT_WAGE},
        )
        if request.method == "POST":
            if form.is_valid():
                try:
                    review = services.review_open(
                        actor=request.user,
                        procedure=form.cleaned_data["procedure"],
                        wage_per_hour_vnd=form.cleaned_data["wage_per_hour_vnd"],
                    )
                except ValidationError as error:
                    add_validation_errors(form, error)
                else:
                    messages.success(request, "Đã lập phiếu rà soát (dự thảo).")
                    return redirect("simplification:detail", pk=review.pk)
            status = 422
    elif request.method == "POST":
        raise PermissionDenied("Bạn không được lập phiếu rà soát.")
    reviews = list(selectors.reviews_for(request.user).prefetch_related("cost_lines"))
    rows = [(r, services.review_saving(r)) for r in reviews]
    return render(
        request, "simplification/review_list.html", {"rows": rows, "form": form}, status=status
    )


def _detail_context(request: HttpRequest, review: Review, **forms: Any) -> dict[str, Any]:
    review.refresh_from_db()
    editable = review.status in EDITABLE and rules.may_draft(request.user, review.unit)
    version = {"version": review.version}
    findings = list(review.findings.all())
    finding_forms = [
        (
            f,
            forms.get(f"finding_{f.part}")
            or FindingForm(
                initial=version
                | {
                    "part": f.part,
                    "finding": f.finding,
                    "proposal": f.proposal,
                    "legal_ground": f.legal_ground,
                },
                prefix=f.part,
            ),
        )
        for f in findings
    ]
    actions = [
        a
        for a in ACTIONS.values()
        if review.status in a.source and rules.may(request.user, a.who, review.unit)
    ]
    lines = list(review.cost_lines.all())
    return {
        "review": review,
        "editable": editable,
        "finding_forms": finding_forms,
        "review_form": forms.get("review_form")
        or ReviewForm(
            initial=version
            | {
                "wage_per_hour_vnd": review.wage_per_hour_vnd,
                "effective_on": review.effective_on,
                "summary": review.summary,
            }
        ),
        "cost_form": forms.get("cost_form") or CostLineForm(initial=version),
        "act_form": forms.get("act_form") or ActForm(initial=version),
        "actions": actions,
        "before_lines": [x for x in lines if x.scenario == Scenario.BEFORE],
        "after_lines": [x for x in lines if x.scenario == Scenario.AFTER],
        "saving": services.review_saving(review),
        "cost_rows": exports.cost_rows(review),
        "facts": selectors.measured_facts(review.procedure),
        "errors": forms.get("errors", []),
    }


@require_safe
@login_required
def review_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = _review_or_404(request, pk)
    return render(request, "simplification/review_detail.html", _detail_context(request, review))


def _page(request: HttpRequest, review: Review, status: int, **forms: Any) -> HttpResponse:
    return render(
        request,
        "simplification/review_detail.html",
        _detail_context(request, review, **forms),
        status=status,
    )


def _run(request: HttpRequest, review: Review, form: Any, key: str, call: Any, done: str):
    """Valid form → service; a stale version → 409, a rule broken → 422, all on the page."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except services.StaleReview as error:
            form.add_error(None, error.messages)
            return _page(request, review, 409, **{key: form})
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("simplification:detail", pk=review.pk)
    return _page(request, review, 422, **{key: form})


@require_POST
@login_required
def review_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    review = _review_or_404(request, pk)
    if not rules.may_draft(request.user, review.unit):
        raise PermissionDenied("Bạn không được sửa phiếu rà soát này.")
    kind = request.POST.get("form", "")
    if kind == "review":
        form: Any = ReviewForm(request.POST)
        return _run(
            request,
            review,
            form,
            "review_form",
            lambda d: services.review_update(
                actor=request.user,
                review=review,
                expected_version=d["version"],
                wage_per_hour_vnd=d["wage_per_hour_vnd"],
                effective_on=d["effective_on"],
                summary=d["summary"],
            ),
            "Đã lưu thông tin chung.",
        )
    if kind == "finding":
        part = request.POST.get("part_code", "")
        form = FindingForm(request.POST, prefix=part)
        return _run(
            request,
            review,
            form,
            f"finding_{part}",
            lambda d: services.finding_save(
                actor=request.user,
                review=review,
                expected_version=d["version"],
                part=d["part"],
                finding=d["finding"],
                proposal=d["proposal"],
                legal_ground=d["legal_ground"],
            ),
            "Đã lưu nội dung rà soát.",
        )
    if kind == "cost":
        form = CostLineForm(request.POST)
        return _run(
            request,
            review,
            form,
            "cost_form",
            lambda d: services.cost_line_add(
                actor=request.user,
                review=review,
                expected_version=d["version"],
                scenario=d["scenario"],
                activity=d["activity"],
                hours=d["hours"],
                fee_vnd=d["fee_vnd"],
                other_vnd=d["other_vnd"],
            ),
            "Đã thêm dòng chi phí.",
        )
    if kind == "cost_delete":
        form = CostLineDeleteForm(request.POST)
        return _run(
            request,
            review,
            form,
            "cost_form",
            lambda d: services.cost_line_delete(
                actor=request.user, review=review, expected_version=d["version"], line_id=d["line"]
            ),
            "Đã xóa dòng chi phí.",
        )
    raise Http404("Không có biểu mẫu này.")


@require_POST
@login_required
def review_act(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Move the review along the workflow: guard → form → service (the dossier page's order)."""
    review = _review_or_404(request, pk)
    rules.check_action(request.user, review.unit, request.POST.get("action", ""))
    form = ActForm(request.POST)
    return _run(
        request,
        review,
        form,
        "act_form",
        lambda d: services.review_act(
            actor=request.user,
            review=review,
            action=d["action"],
            expected_version=d["version"],
            note=d["note"],
        ),
        "Đã cập nhật trạng thái phiếu rà soát.",
    )


@require_safe
@login_required
def review_export(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    review = _review_or_404(request, pk)
    try:
        content, content_type = exports.review_file(review, fmt)
    except exports.OfficialDocError as error:
        messages.error(request, str(error))
        return redirect("simplification:detail", pk=review.pk)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(review, fmt)}"'
    return response


def _steps_text(procedure: Procedure) -> str:
    """The process in force today as the form's lines, to edit rather than retype."""
    latest = selectors.process_versions(procedure).first()
    if latest is not None:
        rows = [(s["code"], s["name"], s["days"]) for s in latest.steps]
    else:
        rows = [
            (code, selectors.STEP_LABELS.get(code, code), days)
            for code, days in (procedure.step_budgets or {}).items()
        ]
    return "\n".join(f"{code}; {name}; {str(days).replace('.', ',')}" for code, name, days in rows)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def procedure_page(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """The procedure's simplification page: its reviews with their saving, the measured facts,
    and the versions of its internal process (new ones from a day not in the past)."""
    procedure = _procedure_or_404(request, pk)
    may_edit = rules.may_draft(request.user, procedure.unit)
    form = ProcessForm(request.POST or None, initial={"steps": _steps_text(procedure)})
    status = 200
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied("Bạn không được sửa quy trình nội bộ của đơn vị này.")
        if form.is_valid():
            try:
                services.process_version_create(
                    actor=request.user,
                    procedure=procedure,
                    steps=form.cleaned_data["steps"],
                    effective_from=form.cleaned_data["effective_from"],
                    note=form.cleaned_data["note"],
                )
            except services.Conflict as error:
                form.add_error(None, error.messages)
                status = 409
            except ValidationError as error:
                add_validation_errors(form, error)
                status = 422
            else:
                messages.success(request, "Đã lưu phiên bản quy trình nội bộ mới.")
                return redirect("simplification:procedure", pk=procedure.pk)
        else:
            status = 422
    reviews = selectors.reviews_for(request.user).filter(
        unit=procedure.unit, procedure__name=procedure.name
    )
    context = {
        "procedure": procedure,
        "rows": [(r, services.review_saving(r)) for r in reviews],
        "facts": selectors.measured_facts(procedure),
        "versions": selectors.process_versions(procedure),
        "budgets_now": selectors.step_budgets_of(procedure),
        "form": form if may_edit else None,
    }
    return render(request, "simplification/procedure.html", context, status=status)
