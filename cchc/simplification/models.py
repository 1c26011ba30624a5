"""A procedure review (rà soát, đánh giá TTHC), its findings per part, the compliance-cost lines
before and after the proposal, and the versioned internal process (steps with time budgets).

The cost lines carry exactly the inputs of the official method (see `costing.py`): time spent per
activity, the wage basis per hour (on the review), fees and other costs (travel, copies).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cchc.core.models import TimeStampedModel


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    APPROVED = "approved", "Hiệu trưởng đã duyệt"
    SUBMITTED = "submitted", "Đã gửi UBND xã"
    ACCEPTED = "accepted", "Cấp trên chấp thuận"
    REJECTED = "rejected", "Cấp trên không chấp thuận"


class Part(models.TextChoices):
    """The parts of a procedure the seed plan's task 3.5 names, plus fee and channel."""

    TIME_LIMIT = "time_limit", "Thời hạn giải quyết"
    DOCUMENTS = "documents", "Thành phần hồ sơ"
    STEPS = "steps", "Trình tự, các bước thực hiện"
    FEE = "fee", "Phí, lệ phí"
    COMPETENCE = "competence", "Thẩm quyền giải quyết"
    CHANNEL = "channel", "Cách thức thực hiện"


class Scenario(models.TextChoices):
    BEFORE = "before", "Trước đơn giản hóa"
    AFTER = "after", "Sau đơn giản hóa"


class Review(TimeStampedModel):
    """One review of one procedure (the version in force when the review was opened)."""

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="Đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    procedure = models.ForeignKey(
        "dossiers.Procedure",
        verbose_name="Thủ tục",
        on_delete=models.PROTECT,
        related_name="simplification_reviews",
    )
    year = models.PositiveSmallIntegerField("Năm rà soát")
    status = models.CharField(
        "Trạng thái", max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    wage_per_hour_vnd = models.PositiveBigIntegerField(
        "Thu nhập bình quân 01 giờ làm việc (đồng)",
        help_text="Mức thu nhập bình quân/giờ của người thực hiện thủ tục, đầu vào “chi phí "
        "thời gian” của phương pháp tính chi phí tuân thủ.",
    )
    yearly_volume = models.PositiveIntegerField(
        "Số hồ sơ/năm", help_text="Lấy từ hồ sơ đã tiếp nhận trong hệ thống (12 tháng gần nhất)."
    )
    volume_basis = models.CharField("Cách lấy số hồ sơ/năm", max_length=300, blank=True)
    effective_on = models.DateField("Ngày áp dụng đề xuất", null=True, blank=True)
    summary = models.TextField("Ý kiến tổng hợp", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Người lập",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Người phê duyệt",
    )
    approved_at = models.DateTimeField("Thời điểm duyệt", null=True, blank=True)
    submitted_at = models.DateTimeField("Thời điểm gửi cấp trên", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Người quyết định",
    )
    decided_at = models.DateTimeField("Thời điểm cấp trên cho ý kiến", null=True, blank=True)
    decision_note = models.TextField("Ý kiến của cấp trên", blank=True)
    version = models.PositiveIntegerField("Phiên bản", default=1)

    class Meta:
        verbose_name = "Phiếu rà soát, đơn giản hóa TTHC"
        verbose_name_plural = "Phiếu rà soát, đơn giản hóa TTHC"
        ordering = ["-year", "-created_at"]
        indexes = [models.Index(fields=["unit", "year", "status"], name="review_unit_year_idx")]

    def __str__(self) -> str:
        return f"Rà soát {self.procedure.name} ({self.year})"


class Finding(models.Model):
    """One part of the procedure: what it is now, what was found, what is proposed, and why."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="findings", verbose_name="Phiếu rà soát"
    )
    part = models.CharField("Bộ phận", max_length=12, choices=Part.choices)
    current = models.TextField("Quy định hiện hành")
    finding = models.TextField("Kết quả rà soát", blank=True)
    proposal = models.TextField("Phương án đơn giản hóa", blank=True)
    legal_ground = models.TextField("Căn cứ pháp lý của đề xuất", blank=True)

    class Meta:
        verbose_name = "Nội dung rà soát"
        verbose_name_plural = "Nội dung rà soát"
        ordering = ["review", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "part"], name="finding_review_part_unique")
        ]

    def __str__(self) -> str:
        return self.get_part_display()


class CostLine(models.Model):
    """One activity of the citizen in one scenario: hours spent, fees paid, other costs."""

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="cost_lines", verbose_name="Phiếu rà soát"
    )
    scenario = models.CharField("Phương án", max_length=6, choices=Scenario.choices)
    order = models.PositiveSmallIntegerField("Thứ tự", default=0)
    activity = models.CharField("Công việc người dân phải làm", max_length=300)
    hours = models.DecimalField("Thời gian (giờ)", max_digits=7, decimal_places=2)
    fee_vnd = models.PositiveBigIntegerField("Phí, lệ phí (đồng)", default=0)
    other_vnd = models.PositiveBigIntegerField(
        "Chi phí khác: đi lại, sao chụp, dịch vụ (đồng)", default=0
    )

    class Meta:
        verbose_name = "Dòng chi phí tuân thủ"
        verbose_name_plural = "Dòng chi phí tuân thủ"
        ordering = ["review", "scenario", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gte=0), name="cost_line_hours_not_negative"
            )
        ]

    def __str__(self) -> str:
        return self.activity


class ProcessVersion(TimeStampedModel):
    """The unit's internal process for a procedure from `effective_from` on: ordered steps with
    time budgets in working days. Dossiers received before that day keep the older version."""

    procedure = models.ForeignKey(
        "dossiers.Procedure",
        verbose_name="Thủ tục",
        on_delete=models.PROTECT,
        related_name="process_versions",
    )
    review = models.ForeignKey(
        Review,
        verbose_name="Theo phiếu rà soát",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="process_versions",
    )
    number = models.PositiveSmallIntegerField("Phiên bản số")
    effective_from = models.DateField("Áp dụng cho hồ sơ tiếp nhận từ ngày")
    steps = models.JSONField(
        "Các bước và thời hạn",
        default=list,
        help_text='Ví dụ [{"code": "reception", "name": "Tiếp nhận", "days": 0.5}, …]',
    )
    note = models.TextField("Ghi chú", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Người lập",
    )

    class Meta:
        verbose_name = "Quy trình nội bộ"
        verbose_name_plural = "Quy trình nội bộ"
        ordering = ["procedure", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "number"], name="process_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["procedure", "effective_from"], name="process_version_day_unique"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.procedure.name}: quy trình số {self.number} từ {self.effective_from:%d/%m/%Y}"
        )

    @property
    def budgets(self) -> dict[str, float]:
        """The steps as the `step_budgets` mapping the dossier deadlines read."""
        return {step["code"]: step["days"] for step in self.steps}
