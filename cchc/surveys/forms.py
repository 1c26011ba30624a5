"""Staff forms: create a campaign, issue invitations, a new template version."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from cchc.organizations.models import Unit
from cchc.surveys.models import AccessMode, Audience, SurveyTemplate


class CampaignForm(forms.Form):
    template = forms.ModelChoiceField(
        label="Mẫu phiếu", queryset=SurveyTemplate.objects.none(), empty_label=None
    )
    title = forms.CharField(label="Tên đợt khảo sát", max_length=200)
    audience = forms.ChoiceField(label="Đối tượng", choices=Audience.choices)
    audience_detail = forms.CharField(
        label="Khối/lớp", max_length=50, required=False, help_text="Ví dụ: Khối 8, hoặc 8A."
    )
    starts_on = forms.DateField(
        label="Từ ngày", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label="Đến ngày", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    access = forms.ChoiceField(label="Cách trả lời", choices=AccessMode.choices)
    device_limit = forms.IntegerField(
        label="Số phiếu tối đa mỗi thiết bị (cách ẩn danh)", min_value=1, max_value=20, initial=1
    )

    def __init__(self, *args: Any, unit: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["template"]
        ).queryset = SurveyTemplate.objects.filter(unit=unit)


class InvitationForm(forms.Form):
    count = forms.IntegerField(label="Số phiếu mời", min_value=1, max_value=200)
    segment = forms.CharField(label="Lớp", max_length=20, required=False)


class TemplateVersionForm(forms.Form):
    """One question per line: code | group | kind | * if required | text | option; option"""

    definition = forms.CharField(
        label="Câu hỏi (mỗi dòng một câu)",
        widget=forms.Textarea(attrs={"rows": 20, "spellcheck": "false"}),
        max_length=20000,
    )
    note = forms.CharField(label="Nội dung thay đổi", max_length=300)
