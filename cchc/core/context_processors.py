"""Values every page's layout needs: site name, the acting unit and the navigation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from cchc.core.navigation import nav_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    staff = getattr(user, "staff", None) if user is not None and user.is_authenticated else None
    return {
        "site_name": settings.CCHC_SITE_NAME,
        "acting_staff": staff,
        "acting_unit": staff.unit if staff is not None else None,
        "nav_items": nav_for(user),
    }
