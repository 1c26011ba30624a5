"""Log-in, log-out, second factor and password reset pages."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from cchc.accounts import services
from cchc.accounts.forms import LoginForm, OtpTokenForm


class LoginView(auth_views.LoginView):
    """Django's log-in, answering 401 when the credentials are wrong (not a silent 200)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 401
        return response


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/quan-ly/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=False):
        return target
    return "/quan-ly/"


@require_http_methods(["GET", "POST"])
@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Pair an authenticator app by QR code, then confirm it with one code."""
    device = services.otp_device_get_or_create(user=request.user)
    if device.confirmed:
        return redirect("accounts:otp_verify")
    form = OtpTokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        services.otp_device_confirm(device=device, actor=request.user)
        otp_login(request, device)
        return redirect(_safe_next(request))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5)
    context = {"form": form, "qr_svg": qr_svg, "next": _safe_next(request)}
    return render(request, "accounts/otp_setup.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Ask for the 6-digit code of an already paired device."""
    device = services.otp_device_get_or_create(user=request.user)
    if not device.confirmed:
        return redirect(f"{reverse_lazy('accounts:otp_setup')}?next={_safe_next(request)}")
    form = OtpTokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_safe_next(request))
    context = {"form": form, "next": _safe_next(request)}
    return render(request, "accounts/otp_verify.html", context, status=422 if form.errors else 200)
