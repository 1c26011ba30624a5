"""Forms of the plan pages; labels and messages in Vietnamese."""

from __future__ import annotations

from typing import Any, ClassVar, Final, cast
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError

from cchc.accounts.models import Role
from cchc.core.names import given_name_key
from cchc.kpi.registry import KNOWN_CODES
from cchc.organizations.models import Staff, Unit
from cchc.plans.models import ActivityKind, Recurrence, Task, TaskStatus

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


_CREATABLE_ROLES = [
    (role, label)
    for role, label in Role.choices
    if role not in (Role.COMMUNE_OFFICER, Role.SYSTEM_ADMIN)
]


class ImportReviewForm(forms.Form):
    """Header corrections, the person behind each assignment (an existing staff member, or a
    new one created with a role), the KPI of each target and the owner of each target and task.

    Owners are chosen among "the people of the plan" (value ``a<i>``: whoever assignment i
    becomes once saved, even if created in this very step) and the other staff (``s<pk>``).
    """

    reference = forms.CharField(label="Số, ký hiệu", max_length=80, required=False)
    title = forms.CharField(label="Trích yếu", max_length=500)
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    issued_on = forms.DateField(
        label="Ngày ban hành", required=False, input_formats=DATE_FORMATS, widget=DATE_INPUT
    )
    place = forms.CharField(
        label="Địa danh",
        max_length=100,
        required=False,
        help_text="In ở dòng ngày tháng của văn bản: “Bình Hưng, ngày … tháng … năm …”.",
    )

    def __init__(self, *args: Any, report: dict[str, Any], unit: Unit, **kwargs: Any) -> None:
        data = report["data"]
        initial = {
            "reference": data.get("symbol") or "",
            "title": data.get("title") or "",
            "year": data.get("year"),
            "issued_on": data.get("date"),
            "place": report.get("place") or "",
        }
        super().__init__(*args, **{**kwargs, "initial": initial})
        staff = sorted(
            Staff.objects.filter(unit=unit, is_active=True),
            key=lambda s: given_name_key(s.full_name),
        )
        people = [("", "— Không gắn với viên chức —")] + [(s.pk, s.full_name) for s in staff]
        plan_people: list[tuple[str, str]] = []
        linked: set[int] = set()
        for i, match in enumerate(report["matches"]):
            item = match["assignment"]
            candidates = match["candidates"]
            if match["status"] == "matched":
                initial_choice: Any = candidates[0].pk
                linked.add(candidates[0].pk)
            elif match["status"] == "new":
                initial_choice = "new"
            else:
                initial_choice = ""
            choices = list(people)
            if item.get("name"):
                choices.insert(1, ("new", f"➕ Tạo mới “{item['name']}”"))
            self.fields[f"assignment_{i}"] = forms.ChoiceField(
                label=f"{item.get('name') or item.get('title')}",
                choices=choices,
                required=False,
                initial=initial_choice,
            )
            if item.get("name"):
                self.fields[f"assignment_{i}_role"] = forms.ChoiceField(
                    label=f"Vai trò nếu tạo mới “{item['name']}”",
                    choices=_CREATABLE_ROLES,
                    initial=match["role"],
                    required=False,
                )
                plan_people.append(
                    (f"a{i}", f"{item['name']} ({item.get('title') or 'theo kế hoạch'})")
                )
        others = [(f"s{s.pk}", s.full_name) for s in staff if s.pk not in linked]
        owner_choices = [
            ("", "— Chưa phân công —"),
            ("Người có tên trong kế hoạch", plan_people),
            ("Viên chức khác của đơn vị", others),
        ]
        kpis = [("", "— Không gắn chỉ số —"), *sorted(KNOWN_CODES.items(), key=lambda kv: kv[1])]
        for i, target in enumerate(data.get("targets", [])):
            self.fields[f"target_{i}"] = forms.ChoiceField(
                label=f"Mục tiêu {target.get('number')}",
                choices=kpis,
                required=False,
                initial=target.get("kpi") or "",
            )
            guess = report["target_owners"][i]
            self.fields[f"target_owner_{i}"] = forms.ChoiceField(
                label=f"Người chịu trách nhiệm mục tiêu {target.get('number')}",
                choices=owner_choices,
                required=False,
                initial=f"a{guess}" if guess is not None else "",
            )
        for i, task in enumerate(data.get("tasks", [])):
            guess = report["task_owners"][i]
            self.fields[f"task_owner_{i}"] = forms.ChoiceField(
                label=f"Người chủ trì nhiệm vụ {task.get('number')}",
                choices=owner_choices,
                required=False,
                initial=f"a{guess}" if guess is not None else "",
            )
        self._task_numbers = [task["number"] for task in data.get("tasks", [])]

    def corrections(self) -> dict[str, Any]:
        cleaned = self.cleaned_data

        def indexed(prefix: str) -> dict[int, Any]:
            return {
                int(key[len(prefix) :]): value
                for key, value in cleaned.items()
                if key.startswith(prefix) and key[len(prefix) :].isdigit()
            }

        return {
            "reference": cleaned.get("reference") or "",
            "title": cleaned["title"],
            "year": cleaned["year"],
            "issued_on": cleaned.get("issued_on"),
            "place": cleaned.get("place") or "",
            "assignment_staff": {i: v or None for i, v in indexed("assignment_").items()},
            "assignment_role": {
                int(key.split("_")[1]): value
                for key, value in cleaned.items()
                if key.startswith("assignment_") and key.endswith("_role")
            },
            "target_kpi": indexed("target_"),
            "target_owner": indexed("target_owner_"),
            "task_owner": {
                self._task_numbers[i]: value for i, value in indexed("task_owner_").items()
            },
        }


