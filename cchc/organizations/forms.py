"""Forms of the unit's own pages: first-run set-up and staff; labels and messages in Vietnamese."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from cchc.accounts.models import Role
from cchc.organizations.installation import SetupRequest, clean_unit_code
from cchc.organizations.models import Group, Staff, Unit, UnitKind, role_title

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

    def clean_unit_code(self) -> str:
        return self._code("unit_code")

    def clean_parent_code(self) -> str:
        return self._code("parent_code") if self.cleaned_data.get("parent_code") else ""

    def _code(self, field: str) -> str:
        try:
            return clean_unit_code(self.cleaned_data[field], field=field)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict[field]) from None

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
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


STAFF_ROLES = [
    (role, label)
    for role, label in Role.choices
    if role not in (Role.COMMUNE_OFFICER, Role.SYSTEM_ADMIN, Role.STAFF)
]


class StaffForm(forms.Form):
    """One person of the unit: details, group, roles, and whether they still work here."""

    full_name = forms.CharField(label="Họ và tên", max_length=200)
    position = forms.CharField(label="Chức vụ", max_length=200, required=False)
    group = forms.ModelChoiceField(
        label="Tổ chuyên môn", queryset=Group.objects.none(), required=False
    )
    new_group = forms.CharField(
        label="hoặc tổ mới",
        max_length=200,
        required=False,
        help_text="Tên tổ chưa có trong danh sách.",
    )
    email = forms.EmailField(label="Thư điện tử công vụ", required=False)
    phone = forms.CharField(label="Điện thoại", max_length=30, required=False)
    roles = forms.MultipleChoiceField(
        label="Vai trò trong hệ thống",
        choices=STAFF_ROLES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ai cũng có vai trò viên chức; chọn thêm vai trò nếu có.",
    )
    has_signature_certificate = forms.BooleanField(label="Có chứng thư chữ ký số", required=False)
    is_active = forms.BooleanField(
        label="Đang công tác",
        required=False,
        initial=True,
        help_text="Bỏ chọn khi người này nghỉ hoặc chuyển công tác.",
    )
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, unit: Unit, staff: Staff | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit, self.staff = unit, staff
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = Group.objects.filter(
            unit=unit
        ).order_by("name")
        if staff is None:
            del self.fields["is_active"]
        # The roles as the unit calls them (a commune's head is its chair, not "Hiệu trưởng").
        cast(forms.MultipleChoiceField, self.fields["roles"]).choices = [
            (role, role_title(role, unit)) for role, _label in STAFF_ROLES
        ]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email:
            others = Staff.objects.filter(unit=self.unit, email__iexact=email)
            if self.staff is not None:
                others = others.exclude(pk=self.staff.pk)
            if others.exists():
                raise forms.ValidationError("Thư điện tử này đã gắn với một người khác của đơn vị.")
        return email


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label="Tệp danh sách (.xlsx hoặc .csv)",
        help_text="Dòng 1 là tiêu đề: Họ và tên, Chức vụ, Tổ chuyên môn, Thư điện tử, Điện thoại, "
        "Vai trò. CSV có thể ở bảng mã UTF-8, UTF-16 hoặc Windows-1258.",
        error_messages={"required": "Hãy chọn tệp danh sách."},
    )
