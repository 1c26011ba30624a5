"""Enforce the per-role TOTP policy: a user whose role requires it reaches nothing else first."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from cchc.accounts.permissions import must_use_otp

_ALWAYS_ALLOWED = ("/static/", "/tai-khoan/")


class RequireOtpMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_ALWAYS_ALLOWED)
            and not getattr(request, "cchc_token_auth", False)
            and not user.is_verified()
            and must_use_otp(user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Vai trò của bạn bắt buộc xác thực hai lớp. Hãy đăng nhập lại."},
                    status=403,
                )
            return redirect(f"{reverse('accounts:otp_verify')}?next={request.path}")
        return self.get_response(request)
