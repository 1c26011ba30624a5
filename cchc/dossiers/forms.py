"""Staff and public forms for dossiers; every message in Vietnamese."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone

from cchc.core.names import given_name_key  # noqa: F401 (the views sort handlers with it)
from cchc.core.timezones import VN
from cchc.dossiers.channels import COUNTER_CHANNELS
from cchc.dossiers.deadlines import end_of_day, latest_new_due_day
from cchc.dossiers.models import Channel, Dossier, Procedure, ResultDelivery
from cchc.dossiers.workflow import Step
from cchc.organizations.models import Staff, Unit
from cchc.organizations.selectors import staff_choices
from cchc.workdays.services import calendar_for_unit

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OwnIds:
    """Forms shown together on the dossier page get ids of their own (`apology_reason`, not a
    second `id_reason`): one id per element, labels and hints that point at the right field."""

    id_prefix = "id"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


#: The applicant's address as the dossier keeps it (`Dossier.applicant_address`).
ADDRESS_MAX_LENGTH = int(Dossier._meta.get_field("applicant_address").max_length or 300)
#: Django's own message for a NUL character is English: every applicant field says it in
#: Vietnamese (a pasted or forged NUL is a 422 with this message, never a 500).
NUL_MESSAGE = "Dữ liệu chứa ký tự không hợp lệ (ký tự NUL); hãy nhập lại."


class ApplicantFields(forms.Form):
    """The applicant's details, the same at the counter and online."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.setdefault("null_characters_not_allowed", NUL_MESSAGE)

    applicant_name = forms.CharField(
        label="Họ và tên người nộp",
        max_length=200,
        error_messages={"required": "Hãy nhập họ tên người nộp."},
    )
    applicant_id_number = forms.CharField(
        label="Số định danh cá nhân (CCCD)",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_phone = forms.CharField(
        label="Số điện thoại",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    applicant_email = forms.EmailField(
        label="Thư điện tử",
        required=False,
        error_messages={"invalid": "Địa chỉ thư điện tử không hợp lệ."},
    )
    applicant_address = forms.CharField(
        label="Địa chỉ liên hệ của người nộp",
        max_length=ADDRESS_MAX_LENGTH,
        required=False,
        help_text=(
            "Số nhà, đường hoặc thôn/xóm/ấp, xã/phường, tỉnh/thành phố: in trên giấy tiếp "
            "nhận, phiếu hướng dẫn và văn bản xin lỗi gửi qua bưu điện. Có thể bỏ trống nếu "
            "người nộp không ghi."
        ),
        error_messages={
            "max_length": f"Địa chỉ quá dài (tối đa {ADDRESS_MAX_LENGTH} ký tự).",
        },
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    subject = forms.CharField(
        label="Nội dung yêu cầu",
        max_length=300,
        required=False,
        help_text="Ví dụ: chuyển trường cho học sinh Nguyễn Văn B, lớp 7A.",
    )


class IntakeForm(ApplicantFields):
    """The counter: a dossier received in under a minute (keyboard order, few fields)."""

    procedure = forms.ModelChoiceField(
        label="Thủ tục",
        queryset=Procedure.objects.none(),
        error_messages={"required": "Hãy chọn thủ tục.", "invalid_choice": "Thủ tục không hợp lệ."},
    )
    channel = forms.ChoiceField(
        label="Kênh nộp",
        choices=[(channel.value, channel.label) for channel in COUNTER_CHANNELS],
        initial=Channel.IN_PERSON,
    )
    documents = forms.MultipleChoiceField(
        label="Giấy tờ đã nhận", required=False, widget=forms.CheckboxSelectMultiple
    )
    result_delivery = forms.ChoiceField(
        label="Nhận kết quả",
        choices=[("", "Theo kênh nộp"), *ResultDelivery.choices],
        required=False,
    )
    assignee = forms.ModelChoiceField(
        label="Người xử lý", queryset=Staff.objects.none(), required=False
    )
    external_code = forms.CharField(
        label="Mã hồ sơ do hệ thống tỉnh cấp (nếu có)", max_length=60, required=False
    )
    scan = forms.FileField(
        label="Bản quét hồ sơ (PDF, JPG, PNG; tùy chọn)",
        required=False,
        help_text="Có thể bổ sung bản quét sau ở trang hồ sơ.",
    )

    field_order = [
        "procedure",
        "applicant_name",
        "applicant_phone",
        "applicant_id_number",
        "applicant_email",
        "applicant_address",
        "subject",
        "documents",
        "channel",
        "result_delivery",
        "assignee",
        "external_code",
        "scan",
        "counter_reason",
    ]

    counter_reason = forms.CharField(
        label="Nội dung hướng dẫn bổ sung hoặc lý do từ chối",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Chỉ dùng khi lập phiếu hướng dẫn bổ sung (Mẫu 02) hoặc từ chối (Mẫu 03).",
    )

    def __init__(self, *args: Any, unit: Unit, procedures: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["procedure"]).queryset = procedures
        cast(forms.ModelChoiceField, self.fields["assignee"]).queryset = Staff.objects.filter(
            unit=unit, is_active=True
        )
        cast(forms.ModelChoiceField, self.fields["assignee"]).choices = staff_choices(unit)
        names = sorted({d["name"] for p in procedures for d in p.documents})
        cast(forms.MultipleChoiceField, self.fields["documents"]).choices = [(n, n) for n in names]
        self.checklists = [(p, p.documents) for p in procedures]

    def chosen_procedure_pk(self) -> str:
        """The procedure whose checklist is shown (the posted one, or ?thu_tuc=)."""
        raw = self["procedure"].value()
        return str(raw or "")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        procedure, ticked = data.get("procedure"), data.get("documents") or []
        if procedure is not None:
            names = {d.get("name") for d in procedure.documents}
            foreign = [name for name in ticked if name not in names]
            if foreign:
                self.add_error(
                    "documents",
                    f"Giấy tờ không thuộc thủ tục “{procedure.name}”: {'; '.join(foreign)}.",
                )
        return data


class ActionForm(OwnIds, forms.Form):
    """The input of one action of the dossier page (workflow.ACTIONS names its form): built for
    the dossier, it turns what was typed into the service's arguments."""

    def __init__(self, *args: Any, dossier: Dossier | None = None, **kwargs: Any) -> None:
        self.dossier = dossier
        super().__init__(*args, **kwargs)

    def arguments(self) -> dict[str, Any]:
        """Keyword arguments of the action's service; by default the cleaned fields."""
        return dict(self.cleaned_data)


class AttachForm(ActionForm):
    id_prefix = "attach"

    document_name = forms.CharField(label="Tên giấy tờ", max_length=300, required=False)
    file = forms.FileField(
        label="Tệp quét (PDF, JPG, PNG)", error_messages={"required": "Hãy chọn tệp."}
    )

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"upload": data["file"], "document_name": data["document_name"]}


class SupplementForm(ActionForm):
    id_prefix = "supplement"

    items = forms.CharField(
        label="Giấy tờ cần bổ sung (mỗi dòng một loại)", widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 2}))

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"items": data["items"].splitlines(), "reason": data["reason"]}


