"""One view serves the page and its fragment (style.md 2.3, the radiofeed pattern)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_partial(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any],
    *,
    target: str,
    status: int = 200,
) -> HttpResponse:
    """Render `template#target` for an htmx request aimed at #target, else the whole page."""
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == target:
        template_name = f"{template_name}#{target}"
    return render(request, template_name, context, status=status)
