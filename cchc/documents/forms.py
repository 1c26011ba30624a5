"""Forms of the e-office pages; business rules stay in services."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from cchc.documents.models import Authority, Channel, Secrecy, Urgency
from cchc.documents.references import type_table
from cchc.organizations.models import Staff, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _type_choices() -> list[tuple[str, str]]:
    rows = [("", "Công văn (không có tên loại)")]
    rows += [(code, f"{name} ({code})") for code, name in type_table()["administrative"]]
    return rows


class IncomingForm(forms.Form):
    reference = forms.CharField(
        label="Số, ký hiệu",
        max_length=60,
        help_text="Ví dụ 211/KH-UBND, 15/2026/TT-BGDĐT, 51-KL/TW.",
    )
    issued_on = forms.DateField(label="Ngày văn bản", widget=DATE)
    author = forms.CharField(label="Tác giả (cơ quan ban hành)", max_length=255)
    summary = forms.CharField(
        label="Trích yếu nội dung", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    channel = forms.ChoiceField(label="Hình thức nhận", choices=Channel.choices)
    urgency = forms.ChoiceField(label="Độ khẩn", choices=Urgency.choices, required=False)
    secrecy = forms.ChoiceField(
        label="Độ mật",
        choices=Secrecy.choices,
        required=False,
        help_text="Văn bản mật chỉ vào sổ thông tin, không tải tệp lên.",
    )
    from_state_agency = forms.BooleanField(
        label="Văn bản của cơ quan nhà nước", required=False, initial=True
    )
    file = forms.FileField(label="Tệp văn bản (PDF/DOCX)", required=False)


class AssignForm(forms.Form):
    instructions = forms.CharField(label="Ý kiến chỉ đạo", widget=forms.Textarea(attrs={"rows": 3}))
    lead = forms.ModelChoiceField(label="Người chủ trì", queryset=Staff.objects.none())
    collaborators = forms.ModelMultipleChoiceField(
        label="Người phối hợp", queryset=Staff.objects.none(), required=False
    )
    due_on = forms.DateField(label="Hạn giải quyết", widget=DATE, required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = Staff.objects.filter(unit=unit, is_active=True).order_by("full_name")
        cast(forms.ModelChoiceField, self.fields["lead"]).queryset = staff
        cast(forms.ModelMultipleChoiceField, self.fields["collaborators"]).queryset = staff


class OutgoingForm(forms.Form):
    type_code = forms.ChoiceField(label="Tên loại văn bản", choices=_type_choices, required=False)
    drafting_unit = forms.CharField(
        label="Đơn vị soạn thảo (viết tắt, cho công văn)", max_length=20, required=False
    )
    summary = forms.CharField(label="Trích yếu nội dung", max_length=500)
    body = forms.CharField(
        label="Nội dung",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Các đoạn cách nhau một dòng trống.",
    )
    authority = forms.ChoiceField(label="Thẩm quyền ký", choices=Authority.choices, required=False)
    head_title = forms.CharField(
        label="Chức danh người đứng đầu", max_length=100, required=False, initial="Hiệu trưởng"
    )
    signer = forms.ModelChoiceField(label="Người ký", queryset=Staff.objects.none())
    recipients = forms.CharField(
        label="Nơi nhận",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mỗi dòng một nơi nhận; dòng cuối “Lưu: VT.”",
    )
    recipient_emails = forms.CharField(
        label="Thư điện tử công vụ nơi nhận",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    to_state_agency = forms.BooleanField(label="Gửi cơ quan nhà nước", required=False, initial=True)
    urgency = forms.ChoiceField(label="Độ khẩn", choices=Urgency.choices, required=False)
    secrecy = forms.ChoiceField(label="Độ mật", choices=Secrecy.choices, required=False)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["signer"]).queryset = Staff.objects.filter(
            unit=unit, is_active=True
        ).order_by("full_name")


class PinForm(forms.Form):
    pin = forms.CharField(
        label="Mã PIN", max_length=64, widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )


class VerifyForm(forms.Form):
    file = forms.FileField(label="Tệp PDF cần kiểm tra")


class Pkcs12Form(forms.Form):
    file = forms.FileField(label="Tệp chứng thư số (.p12/.pfx)")
    pin = forms.CharField(
        label="Mã PIN của tệp",
        max_length=64,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    image = forms.FileField(label="Ảnh chữ ký (PNG nền trong suốt)", required=False)
    for_unit = forms.BooleanField(label="Đây là chữ ký số của cơ quan (con dấu)", required=False)


class Pkcs11Form(forms.Form):
    module = forms.CharField(
        label="Thư viện PKCS#11", max_length=255, initial="/usr/lib/softhsm/libsofthsm2.so"
    )
    token_label = forms.CharField(label="Nhãn token", max_length=100)
    key_label = forms.CharField(label="Nhãn khóa", max_length=100)
    certificate_pem = forms.CharField(
        label="Chứng thư (PEM)", widget=forms.Textarea(attrs={"rows": 6})
    )
    image = forms.FileField(label="Ảnh chữ ký (PNG nền trong suốt)", required=False)
    for_unit = forms.BooleanField(label="Đây là chữ ký số của cơ quan (con dấu)", required=False)
