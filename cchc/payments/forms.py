"""Forms of the staff pages; rules live in the services, forms only parse."""

from __future__ import annotations

from typing import Any

from django import forms

from cchc.payments.statements import ROLE_LABELS

MAX_UPLOAD = 5 * 1024 * 1024


def _read(upload: Any) -> bytes:
    if upload.size > MAX_UPLOAD:
        raise forms.ValidationError("Tệp lớn quá 5 MB.")
    return upload.read()


class FeeForm(forms.Form):
    name = forms.CharField(label="Tên khoản thu", max_length=200)
    amount_vnd = forms.IntegerField(
        label="Số tiền (đồng)", min_value=1, max_value=10**12, help_text="Ví dụ: 120000"
    )
    legal_basis = forms.CharField(label="Căn cứ thu", max_length=300, required=False)
    period_label = forms.CharField(label="Kỳ thu", max_length=100, required=False)
    due_on = forms.DateField(
        label="Hạn nộp", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ClassListForm(forms.Form):
    file = forms.FileField(
        label="Danh sách lớp (.xlsx hoặc .csv)",
        help_text="Các cột: Họ và tên học sinh, Lớp, Phụ huynh, Điện thoại, Email.",
    )

    def clean_file(self) -> bytes:
        return _read(self.cleaned_data["file"])


class CashForm(forms.Form):
    amount_vnd = forms.IntegerField(label="Số tiền (đồng)", min_value=1, max_value=10**12)
    paid_on = forms.DateField(
        label="Ngày nộp", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(
        label="Lý do thu tiền mặt",
        max_length=300,
        help_text="Ví dụ: gia đình không có tài khoản ngân hàng.",
    )


class StatementForm(forms.Form):
    file = forms.FileField(label="Tệp sao kê (.csv hoặc .xlsx)", required=False)
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, headers: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers or []
        if self.headers:
            choices = [("", "— không có —"), *[(h, h) for h in self.headers if h]]
            for role, label in ROLE_LABELS.items():
                self.fields[f"map_{role}"] = forms.ChoiceField(
                    label=label, choices=choices, required=False
                )

    def mapping(self) -> dict[str, str] | None:
        chosen = {
            role: self.cleaned_data.get(f"map_{role}") or ""
            for role in ROLE_LABELS
            if f"map_{role}" in self.fields
        }
        return {k: v for k, v in chosen.items() if v} or None


class MatchForm(forms.Form):
    bill_code = forms.CharField(label="Mã khoản thu", max_length=30)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class IgnoreForm(forms.Form):
    reason = forms.CharField(label="Lý do bỏ qua", max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
