"""Forms of the plan pages; labels and messages in Vietnamese."""

from __future__ import annotations

from typing import Any, Final
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError

from cchc.kpi.registry import KNOWN_CODES
from cchc.organizations.models import Staff, Unit
from cchc.plans.models import ActivityKind, Plan, Recurrence, Task, TaskStatus

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

# Activity.participant_count is a PositiveIntegerField; a bigger number overflows the column.
MAX_PARTICIPANTS: Final = 100_000
LINK_MESSAGE: Final = "Đường dẫn phải bắt đầu bằng http://, https:// hoặc / (trang của hệ thống)."


def validate_link(value: str) -> None:
    """An evidence link is a web page (http/https with a host) or a path of this site.

    The link is rendered as <a href> for everyone who opens the evidence: "javascript:" or
    "data:" would run in their browser and "//other.host" would send them off-site. The
    service checks the same rule; this gives the message next to the field.
    """
    url = value.strip()
    if not url:
        return
    try:
        parsed = urlsplit(url)
    except ValueError:  # e.g. "http://[::1" (an unclosed IPv6 bracket)
        raise ValidationError(LINK_MESSAGE, code="invalid_link") from None
    web = parsed.scheme in ("http", "https") and bool(parsed.netloc)
    local = url.startswith("/") and not url.startswith("//") and not parsed.netloc
    if not (web or local) or "\\" in url or any(c.isspace() or c in "<>\"'`" for c in url):
        raise ValidationError(LINK_MESSAGE, code="invalid_link")


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label="Tệp kế hoạch (.txt hoặc .docx)",
        help_text="Tệp văn bản hoặc Word của kế hoạch; hệ thống đọc cấu trúc để bạn "
        "kiểm tra trước khi lưu.",
        error_messages={"required": "Hãy chọn tệp kế hoạch."},
    )


class ImportReviewForm(forms.Form):
    """Header corrections plus one choice per assignment (staff) and per target (KPI)."""

    reference = forms.CharField(label="Số, ký hiệu", max_length=80, required=False)
    title = forms.CharField(label="Trích yếu", max_length=500)
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    issued_on = forms.DateField(
        label="Ngày ban hành", required=False, input_formats=DATE_FORMATS, widget=DATE_INPUT
    )

    def __init__(self, *args: Any, report: dict[str, Any], unit: Unit, **kwargs: Any) -> None:
        data = report["data"]
        initial = {
            "reference": data.get("symbol") or "",
            "title": data.get("title") or "",
            "year": data.get("year"),
            "issued_on": data.get("date"),
        }
        super().__init__(*args, initial=initial, **kwargs)
        staff = list(Staff.objects.filter(unit=unit, is_active=True).order_by("full_name"))
        people = [("", "— Không gắn với viên chức —")] + [(s.pk, s.full_name) for s in staff]
        for i, match in enumerate(report["matches"]):
            candidates = match["candidates"]
            self.fields[f"assignment_{i}"] = forms.TypedChoiceField(
                label=f"{match['assignment'].get('name') or match['assignment'].get('title')}",
                choices=people,
                required=False,
                coerce=int,
                empty_value=None,
                initial=candidates[0].pk if len(candidates) == 1 else "",
            )
        kpis = [("", "— Không gắn chỉ số —"), *sorted(KNOWN_CODES.items(), key=lambda kv: kv[1])]
        for i, target in enumerate(data.get("targets", [])):
            self.fields[f"target_{i}"] = forms.ChoiceField(
                label=f"Mục tiêu {target.get('number')}",
                choices=kpis,
                required=False,
                initial=target.get("kpi") or "",
            )

    def corrections(self) -> dict[str, Any]:
        cleaned = self.cleaned_data
        return {
            "reference": cleaned.get("reference") or "",
            "title": cleaned["title"],
            "year": cleaned["year"],
            "issued_on": cleaned.get("issued_on"),
            "assignment_staff": {
                int(k.split("_")[1]): v for k, v in cleaned.items() if k.startswith("assignment_")
            },
            "target_kpi": {
                int(k.split("_")[1]): v for k, v in cleaned.items() if k.startswith("target_")
            },
        }


