"""Staff page of periodic reports: pick a unit one may read, a period and a format; download."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from cchc.accounts import permissions
from cchc.accounts.http import AuthedHttpRequest
from cchc.core.official_docs import OfficialDocError
from cchc.reports.builder import FORMATS, ReportRequest, period_name, report_file


def _units(request: HttpRequest):
    return permissions.visible_units(request.user).order_by("path", "name")


@require_safe
@login_required
def index(request: AuthedHttpRequest) -> HttpResponse:
    permissions.require(request.user, permissions.VIEW_PLANS)
    year = timezone.localdate().year
    quarter = (timezone.localdate().month - 1) // 3 + 1
    context = {
        "units": _units(request)[:500],
        "acting": permissions.acting_staff(request.user),
        "periods": [
            (text, period_name(text))
            for text in [f"{year}-Q{q}" for q in range(quarter, 0, -1)]
            + [f"{year}-H{h}" for h in ((2, 1) if quarter >= 3 else (1,))]
            + [str(year), str(year - 1)]
        ],
        "formats": FORMATS,
    }
    return render(request, "reports/index.html", context)


@require_safe
@login_required
def download(request: AuthedHttpRequest) -> HttpResponse:
    """The report file of a unit the user may read (a school its own, the commune any below)."""
    permissions.require(request.user, permissions.VIEW_PLANS)
    chosen = request.GET.get("don_vi", "")
    if chosen:
        unit = _units(request).filter(pk=chosen).first() if chosen.isdigit() else None
        if unit is None:
            raise Http404("Không tìm thấy đơn vị.")
    else:
        unit = permissions.acting_unit_or_404(request.user)
    fmt = request.GET.get("dinh_dang", "docx")
    req = ReportRequest(
        unit,
        request.GET.get("ky", str(timezone.localdate().year)),
        difficulties=request.GET.get("kho_khan", "")[:5000],
        proposals=request.GET.get("de_xuat", "")[:5000],
    )
    try:
        content, content_type, name = report_file(req, fmt)
    except (ValueError, OfficialDocError) as error:
        return render(
            request,
            "error.html",
            {"status": 400, "title": "Không lập được báo cáo", "message": str(error)},
            status=400,
        )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
