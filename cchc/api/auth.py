"""API authentication: the staff session (with CSRF) or a bearer token for integrations."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from cchc.accounts.permissions import must_use_otp
from cchc.accounts.services import api_token_authenticate


class StaffSessionAuth(SessionAuth):
    """The browser session; a role that requires TOTP must have passed it."""

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
        return user


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token)
        if user is None:
            return None
        request.user = user
        request.cchc_token_auth = True  # type: ignore[attr-defined]
        return user
