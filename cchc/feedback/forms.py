"""Forms for staff intake and handling, the public form, and the sender's response."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from cchc.feedback.models import AnswerTemplate, Kind, Rating
from cchc.feedback.workflow import Channel, Classification, FeedbackStatus
from cchc.organizations.models import Staff, Unit
from cchc.organizations.selectors import staff_choices

STAFF_CHANNELS = [c for c in Channel.choices if c[0] != Channel.WEB]


class SenderFields(forms.Form):
    sender_name = forms.CharField(label="Họ và tên", max_length=200, required=False)
    sender_address = forms.CharField(label="Địa chỉ", max_length=300, required=False)
    sender_phone = forms.CharField(label="Số điện thoại", max_length=20, required=False)
    sender_email = forms.CharField(label="Thư điện tử", max_length=254, required=False)
    kind = forms.ChoiceField(label="Loại", choices=Kind.choices, initial=Kind.COMPLAINT)
    title = forms.CharField(label="Tiêu đề", max_length=200, required=False)
    content = forms.CharField(
        label="Nội dung",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
        error_messages={
            "required": "Hãy nhập nội dung phản ánh, kiến nghị.",
            "max_length": "Nội dung quá dài (tối đa 5.000 ký tự).",
        },
    )


class IntakeForm(SenderFields):
    """Staff entry of a letter, phone call (transcribed), e-mail or national portal item."""

    channel = forms.ChoiceField(label="Kênh tiếp nhận", choices=STAFF_CHANNELS)
    external_code = forms.CharField(
        label="Mã trên Cổng DVCQG",
        max_length=60,
        required=False,
        help_text="Bắt buộc với phản ánh nhận từ Cổng Dịch vụ công quốc gia.",
    )
    received_at = forms.DateTimeField(
        label="Thời điểm nhận",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y"],
        help_text=(
            "Ngày giờ thư, cuộc gọi hoặc thư điện tử đến đơn vị; để trống nếu vừa nhận. "
            "Thời hạn xử lý tính từ thời điểm này."
        ),
        error_messages={"invalid": "Thời điểm nhận không đúng dạng (ngày/tháng/năm giờ:phút)."},
    )
    consent_to_publish = forms.BooleanField(
        label="Người gửi đồng ý công khai nội dung", required=False
    )
    field_order = ["channel", "external_code", "received_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "content"
        ].help_text = (
            "Phản ánh qua điện thoại: ghi lại trung thực nội dung (Nghị định 20/2008 Điều 5)."
        )


class PublicForm(SenderFields):
    """The citizen's form: no account, optional files, consent, and a honeypot for robots."""

    consent_to_publish = forms.BooleanField(
        label="Tôi đồng ý công khai nội dung phản ánh (đã ẩn thông tin cá nhân) cùng câu trả lời",
        required=False,
    )
    attachment = forms.FileField(
        label="Tệp đính kèm (không bắt buộc)",
        required=False,
        help_text="PDF hoặc ảnh JPG, PNG; tối đa 10 MB.",
    )
    website = forms.CharField(
        label="Để trống ô này",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Not required on purpose: an item without a name or contact is still recorded (and
        # marked invalid with the reason), never refused at the door (Decree 20/2008 Art. 9).
        self.fields["sender_name"].help_text = (
            "Cần có họ tên và địa chỉ hoặc số điện thoại; thiếu các thông tin này, phản ánh vẫn "
            "được ghi nhận nhưng không được xử lý (Nghị định 20/2008/NĐ-CP)."
        )
        self.fields["sender_email"].help_text = "Để nhận thư báo tiếp nhận và câu trả lời."


class ClassifyForm(forms.Form):
    # No class is preselected: "Không hợp lệ" as the first option was kept by a careless click.
    classification = forms.ChoiceField(
        label="Phân loại",
        choices=[("", "— Chọn phân loại —"), *Classification.choices],
        error_messages={"required": "Hãy chọn phân loại phản ánh."},
    )
    assignee = forms.ModelChoiceField(
        label="Người xử lý", queryset=Staff.objects.none(), required=False
    )
    forwarded_to = forms.CharField(label="Chuyển đến cơ quan", max_length=300, required=False)
    reason = forms.CharField(
        label="Lý do", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignee = cast(forms.ModelChoiceField, self.fields["assignee"])
        assignee.queryset = Staff.objects.filter(unit=unit, is_active=True)
        assignee.choices = staff_choices(unit)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label="Người xử lý", queryset=Staff.objects.none())

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignee = cast(forms.ModelChoiceField, self.fields["assignee"])
        assignee.queryset = Staff.objects.filter(unit=unit, is_active=True)
        assignee.choices = staff_choices(unit)


class NoteForm(forms.Form):
    note = forms.CharField(
        label="Nội dung", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class DraftForm(forms.Form):
    template = forms.ModelChoiceField(
        label="Mẫu trả lời", queryset=AnswerTemplate.objects.none(), required=False
    )
    answer = forms.CharField(
        label="Nội dung trả lời",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        required=False,
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["template"]
        ).queryset = AnswerTemplate.objects.filter(unit=unit)


class PublishForm(forms.Form):
    public_question = forms.CharField(
        label="Nội dung phản ánh sẽ công khai",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=6000,
    )
    public_answer = forms.CharField(
        label="Câu trả lời sẽ công khai",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=12000,
    )


class FindingForm(forms.Form):
    text = forms.CharField(
        label="Ý kiến, kết luận của Ban Thanh tra nhân dân",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class FilterForm(forms.Form):
    q = forms.CharField(label="Tìm", required=False, max_length=100)
    status = forms.ChoiceField(
        label="Trạng thái", required=False, choices=[("", "Tất cả"), *FeedbackStatus.choices]
    )
    channel = forms.ChoiceField(
        label="Kênh", required=False, choices=[("", "Tất cả"), *Channel.choices]
    )
    tu_ngay = forms.DateField(
        label="Từ ngày",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    den_ngay = forms.DateField(
        label="Đến ngày",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    qua_han = forms.BooleanField(label="Chỉ quá hạn", required=False)


class RegisterForm(forms.Form):
    nam = forms.IntegerField(label="Năm", min_value=2000, max_value=2100, required=False)
    tu_ngay = forms.DateField(
        label="Từ ngày",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    den_ngay = forms.DateField(
        label="Đến ngày",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class RateForm(forms.Form):
    rating = forms.ChoiceField(label="Đánh giá", choices=Rating.choices, widget=forms.RadioSelect)


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label="Lý do không đồng ý", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class LimitsForm(forms.Form):
    reject_within_days = forms.IntegerField(
        label="Từ chối phản ánh không hợp lệ trong", min_value=1, max_value=60
    )
    info_within_days = forms.IntegerField(
        label="Yêu cầu bổ sung thông tin trong", min_value=1, max_value=60
    )
    forward_within_days = forms.IntegerField(
        label="Chuyển cơ quan có thẩm quyền trong", min_value=1, max_value=60
    )
    answer_within_days = forms.IntegerField(label="Trả lời trong", min_value=1, max_value=60)
    publish_within_days = forms.IntegerField(
        label="Công khai sau khi duyệt trong", min_value=1, max_value=60
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.help_text = "Ngày làm việc."


class TemplateForm(forms.Form):
    title = forms.CharField(label="Tên mẫu", max_length=200)
    body = forms.CharField(
        label="Nội dung mẫu", widget=forms.Textarea(attrs={"rows": 5}), max_length=10000
    )