class TaskProgressForm(forms.Form):
    status = forms.ChoiceField(label="Trạng thái", choices=TaskStatus.choices)
    progress = forms.IntegerField(
        label="Tiến độ (%)",
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": "Tiến độ phải từ 0 đến 100%%.",
            "max_value": "Tiến độ phải từ 0 đến 100%%.",
            "invalid": "Tiến độ là một số từ 0 đến 100.",
            "required": "Hãy nhập tiến độ.",
        },
    )
    note = forms.CharField(
        label="Ghi chú (tùy chọn)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class TaskPlanForm(forms.Form):
    owner = forms.ModelChoiceField(
        label="Người chủ trì", queryset=Staff.objects.none(), required=False
    )
    collaborators = forms.ModelMultipleChoiceField(
        label="Người phối hợp",
        queryset=Staff.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    due_on = forms.DateField(
        label="Hạn hoàn thành",
        required=False,
        input_formats=DATE_FORMATS,
        widget=DATE_INPUT,
        error_messages={"invalid": "Ngày không hợp lệ."},
    )
    recurrence = forms.ChoiceField(label="Tần suất", choices=Recurrence.choices)
    review_cadence = forms.ChoiceField(
        label="Kỳ rà soát (với việc thường xuyên)",
        choices=Task._meta.get_field("review_cadence").choices,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = Staff.objects.filter(unit=task.plan.unit, is_active=True).order_by("full_name")
        self.fields["owner"].queryset = staff
        self.fields["collaborators"].queryset = staff


class EvidenceForm(forms.Form):
    title = forms.CharField(label="Tên minh chứng", max_length=300)
    file = forms.FileField(label="Tệp", required=False)
    url = forms.CharField(
        label="hoặc đường dẫn",
        max_length=500,
        required=False,
        validators=[validate_link],
        help_text="Ví dụ đường dẫn tới bài viết tuyên truyền đã đăng, kết quả trả lời phản ánh.",
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Trao đổi", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label="Loại hoạt động", choices=ActivityKind.choices)
    title = forms.CharField(label="Tên hoạt động", max_length=300)
    held_on = forms.DateField(
        label="Ngày",
        input_formats=DATE_FORMATS,
        widget=DATE_INPUT,
        error_messages={"invalid": "Ngày không hợp lệ.", "required": "Hãy chọn ngày."},
    )
    task = forms.ModelChoiceField(
        label="Thuộc nhiệm vụ kế hoạch", queryset=Task.objects.none(), required=False
    )
    participants = forms.ModelMultipleChoiceField(
        label="Người tham gia (của đơn vị)",
        queryset=Staff.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    participant_count = forms.IntegerField(
        label="Tổng số người tham dự (kể cả người ngoài đơn vị)",
        min_value=0,
        max_value=MAX_PARTICIPANTS,
        required=False,
        error_messages={
            "min_value": "Số người tham dự không được âm.",
            "max_value": "Số người tham dự tối đa là 100.000.",
            "invalid": "Số người tham dự phải là số nguyên.",
        },
    )
    description = forms.CharField(
        label="Mô tả, kết quả", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_file = forms.FileField(label="Minh chứng (tệp)", required=False)
    evidence_url = forms.CharField(
        label="hoặc đường dẫn", max_length=500, required=False, validators=[validate_link]
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = (
            Task.objects.filter(plan__unit=unit, parent__isnull=False, plan__status="active")
            .select_related("plan")
            .order_by("-plan__year", "order")
        )
        self.fields["task"].label_from_instance = lambda t: f"{t.number}. {t.title[:80]}"
        self.fields["participants"].queryset = Staff.objects.filter(
            unit=unit, is_active=True
        ).order_by("full_name")


def plan_year_choices(plans: list[Plan]) -> list[int]:
    return sorted({p.year for p in plans}, reverse=True)