class HandOverForm(ActionForm):
    id_prefix = "handover"

    to_staff = forms.ModelChoiceField(label="Chuyển cho", queryset=Staff.objects.none())
    step = forms.ChoiceField(label="Bước", choices=Step.choices)
    note = forms.CharField(label="Ghi chú", required=False)

    def __init__(
        self, *args: Any, dossier: Dossier | None = None, unit: Unit | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, dossier=dossier, **kwargs)
        unit = unit or (dossier.unit if dossier is not None else None)
        if unit is None:
            raise TypeError("HandOverForm needs the dossier or its unit.")
        to_staff = cast(forms.ModelChoiceField, self.fields["to_staff"])
        to_staff.queryset = Staff.objects.filter(unit=unit, is_active=True)
        to_staff.choices = staff_choices(unit)


class ApologyForm(ActionForm):
    id_prefix = "apology"

    reason = forms.CharField(
        label="Lý do chậm",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Hãy nêu lý do chậm giải quyết."},
    )
    new_due_at = forms.DateField(
        label="Ngày hẹn trả mới",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=DATE_INPUT,
        error_messages={"invalid": "Ngày không hợp lệ.", "required": "Hãy chọn ngày hẹn mới."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dossier = self.dossier
        if dossier is not None and dossier.due_at is not None:  # the picker spans the bounds
            now = timezone.now()
            due_day = dossier.due_at.astimezone(VN).date()
            calendar = calendar_for_unit(dossier.unit)
            bound = latest_new_due_day(dossier, due_day, now, calendar=calendar)
            # As `services._check_new_due` checks: a working day after today and after the
            # current due date.
            first = max(due_day, now.astimezone(VN).date()) + timedelta(days=1)
            while not calendar.is_working_day(first) and first < bound.latest:
                first += timedelta(days=1)
            attrs = self.fields["new_due_at"].widget.attrs
            attrs["min"], attrs["max"] = first.isoformat(), bound.latest.isoformat()

    def arguments(self) -> dict[str, Any]:
        """The new appointment is the end of the working day chosen, in the unit's hours."""
        if self.dossier is None:
            raise TypeError("ApologyForm needs the dossier it answers for")
        calendar = calendar_for_unit(self.dossier.unit)
        new_due = end_of_day(calendar, self.cleaned_data["new_due_at"])
        return {"reason": self.cleaned_data["reason"], "new_due_at": new_due}


class ApologyReviseForm(ApologyForm):
    """The apology's reason and new date corrected after the head sent its letter back: the same
    fields and bounds as when it was made, filled with what it says now."""

    id_prefix = "apology-revise"

    @classmethod
    def for_dossier(cls, dossier: Dossier) -> ApologyReviseForm:
        apology = dossier.apology
        day = apology.new_due_at.astimezone(VN).date()
        return cls(dossier=dossier, initial={"reason": apology.reason, "new_due_at": day})


class DueDateForm(forms.Form):
    """One row of the page of dossiers without a due date."""

    due_on = forms.DateField(
        label="Hạn trả kết quả",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=DATE_INPUT,
        error_messages={"invalid": "Ngày không hợp lệ.", "required": "Hãy chọn ngày."},
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class DecisionForm(ActionForm):
    id_prefix = "decision"

    granted = forms.TypedChoiceField(
        label="Kết quả",
        choices=[("1", "Giải quyết (có kết quả)"), ("0", "Từ chối, có lý do")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    note = forms.CharField(
        label="Nội dung / lý do", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(ActionForm):
    reason = forms.CharField(
        label="Lý do",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Hãy nêu lý do."},
    )


class RefuseForm(ReasonForm):
    id_prefix = "refuse"


class StopForm(ReasonForm):
    id_prefix = "stop"


class AddressForm(ActionForm):
    """The applicant's address filled in or corrected after intake (needed to post the apology
    letter, domain.md 1.4); opened with the address kept (only the desk, who may see it, gets
    this form)."""

    id_prefix = "address"

    address = forms.CharField(
        label="Địa chỉ liên hệ của người nộp",
        max_length=ADDRESS_MAX_LENGTH,
        required=False,
        help_text=(
            "Số nhà, đường hoặc thôn/xóm/ấp, xã/phường, tỉnh/thành phố. Để trống nếu chưa có."
        ),
        error_messages={
            "max_length": f"Địa chỉ quá dài (tối đa {ADDRESS_MAX_LENGTH} ký tự).",
            "null_characters_not_allowed": NUL_MESSAGE,
        },
    )

    def __init__(self, *args: Any, dossier: Dossier | None = None, **kwargs: Any) -> None:
        super().__init__(*args, dossier=dossier, **kwargs)
        if dossier is not None:
            self.fields["address"].initial = dossier.applicant_address


#: Said to the citizen himself (the counter's help speaks of "người nộp").
ONLINE_ADDRESS_HELP = (
    "Số nhà, đường hoặc thôn/xóm/ấp, xã/phường, tỉnh/thành phố. Không bắt buộc; hãy ghi nếu "
    "muốn nhận giấy tờ, văn bản của đơn vị qua bưu điện."
)


class OnlineSubmissionForm(ApplicantFields):
    """The citizen's form: phone or e-mail needed to be told the outcome."""

    def __init__(self, *args: Any, procedure: Procedure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.fields["applicant_address"].help_text = ONLINE_ADDRESS_HELP
        for i, document in enumerate(procedure.documents):
            self.fields[f"file_{i}"] = forms.FileField(
                label=document["name"],
                required=document.get("required", True),
                help_text="PDF hoặc ảnh JPG/PNG, tối đa 10 MB.",
                error_messages={"required": "Hãy tải lên giấy tờ này."},
            )


class LookupForm(forms.Form):
    """The public look-up: the code as printed (spaces allowed), and the applicant's phone, its
    last 4 digits or the whole number (only the last 4 digits are used).

    The page checks its input with `LookupForm.check`, the same fields and rules without
    building a form per request (a form copies its fields and widgets each time: the look-up is
    the busiest public page, issue 11)."""

    code = forms.CharField(
        label="Mã hồ sơ", max_length=80, error_messages={"required": "Hãy nhập mã hồ sơ."}
    )
    phone_last4 = forms.CharField(
        label="4 số cuối điện thoại người nộp (để xem chi tiết)",
        max_length=20,
        required=False,
        help_text="Có thể nhập cả số điện thoại; chỉ 4 số cuối được dùng.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_code(self) -> str:
        return lookup_code(self.cleaned_data["code"])

    def clean_phone_last4(self) -> str:
        return lookup_phone_last4(self.cleaned_data.get("phone_last4", ""))

    @classmethod
    def check(cls, data: Mapping[str, str] | None) -> LookupEntry:
        """The fields as entered, cleaned, with their errors: what `LookupForm(data)` would
        say, for a page that only shows them (None: nothing was sent)."""
        cleaned: dict[str, str] = {}
        fields: dict[str, EnteredField] = {}
        for name, field in cls.base_fields.items():
            entered = data.get(name) if data is not None else None
            errors: list[str] = []
            if data is not None:
                try:
                    value = field.clean(entered if entered is not None else "")
                    cleaned[name] = _LOOKUP_CLEANERS[name](value)
                except forms.ValidationError as error:
                    errors = list(error.messages)
            fields[name] = EnteredField(
                str(field.label), str(field.help_text), entered or "", errors
            )
        return LookupEntry(
            is_bound=data is not None,
            cleaned=cleaned,
            code=fields["code"],
            phone_last4=fields["phone_last4"],
        )


def lookup_code(raw: str) -> str:
    """The code as printed may carry spaces and lower case."""
    return "".join(raw.split()).upper()


def lookup_phone_last4(raw: str) -> str:
    if not raw.strip():
        return ""
    if not re.fullmatch(r"[\d\s.+()\-]+", raw):
        raise forms.ValidationError("Chỉ nhập chữ số.")
    digits = re.sub(r"\D", "", raw)
    if len(digits) < 4:
        raise forms.ValidationError("Nhập đủ 4 số cuối điện thoại (hoặc cả số điện thoại).")
    return digits[-4:]


_LOOKUP_CLEANERS = {"code": lookup_code, "phone_last4": lookup_phone_last4}


@dataclass(frozen=True)
class EnteredField:
    """One field of a checked look-up, as its template shows it."""

    label: str
    help_text: str
    value: str
    errors: list[str]


@dataclass(frozen=True)
class LookupEntry:
    is_bound: bool
    cleaned: dict[str, str]
    code: EnteredField
    phone_last4: EnteredField

    @property
    def errors(self) -> bool:
        return bool(self.code.errors or self.phone_last4.errors)

    def add_error(self, field: str, message: str) -> None:
        getattr(self, field).errors.append(message)


class ProcedureImportForm(forms.Form):
    file = forms.FileField(label="Tệp Excel danh mục thủ tục (.xlsx)")
