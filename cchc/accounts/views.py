"""Log-in, log-out, second factor and password reset pages."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cchc.accounts import services, tasks
from cchc.accounts.forms import ApiTokenForm, EnrolmentCodeForm, LoginForm, OtpTokenForm
from cchc.accounts.http import AuthedHttpRequest
from cchc.accounts.models import ApiToken, OtpEnrolmentCode, hash_token
from cchc.core import ratelimit
from cchc.core.form_errors import add_validation_errors


class LoginView(auth_views.LoginView):
    """Django's log-in, answering 401 when the credentials are wrong (not a silent 200)."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # django-axes locks one username from one address; this also stops one address from
        # trying a few passwords on every account (LOGIN_FAILURES_PER_CLIENT in the cool-off).
        if ratelimit.slots_left(_failures_key(request), limit=_client_limit()) == 0:
            return render(request, "accounts/locked.html", status=403)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        ratelimit.take_slot(
            _failures_key(self.request),
            limit=_client_limit(),
            window=int(settings.AXES_COOLOFF_TIME * 3600),
        )
        response = super().form_invalid(form)
        response.status_code = 401
        return response


def _failures_key(request: HttpRequest) -> str:
    return f"login-failures:{ratelimit.client_address(request)}"


def _client_limit() -> int:
    return settings.LOGIN_FAILURES_PER_CLIENT


class LogoutView(auth_views.LogoutView):
    template_name = "accounts/logged_out.html"


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/quan-ly/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=False):
        return target
    return "/quan-ly/"


ENROLMENT_SESSION_KEY = "cchc_otp_enrolment_code"


def _enrolment_code(request: AuthedHttpRequest) -> OtpEnrolmentCode | None:
    """The enrolment code this session already entered, if still usable."""
    pk = request.session.get(ENROLMENT_SESSION_KEY)
    return (
        OtpEnrolmentCode.objects.filter(
            pk=pk, user=request.user, used_at__isnull=True, expires_at__gt=timezone.now()
        ).first()
        if pk
        else None
    )


@require_http_methods(["GET", "POST"])
@login_required
def otp_setup(request: AuthedHttpRequest) -> HttpResponse:
    """Pair an authenticator app by QR code, then confirm it with one code.

    For a role that requires the second factor, the admin's one-time enrolment code comes
    first, and only then is a fresh secret made and its QR code shown: the password alone is not
    enough to pair a phone.
    """
    device = services.otp_device_get_or_create(user=request.user)
    if device.confirmed:
        return redirect("accounts:otp_verify")
    enrolment_code = None
    if services.otp_needs_enrolment_code(request.user):
        enrolment_code = _enrolment_code(request)
        if enrolment_code is None:
            return _enrolment_step(request, device)
    form = OtpTokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        services.otp_device_confirm(
            device=device, actor=request.user, enrolment_code=enrolment_code
        )
        request.session.pop(ENROLMENT_SESSION_KEY, None)
        otp_login(request, device)
        return redirect(_safe_next(request))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5)
    context = {"form": form, "qr_svg": qr_svg, "next": _safe_next(request)}
    return render(request, "accounts/otp_setup.html", context, status=422 if form.errors else 200)


def _enrolment_step(request: AuthedHttpRequest, device: TOTPDevice) -> HttpResponse:
    form = EnrolmentCodeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid() and form.enrolment_code is not None:
        request.session[ENROLMENT_SESSION_KEY] = form.enrolment_code.pk
        services.otp_device_new_secret(device=device)
        return redirect(f"{reverse('accounts:otp_setup')}?next={_safe_next(request)}")
    context = {"form": form, "next": _safe_next(request)}
    status = 422 if form.errors else 200
    return render(request, "accounts/otp_enrolment_code.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def otp_verify(request: AuthedHttpRequest) -> HttpResponse:
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


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, answering the same way and in the same time for any address.

    The mail is looked up and sent by the worker (`send_password_reset`), so the page does the
    same work whether or not the address belongs to an account; and it is throttled per address
    and per client (PASSWORD_RESET_PER_ADDRESS / PASSWORD_RESET_PER_CLIENT an hour), silently:
    saying "too many" would tell which addresses exist.
    """

    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        email = form.cleaned_data["email"].strip().lower()
        client_ok = ratelimit.hit(
            self.request,
            "password-reset",
            per_minute=settings.PASSWORD_RESET_PER_CLIENT,
            window=3600,
        )
        if client_ok and ratelimit.take_slot(
            f"password-reset-address:{hash_token(email)}",
            limit=settings.PASSWORD_RESET_PER_ADDRESS,
            window=3600,
        ):
            tasks.send_password_reset.enqueue(
                email=email, domain=self.request.get_host(), use_https=self.request.is_secure()
            )
        return HttpResponseRedirect(self.get_success_url())


@require_http_methods(["GET", "POST"])
@login_required
def tokens(request: AuthedHttpRequest) -> HttpResponse:
    """The user's own API tokens: create (after the second factor), see, revoke."""
    verified = request.user.is_verified()
    form = ApiTokenForm(request.POST or None)
    raw = None
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            _, raw = services.api_token_create(
                user=request.user, name=form.cleaned_data["name"], second_factor_passed=verified
            )
        except PermissionDenied as error:
            form.add_error(None, str(error))
            status = 403
        except ValidationError as error:
            add_validation_errors(form, error)
            status = 422
        else:
            form = ApiTokenForm()
    elif form.errors:
        status = 422
    context = {
        "form": form,
        "raw": raw,
        "verified": verified,
        "tokens": request.user.api_tokens.order_by("-created_at"),
        "now": timezone.now(),
    }
    response = render(request, "accounts/tokens.html", context, status=status)
    response["Cache-Control"] = "no-store"  # a fresh token is shown once, never cached
    return response


@require_http_methods(["POST"])
@login_required
def token_revoke(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, f"Đã thu hồi mã {token.prefix}….")
    return redirect("accounts:tokens")
