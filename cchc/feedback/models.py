"""Feedback items (phản ánh, kiến nghị), their events, attachments, answer templates, the
inspection board's findings, the per-unit deadline settings and the register counter."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone

from cchc.core.constraints import one_of
from cchc.core.models import TimeStampedModel
from cchc.feedback.workflow import OPEN, Channel, Classification, FeedbackStatus

# The answer deadline that on-time is judged against: the one set at receipt (a dispute's new
# review deadline does not make a late first answer on time; 766 indicator 5.2).
ANSWER_DUE = Coalesce("initial_due_at", "due_at")


def late_q(now: datetime) -> models.Q:
    """The one definition of a late item: still open (the answer clock runs, Decree 20/2008
    Art. 14) and past its answer deadline. Lists, alerts, the detail page and the KPIs use it."""
    return models.Q(status__in=OPEN, due_at__lt=now)


def answered_late_q() -> models.Q:
    """Answered (approved) after the answer deadline set at receipt."""
    return models.Q(approved_at__gt=ANSWER_DUE)


class FeedbackQuerySet(models.QuerySet["Feedback"]):
    def late(self, now: datetime | None = None) -> FeedbackQuerySet:
        """Items late now (`late_q`)."""
        return self.filter(late_q(now or timezone.now()))


class Kind(models.TextChoices):
    """Decree 20/2008 Art. 3: a phản ánh reports a problem, a kiến nghị also proposes a fix."""

    COMPLAINT = "phan_anh", "Phản ánh"
    PROPOSAL = "kien_nghi", "Kiến nghị"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "Hài lòng"
    UNSATISFIED = "unsatisfied", "Không hài lòng"


class FeedbackSettings(TimeStampedModel):
    """A unit's deadlines in working days; defaults are the 766 timings (domain.md 2.2)."""

    unit = models.OneToOneField(
        "organizations.Unit",
        on_delete=models.CASCADE,
        related_name="feedback_settings",
        verbose_name="Đơn vị",
    )
    reject_within_days = models.PositiveSmallIntegerField("Hạn từ chối (ngày làm việc)", default=2)
    info_within_days = models.PositiveSmallIntegerField(
        "Hạn yêu cầu bổ sung thông tin (ngày làm việc)", default=5
    )
    forward_within_days = models.PositiveSmallIntegerField(
        "Hạn chuyển cơ quan có thẩm quyền (ngày làm việc)", default=5
    )
    answer_within_days = models.PositiveSmallIntegerField("Hạn trả lời (ngày làm việc)", default=15)
    publish_within_days = models.PositiveSmallIntegerField(
        "Hạn công khai sau khi duyệt (ngày làm việc)", default=2
    )

    class Meta:
        verbose_name = "Thời hạn xử lý phản ánh, kiến nghị"
        verbose_name_plural = "Thời hạn xử lý phản ánh, kiến nghị"
        ordering = ["unit"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answer_within_days__gte=1)
                & models.Q(publish_within_days__gte=1)
                & models.Q(reject_within_days__gte=1),
                name="feedback_settings_positive",
            )
        ]

    def __str__(self) -> str:
        return f"Thời hạn PAKN của {self.unit_id}"


