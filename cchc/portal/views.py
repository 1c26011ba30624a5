"""Public pages: no account, no personal data."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from cchc.organizations.models import Unit, UnitKind


def _home_unit() -> Unit:
    if settings.CCHC_HOME_UNIT:
        return get_object_or_404(Unit, code=settings.CCHC_HOME_UNIT)
    unit = Unit.objects.filter(kind=UnitKind.SCHOOL).order_by("path").first() or (
        Unit.objects.order_by("path").first()
    )
    if unit is None:
        raise Http404("Chưa có đơn vị nào được khai báo.")
    return unit


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The installation's own unit: contact details and what citizens can do here."""
    return render(request, "portal/unit_home.html", {"unit": _home_unit()})


@require_safe
def unit_home(request: HttpRequest, code: str) -> HttpResponse:
    """Any unit's public page, by its electronic identifier code."""
    unit = get_object_or_404(Unit, code=code)
    return render(request, "portal/unit_home.html", {"unit": unit})
