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


# What each error status says to a person, for an answer that came without a page of its own
# (Django's 405 for a wrong method is empty; see ErrorPageMiddleware).
ERROR_TEXTS: dict[int, tuple[str, str]] = {
    400: ("Yêu cầu không hợp lệ", "Dữ liệu gửi lên không hợp lệ."),
    403: (
        "Không có quyền truy cập",
        "Bạn không có quyền xem trang này. "
        "Nếu cần, hãy liên hệ hiệu trưởng hoặc quản trị hệ thống.",
    ),
    404: (
        "Không tìm thấy trang",
        "Trang hoặc dữ liệu bạn tìm không tồn tại, hoặc bạn không có quyền xem.",
    ),
    405: (
        "Thao tác không thực hiện được theo cách này",
        "Địa chỉ này không nhận yêu cầu theo cách vừa gửi (ví dụ mở trực tiếp một địa chỉ chỉ "
        "dùng để gửi biểu mẫu). Hãy quay lại trang trước và dùng nút trên trang.",
    ),
    409: (
        "Dữ liệu vừa thay đổi",
        "Dữ liệu này vừa được người khác thay đổi. Hãy tải lại trang và kiểm tra.",
    ),
    410: ("Không còn hiệu lực", "Địa chỉ này không còn hiệu lực."),
    413: ("Dữ liệu quá lớn", "Dữ liệu hoặc tệp gửi lên quá lớn."),
    422: ("Dữ liệu chưa hợp lệ", "Dữ liệu gửi lên chưa hợp lệ; hãy kiểm tra và gửi lại."),
    429: ("Quá nhiều yêu cầu", "Bạn gửi quá nhiều yêu cầu trong thời gian ngắn; hãy thử lại sau."),
}


def error_text(status: int) -> tuple[str, str]:
    """The Vietnamese title and message of an error status (a generic one for the others)."""
    return ERROR_TEXTS.get(
        status, ("Yêu cầu không thực hiện được", "Yêu cầu không thực hiện được; hãy thử lại.")
    )


def error_response(request: HttpRequest, status: int, message: str = "") -> HttpResponse:
    """An error in Vietnamese in the shape the caller reads: JSON for the API, the site's error
    page for everyone else."""
    title, default = error_text(status)
    return _error(request, status, title, message or default)


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        return JsonResponse({"detail": message}, status=status)
    return render(
        request, "error.html", {"title": title, "message": message, "status": status}, status=status
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: Django's own page is in English and outside the site's layout."""
    return _error(
        request,
        403,
        "Phiên làm việc đã hết hạn",
        "Biểu mẫu này đã cũ hoặc trình duyệt chặn cookie của trang. Hãy tải lại trang, "
        "nhập lại rồi gửi (nếu vẫn lỗi, hãy bật cookie cho trang này).",
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 403, str(exception) if exception else "")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 404)


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