class Feedback(TimeStampedModel):
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="Đơn vị",
        on_delete=models.PROTECT,
        related_name="feedback_items",
    )
    year = models.PositiveSmallIntegerField("Năm")
    register_number = models.PositiveIntegerField("Số vào sổ")
    tracking_code = models.CharField("Mã theo dõi", max_length=20, unique=True)
    access_key = models.CharField(max_length=40, editable=False, verbose_name="Khóa tra cứu")
    external_code = models.CharField("Mã trên Cổng DVCQG", max_length=60, blank=True)
    channel = models.CharField("Kênh tiếp nhận", max_length=20, choices=Channel.choices)
    kind = models.CharField("Loại", max_length=10, choices=Kind.choices, default=Kind.COMPLAINT)
    status = models.CharField(
        "Trạng thái",
        max_length=20,
        choices=FeedbackStatus.choices,
        default=FeedbackStatus.RECEIVED,
    )
    classification = models.CharField(
        "Phân loại", max_length=12, choices=Classification.choices, blank=True
    )
    sender_name = models.CharField("Họ tên người gửi", max_length=200, blank=True)
    sender_address = models.CharField("Địa chỉ", max_length=300, blank=True)
    sender_phone = models.CharField("Điện thoại", max_length=15, blank=True)
    sender_email = models.EmailField("Thư điện tử", blank=True)
    title = models.CharField("Tiêu đề", max_length=200)
    content = models.TextField("Nội dung")
    search_text = models.TextField(editable=False, default="", verbose_name="Chuỗi tìm kiếm")
    consent_to_publish = models.BooleanField("Đồng ý công khai nội dung", default=False)
    received_at = models.DateTimeField("Thời điểm tiếp nhận", default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Người tiếp nhận",
    )
    due_at = models.DateTimeField("Hạn trả lời", db_index=True)
    # The answer deadline set at receipt; a dispute gives the review a new due_at, but the
    # indicators judge the first answer against this one (766 indicator 5.2).
    initial_due_at = models.DateTimeField("Hạn trả lời ban đầu", null=True, blank=True)
    # The 766 indicator 5.2 step deadlines, fixed at receipt so indicators are one SQL query.
    reject_due_at = models.DateTimeField("Hạn từ chối", null=True, blank=True)
    info_due_at = models.DateTimeField("Hạn yêu cầu bổ sung thông tin", null=True, blank=True)
    forward_due_at = models.DateTimeField("Hạn chuyển cơ quan khác", null=True, blank=True)
    classified_at = models.DateTimeField("Thời điểm phân loại", null=True, blank=True)
    decision_reason = models.TextField("Lý do (từ chối, chuyển)", blank=True)
    forwarded_to = models.CharField("Chuyển đến", max_length=300, blank=True)
    info_requested_at = models.DateTimeField("Yêu cầu bổ sung lúc", null=True, blank=True)
    info_request_count = models.PositiveSmallIntegerField("Số lần yêu cầu bổ sung", default=0)
    assignee = models.ForeignKey(
        "organizations.Staff",
        verbose_name="Người xử lý",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_feedback",
    )
    answer = models.TextField("Nội dung trả lời", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Người trả lời",
    )
    drafted_at = models.DateTimeField("Dự thảo lúc", null=True, blank=True)
    approved_at = models.DateTimeField("Duyệt lúc", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Người duyệt",
    )
    publish_due_at = models.DateTimeField("Hạn công khai", null=True, blank=True)
    public_question = models.TextField("Câu hỏi đã ẩn thông tin cá nhân", blank=True)
    public_answer = models.TextField("Trả lời đã ẩn thông tin cá nhân", blank=True)
    public_search = models.TextField(
        editable=False, default="", verbose_name="Chuỗi tìm kiếm công khai"
    )
    published_at = models.DateTimeField("Công khai lúc", null=True, blank=True)
    closed_at = models.DateTimeField("Kết thúc lúc", null=True, blank=True)
    rating = models.CharField(
        "Đánh giá của người gửi", max_length=12, choices=Rating.choices, blank=True
    )
    rated_at = models.DateTimeField("Đánh giá lúc", null=True, blank=True)
    dispute_count = models.PositiveSmallIntegerField("Số lần không đồng ý", default=0)
    version = models.PositiveIntegerField("Phiên bản", default=1)

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = "Phản ánh, kiến nghị"
        verbose_name_plural = "Phản ánh, kiến nghị"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="feedback_unit_status_idx"),
            models.Index(fields=["unit", "received_at"], name="feedback_unit_received_idx"),
            models.Index(fields=["unit", "published_at"], name="feedback_unit_published_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "register_number"], name="feedback_register_unique"
            ),
            models.UniqueConstraint(
                fields=["unit", "external_code"],
                condition=~models.Q(external_code=""),
                name="feedback_external_code_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="feedback_published_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["approved", "published"]) | ~models.Q(answer=""),
                name="feedback_approved_has_answer",
            ),
            one_of("status", FeedbackStatus, name="feedback_status_valid", label="Trạng thái"),
            one_of("channel", Channel, name="feedback_channel_valid", label="Kênh tiếp nhận"),
            one_of("kind", Kind, name="feedback_kind_valid", label="Loại"),
            one_of(
                "classification",
                Classification,
                name="feedback_classification_valid",
                label="Phân loại",
                blank=True,
            ),
            one_of("rating", Rating, name="feedback_rating_valid", label="Đánh giá", blank=True),
        ]

    def __str__(self) -> str:
        return f"{self.register_number}/{self.year} {self.tracking_code}"

    @property
    def is_online(self) -> bool:
        from cchc.feedback.workflow import ONLINE_CHANNELS

        return self.channel in ONLINE_CHANNELS

    @property
    def entered_later(self) -> bool:
        """Typed into the register well after it arrived (a letter from Friday entered on Monday).

        The deadlines run from `received_at`; the page shows both so the delay is visible.
        """
        if self.created_at is None:
            return False
        return (self.created_at - self.received_at).total_seconds() >= 3600

    @property
    def is_open(self) -> bool:
        """Still waiting for the unit's answer (the answer clock runs)."""
        return self.status in OPEN

    def is_late(self, now: datetime | None = None) -> bool:
        """`late_q` for one item already in memory."""
        return self.is_open and self.due_at < (now or timezone.now())

    @property
    def has_contact(self) -> bool:
        return bool(self.sender_phone or self.sender_email or self.sender_address)


