"""The admin's backup page: the last backup, its size, whether it verified, and a warning."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cchc.accounts.http import AuthedHttpRequest
from cchc.backups import services
from cchc.backups.models import BackupRun


@require_safe
@login_required
def status(request: AuthedHttpRequest) -> HttpResponse:
    """System-wide (every unit's data is in one archive), so only the system admin sees it."""
    if not request.user.is_superuser:
        raise PermissionDenied("Chỉ quản trị hệ thống xem được tình trạng sao lưu.")
    context = services.backup_health()
    context["runs"] = BackupRun.objects.all()[:30]
    context["backup_dir"] = services.backup_dir()
    context["stale_days"] = services.STALE_AFTER.days
    return render(request, "backups/status.html", context)
