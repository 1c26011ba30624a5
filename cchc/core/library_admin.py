"""The admins of the libraries' models, re-registered with Vietnamese labels.

django-otp writes its admin's texts as plain English strings (no gettext: "Search by user's …",
"Identity", field help texts) and django-tasks-db names two columns with plain strings ("task
name" from a property, "traceback", "run after"), so `cchc/locale/vi` cannot translate them.
Each admin is the library's own class, subclassed: only the words change, never what it does.
Imported from `cchc/core/admin.py`; the libraries' admin modules are imported first so their
registrations exist to replace (our apps come after theirs in INSTALLED_APPS anyway).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from django.contrib import admin
from django.contrib.admin.filters import BooleanFieldListFilter, DateFieldListFilter
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django_otp.plugins.otp_totp import admin as totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db import admin as tasks_admin
from django_tasks_db.models import DBTaskResult

from cchc.core.templatetags.vn import format_date

# The device form's fields: (label, help text), as the IT lead reads them.
TOTP_FIELDS: dict[str, tuple[str, str]] = {
    "user": ("Người dùng", "Tài khoản sở hữu thiết bị này."),
    "name": ("Tên thiết bị", "Tên dễ nhận biết của thiết bị, ví dụ “Điện thoại của cô Trang”."),
    "confirmed": ("Đã xác nhận", "Thiết bị đã sẵn sàng để đăng nhập chưa?"),
    "key": ("Khóa bí mật", "Khóa bí mật dạng hex, tối đa 40 byte."),
    "step": ("Bước thời gian", "Độ dài một bước thời gian, tính bằng giây."),
    "t0": ("Mốc thời gian", "Thời điểm Unix bắt đầu đếm bước."),
    "digits": ("Số chữ số", "Số chữ số của mã xác thực."),
    "tolerance": ("Sai lệch cho phép", "Số bước thời gian trước hoặc sau được chấp nhận."),
    "drift": ("Độ lệch đồng hồ", "Số bước thời gian đồng hồ của thiết bị lệch so với máy chủ."),
    "throttling_failure_timestamp": (
        "Lần nhập sai gần nhất",
        "Thời điểm nhập sai mã gần nhất; để trống nếu lần gần nhất đúng.",
    ),
    "throttling_failure_count": ("Số lần nhập sai liên tiếp", "Số lần nhập sai mã liên tiếp."),
}
TOTP_SECTIONS = {
    "Identity": "Thiết bị",
    "Timestamps": "Thời điểm",
    "Configuration": "Cấu hình",
    "State": "Trạng thái",
    "Throttling": "Chống dò mã",
}
# The readonly timestamps, shown by methods below (a readonly field's label is the model's).
TOTP_READONLY = {"created_at": "created_on", "last_used_at": "last_used_on"}


def titled(base: type[admin.FieldListFilter], title: str) -> type[admin.FieldListFilter]:
    """A library filter class under a Vietnamese title (the field's own name is English)."""

    class Titled(base):  # type: ignore[valid-type,misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


class TOTPDeviceAdmin(totp_admin.TOTPDeviceAdmin):
    list_display: ClassVar[Any] = [
        "user_name",
        "device_name",
        "created_on",
        "last_used_on",
        "is_confirmed",
    ]
    list_filter: ClassVar[Any] = [
        ("created_at", titled(DateFieldListFilter, "Thời điểm tạo")),
        ("last_used_at", titled(DateFieldListFilter, "Lần dùng gần nhất")),
        ("confirmed", titled(BooleanFieldListFilter, "Đã xác nhận")),
    ]
    search_help_text = "Tìm theo tên đăng nhập hoặc địa chỉ thư điện tử của người dùng."
    readonly_fields: ClassVar[Any] = ["created_on", "last_used_on", "qrcode_link"]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return [
            (
                TOTP_SECTIONS.get(str(name), name),
                {**opts, "fields": [TOTP_READONLY.get(f, f) for f in opts["fields"]]},
            )
            for name, opts in super().get_fieldsets(request, obj)
        ]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        kwargs.setdefault("labels", {name: label for name, (label, _) in TOTP_FIELDS.items()})
        kwargs.setdefault("help_texts", {name: text for name, (_, text) in TOTP_FIELDS.items()})
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description="Người dùng", ordering="user__username")
    def user_name(self, device: TOTPDevice) -> str:
        return str(device.user)

    @admin.display(description="Tên thiết bị", ordering="name")
    def device_name(self, device: TOTPDevice) -> str:
        return device.name

    # Strings, not datetimes: the change form shows a method's value as str() (ISO, UTC).
    @admin.display(description="Thời điểm tạo", ordering="created_at")
    def created_on(self, device: TOTPDevice) -> str:
        return format_date(device.created_at) or self.get_empty_value_display()

    @admin.display(description="Lần dùng gần nhất", ordering="last_used_at")
    def last_used_on(self, device: TOTPDevice) -> str:
        return format_date(device.last_used_at) or self.get_empty_value_display()

    @admin.display(description="Đã xác nhận", boolean=True, ordering="confirmed")
    def is_confirmed(self, device: TOTPDevice) -> bool:
        return bool(device.confirmed)

    @admin.display(description="Mã QR")
    def qrcode_link(self, device: TOTPDevice) -> str:
        if device.pk is None:
            return ""
        href = reverse("admin:otp_totp_totpdevice_config", kwargs={"pk": device.pk})
        return format_html('<a href="{}">Xem mã QR</a>', href)


class DBTaskResultAdmin(tasks_admin.DBTaskResultAdmin):
    # The library's model has no __str__ ("DBTaskResult object (…)" in the title, breadcrumbs).
    change_form_template = "admin/task_result_change_form.html"
    list_display = (
        "result_id",
        "task",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "priority",
        "queue_name",
    )

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        result = self.get_object(request, object_id)
        if result is not None:
            extra_context = {**(extra_context or {}), "subtitle": f"Tác vụ {result.task_name}"}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["result_id" if f == "id" else f for f in super().get_readonly_fields(request, obj)]

    @admin.display(description="Mã", ordering="id")
    def result_id(self, result: DBTaskResult) -> str:
        return str(result.id)

    @admin.display(description="Tác vụ", ordering="task_path")
    def task(self, result: DBTaskResult) -> str:
        return result.task_name

    @admin.display(description="Chi tiết lỗi")
    def formatted_traceback(self, obj: DBTaskResult) -> str:
        return super().formatted_traceback(obj)

    @admin.display(description="Chạy sau")
    def display_run_after(self, obj: DBTaskResult) -> datetime | str:
        return super().display_run_after(obj)


for _model, _admin_class in ((TOTPDevice, TOTPDeviceAdmin), (DBTaskResult, DBTaskResultAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin_class)
