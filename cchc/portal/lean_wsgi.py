"""A second, shorter middleware chain for the public look-up of a visitor without an account.

The look-up is the busiest public page (every receipt's QR code leads there) and, for a visitor
with no session, most of the middleware stack does nothing for it yet still runs on every
request: loading an empty session and an anonymous user (which then checks two-factor rules),
the message store, htmx and django-axes' request hooks, WhiteNoise's static lookup. `wrap` sends
such requests to a Django handler built from MIDDLEWARE without those (LEAN_SKIPS); everything
that shapes or guards the answer stays: security and CSP headers, no-store, language (set outright
on a site of one language: `OneLanguageMiddleware`), the slash
redirect, CSRF (the view is exempt, a future view under the prefix would not be), control
characters, X-Frame-Options and the conflict net. A request that carries a session or a message
cookie takes the full chain (a signed-in officer sees the site's full layout). The chain is
chosen per request from the address and the cookie header alone: nothing is remembered between
requests, so every worker and host answers alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponseBase
from django.utils import translation
from django.utils.cache import patch_vary_headers

# Middleware that has nothing to do for an anonymous look-up (see the module's docstring).
LEAN_SKIPS = frozenset(
    {
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django_otp.middleware.OTPMiddleware",
        "cchc.accounts.middleware.RequireOtpMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django_htmx.middleware.HtmxMiddleware",
        "axes.middleware.AxesMiddleware",
    }
)
# On a site of one language, Django's LocaleMiddleware negotiates (cookie, Accept-Language,
# URL prefixes) only to arrive at that language: the lean chain sets it outright.
ONE_LANGUAGE = "cchc.portal.lean_wsgi.OneLanguageMiddleware"
LOCALE = "django.middleware.locale.LocaleMiddleware"
# Paths served by the lean chain when the visitor has no session or message cookie.
LEAN_PREFIXES = ("/tra-cuu/",)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class OneLanguageMiddleware:
    """LocaleMiddleware's work on a site with one language (LANGUAGES): the language is active,
    on the request, and in the same Content-Language and Vary headers, without the negotiation
    whose answer is always the same (6 % of the look-up's time)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.language = translation.get_supported_language_variant(settings.LANGUAGE_CODE)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        translation.activate(self.language)
        request.LANGUAGE_CODE = self.language
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", self.language)
        return response


def lean_middleware(full: list[str]) -> list[str]:
    """MIDDLEWARE for the lean chain: without LEAN_SKIPS, and the locale middleware set to the
    one language when the site has only one."""
    one_language = len(settings.LANGUAGES) == 1
    return [
        ONE_LANGUAGE if path == LOCALE and one_language else path
        for path in full
        if path not in LEAN_SKIPS
    ]


class LeanWSGIHandler(WSGIHandler):
    """Django's WSGI handler with MIDDLEWARE minus LEAN_SKIPS."""

    def load_middleware(self, is_async: bool = False) -> None:
        # Django builds the chain from settings.MIDDLEWARE; it is swapped only while this one
        # handler is built, when the WSGI module is imported (one thread, before any request).
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = lean_middleware(full)
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


def carries_visitor_state(cookie_header: str) -> bool:
    """Whether the Cookie header may hold a session or messages (a name match is enough: a
    false alarm only sends the request down the full chain)."""
    return bool(cookie_header) and (
        f"{settings.SESSION_COOKIE_NAME}=" in cookie_header
        or f"{CookieStorage.cookie_name}=" in cookie_header
    )


def wrap(full: WsgiApp) -> WsgiApp:
    """The WSGI application: look-ups without visitor state through the lean chain (the QR
    code's found dossier beside it, `cchc.portal.lookup_wsgi`), every other request through
    `full`."""
    from cchc.portal.lookup_wsgi import FastLookup  # imports the views: after the handler

    lean = FastLookup(LeanWSGIHandler())

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO", "").startswith(LEAN_PREFIXES) and not carries_visitor_state(
            environ.get("HTTP_COOKIE", "")
        ):
            return lean(environ, start_response)
        return full(environ, start_response)

    return application
