"""API authentication: the staff session (with CSRF) or a bearer token for integrations.

Each may carry a guard (`cchc.api.guards`): the permission check of one operation, run as soon as
the caller is known and before django-ninja reads the request's body, so a caller without the
permission gets 403 whatever they sent, never the schema's 422.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from cchc.accounts.permissions import must_use_otp
from cchc.accounts.services import api_token_authenticate

# (request, the authenticated user): raises PermissionDenied (403), Http404 or HttpError.
Guard = Callable[[HttpRequest, Any], None]


def _guarded(guard: Guard | None, request: HttpRequest, user: Any) -> Any:
    if user is not None and guard is not None:
        guard(request, user)
    return user


class StaffSessionAuth(SessionAuth):
    """The browser session; a role that requires TOTP must have passed it."""

    def __init__(self, guard: Guard | None = None) -> None:
        self.guard = guard
        super().__init__()

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a signed-in session there is nothing for CSRF to protect: answer "not
        # authenticated" (401 in Vietnamese) instead of ninja's English 403 "CSRF check Failed",
        # which is what an integration with a wrong or missing bearer token used to get.
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None:
            return None
        if not user.is_verified() and must_use_otp(user):
            return None
        return _guarded(self.guard, request, user)


class TokenAuth(HttpBearer):
    def __init__(self, guard: Guard | None = None) -> None:
        self.guard = guard
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is None:
            return None
        request.user = user
        request.cchc_token_auth = True  # type: ignore[attr-defined]
        return _guarded(self.guard, request, user)
