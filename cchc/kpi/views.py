"""Staff pages of the KPI app: the landing page (the plan at a glance), a unit's indicators
with trends, and the commune's roll-up."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.http import require_safe

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.kpi import index766, rollup, selectors
from cchc.kpi.overview import overview_for_user
from cchc.kpi.registry import Period
from cchc.kpi.sparkline import sparkline
from cchc.kpi.totals import GRADE_UNIT
from cchc.organizations.models import Unit


@require_safe
@login_required
def overview(request: AuthedHttpRequest) -> HttpResponse:
    """One unit's plan at a glance; users of several units pick one with ?don_vi=.

    A commune officer's own unit has no plan of its own to follow: his landing page is the
    roll-up of the schools below him (he picks one with ?don_vi= to see its plan)."""
    if not request.GET.get("don_vi") and selectors.has_units_below(request.user):
        return redirect("kpi:rollup")
    data = overview_for_user(
        user=request.user, unit_id=request.GET.get("don_vi"), today=timezone.localdate()
    )
    return render(request, "kpi/overview.html", {"overview": data})


def _period(request: HttpRequest) -> tuple[Period, str]:
    """The period asked for in ?ky= (default: this year), and an error to show if it was bad."""
    text = request.GET.get("ky", "").strip()
    default = Period.year(timezone.localdate().year)
    if not text:
        return default, ""
    try:
        return Period.parse(text), ""
    except ValueError as error:
        return default, str(error)


@require_safe
@login_required
def unit_dashboard(request: AuthedHttpRequest) -> HttpResponse:
    """Every indicator of one unit: value, what it counts, the plan's goal, status and trend.

    The figures are last night's snapshot of the period, stamped "Số liệu đến hết ngày …", so
    the page reads one query instead of measuring the year's records; "Tính trực tiếp"
    (?truc_tiep=1) measures them now, as does a period without a snapshot (a half-year)."""
    permissions.require(request.user, permissions.VIEW_PLANS)
    visible = permissions.visible_units(request.user)
    chosen = request.GET.get("don_vi", "")
    if chosen:
        unit = visible.filter(pk=chosen).first() if chosen.isdigit() else None
        if unit is None:
            raise Http404("Không tìm thấy đơn vị.")
    else:
        unit = permissions.acting_unit_or_404(request.user)
    period, error = _period(request)
    today = timezone.localdate()
    single = Unit.objects.filter(pk=unit.pk)
    # Last night's snapshot of the period (stamped on the page), or live on request (?truc_tiep=1)
    # or when the period has no snapshot.
    live = request.GET.get("truc_tiep") == "1"
    measures, as_of = selectors.dashboard_measures(unit, period, today=today, live=live)
    figures = selectors.unit_figures(unit, period, today=today, measures=measures)
    shown = {key: request.GET[key] for key in ("don_vi", "ky") if request.GET.get(key)}
    # In the period's own steps: a month view month by month, a quarter quarter by quarter.
    lines = selectors.period_trends(
        single, [figure.indicator.code for figure in figures], period, today=today
    )
    rows = [
        (
            figure,
            # A grade ("Xếp loại Chỉ số CCHC": Yếu/Trung bình/Tốt...) is no percentage: its
            # points drawn as "40,0%" misread (QA). No trend line, as on the overview page.
            SafeString("")
            if figure.indicator.unit == GRADE_UNIT
            else sparkline(
                lines[figure.indicator.code],
                label=f"Diễn biến {figure.indicator.name}",
                step=selectors.trend_step(period),
            ),
        )
        for figure in figures
    ]
    context = {
        "unit": unit,
        "period": period,
        "period_text": request.GET.get("ky", ""),
        "error": error,
        "rows": rows,
        "others": visible.exclude(pk=unit.pk).order_by("name")[:200],
        "as_of": as_of,
        "yesterday": today - timedelta(days=1),
        "live": live,
        "live_query": urlencode({**shown, "truc_tiep": "1"}),
        "snapshot_query": urlencode(shown),
        "has_snapshots": period.snapshot_key is not None,
    }
    return render(request, "kpi/unit_dashboard.html", context, status=400 if error else 200)


def _chosen_unit(request: HttpRequest) -> Unit:
    chosen = request.GET.get("don_vi", "")
    if not chosen:
        return permissions.acting_unit_or_404(request.user)
    unit = (
        permissions.visible_units(request.user).filter(pk=chosen).first()
        if chosen.isdigit()
        else None
    )
    if unit is None:
        raise Http404("Không tìm thấy đơn vị.")
    return unit


@require_safe
@login_required
def index766_page(request: AuthedHttpRequest) -> HttpResponse:
    """The 766 index of one unit and period: each group and indicator, N/A marked, rescaled."""
    permissions.require(request.user, permissions.VIEW_PLANS)
    unit = _chosen_unit(request)
    period, error = _period(request)
    context = {
        "unit": unit,
        "period": period,
        "period_text": request.GET.get("ky", ""),
        "error": error,
        "index": index766.compute(unit, period),
        "not_counted": index766.NOT_COUNTED,
        "others": permissions.visible_units(request.user)
        .exclude(pk=unit.pk)
        .order_by("name")[:200],
    }
    return render(request, "kpi/index766.html", context, status=400 if error else 200)


@require_safe
@login_required
def commune_rollup(request: AuthedHttpRequest) -> HttpResponse:
    """The commune's schools side by side on the plan's targets, ranked and flagged, with the
    commune's total; figures of a year from the last nightly snapshot, stamped (rollup.py)."""
    permissions.require(request.user, permissions.VIEW_PLANS)
    unit = permissions.acting_unit_or_404(request.user)
    children = permissions.visible_units(request.user).filter(parent=unit)
    if not children.exists():
        raise Http404("Đơn vị của bạn không có đơn vị trực thuộc để tổng hợp.")
    period, error = _period(request)
    today = timezone.localdate()
    context = {
        "unit": unit,
        "period": period,
        "period_text": request.GET.get("ky", "") if not error else "",
        "raw_period": request.GET.get("ky", ""),
        "error": error,
        "board": rollup.board(children, period, today=today),
        "short_names": rollup.SHORT_NAMES,
        "today": today,
        "yesterday": today - timedelta(days=1),
    }
    return render(request, "kpi/commune_rollup.html", context, status=400 if error else 200)
