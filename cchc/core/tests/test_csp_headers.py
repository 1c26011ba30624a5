"""The Content-Security-Policy written once per process (`cchc.core.csp`) is the library's own,
and every way of changing it still works (issue 11: the look-up's time)."""

from __future__ import annotations

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.decorators import csp_exempt, csp_update
from csp.utils import build_policy
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from cchc.core.csp import CSPMiddleware


def _through(view, path: str = "/tra-cuu/") -> HttpResponse:
    request = RequestFactory().get(path)
    middleware = CSPMiddleware(view)
    return middleware(request)


def _plain(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def test_the_header_is_the_librarys_for_the_sites_policy() -> None:
    first = _through(_plain)
    second = _through(_plain)
    assert first[HEADER] == second[HEADER] == build_policy()
    assert "default-src 'self'" in first[HEADER]
    assert HEADER_REPORT_ONLY not in first


def test_a_changed_setting_changes_the_header(settings) -> None:
    before = _through(_plain)[HEADER]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"img-src": ["'self'"]}}
    response = _through(_plain)
    assert response[HEADER] == "default-src 'none'" != before
    assert response[HEADER_REPORT_ONLY] == build_policy(report_only=True)
    assert "img-src 'self'" in response[HEADER_REPORT_ONLY]


def test_a_decorated_view_and_an_exempt_one_keep_the_librarys_behaviour() -> None:
    updated = _through(csp_update({"img-src": ["https://example.org"]})(_plain))
    assert "https://example.org" in updated[HEADER]
    assert HEADER not in _through(csp_exempt()(_plain))


def test_a_header_set_by_the_view_and_an_excluded_prefix_are_left_alone(settings) -> None:
    def own(request: HttpRequest) -> HttpResponse:
        response = HttpResponse("ok")
        response[HEADER] = "default-src 'self' blob:"
        return response

    assert _through(own)[HEADER] == "default-src 'self' blob:"
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'"]},
        "EXCLUDE_URL_PREFIXES": ["/api/docs"],
    }
    assert HEADER not in _through(_plain, "/api/docs/")
    assert _through(_plain, "/tra-cuu/")[HEADER] == "default-src 'self'"


def test_a_nonce_asked_for_takes_the_librarys_path_and_is_refused_after_the_header() -> None:
    from csp.exceptions import CSPNonceError

    seen: dict[str, str] = {}

    def with_nonce(request: HttpRequest) -> HttpResponse:
        seen["nonce"] = str(request.csp_nonce)  # type: ignore[attr-defined]
        return HttpResponse("ok")

    response = CSPMiddleware(with_nonce)(RequestFactory().get("/"))
    assert response[HEADER] == build_policy(nonce=seen["nonce"])
    plain_request = RequestFactory().get("/")
    CSPMiddleware(_plain)(plain_request)
    with pytest.raises(CSPNonceError):
        str(plain_request.csp_nonce)  # type: ignore[attr-defined]
