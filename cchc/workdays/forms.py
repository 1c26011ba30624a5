from __future__ import annotations

from django import forms


class OverrideForm(forms.Form):
    date = forms.DateField(
        label="Ngày",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Ngày không hợp lệ (dd/mm/yyyy).", "required": "Hãy chọn ngày."},
    )
    is_working = forms.TypedChoiceField(
        label="Loại điều chỉnh",
        choices=[("0", "Ngày nghỉ của đơn vị"), ("1", "Ngày làm việc (làm bù)")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="0",
        error_messages={"required": "Hãy chọn loại điều chỉnh."},
    )
    reason = forms.CharField(
        label="Lý do, căn cứ",
        max_length=300,
        help_text="Ví dụ: Công văn số …/UBND ngày … cho nghỉ bù ngày bầu cử.",
        error_messages={"required": "Hãy ghi lý do hoặc căn cứ."},
    )
