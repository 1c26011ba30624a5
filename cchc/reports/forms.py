"""The request form of a stored report: period, kind, and the unit's own words."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet

from cchc.organizations.models import Staff
from cchc.reports.models import ReportKind
from cchc.reports.services import MAX_TEXT


def _section(label: str, *, missing: str = "") -> forms.CharField:
    """One of the report's two written sections, as every form asks it; `missing`: required,
    with that message when left empty (the submission: the signed PDF cannot be completed)."""
    return forms.CharField(
        label=label,
        required=bool(missing),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": missing} if missing else None,
    )


class ReportRequestForm(forms.Form):
    ky = forms.ChoiceField(label="Kỳ báo cáo")
    loai = forms.ChoiceField(label="Loại báo cáo", choices=ReportKind.choices)
    kho_khan = _section("Khó khăn, vướng mắc")
    de_xuat = _section("Đề xuất, kiến nghị")

    def __init__(
        self, *args: Any, periods: list[tuple[str, str]], consolidated: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["ky"]).choices = periods
        if consolidated:  # a commune reports on its schools
            self.fields["loai"].initial = ReportKind.CONSOLIDATED
        else:
            cast(forms.ChoiceField, self.fields["loai"]).choices = [
                (ReportKind.UNIT.value, ReportKind.UNIT.label)
            ]


class IssueForm(forms.Form):
    """Submitting a built report for issue: its own two sections, both required (the signed
    PDF cannot be completed afterwards), and the version the page was opened at."""

    kho_khan = _section(
        "Khó khăn, vướng mắc",
        missing="Ghi khó khăn, vướng mắc (không có thì ghi «Không có.»).",
    )
    de_xuat = _section(
        "Đề xuất, kiến nghị",
        missing="Ghi đề xuất, kiến nghị (không có thì ghi «Không có.»).",
    )
    # The report's version the page was opened at: the drafter's later save makes it stale.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SectionsForm(forms.Form):
    """The drafter's two sections before submission, with the version the page was opened at."""

    kho_khan = _section("Khó khăn, vướng mắc")
    de_xuat = _section("Đề xuất, kiến nghị")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RuleForm(forms.Form):
    """One line of the reporting calendar form: whether the slot is reported, and its dates."""

    used = forms.BooleanField(label="Có báo cáo", required=False)
    cutoff_from_day = forms.IntegerField(label="Chốt từ ngày", min_value=1, max_value=31)
    cutoff_from_month = forms.IntegerField(label="tháng", min_value=1, max_value=12)
    cutoff_to_day = forms.IntegerField(label="đến ngày", min_value=1, max_value=31)
    cutoff_to_month = forms.IntegerField(label="tháng", min_value=1, max_value=12)
    due_workdays = forms.IntegerField(
        label="Hạn nộp sau ngày chốt (ngày làm việc)", min_value=0, max_value=60
    )
    due_day = forms.IntegerField(
        label="Hoặc hạn cố định: ngày", min_value=1, max_value=31, required=False
    )
    due_month = forms.IntegerField(label="tháng", min_value=1, max_value=12, required=False)
    remind_days_before = forms.IntegerField(label="Nhắc trước (ngày)", min_value=0, max_value=60)
    responsible = forms.ModelChoiceField(
        label="Người chịu trách nhiệm",
        queryset=Staff.objects.none(),
        required=False,
        empty_label="Thủ trưởng đơn vị",
    )

    def __init__(self, *args: Any, staff: QuerySet[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["responsible"]).queryset = staff
