"""Staff pages of the reform-index self-assessment: the unit scores, the commune appraises."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.core.refusals import NO_PERMISSION
from cchc.kpi import assessments
from cchc.kpi.assessments import AssessmentError, Entry
from cchc.kpi.models import Assessment, AssessmentStatus
from cchc.kpi.rubric import current_rubric, percent_of
from cchc.organizations.models import Unit


def _unit_and_year(request: HttpRequest) -> tuple[Unit, int]:
    chosen = request.GET.get("don_vi", "") or request.POST.get("don_vi", "")
    if chosen:
        unit = (
            permissions.visible_units(request.user).filter(pk=chosen).first()
            if chosen.isdigit()
            else None
        )
        if unit is None:
            raise Http404("Không tìm thấy đơn vị.")
    else:
        unit = permissions.acting_unit_or_404(request.user)
    text = request.GET.get("nam", "") or request.POST.get("nam", "")
    year = int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else timezone.localdate().year
    return unit, year


def _assessment_for(request: HttpRequest, pk: int) -> Assessment:
    found = (
        permissions.scope_to_units(Assessment.objects.select_related("unit"), request.user)
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("Không tìm thấy bản tự đánh giá.")
    return found


def _context(
    request: HttpRequest, unit: Unit, year: int, assessment: Assessment | None, error: str = ""
) -> dict[str, Any]:
    rubric = current_rubric()
    scores = {row.code: row for row in assessment.scores.all()} if assessment else {}
    rows = [
        {"criterion": criterion, "depth": depth, "score": scores.get(criterion.code)}
        for criterion, depth in rubric.rows()
    ]
    return {
        "unit": unit,
        "year": year,
        "assessment": assessment,
        "rubric": rubric,
        "rows": rows,
        "error": error,
        "share": percent_of(assessment.points, assessment.max_points) if assessment else None,
        "may_score": assessments.can_self_score(request.user, unit)
        and (assessment is None or assessment.status == AssessmentStatus.DRAFT),
        "may_appraise": assessment is not None
        and assessment.status == AssessmentStatus.SUBMITTED
        and assessments.can_appraise(request.user, unit),
        "bands": rubric.bands,
    }


@require_safe
@login_required
def assessment_page(request: AuthedHttpRequest) -> HttpResponse:
    """One unit's self-assessment of a year: criteria, points, evidence, appraisal, rating."""
    permissions.require(request.user, permissions.VIEW_PLANS)
    unit, year = _unit_and_year(request)
    assessment = Assessment.objects.filter(unit=unit, year=year).first()
    return render(request, "kpi/assessment.html", _context(request, unit, year, assessment))


@require_safe
@login_required
def assessment_list(request: AuthedHttpRequest) -> HttpResponse:
    """Every assessment the user may read: a school its own years, the commune all below it."""
    permissions.require(request.user, permissions.VIEW_PLANS)
    year_text = request.GET.get("nam", "")
    year = int(year_text) if year_text.isdigit() else timezone.localdate().year
    units = permissions.visible_units(request.user).order_by("name")
    by_unit = {
        a.unit_id: a
        for a in Assessment.objects.filter(unit__in=units, year=year).select_related("unit")
    }
    rows = [(unit, by_unit.get(unit.pk)) for unit in units[:500]]
    return render(request, "kpi/assessment_list.html", {"rows": rows, "year": year})


def _entries(request: HttpRequest, points: str, note: str) -> dict[str, Entry]:
    out = {}
    for key in request.POST:
        if key.startswith(points):
            code = key.removeprefix(points)
            out[code] = Entry(request.POST.get(key, ""), request.POST.get(note + code, ""))
    return out


def _revision(request: HttpRequest) -> int | None:
    text = request.POST.get("revision", "")
    return int(text) if text.isdigit() else None


@require_POST
@login_required
def assessment_start(request: AuthedHttpRequest) -> HttpResponse:
    permissions.require(request.user, permissions.VIEW_PLANS)
    unit, year = _unit_and_year(request)
    try:
        assessments.assessment_start(actor=request.user, unit=unit, year=year)
    except AssessmentError as error:
        existing = Assessment.objects.filter(unit=unit, year=year).first()
        context = _context(request, unit, year, existing, str(error))
        return render(request, "kpi/assessment.html", context, status=error.status)
    return redirect(reverse("kpi:assessment") + f"?don_vi={unit.pk}&nam={year}")


@require_POST
@login_required
def assessment_act(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """Save or submit (the unit), appraise, finalize or return (the commune)."""
    permissions.require(request.user, permissions.VIEW_PLANS)
    assessment = _assessment_for(request, pk)
    action = request.POST.get("action", "")
    try:
        # Guard first: someone who may neither score nor appraise this unit is told so (403),
        # whatever they posted; the services check again for the action itself.
        if not (
            assessments.can_self_score(request.user, assessment.unit)
            or assessments.can_appraise(request.user, assessment.unit)
        ):
            raise AssessmentError(NO_PERMISSION, 403)
        if action in ("save", "submit"):
            assessments.assessment_save(
                actor=request.user,
                assessment=assessment,
                entries=_entries(request, "diem_", "minh_chung_"),
                revision=_revision(request),
                submit=action == "submit",
            )
        elif action in ("appraise", "finalize"):
            assessments.assessment_appraise(
                actor=request.user,
                assessment=assessment,
                entries=_entries(request, "tham_dinh_", "ly_do_"),
                revision=_revision(request),
                finalize=action == "finalize",
            )
        elif action == "return":
            assessments.assessment_return(
                actor=request.user,
                assessment=assessment,
                reason=request.POST.get("ly_do_tra_lai", ""),
                revision=_revision(request),
            )
        else:
            raise AssessmentError("Thao tác không hợp lệ.", 400)
    except AssessmentError as error:
        assessment.refresh_from_db()
        context = _context(request, assessment.unit, assessment.year, assessment, str(error))
        return render(request, "kpi/assessment.html", context, status=error.status)
    return redirect(
        reverse("kpi:assessment") + f"?don_vi={assessment.unit_id}&nam={assessment.year}"
    )