class TaskActionForm(forms.Form):
    """The input of one action of the task page (workflow.TASK_ACTIONS names its form): built for
    the task, filled with its current values, and turned into the service's arguments."""

    # Form field -> the service's parameter, where the names differ.
    renamed: ClassVar[dict[str, str]] = {"version": "expected_version"}

    def __init__(self, *args: Any, task: Task | None = None, **kwargs: Any) -> None:
        self.task = task
        blank = (args[0] if args else kwargs.get("data")) is None
        if blank and task is not None:  # a blank form shows the task's current values
            kwargs.setdefault("initial", self.current(task))
        super().__init__(*args, **kwargs)

    def current(self, task: Task) -> dict[str, Any]:
        """What the blank form shows: the task's values it edits."""
        return {}

    def arguments(self) -> dict[str, Any]:
        return {self.renamed.get(key, key): value for key, value in self.cleaned_data.items()}


class TaskProgressForm(TaskActionForm):
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

    def current(self, task: Task) -> dict[str, Any]:
        return {"status": task.status, "progress": task.progress, "version": task.version}


class TaskPlanForm(TaskActionForm):
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
        choices=Task._meta.get_field("review_cadence").choices or [],
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, task=task, **kwargs)
        staff = Staff.objects.filter(unit=task.plan.unit, is_active=True).order_by("full_name")
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = staff
        cast(forms.ModelMultipleChoiceField, self.fields["collaborators"]).queryset = staff

    def current(self, task: Task) -> dict[str, Any]:
        return {
            "owner": task.owner_id,
            "collaborators": list(task.collaborators.values_list("pk", flat=True)),
            "due_on": task.due_on,
            "recurrence": task.recurrence,
            "review_cadence": task.review_cadence,
            "version": task.version,
        }

    def arguments(self) -> dict[str, Any]:
        arguments = super().arguments()
        arguments["collaborators"] = list(arguments["collaborators"])
        return arguments


class EvidenceForm(TaskActionForm):
    renamed: ClassVar[dict[str, str]] = {"file": "upload"}

    title = forms.CharField(label="Tên minh chứng", max_length=300)
    file = forms.FileField(label="Tệp", required=False)
    url = forms.CharField(
        label="hoặc đường dẫn",
        max_length=500,
        required=False,
        validators=[validate_link],
        help_text="Ví dụ đường dẫn tới bài viết tuyên truyền đã đăng, kết quả trả lời phản ánh.",
    )


class CommentForm(TaskActionForm):
    text = forms.CharField(
        label="Trao đổi", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class TaskChoiceField(forms.ModelChoiceField):
    """A plan task shown by its number and the start of its title."""

    def label_from_instance(self, obj: Task) -> str:
        return f"{obj.number}. {obj.title[:80]}"


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label="Loại hoạt động", choices=ActivityKind.choices)
    title = forms.CharField(label="Tên hoạt động", max_length=300)
    held_on = forms.DateField(
        label="Ngày",
        input_formats=DATE_FORMATS,
        widget=DATE_INPUT,
        error_messages={"invalid": "Ngày không hợp lệ.", "required": "Hãy chọn ngày."},
    )
    task = TaskChoiceField(
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
        cast(forms.ModelChoiceField, self.fields["task"]).queryset = (
            Task.objects.filter(plan__unit=unit, parent__isnull=False, plan__status="active")
            .select_related("plan")
            .order_by("-plan__year", "order")
        )
        cast(
            forms.ModelMultipleChoiceField, self.fields["participants"]
        ).queryset = Staff.objects.filter(unit=unit, is_active=True).order_by("full_name")
