"""Staff home and the Vietnamese error pages (the audit log page is in cchc.audit)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send staff to the landing page (the plan at a glance); an account without a staff record
    sees the unit list, which explains that the account has no unit yet. (core imports no other
    app of ours: the staff record is read by its related name.)"""
    if getattr(request.user, "staff", None) is not None:
        return redirect("kpi:overview")
    return redirect("organizations:unit_list")


def health(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers and monitoring: no database, no session."""
    from django.http import HttpResponse as Plain

    return Plain("ok", content_type="text/plain")


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"detail": message}, status=status)
    return render(
        request, "error.html", {"title": title, "message": message, "status": status}, status=status
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "Yêu cầu không hợp lệ", "Dữ liệu gửi lên không hợp lệ.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = (
        str(exception)
        if exception and str(exception)
        else (
            "Bạn không có quyền xem trang này. "
            "Nếu cần, hãy liên hệ hiệu trưởng hoặc quản trị hệ thống."
        )
    )
    return _error(request, 403, "Không có quyền truy cập", message)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        404,
        "Không tìm thấy trang",
        "Trang hoặc dữ liệu bạn tìm không tồn tại, hoặc bạn không có quyền xem.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):  # API clients parse JSON, even from a crash
        return _error(request, 500, "Lỗi hệ thống", "Đã xảy ra lỗi hệ thống; hãy thử lại sau.")
    return render(
        request,
        "error.html",
        {
            "title": "Lỗi hệ thống",
            "message": "Đã xảy ra lỗi. Quản trị hệ thống đã được ghi nhận; hãy thử lại sau.",
            "status": 500,
        },
        status=500,
    )
