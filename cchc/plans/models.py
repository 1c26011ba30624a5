"""The reform plan as data: plan, basis, targets bound to KPIs, a task tree, assignments,
task occurrences, evidence, comments, activities, and pending imports awaiting review."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from cchc.core.constraints import between, not_before, one_of
from cchc.core.models import TimeStampedModel


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    ACTIVE = "active", "Đang thực hiện"
    ARCHIVED = "archived", "Đã kết thúc"


class Plan(TimeStampedModel):
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="Đơn vị", on_delete=models.PROTECT, related_name="plans"
    )
    number = models.CharField("Số", max_length=20, blank=True)
    symbol = models.CharField(
        "Ký hiệu", max_length=60, blank=True, help_text="Ví dụ KH-THCSNTB (không gồm số)."
    )
    title = models.CharField("Trích yếu", max_length=500)
    year = models.PositiveIntegerField("Năm")
    issued_on = models.DateField("Ngày ban hành", null=True, blank=True)
    place = models.CharField("Địa danh", max_length=100, blank=True)
    signer = models.ForeignKey(
        "organizations.Staff",
        verbose_name="Người ký",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signed_plans",
    )
    signer_name = models.CharField("Tên người ký", max_length=200, blank=True)
    signer_title = models.CharField("Chức vụ người ký", max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="Kế hoạch cấp trên",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    parent_reference = models.CharField("Số ký hiệu kế hoạch cấp trên", max_length=60, blank=True)
    purposes = models.TextField("Mục đích", blank=True)
    requirements = models.TextField("Yêu cầu", blank=True)
    closing = models.TextField("Đoạn kết", blank=True)
    recipients = models.JSONField("Nơi nhận", default=list, blank=True)
    status = models.CharField(
        "Trạng thái", max_length=20, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    source_filename = models.CharField("Tệp nguồn", max_length=255, blank=True)
    version = models.PositiveIntegerField("Phiên bản", default=1)

    class Meta:
        verbose_name = "Kế hoạch"
        verbose_name_plural = "Kế hoạch"
        ordering = ["-year", "-issued_on", "-id"]
        indexes = [models.Index(fields=["unit", "year"], name="plan_unit_year_idx")]
        constraints = [one_of("status", PlanStatus, name="plan_status_valid", label="Trạng thái")]

    def __str__(self) -> str:
        ref = f"{self.number}/{self.symbol} " if self.number and self.symbol else ""
        return f"{ref}{self.title}"

    @property
    def reference(self) -> str:
        if self.number and self.symbol:
            return f"{self.number}/{self.symbol}"
        return self.symbol


class PlanBasis(TimeStampedModel):
    """One "Căn cứ …" line with the document references found in it."""

    plan = models.ForeignKey(
        Plan, verbose_name="Kế hoạch", on_delete=models.CASCADE, related_name="basis"
    )
    order = models.PositiveIntegerField("Thứ tự", default=0)
    text = models.TextField("Nội dung")
    references = models.JSONField("Văn bản được dẫn", default=list, blank=True)

    class Meta:
        verbose_name = "Căn cứ"
        verbose_name_plural = "Căn cứ"
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.text[:80]


# A target the plan gives no figure to (e.g. "môi trường làm việc điện tử"): its goal and status.
NO_GOAL = "Chưa có chỉ tiêu định lượng"


class Comparator(models.TextChoices):
    AT_LEAST = ">=", "từ … trở lên"
    EQUAL = "=", "đạt"
    AT_MOST = "<=", "không quá"
    MORE_THAN = ">", "trên"


class Target(TimeStampedModel):
    plan = models.ForeignKey(
        Plan, verbose_name="Kế hoạch", on_delete=models.CASCADE, related_name="targets"
    )
    order = models.PositiveIntegerField("Thứ tự", default=0)
    number = models.CharField("Số", max_length=10)
    text = models.TextField("Nội dung")
    comparator = models.CharField("So sánh", max_length=2, choices=Comparator.choices, blank=True)
    value = models.DecimalField("Giá trị", max_digits=9, decimal_places=2, null=True, blank=True)
    value_label = models.CharField(
        "Giá trị xếp loại", max_length=30, blank=True, help_text="Ví dụ Tốt, Xuất sắc."
    )
    unit_label = models.CharField("Đơn vị đo", max_length=30, blank=True)
    kpi_code = models.CharField("Chỉ số gắn kèm", max_length=60, blank=True)
    owner = models.ForeignKey(
        "organizations.Staff",
        verbose_name="Người chịu trách nhiệm",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_targets",
    )

    class Meta:
        verbose_name = "Mục tiêu"
        verbose_name_plural = "Mục tiêu"
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"

    @property
    def goal_display(self) -> str:
        """The goal as the plan states it: "từ 95% trở lên", "100%", "từ loại Tốt trở lên"; the
        one wording of a goal on every page, export and report (a target without a figure says
        so, as its status does)."""
        if self.value_label:
            return f"từ loại {self.value_label} trở lên"
        if self.value is None:
            return NO_GOAL
        figure = f"{self.value.normalize():f}".replace(".", ",") + (self.unit_label or "")
        return {
            ">=": f"từ {figure} trở lên",
            ">": f"trên {figure}",
            "<=": f"không quá {figure}",
        }.get(self.comparator, figure)


class Recurrence(models.TextChoices):
    ONCE = "once", "Một lần"
    MONTHLY = "monthly", "Hằng tháng"
    QUARTERLY = "quarterly", "Hằng quý"
    HALF_YEARLY = "half_yearly", "6 tháng"
    YEARLY = "yearly", "Hằng năm"
    CONTINUOUS = "continuous", "Thường xuyên"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Chưa bắt đầu"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Hoàn thành"
    CANCELLED = "cancelled", "Không thực hiện"


class Task(TimeStampedModel):
    """A task of the plan (groups are tasks with children); recurring ones get occurrences."""

    plan = models.ForeignKey(
        Plan, verbose_name="Kế hoạch", on_delete=models.CASCADE, related_name="tasks"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="Nhóm nhiệm vụ",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    order = models.PositiveIntegerField("Thứ tự", default=0)
    number = models.CharField("Số", max_length=20)
    title = models.CharField("Tên nhiệm vụ", max_length=300)
    text = models.TextField("Nội dung", blank=True)
    owner = models.ForeignKey(
        "organizations.Staff",
        verbose_name="Người chủ trì",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_tasks",
    )
    collaborators = models.ManyToManyField(
        "organizations.Staff", verbose_name="Người phối hợp", blank=True, related_name="+"
    )
    recurrence = models.CharField(
        "Tần suất", max_length=20, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    review_cadence = models.CharField(
        "Kỳ rà soát (việc thường xuyên)",
        max_length=20,
        choices=[
            (Recurrence.MONTHLY, "Hằng tháng"),
            (Recurrence.QUARTERLY, "Hằng quý"),
            (Recurrence.HALF_YEARLY, "6 tháng"),
        ],
        default=Recurrence.QUARTERLY,
    )
    due_on = models.DateField("Hạn hoàn thành", null=True, blank=True)
    status = models.CharField(
        "Trạng thái", max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        "Tiến độ (%)", default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    completed_on = models.DateField("Ngày hoàn thành", null=True, blank=True)
    version = models.PositiveIntegerField("Phiên bản", default=1)

    class Meta:
        verbose_name = "Nhiệm vụ"
        verbose_name_plural = "Nhiệm vụ"
        ordering = ["plan", "order"]
        indexes = [models.Index(fields=["owner", "status"], name="task_owner_status_idx")]
        constraints = [
            one_of("status", TaskStatus, name="task_status_valid", label="Trạng thái"),
            one_of("recurrence", Recurrence, name="task_recurrence_valid", label="Tần suất"),
            between(
                "progress",
                0,
                100,
                name="task_progress_percent",
                message="Tiến độ phải từ 0 đến 100%.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def is_group(self) -> bool:
        return self.parent_id is None and "." not in self.number


class TaskOccurrence(TimeStampedModel):
    """One period of a recurring task (a month, a quarter …) with its own deadline."""

    task = models.ForeignKey(
        Task, verbose_name="Nhiệm vụ", on_delete=models.CASCADE, related_name="occurrences"
    )
    period_label = models.CharField("Kỳ", max_length=40)
    period_start = models.DateField("Từ ngày")
    due_on = models.DateField("Hạn")
    status = models.CharField(
        "Trạng thái", max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    completed_on = models.DateField("Ngày hoàn thành", null=True, blank=True)

    class Meta:
        verbose_name = "Kỳ thực hiện"
        verbose_name_plural = "Kỳ thực hiện"
        ordering = ["task", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "period_label", "period_start"], name="occurrence_unique"
            ),
            one_of("status", TaskStatus, name="occurrence_status_valid", label="Trạng thái"),
            not_before(
                "due_on",
                "period_start",
                name="occurrence_due_not_before_start",
                message="Hạn của kỳ không được trước ngày bắt đầu kỳ.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.number} — {self.period_label}"


class Evidence(TimeStampedModel):
    task = models.ForeignKey(
        Task, verbose_name="Nhiệm vụ", on_delete=models.CASCADE, related_name="evidence"
    )
    occurrence = models.ForeignKey(
        TaskOccurrence,
        verbose_name="Kỳ thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence",
    )
    title = models.CharField("Tên minh chứng", max_length=300)
    file = models.FileField("Tệp", upload_to="plans/evidence/%Y/%m/", blank=True)
    url = models.CharField("Đường dẫn", max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người thêm",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "Minh chứng"
        verbose_name_plural = "Minh chứng"
        ordering = ["task", "-created_at"]

    def __str__(self) -> str:
        return self.title


class TaskComment(TimeStampedModel):
    task = models.ForeignKey(
        Task, verbose_name="Nhiệm vụ", on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Tài khoản người viết",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_name = models.CharField("Người viết", max_length=200)
    text = models.TextField("Nội dung")

    class Meta:
        verbose_name = "Trao đổi"
        verbose_name_plural = "Trao đổi"
        ordering = ["task", "created_at"]

    def __str__(self) -> str:
        return self.text[:80]


class Assignment(TimeStampedModel):
    """A person (or group) named in "Tổ chức thực hiện" with their duty lines."""

    plan = models.ForeignKey(
        Plan, verbose_name="Kế hoạch", on_delete=models.CASCADE, related_name="assignments"
    )
    order = models.PositiveIntegerField("Thứ tự", default=0)
    staff = models.ForeignKey(
        "organizations.Staff",
        verbose_name="Viên chức",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_assignments",
    )
    name = models.CharField("Họ tên / bộ phận", max_length=200)
    honorific = models.CharField("Danh xưng", max_length=10, blank=True)
    title = models.CharField("Chức vụ", max_length=200, blank=True)
    duties = models.JSONField("Nhiệm vụ được phân công", default=list)

    class Meta:
        verbose_name = "Phân công"
        verbose_name_plural = "Phân công"
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.name}, {self.title}"


class ActivityKind(models.TextChoices):
    TRAINING = "training", "Bồi dưỡng, tập huấn"
    COMMUNICATION = "communication", "Tuyên truyền CCHC"
    LEGAL_DISSEMINATION = "legal_dissemination", "Phổ biến, giáo dục pháp luật"
    INITIATIVE = "initiative", "Sáng kiến, đề xuất"


class InitiativeStatus(models.TextChoices):
    SUBMITTED = "submitted", "Đã gửi"
    EVALUATED = "evaluated", "Đã đánh giá"
    ADOPTED = "adopted", "Được áp dụng"
    REJECTED = "rejected", "Không áp dụng"


class Activity(TimeStampedModel):
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="Đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    task = models.ForeignKey(
        Task,
        verbose_name="Thuộc nhiệm vụ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    kind = models.CharField("Loại hoạt động", max_length=30, choices=ActivityKind.choices)
    title = models.CharField("Tên hoạt động", max_length=300)
    held_on = models.DateField("Ngày")
    description = models.TextField("Mô tả", blank=True)
    participants = models.ManyToManyField(
        "organizations.Staff", verbose_name="Người tham gia", blank=True, related_name="activities"
    )
    participant_count = models.PositiveIntegerField("Số người tham dự", default=0)
    initiative_status = models.CharField(
        "Tình trạng sáng kiến", max_length=20, choices=InitiativeStatus.choices, blank=True
    )
    evidence_file = models.FileField("Minh chứng", upload_to="plans/activities/%Y/%m/", blank=True)
    evidence_url = models.CharField("Đường dẫn minh chứng", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người tạo",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "Hoạt động"
        verbose_name_plural = "Hoạt động"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["unit", "held_on"], name="activity_unit_held_idx")]
        constraints = [
            one_of("kind", ActivityKind, name="activity_kind_valid", label="Loại hoạt động"),
            one_of(
                "initiative_status",
                InitiativeStatus,
                name="activity_initiative_status_valid",
                label="Tình trạng sáng kiến",
                blank=True,
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlanImport(TimeStampedModel):
    """An uploaded plan parsed and waiting for the user's review; nothing else is saved yet."""

    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.CASCADE, related_name="+", verbose_name="Đơn vị"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người tạo",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filename = models.CharField("Tên tệp", max_length=255)
    text = models.TextField("Nội dung đã đọc")
    parsed = models.JSONField("Kết quả nhận dạng")
    plan = models.ForeignKey(
        Plan,
        verbose_name="Kế hoạch đã lưu",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "Lượt nhập kế hoạch"
        verbose_name_plural = "Lượt nhập kế hoạch"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
