"""Staff pages of the per-person scorecards: my card, a person's card and its year-end summary,
the unit's ranked list and its XLSX. Reads only: a person sees their own card; leaders their
unit's; the commune officer the units below (scorecards.scorecard_units)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.core.official_docs import OfficialDocError
from cchc.kpi import scorecards
from cchc.kpi.registry import Period
from cchc.kpi.scorecard_papers import XLSX_TYPE, ranked_xlsx, scorecard_paper


def _period(request: HttpRequest) -> tuple[Period, str, str]:
    """(period, its text, error): ?ky= or this year; a bad one shows the year with the message."""
    text = request.GET.get("ky", "").strip()
    if text:
        try:
            return Period.parse(text), text, ""
        except ValueError as error:
            return Period.year(timezone.localdate().year), "", str(error)
    return Period.year(timezone.localdate().year), "", ""


def _words() -> dict[str, str]:
    """The words every scorecard page shares with the exports: no data, and what "activities"
    counts (scorecards.ACTIVITY_DEFINITION)."""
    return {
        "no_data": scorecards.NO_DATA,
        "activity_label": scorecards.ACTIVITY_LABEL,
        "activity_definition": scorecards.ACTIVITY_DEFINITION,
    }


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    context = {"status": 400, "title": "Không lập được tệp", "message": message}
    return render(request, "error.html", context, status=400)


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@login_required
def scorecard_mine(request: AuthedHttpRequest) -> HttpResponse:
    """The signed-in person's own card."""
    staff = permissions.acting_staff(request.user)
    if staff is None:
        return render(
            request,
            "error.html",
            {
                "status": 404,
                "title": "Không tìm thấy",
                "message": "Tài khoản chưa gắn với viên chức nào nên không có kết quả cá nhân.",
            },
            status=404,
        )
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return redirect(reverse("kpi:scorecard_detail", args=[staff.pk]) + query)


@require_safe
@login_required
def scorecard_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    """One person's card over a period, with the links to the year-end summary."""
    staff = scorecards.scorecard_staff_for(request.user, pk)
    period, text, error = _period(request)
    context = {
        "card": scorecards.staff_scorecard(staff, period),
        "period": period,
        "period_name": scorecards.period_label(period),
        "period_text": text,
        "error": error,
        "rules": scorecards.rules(),
        "ranking_rule": scorecards.RANKING_RULE,
        **_words(),
        "can_list": scorecards.scorecard_units(request.user).filter(pk=staff.unit_id).exists(),
    }
    return render(request, "kpi/scorecard_detail.html", context, status=400 if error else 200)


@require_safe
@login_required
def scorecard_paper_view(request: AuthedHttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The person's summary as DOCX or PDF (Decree 30/2020 layout)."""
    staff = scorecards.scorecard_staff_for(request.user, pk)
    period, _, error = _period(request)
    if error:
        return _bad_request(request, error)
    card = scorecards.staff_scorecard(staff, period)
    try:
        content, content_type, name = scorecard_paper(card, fmt, today=timezone.localdate())
    except (ValueError, OfficialDocError) as failure:
        return _bad_request(request, str(failure))
    return _download(content, content_type, name)


@require_safe
@login_required
def scorecard_list(request: AuthedHttpRequest) -> HttpResponse:
    """The unit's cards ranked, for the emulation council (leaders; the commune read-only)."""
    unit = scorecards.scorecard_unit_for(request.user, request.GET.get("don_vi"))
    period, text, error = _period(request)
    context = {
        "unit": unit,
        "cards": scorecards.unit_scorecards(unit, period),
        "period": period,
        "period_name": scorecards.period_label(period),
        "period_text": text,
        "error": error,
        "ranking_rule": scorecards.RANKING_RULE,
        **_words(),
        "others": scorecards.scorecard_units(request.user)
        .exclude(pk=unit.pk)
        .order_by("name")[:200],
    }
    return render(request, "kpi/scorecard_list.html", context, status=400 if error else 200)


@require_safe
@login_required
def scorecard_xlsx(request: AuthedHttpRequest) -> HttpResponse:
    """The ranked list as XLSX (names and titles as text)."""
    unit = scorecards.scorecard_unit_for(request.user, request.GET.get("don_vi"))
    period, _, error = _period(request)
    if error:
        return _bad_request(request, error)
    content = ranked_xlsx(unit, scorecards.unit_scorecards(unit, period))
    name = f"xep-hang-cchc-{period.start:%Y%m%d}-{period.end:%Y%m%d}-{unit.pk}.xlsx"
    return _download(content, XLSX_TYPE, name)
