"""The receipt's QR code look-up answered beside Django's handler, with the chain's own headers
(issue 11 item 2).

Every receipt carries a QR code to /tra-cuu/<code>/, so that one request shape is the busiest
public page. For it — GET, the code in the address, no query string, no session or message
cookie (`lean_wsgi.wrap` sends nothing else here), a host the site serves, no redirect to make —
the middleware chain's work around the view is the same for every request: it adds the same
security, CSP, language, cache and frame headers to the same kind of answer. Django's handler,
chain and URL resolver still cost as much as the view's own work (the database's included).

`FastLookup` runs the view's own steps (`views.lookup_entry` and `views.lookup_answer`: the
same check, the shared limit, the one query, the compiled page) and sends the headers that the
lean chain itself gave a page of the same shape (`lean.page_response`), learnt once per process
and per scheme by sending such a page through the chain (`chain_headers`), so a setting or a
middleware that changes the chain's headers changes these too. A header that differs between
two such pages (a nonce, a cookie) stops this path: every look-up then takes the chain.

Only a found dossier is answered here. A refused, unknown or invalid code, and any request of
another shape, goes to the lean chain, which answers it with its page and log line as for any
other request; the limit's count already taken is passed along (`ratelimit.COUNTED`), so
nothing is counted twice. The tests compare this path's answers with the chain's byte for byte.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core import signals
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.urls import path, set_urlconf
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from cchc.core import ratelimit
from cchc.portal import lean, views

logger = logging.getLogger(__name__)

#: The QR code's address: the code as printed (letters, digits, dots, dashes; the form allows 80).
QR_PATH = re.compile(r"/tra-cuu/([A-Za-z0-9.-]{1,80})/")
TEMPLATE = "portal/lookup.html"
#: Two codes no dossier has, for the pages whose headers the chain is asked for.
PROBES = ("KIEM-TRA-1", "KIEM-TRA-22")

Headers = list[tuple[str, str]]
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

# The chain's headers for the look-up page, by scheme (True: https); None: not this path.
_learnt: dict[bool, Headers | None] = {}


@receiver(setting_changed)
def _forget(**kwargs: object) -> None:
    _learnt.clear()


@csrf_exempt  # as the look-up's view
def _probe_view(request: HttpRequest, code: str) -> HttpResponse:
    return lean.page_response("")


#: This module is also the URL configuration of the probes: the look-up's address leads to an
#: empty page of the look-up's shape.
urlpatterns = [path("tra-cuu/<str:code>/", _probe_view)]


class FastLookup:
    """The WSGI application for look-ups without visitor state: the QR code's found dossier
    here, everything else through `chain` (the lean `LeanWSGIHandler`)."""

    def __init__(self, chain: WSGIHandler) -> None:
        self.chain = chain

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        match = _qr_code(environ)
        if match is None:
            return self.chain(environ, start_response)
        signals.request_started.send(sender=WSGIHandler, environ=environ)
        try:
            answer = self._answer(environ, match)
        except Exception:  # the chain answers (and logs) it as any failed request; a request
            # counted before the failure is counted again there: a failure is not worth a
            # second path for it
            logger.exception("The look-up's WSGI path failed; the chain answers")
            answer = None
        finally:
            signals.request_finished.send(sender=WSGIHandler)
        if answer is None:
            return self.chain(environ, start_response)
        headers, body = answer
        start_response("200 OK", headers)
        return [body]

    def _answer(self, environ: dict[str, Any], code: str) -> tuple[Headers, bytes] | None:
        request = WSGIRequest(environ)
        try:
            request.get_host()  # as CommonMiddleware: a host the site does not serve is a 400
        except DisallowedHost:
            return None
        secure = request.is_secure()
        if settings.SECURE_SSL_REDIRECT and not secure:
            return None  # SecurityMiddleware's redirect
        headers = learnt_headers(self.chain, environ, secure)
        if headers is None:
            return None
        # As the lean chain's one-language middleware (this path runs only on such a site).
        translation.activate(translation.get_supported_language_variant(settings.LANGUAGE_CODE))
        answer = views.lookup_answer(request, views.lookup_entry({}, code))
        if answer is None or answer[0] != 200:
            # Refused (None) or no such dossier: the chain writes that page (and its log line).
            environ[ratelimit.COUNTED] = ("lookup", answer is not None)
            return None
        body = lean.page_html(TEMPLATE, answer[1]).encode()
        length = str(len(body))
        return [(name, length if name == "Content-Length" else v) for name, v in headers], body


def _qr_code(environ: dict[str, Any]) -> str | None:
    """The code of a request this path may answer; None for any other request."""
    if (
        environ.get("REQUEST_METHOD") != "GET"
        or environ.get("QUERY_STRING")
        or environ.get("SCRIPT_NAME")
        or settings.DEBUG
        or settings.FORCE_SCRIPT_NAME
        or settings.PREPEND_WWW
        or settings.DISALLOWED_USER_AGENTS
        or len(settings.LANGUAGES) != 1  # with two, the chain negotiates per request
    ):
        return None
    match = QR_PATH.fullmatch(environ.get("PATH_INFO", ""))
    return match[1] if match else None


def learnt_headers(chain: WSGIHandler, environ: dict[str, Any], secure: bool) -> Headers | None:
    """The headers the chain gives the look-up's page for this scheme, learnt once per process
    (and again after a setting changes); None when they differ from page to page."""
    if secure not in _learnt:
        first, second = (chain_headers(chain, environ, code) for code in PROBES)
        same = first is not None and first == second
        if not same:
            logger.warning("The chain's look-up headers vary: every look-up takes the chain")
        _learnt[secure] = first if same else None
    return _learnt[secure]


def chain_headers(chain: WSGIHandler, environ: dict[str, Any], code: str) -> Headers | None:
    """The headers (Content-Length's value left out) of an empty look-up page sent through the
    chain for a request like `environ` (its scheme and host) to /tra-cuu/<code>/; None when the
    chain answers it otherwise than with that page or sets a cookie."""
    probe = {
        **{key: value for key, value in environ.items() if not key.startswith("wsgi.")},
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": environ.get("wsgi.url_scheme", "http"),
        "wsgi.errors": environ.get("wsgi.errors", io.StringIO()),
        "PATH_INFO": f"/tra-cuu/{code}/",
    }
    request = WSGIRequest(probe)
    request.urlconf = __name__  # Django's per-request URL configuration
    try:
        response = chain.get_response(request)
    finally:
        set_urlconf(None)  # the next request of this thread resolves with the site's own
    if not isinstance(response, HttpResponse) or response.status_code != 200:
        return None
    if response.cookies or response.content:
        return None
    return [(name, "" if name == "Content-Length" else value) for name, value in response.items()]
