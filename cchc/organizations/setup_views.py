"""The first-run set-up page `/cai-dat/`: open only while the installation has no unit."""

from __future__ import annotations

from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cchc.accounts.models import User
from cchc.core.form_errors import add_validation_errors
from cchc.organizations import installation
from cchc.organizations.forms import SetupForm


@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest) -> HttpResponse:
    """Create the unit and its administrator-principal, sign her in, go to the plan import.

    Anyone may use it on an install without accounts (the person installing it is the first to
    arrive); once an account exists (e.g. made with createsuperuser) only a superuser may.
    """
    if not installation.setup_is_open():
        raise Http404("Hệ thống đã được cài đặt.")
    if User.objects.exists() and not request.user.is_superuser:
        return redirect_to_login(request.get_full_path())
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _unit, user = installation.installation_setup(form.setup_request())
        except ValidationError as error:
            add_validation_errors(form, error)
        except installation.SetupClosed:
            raise Http404("Hệ thống đã được cài đặt.") from None
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("plans:import")
    status = 422 if form.errors else 200
    return render(request, "organizations/setup.html", {"form": form}, status=status)
