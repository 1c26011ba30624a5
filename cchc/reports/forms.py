"""The request form of a stored report: period, kind, and the unit's own words."""

from __future__ import annotations

from django import forms

from cchc.reports.models import ReportKind
from cchc.reports.services import MAX_TEXT


class ReportRequestForm(forms.Form):
    ky = forms.ChoiceField(label="Kỳ báo cáo")
    loai = forms.ChoiceField(label="Loại báo cáo", choices=ReportKind.choices)
    kho_khan = forms.CharField(
        label="Khó khăn, vướng mắc",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    de_xuat = forms.CharField(
        label="Đề xuất, kiến nghị",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, periods: list[tuple[str, str]], consolidated: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ky"].choices = periods
        if consolidated:  # a commune reports on its schools
            self.fields["loai"].initial = ReportKind.CONSOLIDATED
        else:
            self.fields["loai"].choices = [(ReportKind.UNIT.value, ReportKind.UNIT.label)]
