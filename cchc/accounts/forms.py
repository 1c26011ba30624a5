"""Log-in and second-factor forms, with Vietnamese messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice

from cchc.accounts.models import OtpEnrolmentCode, User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ "
        "hoa, chữ thường.",
        "inactive": "Tài khoản này đã bị khóa. Hãy liên hệ quản trị hệ thống.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["password"].label = "Mật khẩu"


class OtpTokenForm(forms.Form):
    token = forms.RegexField(
        label="Mã xác thực 6 chữ số",
        regex=r"^\d{6}$",
        error_messages={"invalid": "Mã gồm đúng 6 chữ số.", "required": "Hãy nhập mã."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args: Any, device: TOTPDevice | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        if self.device is None or not self.device.verify_token(token):
            raise forms.ValidationError("Mã xác thực không đúng hoặc đã hết hạn.")
        return token


class EnrolmentCodeForm(forms.Form):
    """Step one of pairing for a role that requires the second factor: the admin's code."""

    code = forms.CharField(
        label="Mã kích hoạt do quản trị hệ thống cấp",
        max_length=40,
        error_messages={"required": "Hãy nhập mã kích hoạt."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.enrolment_code: OtpEnrolmentCode | None = None

    def clean_code(self) -> str:
        from cchc.accounts.services import otp_enrolment_code_find

        code = otp_enrolment_code_find(user=self.user, raw=self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                "Mã kích hoạt không đúng, đã dùng hoặc đã hết hạn. Hãy xin quản trị hệ thống "
                "cấp mã mới."
            )
        self.enrolment_code = code
        return self.cleaned_data["code"]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Tên gợi nhớ (ví dụ: Cổng dịch vụ công tỉnh)",
        max_length=100,
        error_messages={"required": "Hãy đặt tên gợi nhớ cho mã."},
    )
