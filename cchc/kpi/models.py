"""Daily snapshots of every indicator per unit, so trends are read, not recomputed."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from cchc.core.models import TimeStampedModel

# A snapshot keeps a figure's whole label (a rating, or the open feedback's age buckets, ~80
# characters): a shorter column cut the dashboard's text mid-sentence (QA: "…7 ngày, 1").
LABEL_MAX = 200


class Snapshot(TimeStampedModel):
    """An indicator's parts for one unit over its year up to `day` (as measured that day).

    Parts, not percentages, so a commune's trend is the sum of its schools' parts (design.md 1).
    """

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="Đơn vị", on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField("Mã chỉ số", max_length=64)
    day = models.DateField("Ngày chụp")
    numerator = models.DecimalField("Tử số", max_digits=20, decimal_places=4)
    denominator = models.DecimalField("Mẫu số", max_digits=20, decimal_places=4)
    label = models.CharField("Xếp loại", max_length=LABEL_MAX, blank=True)

    class Meta:
        verbose_name = "Ảnh chụp chỉ số"
        verbose_name_plural = "Ảnh chụp chỉ số"
        ordering = ["unit", "code", "day"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code", "day"], name="kpi_snapshot_unique"),
            models.CheckConstraint(
                condition=models.Q(denominator__gte=0) & models.Q(numerator__gte=0),
                name="kpi_snapshot_parts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.day:%d/%m/%Y}"


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Đơn vị đang tự chấm"
    SUBMITTED = "submitted", "Chờ xã thẩm định"
    FINAL = "final", "Đã thẩm định (chính thức)"


class Assessment(TimeStampedModel):
    """A unit's reform-index self-assessment for one year, scored by the unit, appraised above.

    The rubric's code and version are kept, and each criterion's row copies its title and
    maximum, so changing the rubric later never rewrites a past assessment.
    """

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="Đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("Năm")
    rubric_code = models.CharField("Bộ tiêu chí", max_length=64)
    rubric_version = models.CharField("Phiên bản bộ tiêu chí", max_length=32)
    status = models.CharField(
        "Trạng thái", max_length=16, choices=AssessmentStatus.choices, default="draft"
    )
    self_points = models.DecimalField("Điểm tự chấm", max_digits=7, decimal_places=2, default=0)
    final_points = models.DecimalField(
        "Điểm thẩm định", max_digits=7, decimal_places=2, null=True, blank=True
    )
    max_points = models.DecimalField(
        "Điểm tối đa áp dụng", max_digits=7, decimal_places=2, default=0
    )
    self_rating = models.CharField("Tự xếp loại", max_length=40, blank=True)
    final_rating = models.CharField("Xếp loại chính thức", max_length=40, blank=True)
    submitted_at = models.DateTimeField("Gửi thẩm định lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        "organizations.Staff",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Người nộp",
    )
    appraised_at = models.DateTimeField("Thẩm định lúc", null=True, blank=True)
    appraised_by = models.ForeignKey(
        "organizations.Staff",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Người thẩm định",
    )
    # Bumped on every change: a form posted from an older page is refused (no silent overwrite).
    revision = models.PositiveIntegerField("Lần sửa", default=0)

    class Meta:
        verbose_name = "Tự đánh giá Chỉ số CCHC"
        verbose_name_plural = "Tự đánh giá Chỉ số CCHC"
        ordering = ["-year", "unit"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="kpi_assessment_unit_year"),
        ]

    def __str__(self) -> str:
        return f"Tự đánh giá CCHC {self.year} — {self.unit}"

    @property
    def points(self) -> Decimal:
        """The figure in force: the appraised one once final, else the unit's own."""
        if self.status == AssessmentStatus.FINAL and self.final_points is not None:
            return self.final_points
        return self.self_points

    @property
    def rating(self) -> str:
        return self.final_rating if self.status == AssessmentStatus.FINAL else self.self_rating


class CriterionScore(models.Model):
    """One leaf criterion of an assessment: the unit's points and evidence, the appraisal."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name="Bản tự đánh giá"
    )
    order = models.PositiveSmallIntegerField(default=0, verbose_name="Thứ tự")
    code = models.CharField("Mã tiêu chí", max_length=16)
    title = models.CharField("Tiêu chí", max_length=300)
    kind = models.CharField("Cách chấm", max_length=16)
    kpi = models.CharField("Chỉ số", max_length=64, blank=True)
    max_points = models.DecimalField("Điểm tối đa", max_digits=6, decimal_places=2)
    # False when a formula's indicator has no data in the year: left out of the maximum.
    applicable = models.BooleanField("Áp dụng", default=True)
    measured = models.CharField("Số liệu hệ thống", max_length=300, blank=True)
    self_points = models.DecimalField(
        "Điểm tự chấm", max_digits=6, decimal_places=2, null=True, blank=True
    )
    evidence = models.TextField("Minh chứng", blank=True)
    final_points = models.DecimalField(
        "Điểm thẩm định", max_digits=6, decimal_places=2, null=True, blank=True
    )
    adjust_reason = models.TextField("Lý do điều chỉnh", blank=True)

    class Meta:
        verbose_name = "Điểm tiêu chí"
        verbose_name_plural = "Điểm tiêu chí"
        ordering = ["assessment", "order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="kpi_score_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class PeriodSnapshot(TimeStampedModel):
    """An indicator's parts for one unit over a quarter ("2026-Q4") or a month ("2026-11") up to
    `day`, taken with the nightly `Snapshot` (which holds the year to date).

    The commune's roll-up of a quarter or a month reads one night's rows of all its schools
    instead of measuring every school live; a past quarter reads the rows of its last day.
    """

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="Đơn vị", on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField("Mã chỉ số", max_length=64)
    period = models.CharField("Kỳ", max_length=7)
    day = models.DateField("Ngày chụp")
    numerator = models.DecimalField("Tử số", max_digits=20, decimal_places=4)
    denominator = models.DecimalField("Mẫu số", max_digits=20, decimal_places=4)
    label = models.CharField("Xếp loại", max_length=LABEL_MAX, blank=True)

    class Meta:
        verbose_name = "Ảnh chụp chỉ số theo quý, tháng"
        verbose_name_plural = "Ảnh chụp chỉ số theo quý, tháng"
        ordering = ["unit", "code", "period", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "code", "period", "day"], name="kpi_period_snapshot_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(denominator__gte=0) & models.Q(numerator__gte=0),
                name="kpi_period_snapshot_parts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.period} {self.day:%d/%m/%Y}"
