"""The JSON API at /api/v1/ (OpenAPI at /api/v1/openapi.json), one router per domain app.

Errors are answered in Vietnamese with the right status: 401 without valid credentials, 403 for a
unit the caller may not act on, 404 for what does not exist or is hidden, 422 for malformed input;
in that order: every staff write checks who may act before its body is read (`cchc.api.guards`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from cchc.api.auth import StaffSessionAuth, TokenAuth
from cchc.api.body import NOT_JSON, body_problem
from cchc.api.limits import TooManyRequests

_ERROR_SCHEMA = {
    "title": "Lỗi",
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "Thông báo tiếng Việt"}},
    "required": ["detail"],
}
_INVALID_SCHEMA = {
    "title": "Dữ liệu không hợp lệ",
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                "required": ["field", "message"],
            },
        },
    },
    "required": ["detail"],
}
_ERRORS = {
    "400": "Nội dung gửi lên không phải JSON hợp lệ (UTF-8)",
    "401": "Chưa đăng nhập hoặc mã truy cập không hợp lệ",
    "403": "Không có quyền với đơn vị hoặc thao tác này",
    "404": "Không tìm thấy (hoặc không được xem)",
    "409": "Xung đột: dữ liệu vừa bị người khác thay đổi hoặc mã đã tồn tại",
    "422": "Dữ liệu gửi lên không hợp lệ",
    "429": "Quá nhiều yêu cầu từ một địa chỉ",
    "500": "Lỗi hệ thống",
}


# What cchc.core.middleware refuses in any text (NUL and the other C0 controls but tab, LF, CR).
TEXT_PATTERN = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"


def _plain_strings(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every free-text string schema inside `schema` (not dates, not enums, not patterned)."""
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if not isinstance(node, dict):
            continue
        if node.get("type") == "string" and not {"format", "enum", "pattern"} & set(node):
            yield node
        for key in ("properties",):
            stack.extend(node.get(key, {}).values())
        for key in ("items", "additionalProperties"):
            stack.append(node.get(key))
        for key in ("anyOf", "oneOf", "allOf"):
            stack.extend(node.get(key, []))


def _forbid_control_characters(operation: dict[str, Any], components: dict[str, Any]) -> None:
    """State in the schema the middleware's rule: no control characters in any input text."""
    targets = [p.get("schema", {}) for p in operation.get("parameters", [])]
    for media in operation.get("requestBody", {}).get("content", {}).values():
        ref = media.get("schema", {}).get("$ref", "")
        targets.append(components.get(ref.rsplit("/", 1)[-1], media.get("schema", {})))
    for target in targets:
        for node in _plain_strings(target):
            node["pattern"] = TEXT_PATTERN


class CchcAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI schema also documents every error answer (JSON, Vietnamese).

    ninja documents only the success responses declared on each route; clients (and
    schemathesis) need the error shapes too, and they are the same everywhere, so they are added
    here once instead of on each of the routes.
    """

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Error"] = _ERROR_SCHEMA
        components["InvalidInput"] = _INVALID_SCHEMA
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                public = not operation.get("security")
                codes = {"422", "500"}
                codes |= {"429"} if public else {"401", "403"}
                if "{" in path or not public:  # a referenced id may be missing or hidden
                    codes.add("404")
                if method != "get":
                    codes |= {"400", "409"}
                _forbid_control_characters(operation, components)
                responses = operation.setdefault("responses", {})
                for code in sorted(codes):
                    ref = "InvalidInput" if code == "422" else "Error"
                    responses.setdefault(
                        code,
                        {
                            "description": _ERRORS[code],
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": f"#/components/schemas/{ref}"}
                                }
                            },
                        },
                    )
        return schema


api = CchcAPI(
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
    "string_pattern_mismatch": "không đúng định dạng",
}


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        # django-ninja's own text for a body that is not JSON: say it in Vietnamese.
        message = body_problem(request) or NOT_JSON
    response = api.create_response(request, {"detail": message}, status=exc.status_code)
    if isinstance(exc, TooManyRequests):
        response["Retry-After"] = str(exc.wait)
    return response


@api.exception_handler(ValidationError)
def on_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if any((error.get("loc") or ("",))[0] == "body" for error in exc.errors):
        problem = body_problem(request)  # empty, or JSON that is not an object
        if problem:
            return api.create_response(request, {"detail": problem}, status=400)
    errors = []
    for error in exc.errors:
        location = ".".join(str(part) for part in error.get("loc", ()) if part not in ("body",))
        message = _FIELD_MESSAGES.get(error.get("type", ""), error.get("msg", "không hợp lệ"))
        errors.append({"field": location, "message": message})
    return api.create_response(
        request, {"detail": "Dữ liệu gửi lên không hợp lệ.", "errors": errors}, status=422
    )


def _register_routers() -> None:
    from cchc.api.documents import router as documents_router
    from cchc.api.dossiers import public_router
    from cchc.api.dossiers import router as dossiers_router
    from cchc.api.feedback import public_router as feedback_public_router
    from cchc.api.feedback import router as feedback_router
    from cchc.api.kpi import router as kpi_router
    from cchc.api.organizations import router as organizations_router
    from cchc.api.payments import public_router as payments_public_router
    from cchc.api.payments import router as payments_router
    from cchc.api.plans import router as plans_router
    from cchc.api.simplification import router as simplification_router
    from cchc.api.surveys import public_router as surveys_public_router
    from cchc.api.surveys import router as surveys_router
    from cchc.api.workdays import router as workdays_router

    api.add_router("/", organizations_router)
    api.add_router("/", workdays_router)
    api.add_router("/", plans_router)
    api.add_router("/", dossiers_router)
    api.add_router("/", documents_router)
    api.add_router("/", public_router)
    api.add_router("/", feedback_router)
    api.add_router("/", feedback_public_router)
    api.add_router("/", surveys_router)
    api.add_router("/", surveys_public_router)
    api.add_router("/", payments_router)
    api.add_router("/", payments_public_router)
    api.add_router("/", kpi_router)
    api.add_router("/", simplification_router)


_register_routers()
