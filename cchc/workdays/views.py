"""The "Lịch làm việc" page: a year with its days off and make-up days, and unit overrides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.core.form_errors import add_validation_errors
from cchc.core.numbers import parse_id, parse_int_in_range
from cchc.organizations import selectors as org_selectors
from cchc.workdays import selectors, services
from cchc.workdays.calendar import MAX_YEAR, MIN_YEAR
from cchc.workdays.forms import OverrideForm, RulesForm
from cchc.workdays.yearview import KIND_LABEL, WEEKDAYS_VI, year_grid


def _unit_for(request: HttpRequest):
    """The unit named by `don_vi`, else the acting staff's own unit.

    A `don_vi` that cannot be a unit id ("²", 25 digits) is a unit that does not exist: 404,
    the same answer as for a unit the user may not see.
    """
    raw = request.GET.get("don_vi") or request.POST.get("don_vi")
    if raw:
        pk = parse_id(raw)
        if pk is None:
            raise Http404("Không tìm thấy đơn vị.")
        return org_selectors.unit_get_for_user(user=request.user, pk=pk)
    return permissions.acting_unit_or_404(request.user)


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("nam", "")
    if not raw:
        return timezone.localdate().year
    shown = parse_int_in_range(raw, minimum=MIN_YEAR, maximum=MAX_YEAR)
    if shown is None:
        raise ValidationError(f"Năm phải là số từ {MIN_YEAR} đến {MAX_YEAR}.")
    return shown


def _rules_form(unit) -> RulesForm:
    return RulesForm(
        initial={
            "deadline_mode": unit.deadline_mode,
            "receipt_cutoff": unit.receipt_cutoff,
            "cutoff_all_procedures": unit.cutoff_all_procedures,
            "seen": services.rules_stamp(unit),
        }
    )


def _page(
    request: HttpRequest,
    unit,
    year: int,
    form: OverrideForm,
    status: int = 200,
    rules_form: RulesForm | None = None,
):
    calendar = services.calendar_for_unit(unit)
    context = {
        "unit": unit,
        "year": year,
        "months": year_grid(calendar, year),
        "weekdays": WEEKDAYS_VI,
        "entries": [
            {"entry": e, "label": KIND_LABEL.get(e.kind, e.kind)}
            for e in selectors.year_entries(calendar, year)
        ],
        "estimated": calendar.is_estimated_year(year),
        "overrides": selectors.override_list_for_unit(user=request.user, unit=unit),
        "can_manage": permissions.can(request.user, permissions.MANAGE_WORKDAYS, unit),
        "form": form,
        "rules_form": rules_form or _rules_form(unit),
        "working_days": selectors.working_day_count(calendar, year),
    }
    return render(request, "workdays/calendar_year.html", context, status=status)


@require_safe
@login_required
def year(request: AuthedHttpRequest) -> HttpResponse:
    """A year of the unit's calendar, colour-coded, with names and legal references."""
    unit = _unit_for(request)
    try:
        shown_year = _year(request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _page(request, unit, timezone.localdate().year, OverrideForm(), status=400)
    return _page(request, unit, shown_year, OverrideForm())


@require_POST
@login_required
def override_create(request: AuthedHttpRequest) -> HttpResponse:
    """Add or replace one override of the acting unit (principal, clerk or admin)."""
    unit = _unit_for(request)
    permissions.require(request.user, permissions.MANAGE_WORKDAYS, unit)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.override_set(
                actor=request.user,
                unit=unit,
                on=form.cleaned_data["date"],
                is_working=form.cleaned_data["is_working"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
    if not form.is_valid():
        return _page(request, unit, timezone.localdate().year, form, status=422)
    saved = form.cleaned_data["date"]
    messages.success(request, f"Đã lưu điều chỉnh ngày {saved:%d/%m/%Y}.")
    return redirect(f"{reverse('workdays:year')}?nam={saved.year}&don_vi={unit.pk}")


@require_POST
@login_required
def override_delete(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Remove one override; only in the user's own unit."""
    override = selectors.override_get_for_user(user=request.user, pk=pk)
    services.override_delete(actor=request.user, override=override)
    messages.success(request, f"Đã xóa điều chỉnh ngày {override.date:%d/%m/%Y}.")
    return redirect(
        f"{reverse('workdays:year')}?nam={override.date.year}&don_vi={override.unit_id}"
    )


@require_POST
@login_required
def rules_update(request: AuthedHttpRequest) -> HttpResponse:
    """The unit's deadline rule and receipt cut-off (principal, clerk or admin)."""
    unit = _unit_for(request)
    permissions.require(request.user, permissions.MANAGE_WORKDAYS, unit)
    form = RulesForm(request.POST)
    status = 422
    if form.is_valid():
        try:
            services.rules_set(
                actor=request.user,
                unit=unit,
                deadline_mode=form.cleaned_data["deadline_mode"],
                receipt_cutoff=form.cleaned_data["receipt_cutoff"],
                cutoff_all_procedures=form.cleaned_data["cutoff_all_procedures"],
                seen=form.cleaned_data["seen"],
            )
        except services.StaleRules as error:
            form.add_error(None, error.messages)
            status = 409
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Đã lưu cách tính hạn và giờ chốt tiếp nhận.")
            return redirect(f"{reverse('workdays:year')}?don_vi={unit.pk}#cach-tinh-han")
    unit.refresh_from_db()
    year = timezone.localdate().year
    return _page(request, unit, year, OverrideForm(), status=status, rules_form=form)