class FeedbackEvent(models.Model):
    """One step of an item's life: the history shown to staff (and, public ones, the sender)."""

    feedback = models.ForeignKey(
        Feedback,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name="Phản ánh, kiến nghị",
    )
    at = models.DateTimeField("Thời điểm", default=timezone.now)
    from_status = models.CharField(
        max_length=20, blank=True, choices=FeedbackStatus.choices, verbose_name="Từ trạng thái"
    )
    to_status = models.CharField(
        max_length=20, choices=FeedbackStatus.choices, verbose_name="Sang trạng thái"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Người thực hiện",
    )
    actor_name = models.CharField("Người thực hiện", max_length=200, blank=True)
    note = models.TextField("Ghi chú", blank=True)
    is_public = models.BooleanField("Hiện cho người gửi", default=True)

    class Meta:
        verbose_name = "Bước xử lý phản ánh"
        verbose_name_plural = "Bước xử lý phản ánh"
        ordering = ["feedback", "at", "id"]
        constraints = [
            one_of(
                "to_status",
                FeedbackStatus,
                name="feedback_event_to_status_valid",
                label="Trạng thái",
            ),
            one_of(
                "from_status",
                FeedbackStatus,
                name="feedback_event_from_status_valid",
                label="Trạng thái trước",
                blank=True,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.feedback_id}: {self.from_status} → {self.to_status}"


class FeedbackAttachment(TimeStampedModel):
    feedback = models.ForeignKey(
        Feedback,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name="Phản ánh, kiến nghị",
    )
    file = models.FileField("Tệp", upload_to="feedback/%Y/%m/")
    name = models.CharField("Tên tệp", max_length=200)

    class Meta:
        verbose_name = "Tệp đính kèm phản ánh"
        verbose_name_plural = "Tệp đính kèm phản ánh"
        ordering = ["feedback", "id"]

    def __str__(self) -> str:
        return self.name


class AnswerTemplate(TimeStampedModel):
    """A reusable answer opening/closing the handler starts a draft from."""

    unit = models.ForeignKey(
        "organizations.Unit",
        on_delete=models.CASCADE,
        related_name="feedback_templates",
        verbose_name="Đơn vị",
    )
    title = models.CharField("Tên mẫu", max_length=200)
    body = models.TextField("Nội dung mẫu")

    class Meta:
        verbose_name = "Mẫu trả lời"
        verbose_name_plural = "Mẫu trả lời"
        ordering = ["unit", "title"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "title"], name="feedback_template_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Finding(TimeStampedModel):
    """The inspection board head's finding on a conduct complaint or a dispute."""

    feedback = models.ForeignKey(
        Feedback,
        on_delete=models.CASCADE,
        related_name="findings",
        verbose_name="Phản ánh, kiến nghị",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Người ghi ý kiến",
    )
    author_name = models.CharField("Người ghi", max_length=200)
    text = models.TextField("Nội dung kết luận, kiến nghị")

    class Meta:
        verbose_name = "Ý kiến của Ban Thanh tra nhân dân"
        verbose_name_plural = "Ý kiến của Ban Thanh tra nhân dân"
        ordering = ["feedback", "created_at"]

    def __str__(self) -> str:
        return f"Ý kiến về {self.feedback_id}"


class RegisterCounter(models.Model):
    """Row-locked register numbers, continuous per unit per year (sổ tiếp nhận PAKN)."""

    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.CASCADE, related_name="+", verbose_name="Đơn vị"
    )
    year = models.PositiveSmallIntegerField(verbose_name="Năm")
    last = models.PositiveIntegerField(default=0, verbose_name="Số cuối đã cấp")

    class Meta:
        verbose_name = "Bộ đếm sổ tiếp nhận PAKN"
        verbose_name_plural = "Bộ đếm sổ tiếp nhận PAKN"
        ordering = ["unit", "year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="feedback_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}={self.last}"
