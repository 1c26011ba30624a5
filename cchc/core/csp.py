"""django-csp's middleware with the site's policy written once per process (issue 11).

The library builds the Content-Security-Policy header afresh for every response: two dataclass
copies and a walk over every directive of the settings, twice (the policy and the report-only
one), 5 % of the public look-up's time. The site has one policy: no view changes it
(django-csp's `csp_update`/`csp_replace`/`csp` decorators) and no template asks for a nonce.
So the two headers are built once from the settings and reused; a response that carries a
decorator's parts, or a request whose nonce was used, takes the library's own path, so either
can still be used later without touching this. Under DEBUG the library's path is always taken.
"""

from __future__ import annotations

from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

# What the library's decorators put on a response (django-csp 4: csp.decorators).
PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@cache
def site_headers() -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    """(header, value, the exemption's attribute, excluded path prefixes) for each policy the
    settings define, built as the library builds them."""
    found = []
    for header, setting, exempt, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro", True),
    ):
        value = build_policy(report_only=report_only)
        if value:
            policy = getattr(settings, setting, None) or {}
            prefixes = tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ())
            found.append((header, value, exempt, prefixes))
    return tuple(found)


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs: object) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        site_headers.cache_clear()


class CSPMiddleware(LibraryCSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in PER_RESPONSE)
        ):
            return super().process_response(request, response)
        for header, value, exempt, prefixes in site_headers():
            if (
                header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = value
        # As the library: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
