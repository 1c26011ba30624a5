"""Built periodic reform reports, and each unit's reporting calendar.

`Report` is one request for a report of a unit (or a commune's consolidated report) for one
period: the background task fills in the three files or records why it failed. The number is
empty until the clerk registers the report in the outgoing register (cchc.documents): the paper
carries "Số: .../BC-..." until then, as a draft does under Decree 30/2020.

`ReportingRule` is one line of a unit's reporting calendar (which periods are reported, the due
date, the data cut-off of Decree 09/2019 Art. 12, when to remind and whom). A school without
rules of its own follows its commune's, and without those the defaults in
`data/reporting_calendar.json`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from cchc.core.models import TimeStampedModel


class ReportKind(models.TextChoices):
    UNIT = "unit", "Báo cáo của đơn vị"
    CONSOLIDATED = "consolidated", "Báo cáo tổng hợp các đơn vị trực thuộc"


class ReportStatus(models.TextChoices):
    BUILDING = "building", "Đang lập"
    READY = "ready", "Đã lập xong"
    FAILED = "failed", "Lập không thành công"


class Report(TimeStampedModel):
    """A reform report requested for a unit and period, built in the background."""

    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="Đơn vị",
        on_delete=models.PROTECT,
        related_name="reform_reports",
    )
    period = models.CharField("Kỳ báo cáo", max_length=7, help_text="2026-Q1, 2026-H1 hoặc 2026.")
    # The data window of the period in the unit's reporting calendar when it was requested
    # (Decree 09/2019 cut-off, e.g. 15/06–14/09 for Q3): what the paper's figures cover.
    data_from = models.DateField("Số liệu từ ngày", null=True, blank=True)
    data_to = models.DateField("Số liệu đến ngày", null=True, blank=True)
    kind = models.CharField(
        "Loại báo cáo", max_length=12, choices=ReportKind.choices, default=ReportKind.UNIT
    )
    status = models.CharField(
        "Trạng thái", max_length=10, choices=ReportStatus.choices, default=ReportStatus.BUILDING
    )
    difficulties = models.TextField("Khó khăn, vướng mắc", blank=True)
    proposals = models.TextField("Đề xuất, kiến nghị", blank=True)
    number = models.PositiveIntegerField("Số", null=True, blank=True)
    symbol = models.CharField("Ký hiệu", max_length=60, blank=True)
    docx = models.FileField("Bản Word", upload_to="reports/%Y/", blank=True)
    pdf = models.FileField("Bản PDF", upload_to="reports/%Y/", blank=True)
    xlsx = models.FileField("Phụ lục XLSX", upload_to="reports/%Y/", blank=True)
    error = models.CharField("Lý do không lập được", max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người yêu cầu",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    built_at = models.DateTimeField("Lập xong lúc", null=True, blank=True)
    # Bumped by every save of its own sections (drafter or leader): an edit made from an older
    # page is refused (409), never written over a newer one.
    version = models.PositiveIntegerField("Phiên bản", default=1)
    outgoing = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name="Văn bản đi",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reform_reports",
    )

    class Meta:
        verbose_name = "Báo cáo CCHC"
        verbose_name_plural = "Báo cáo CCHC"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "period", "status"])]

    def __str__(self) -> str:
        return f"Báo cáo CCHC {self.period} — {self.unit}"

    @property
    def is_stalled(self) -> bool:
        """Still "Đang lập" half an hour on: the worker stopped (a new request may be made)."""
        from datetime import timedelta

        from django.utils import timezone

        return (
            self.status == ReportStatus.BUILDING
            and self.created_at < timezone.now() - timedelta(minutes=30)
        )

    @property
    def reference(self) -> str:
        """ "12/BC-THCS" (a number below 10 zero-padded: "01/BC-UBND", Decree 30/2020, domain.md
        6.2) once registered, else ".../BC-THCS" as on the draft paper."""
        number = f"{self.number:02d}" if self.number else "..."
        return f"{number}/{self.symbol}" if self.symbol else ""


class Slot(models.TextChoices):
    """The periods of a year a unit reports on (a half-year report usually replaces Q2's and
    the annual report Q4's: that is each unit's choice of rules, not code)."""

    Q1 = "Q1", "Quý I"
    Q2 = "Q2", "Quý II"
    H1 = "H1", "6 tháng đầu năm"
    Q3 = "Q3", "Quý III"
    Q4 = "Q4", "Quý IV"
    H2 = "H2", "6 tháng cuối năm"
    YEAR = "Y", "Năm"


_MONTH = [MinValueValidator(1), MaxValueValidator(12)]
_DAY = [MinValueValidator(1), MaxValueValidator(31)]


class ReportingRule(TimeStampedModel):
    """One periodic report a unit owes: the due date and data cut-off as month and day."""

    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="Đơn vị",
        on_delete=models.CASCADE,
        related_name="reporting_rules",
    )
    slot = models.CharField("Kỳ báo cáo", max_length=2, choices=Slot.choices)
    due_workdays = models.PositiveSmallIntegerField(
        "Hạn nộp: số ngày làm việc sau ngày chốt số liệu",
        default=2,
        validators=[MaxValueValidator(60)],
    )
    due_month = models.PositiveSmallIntegerField(
        "Hạn nộp cố định: tháng", null=True, blank=True, validators=_MONTH
    )
    due_day = models.PositiveSmallIntegerField(
        "Hạn nộp cố định: ngày",
        null=True,
        blank=True,
        validators=_DAY,
        help_text="Khi cấp trên ấn định ngày nộp cụ thể; để trống thì tính theo ngày làm việc.",
    )
    cutoff_from_month = models.PositiveSmallIntegerField("Chốt số liệu từ tháng", validators=_MONTH)
    cutoff_from_day = models.PositiveSmallIntegerField("Chốt số liệu từ ngày", validators=_DAY)
    cutoff_to_month = models.PositiveSmallIntegerField("Chốt số liệu đến tháng", validators=_MONTH)
    cutoff_to_day = models.PositiveSmallIntegerField("Chốt số liệu đến ngày", validators=_DAY)
    remind_days_before = models.PositiveSmallIntegerField(
        "Nhắc trước (ngày)", default=7, validators=[MaxValueValidator(60)]
    )
    responsible = models.ForeignKey(
        "organizations.Staff",
        verbose_name="Người chịu trách nhiệm",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reporting_rules",
        help_text="Để trống: hiệu trưởng (thủ trưởng) của đơn vị.",
    )
    basis = models.CharField("Căn cứ", max_length=300, blank=True)

    class Meta:
        verbose_name = "Lịch báo cáo định kỳ"
        verbose_name_plural = "Lịch báo cáo định kỳ"
        ordering = ["unit", "cutoff_to_month", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "slot"], name="reports_rule_unit_slot_unique"),
            models.CheckConstraint(
                condition=Q(due_month__isnull=True, due_day__isnull=True)
                | Q(due_month__isnull=False, due_day__isnull=False),
                name="reports_rule_fixed_due_whole",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_slot_display()} (đơn vị {self.unit_id})"


class ReportReminder(models.Model):
    """A reminder sent for one unit's report due on one date: sent once, never twice."""

    unit = models.ForeignKey(
        "organizations.Unit",
        on_delete=models.CASCADE,
        related_name="report_reminders",
        verbose_name="Đơn vị",
    )
    period = models.CharField("Kỳ báo cáo", max_length=7)
    due_on = models.DateField("Hạn nộp")
    kind = models.CharField("Loại nhắc", max_length=8, default="before")
    recipients = models.TextField("Người nhận", blank=True)
    sent_at = models.DateTimeField("Gửi lúc", auto_now_add=True)

    class Meta:
        verbose_name = "Thư nhắc báo cáo"
        verbose_name_plural = "Thư nhắc báo cáo"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period", "due_on", "kind"],
                name="reports_reminder_once_per_due_date",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["before", "overdue"]), name="reports_reminder_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"Nhắc báo cáo {self.period} hạn {self.due_on:%d/%m/%Y}"
