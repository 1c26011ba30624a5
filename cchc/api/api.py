"""The JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json), one router per domain app.

Errors are answered in Vietnamese with the right status: 401 without valid credentials, 403 for a
unit the caller may not act on, 404 for what does not exist or is hidden, 422 for malformed input.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from cchc.api.auth import StaffSessionAuth, TokenAuth

api = NinjaAPI(
    title="CCHC API",
    version="1",
    description="API của hệ thống quản lý cải cách hành chính. Xác thực bằng phiên đăng nhập "
    "(kèm CSRF) hoặc mã truy cập: `Authorization: Bearer <mã>`.",
    auth=[TokenAuth(), StaffSessionAuth()],
    urls_namespace="api",
)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Chưa đăng nhập hoặc mã truy cập không hợp lệ."},
        status=401,
    )


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    message = str(exc) or "Bạn không có quyền thực hiện thao tác này."
    return api.create_response(request, {"detail": message}, status=403)


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "Không tìm thấy dữ liệu."}, status=404)


_FIELD_MESSAGES = {
    "missing": "thiếu trường bắt buộc",
    "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên",
    "date_from_datetime_parsing": "ngày không hợp lệ (định dạng YYYY-MM-DD)",
    "date_parsing": "ngày không hợp lệ (định dạng YYYY-MM-DD)",
    "date_type": "ngày không hợp lệ (định dạng YYYY-MM-DD)",
    "string_type": "phải là chuỗi ký tự",
    "json_invalid": "JSON không hợp lệ",
    "greater_than_equal": "giá trị quá nhỏ",
    "less_than_equal": "giá trị quá lớn",
    "greater_than": "giá trị quá nhỏ",
    "less_than": "giá trị quá lớn",
    "int_from_float": "phải là số nguyên",
    "string_too_long": "quá dài so với giới hạn cho phép",
    "string_too_short": "quá ngắn",
    "too_long": "có quá nhiều phần tử",
    "list_type": "phải là danh sách",
    "bool_parsing": "phải là true hoặc false",
    "bool_type": "phải là true hoặc false",
    "datetime_parsing": "thời điểm không hợp lệ (định dạng YYYY-MM-DDTHH:MM:SS)",
    "datetime_from_date_parsing": "thời điểm không hợp lệ (định dạng YYYY-MM-DDTHH:MM:SS)",
    "datetime_type": "thời điểm không hợp lệ (định dạng YYYY-MM-DDTHH:MM:SS)",
    "nul_character": "chứa ký tự không hợp lệ (NUL)",
    "email_invalid": "địa chỉ thư điện tử không hợp lệ",
}


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        # django-ninja's own text for a body that is not JSON: say it in Vietnamese.
        message = "Nội dung gửi lên không phải JSON hợp lệ (UTF-8)."
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(ValidationError)
def on_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        location = ".".join(str(part) for part in error.get("loc", ()) if part not in ("body",))
        message = _FIELD_MESSAGES.get(error.get("type", ""), error.get("msg", "không hợp lệ"))
        errors.append({"field": location, "message": message})
    return api.create_response(
        request, {"detail": "Dữ liệu gửi lên không hợp lệ.", "errors": errors}, status=422
    )


def _register_routers() -> None:
    from cchc.api.dossiers import public_router
    from cchc.api.dossiers import router as dossiers_router
    from cchc.api.organizations import router as organizations_router
    from cchc.api.payments import public_router as payments_public_router
    from cchc.api.payments import router as payments_router
    from cchc.api.plans import router as plans_router
    from cchc.api.workdays import router as workdays_router

    api.add_router("/", organizations_router)
    api.add_router("/", workdays_router)
    api.add_router("/", plans_router)
    api.add_router("/", dossiers_router)
    api.add_router("/", public_router)
    api.add_router("/", payments_router)
    api.add_router("/", payments_public_router)


_register_routers()
