"""Forms of the unit's own pages: first-run set-up and staff; labels and messages in Vietnamese."""

from __future__ import annotations

from typing import Any

from django import forms

from cchc.organizations.installation import SetupRequest
from cchc.organizations.models import UnitKind

_SETUP_KINDS = [
    (UnitKind.SCHOOL, "Trường học"),
    (UnitKind.COMMUNE, "UBND xã/phường"),
    (UnitKind.EDUCATION_OFFICE, "Cơ quan quản lý giáo dục"),
    (UnitKind.OTHER, "Đơn vị khác"),
]


class SetupForm(forms.Form):
    """The unit, its parent and the first administrator-principal (issue 9, item 1)."""

    unit_name = forms.CharField(
        label="Tên đầy đủ của đơn vị",
        max_length=255,
        help_text="Ví dụ: Trường Trung học cơ sở Nguyễn Thái Bình.",
    )
    unit_code = forms.CharField(
        label="Mã định danh điện tử",
        max_length=40,
        help_text="Mã do tỉnh/thành cấp theo Quyết định 20/2020/QĐ-TTg, ví dụ 000.31.41.H29.",
    )
    unit_kind = forms.ChoiceField(label="Loại đơn vị", choices=_SETUP_KINDS)
    unit_address = forms.CharField(label="Địa chỉ", max_length=300, required=False)
    unit_phone = forms.CharField(label="Điện thoại", max_length=30, required=False)
    unit_email = forms.EmailField(label="Thư điện tử công vụ của đơn vị", required=False)
    parent_name = forms.CharField(
        label="Tên đơn vị cấp trên (UBND xã/phường)",
        max_length=255,
        required=False,
        help_text="Bỏ trống nếu đơn vị không có cấp trên dùng chung hệ thống.",
    )
    parent_code = forms.CharField(
        label="Mã định danh điện tử của đơn vị cấp trên", max_length=40, required=False
    )
    admin_full_name = forms.CharField(
        label="Họ và tên hiệu trưởng (thủ trưởng đơn vị)",
        max_length=200,
        help_text="Người này là quản trị hệ thống đầu tiên.",
    )
    admin_username = forms.CharField(label="Tên đăng nhập", max_length=150)
    admin_email = forms.EmailField(label="Thư điện tử công vụ", required=False)
    password = forms.CharField(
        label="Mật khẩu",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Ít nhất 8 ký tự, không quá giống tên đăng nhập, không chỉ gồm chữ số.",
    )
    password_again = forms.CharField(
        label="Nhập lại mật khẩu",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", "Hai lần nhập mật khẩu không khớp.")
        return cleaned

    def setup_request(self) -> SetupRequest:
        data = self.cleaned_data
        return SetupRequest(
            unit_name=data["unit_name"],
            unit_code=data["unit_code"],
            unit_kind=data["unit_kind"],
            unit_address=data["unit_address"],
            unit_phone=data["unit_phone"],
            unit_email=data["unit_email"],
            parent_name=data["parent_name"],
            parent_code=data["parent_code"],
            admin_username=data["admin_username"],
            admin_full_name=data["admin_full_name"],
            admin_email=data["admin_email"],
            password=data["password"],
        )
