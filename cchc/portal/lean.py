"""Public pages rendered without the per-request machinery a visitor without an account does not
need (issue 11 item 2: the look-up holds for every code).

`render(request, template, context)` renders `template` inside `portal/public_layout.html` (the
site's layout as an anonymous visitor sees it) from the view's context alone: no context
processors, no session or user loaded, no CSRF token. The two templates are compiled once into
plain Python (`cchc.portal.page_parts`: the same text as Django renders, a quarter of the
time). A visitor who carries a session or a message cookie (a signed-in officer, a citizen just
back from a submission) gets the full layout of `base.html` through Django's `render`, so
nothing they would see is lost.

A page rendered here must not need a CSRF token: its forms only read (the look-up posts so the
phone digits stay out of addresses, not to change anything).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render as django_render
from django.template import Context, Template, engines
from django.templatetags.static import static
from django.urls import reverse

from cchc.portal.page_parts import Page, compile_page

LAYOUT = "portal/public_layout.html"


@cache
def assets() -> dict[str, str]:
    """Addresses the layout links to: the static files' names are fixed when the process starts
    (collectstatic's manifest), the log-in address by the URL configuration."""
    return {
        "css": static("cchc/css/app.css"),
        "favicon": static("cchc/favicon.svg"),
        "login": address("accounts:login"),
    }


@cache
def address(name: str) -> str:
    """A fixed address by its URL name, reversed once per process (the URL configuration does
    not change while it runs)."""
    return reverse(name)


def needs_full_layout(request: HttpRequest) -> bool:
    """Whether the visitor may see something of their own in the layout: a signed-in user's
    menu or a pending message, both of which come with a cookie."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies


def compiled(name: str) -> Template:
    """The compiled template, found once per process (the cached loader's own lookup costs a
    search per render); found afresh under DEBUG, where templates are edited while it runs."""
    if settings.DEBUG:
        return engines["django"].engine.get_template(name)  # type: ignore[attr-defined]
    return _compiled(name)


@cache
def _compiled(name: str) -> Template:
    return engines["django"].engine.get_template(name)  # type: ignore[attr-defined]


def page(name: str) -> Page | None:
    """`name` inside the lean layout as plain Python (`cchc.portal.page_parts`), compiled once
    per process from the templates themselves (afresh under DEBUG, where they are edited while
    it runs); None when the template uses something not compiled there."""
    if settings.DEBUG:
        return compile_page(compiled(name), compiled(LAYOUT))
    return _page(name)


@cache
def _page(name: str) -> Page | None:
    return compile_page(_compiled(name), _compiled(LAYOUT))


def render(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    if needs_full_layout(request):
        response = django_render(
            request, template, {**context, "layout": "base.html"}, status=status
        )
        response["Vary"] = "Cookie"
        return response
    return page_response(page_html(template, context), status=status)


def page_html(template: str, context: dict[str, Any]) -> str:
    """`template` inside the lean layout, as an anonymous visitor sees it."""
    values = {**context, "site_name": settings.CCHC_SITE_NAME, "assets": assets()}
    fast = page(template)
    if fast is not None:
        return fast(values)
    # `layout` as an object: `extends` then skips its template search.
    values["layout"] = compiled(LAYOUT)
    return compiled(template).render(Context(values))


def page_response(html: str, *, status: int = 200) -> HttpResponse:
    """The view's answer for a page of the lean layout (also the shape whose headers the
    look-up's WSGI path learns from the middleware chain: `cchc.portal.lookup_wsgi`)."""
    response = HttpResponse(html, status=status)
    response["Vary"] = "Cookie"  # the layout depends on the session cookie
    return response
