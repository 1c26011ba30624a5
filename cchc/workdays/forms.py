from __future__ import annotations

from django import forms

from cchc.organizations.models import DeadlineMode


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


class RulesForm(forms.Form):
    """How the unit counts due dates (Decree 61 Art. 18; domain-2025.md 3.1: the hour is ours)."""

    deadline_mode = forms.ChoiceField(
        label="Cách tính hạn",
        choices=DeadlineMode.choices,
        error_messages={
            "required": "Hãy chọn cách tính hạn.",
            "invalid_choice": "Hãy chọn cách tính hạn.",
        },
    )
    receipt_cutoff = forms.TimeField(
        label="Giờ chốt tiếp nhận",
        input_formats=["%H:%M", "%H:%M:%S", "%Hh%M", "%H"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Hồ sơ nhận sau giờ này được tính từ ngày làm việc tiếp theo (mặc định 15:00).",
        error_messages={
            "required": "Hãy nhập giờ chốt.",
            "invalid": "Giờ chốt không đúng dạng (giờ:phút).",
        },
    )
    cutoff_all_procedures = forms.BooleanField(
        label="Áp dụng giờ chốt cho mọi thủ tục",
        required=False,
        help_text=(
            "Bỏ chọn: chỉ áp dụng cho thủ tục giải quyết trong ngày và thủ tục có giờ chốt "
            "riêng trong danh mục."
        ),
    )
    seen = forms.CharField(widget=forms.HiddenInput)
