"""Forms: shape and type only; the range and workflow rules live in the services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from cchc.dossiers.models import Procedure
from cchc.simplification.models import Part, Scenario
from cchc.simplification.workflow import ACTIONS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class OpenForm(forms.Form):
    procedure = forms.ModelChoiceField(
        queryset=Procedure.objects.none(), label="Thủ tục", empty_label="— chọn —"
    )
    wage_per_hour_vnd = forms.IntegerField(
        label="Thu nhập bình quân 01 giờ làm việc (đồng)",
        help_text="Đầu vào chi phí thời gian của phương pháp tính chi phí tuân thủ: thu nhập "
        "bình quân tháng ÷ số giờ làm việc trong tháng.",
    )

    def __init__(
        self, *args: Any, procedures: QuerySet[Procedure] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["procedure"]).queryset = procedures


class ReviewForm(_Versioned):
    wage_per_hour_vnd = forms.IntegerField(label="Thu nhập bình quân 01 giờ làm việc (đồng)")
    effective_on = forms.DateField(
        label="Ngày dự kiến áp dụng",
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=DATE_INPUT,
    )
    summary = forms.CharField(
        label="Ý kiến tổng hợp", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FindingForm(_Versioned):
    part = forms.ChoiceField(choices=Part.choices, widget=forms.HiddenInput)
    finding = forms.CharField(label="Kết quả rà soát", required=False, widget=forms.Textarea)
    proposal = forms.CharField(
        label="Phương án đơn giản hóa", required=False, widget=forms.Textarea
    )
    legal_ground = forms.CharField(
        label="Căn cứ pháp lý", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CostLineForm(_Versioned):
    scenario = forms.ChoiceField(label="Phương án", choices=Scenario.choices)
    activity = forms.CharField(label="Công việc người dân phải làm", max_length=300)
    hours = forms.DecimalField(label="Thời gian (giờ)", max_digits=7, decimal_places=2)
    fee_vnd = forms.IntegerField(label="Phí, lệ phí (đồng)", required=False, initial=0)
    other_vnd = forms.IntegerField(label="Chi phí khác (đồng)", required=False, initial=0)


class CostLineDeleteForm(_Versioned):
    line = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ActForm(_Versioned):
    action = forms.ChoiceField(choices=[(a.code, a.label) for a in ACTIONS.values()])
    note = forms.CharField(label="Ý kiến", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProcessForm(forms.Form):
    effective_from = forms.DateField(
        label="Áp dụng cho hồ sơ tiếp nhận từ ngày",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=DATE_INPUT,
    )
    steps = forms.CharField(
        label="Các bước (mỗi dòng: mã; tên bước; số ngày làm việc)",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Ví dụ: reception; Tiếp nhận, chuyển xử lý; 0,5",
    )
    note = forms.CharField(label="Ghi chú", required=False)

    def clean_steps(self) -> list[dict[str, str]]:
        rows = []
        for number, line in enumerate(self.cleaned_data["steps"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            if len(parts) != 3:
                raise forms.ValidationError(
                    f"Dòng {number}: cần đúng 3 phần cách nhau bởi dấu chấm phẩy."
                )
            rows.append({"code": parts[0], "name": parts[1], "days": parts[2]})
        return rows
