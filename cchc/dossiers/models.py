"""Procedure catalogue (versioned rules), dossiers, their hand-over events, pauses, apologies,
attachments, and the row-locked counters that give gap-free codes and book entries."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from cchc.core.constraints import not_before, one_of
from cchc.core.models import TimeStampedModel
from cchc.dossiers.channels import Channel
from cchc.dossiers.workflow import CLOCK_RUNNING, DossierStatus, Step


class TimeLimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "ngày làm việc"
    WORKING_HOURS = "working_hours", "giờ làm việc"
    SAME_DAY = "same_day", "trong ngày"
    PLAN = "plan", "theo kế hoạch"


class ResultDelivery(models.TextChoices):
    """How the citizen takes the result (Mẫu 07 "Phương thức nhận kết quả"): the codes of
    `Channel` (a dossier's result goes back the way it came unless the citizen chose otherwise),
    with the wording of the form."""

    IN_PERSON = "in_person", "Trực tiếp"
    POST = "post", "Qua bưu chính"
    ONLINE = "online", "Trực tuyến"


class OnlineLevel(models.TextChoices):
    FULL = "full", "Toàn trình"
    PARTIAL = "partial", "Một phần"
    NONE = "none", "Không"


class SupplementRule(models.TextChoices):
    RESTART = "restart", "Tính lại từ đầu khi nhận đủ hồ sơ"
    PAUSE = "pause", "Tạm dừng, cộng thêm thời gian chờ bổ sung"


class Procedure(TimeStampedModel):
    """One version of a published procedure (the rule in force from `valid_from`)."""

    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="Đơn vị",
        on_delete=models.PROTECT,
        related_name="procedures",
    )
    code = models.CharField("Mã thủ tục", max_length=30, blank=True)
    name = models.CharField("Tên thủ tục", max_length=300)
    search_text = models.CharField(
        max_length=600, editable=False, default="", verbose_name="Chuỗi tìm kiếm"
    )
    field = models.CharField("Lĩnh vực", max_length=200, blank=True)
    level = models.CharField("Cấp thực hiện", max_length=100, blank=True)
    steps = models.JSONField("Trình tự thực hiện", default=list, blank=True)
    channels = models.JSONField("Cách thức thực hiện", default=list, blank=True)
    documents = models.JSONField("Thành phần hồ sơ", default=list, blank=True)
    sets = models.PositiveSmallIntegerField("Số bộ hồ sơ", default=1)
    time_limit_value = models.DecimalField(
        "Thời hạn", max_digits=6, decimal_places=2, null=True, blank=True
    )
    time_limit_unit = models.CharField(
        "Đơn vị thời hạn",
        max_length=20,
        choices=TimeLimitUnit.choices,
        default=TimeLimitUnit.WORKING_DAYS,
    )
    time_limit_text = models.CharField("Thời hạn (nguyên văn)", max_length=300, blank=True)
    cutoff = models.TimeField(
        "Giờ chốt tiếp nhận",
        null=True,
        blank=True,
        help_text="Bắt buộc với thủ tục giải quyết trong ngày (thường 15:00). Với thủ tục tính "
        "theo ngày, để trống nếu không áp dụng (mặc định): hồ sơ nhận trong ngày làm việc tính từ "
        "ngày đó; ghi giờ chốt khi quyết định công bố hoặc quy chế của đơn vị quy định hồ sơ nhận "
        "sau giờ đó tính từ ngày làm việc tiếp theo (Nghị định 61/2018 Điều 18).",
    )
    target_users = models.TextField("Đối tượng thực hiện", blank=True)
    implementing_body = models.TextField("Cơ quan thực hiện", blank=True)
    result = models.TextField("Kết quả thực hiện", blank=True)
    fee_vnd = models.PositiveBigIntegerField("Lệ phí (đồng)", null=True, blank=True)
    fee_text = models.CharField("Lệ phí (nguyên văn)", max_length=300, blank=True)
    forms = models.JSONField("Mẫu đơn, tờ khai", default=list, blank=True)
    conditions = models.TextField("Yêu cầu, điều kiện", blank=True)
    legal_basis = models.JSONField("Căn cứ pháp lý", default=list, blank=True)
    online_level = models.CharField(
        "Mức độ trực tuyến", max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    valid_from = models.DateField("Hiệu lực từ")
    valid_to = models.DateField("Hiệu lực đến", null=True, blank=True)
    supplement_rule = models.CharField(
        "Cách tính khi bổ sung",
        max_length=10,
        choices=SupplementRule.choices,
        default=SupplementRule.RESTART,
    )
    max_supplements = models.PositiveSmallIntegerField("Số lần yêu cầu bổ sung tối đa", default=1)
    step_budgets = models.JSONField(
        "Thời hạn từng bước (ngày làm việc)",
        default=dict,
        blank=True,
        help_text='Ví dụ {"reception": 0.5, "appraisal": 3, "signature": 1}: dùng để đánh giá '
        "trước hạn / đúng hạn / quá hạn ở từng bước giao nhận (Mẫu 06).",
    )
    supplement_within_days = models.PositiveSmallIntegerField(
        "Hạn yêu cầu bổ sung (ngày làm việc kể từ khi tiếp nhận)",
        default=3,
        help_text="Nghị định 61/2018 Điều 19 khoản 4: trong 03 ngày làm việc.",
    )
    unconfirmed = models.JSONField("Thông tin cần xác nhận", default=list, blank=True)
    sources = models.JSONField("Nguồn", default=list, blank=True)
    is_published = models.BooleanField("Công khai trên cổng", default=True)

    class Meta:
        verbose_name = "Thủ tục hành chính"
        verbose_name_plural = "Thủ tục hành chính"
        ordering = ["unit", "name", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "name", "valid_from"], name="procedure_version_unique"
            ),
            not_before(
                "valid_to",
                "valid_from",
                name="procedure_valid_to_not_before_valid_from",
                message="Ngày hết hiệu lực không được trước ngày có hiệu lực.",
            ),
            one_of(
                "time_limit_unit",
                TimeLimitUnit,
                name="procedure_time_limit_unit_valid",
                label="Đơn vị thời hạn",
            ),
            one_of(
                "online_level", OnlineLevel, name="procedure_online_level_valid", label="Mức độ"
            ),
            one_of(
                "supplement_rule",
                SupplementRule,
                name="procedure_supplement_rule_valid",
                label="Cách tính khi bổ sung",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def accepts_online(self) -> bool:
        return self.online_level != OnlineLevel.NONE and "online" in self.channels

    @property
    def has_legal_time_limit(self) -> bool:
        """A limit the desk can turn into a due date, confirmed (not in `unconfirmed`): without
        one a procedure is neither published nor receives dossiers (issue 8 point 1)."""
        if {"time_limit_value", "time_limit_unit"} & set(self.unconfirmed or []):
            return False
        if self.time_limit_unit == TimeLimitUnit.SAME_DAY:
            return True
        if self.time_limit_unit == TimeLimitUnit.PLAN:
            return self.intake_windows.exists()
        return self.time_limit_value is not None and self.time_limit_value > Decimal(0)

    @property
    def effective_cutoff(self) -> time | None:
        """The hour after which a receipt counts from the next working day, or None where the
        clock starts at receipt whatever the hour (`deadlines.cutoff_applies`)."""
        if self.cutoff is not None:
            return self.cutoff
        if self.time_limit_unit == TimeLimitUnit.SAME_DAY or self.unit.cutoff_all_procedures:
            return self.unit.receipt_cutoff
        return None

    @property
    def time_limit_display(self) -> str:
        """The limit as staff read it, the verbatim text first (it may be an internal note)."""
        if self.time_limit_text:
            return self.time_limit_text
        return self.time_limit_public

    @property
    def time_limit_short(self) -> str:
        """The limit as a receipt prints it ("05 ngày làm việc"): one line, so that Mẫu 01 keeps
        to one A5 page; the verbatim text only when there is no structured limit."""
        if self.time_limit_unit == TimeLimitUnit.SAME_DAY:
            return "Trong ngày"
        if self.time_limit_value is None or self.time_limit_unit == TimeLimitUnit.PLAN:
            return self.time_limit_public
        value = self.time_limit_value.normalize()
        text = f"{int(value):02d}" if value == int(value) else f"{value:f}".replace(".", ",")
        return f"{text} {self.get_time_limit_unit_display()}"

    @property
    def time_limit_public(self) -> str:
        """The limit as published: never an unconfirmed note ("Chưa xác định…")."""
        if self.time_limit_text and "time_limit_text" not in (self.unconfirmed or []):
            return self.time_limit_text
        if self.time_limit_unit == TimeLimitUnit.SAME_DAY:
            return "Trong ngày"
        if self.time_limit_value is None:
            return self.get_time_limit_unit_display()
        value = f"{self.time_limit_value.normalize():f}".replace(".", ",")
        return f"{value} {self.get_time_limit_unit_display()}"


class IntakeWindow(TimeStampedModel):
    """When a procedure "theo kế hoạch" (admission, Circular 30/2024) receives dossiers and when
    its results are due: the dates of the plan the commune approved, one window per plan.

    Its results date is the due date of every dossier received in the window, so such a
    procedure is published and receives dossiers only once a window is entered (issue 8 point 1:
    no dossier without a deadline)."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="intake_windows", verbose_name="Thủ tục"
    )
    opens_on = models.DateField("Nhận hồ sơ từ ngày")
    closes_on = models.DateField("Nhận hồ sơ đến ngày")
    results_on = models.DateField("Công bố kết quả ngày")
    basis = models.CharField("Căn cứ (kế hoạch được phê duyệt)", max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Người tạo",
    )

    class Meta:
        verbose_name = "Thời gian tiếp nhận theo kế hoạch"
        verbose_name_plural = "Thời gian tiếp nhận theo kế hoạch"
        ordering = ["procedure", "opens_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "opens_on"], name="intake_window_procedure_opens"
            ),
            not_before(
                "closes_on",
                "opens_on",
                name="intake_window_closes_after_opening",
                message="Ngày cuối nhận hồ sơ phải từ ngày bắt đầu trở về sau.",
            ),
            not_before(
                "results_on",
                "closes_on",
                name="intake_window_results_after_closing",
                message="Ngày công bố kết quả phải từ ngày cuối nhận hồ sơ trở về sau.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.opens_on:%d/%m/%Y}–{self.closes_on:%d/%m/%Y}"


class DossierQuerySet(models.QuerySet["Dossier"]):
    """The one definition of "late" (issue 18): every page, list, alert and indicator asks here.

    A dossier is measured at the first of its result, its return or its stop/withdrawal/refusal
    when that came by `at`; one waiting for the citizen's papers at the start of that wait (the
    clock stops, Decree 61 Art. 19(4); domain.md 2.2); any other open one at `at`. It is late
    when that moment is after its legal due date (`due_at`, which a restart after a supplement
    moves; an apology's new date never does, domain.md 1.4). Only accepted dossiers (the clock
    started) with a due date are ever late.
    """

    def with_measure(self, at: datetime) -> DossierQuerySet:
        open_pause = (
            DossierPause.objects.filter(dossier=OuterRef("pk"), ended_at__isnull=True)
            .order_by("-started_at")
            .values("started_at")[:1]
        )
        return self.annotate(
            ended_moment=Coalesce(F("result_at"), F("returned_at"), F("stopped_at")),
        ).annotate(
            measured_at=Case(
                When(ended_moment__lte=at, then=F("ended_moment")),
                When(
                    status=DossierStatus.SUPPLEMENT,
                    then=Coalesce(
                        Subquery(open_pause, output_field=models.DateTimeField()), Value(at)
                    ),
                ),
                default=Value(at),
                output_field=models.DateTimeField(),
            )
        )

    def with_late_flag(self, at: datetime | None = None) -> DossierQuerySet:
        """Each row with `is_overdue` (the same definition), for lists that mark late rows."""
        # no-redef: `Dossier` declares `is_overdue` for mypy, as rows of this queryset carry it.
        return self.with_measure(at or timezone.now()).annotate(  # type: ignore[no-redef]
            is_overdue=Case(
                When(LATE, then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )

    def late(self, at: datetime | None = None) -> DossierQuerySet:
        return self.with_measure(at or timezone.now()).filter(LATE)

    def on_time(self, at: datetime | None = None) -> DossierQuerySet:
        return self.with_measure(at or timezone.now()).filter(ON_TIME)


# Filters on `with_measure`: the accepted, dated dossiers past / within their legal due date.
LATE = Q(received_at__isnull=False, due_at__isnull=False, measured_at__gt=F("due_at"))
ON_TIME = Q(received_at__isnull=False, due_at__isnull=False, measured_at__lte=F("due_at"))


class Dossier(TimeStampedModel):
    # Not a column: set on the rows of `Dossier.objects.with_late_flag()` only.
    is_overdue: bool

    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="Đơn vị",
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    procedure = models.ForeignKey(
        Procedure, verbose_name="Thủ tục", on_delete=models.PROTECT, related_name="dossiers"
    )
    code = models.CharField("Mã hồ sơ", max_length=60, unique=True)
    is_external_code = models.BooleanField("Mã do hệ thống tỉnh/quốc gia cấp", default=False)
    channel = models.CharField("Kênh nộp", max_length=16, choices=Channel.choices)
    result_delivery = models.CharField(
        "Phương thức nhận kết quả", max_length=10, choices=ResultDelivery.choices, blank=True
    )
    status = models.CharField(
        "Trạng thái", max_length=20, choices=DossierStatus.choices, default=DossierStatus.NEW
    )
    step = models.CharField("Bước xử lý", max_length=20, blank=True, choices=Step.choices)
    applicant_name = models.CharField("Họ tên người nộp", max_length=200)
    applicant_id_number = models.CharField("Số định danh cá nhân", max_length=12, blank=True)
    applicant_phone = models.CharField("Điện thoại", max_length=15, blank=True)
    applicant_email = models.EmailField("Thư điện tử", blank=True)
    applicant_address = models.CharField("Địa chỉ", max_length=300, blank=True)
    subject = models.CharField(
        "Nội dung yêu cầu", max_length=300, blank=True, help_text="Ví dụ: tên học sinh, lớp."
    )
    documents = models.JSONField("Giấy tờ đã nộp", default=list, blank=True)
    submitted_at = models.DateTimeField("Thời điểm nộp", default=timezone.now)
    received_at = models.DateTimeField("Thời điểm tiếp nhận hợp lệ", null=True, blank=True)
    due_at = models.DateTimeField("Hạn trả kết quả", null=True, blank=True, db_index=True)
    initial_due_at = models.DateTimeField(
        "Hạn ban đầu khi tiếp nhận",
        null=True,
        blank=True,
        help_text="Không đổi khi tính lại hạn sau bổ sung; dùng cho chỉ số 766.",
    )
    new_due_at = models.DateTimeField("Hẹn lại ngày trả", null=True, blank=True)
    result_at = models.DateTimeField("Thời điểm có kết quả", null=True, blank=True)
    returned_at = models.DateTimeField("Thời điểm trả kết quả", null=True, blank=True)
    stopped_at = models.DateTimeField("Thời điểm dừng, rút hoặc từ chối", null=True, blank=True)
    result_kind = models.CharField("Loại kết quả", max_length=20, blank=True)
    result_note = models.TextField("Nội dung kết quả", blank=True)
    supplement_count = models.PositiveSmallIntegerField("Số lần yêu cầu bổ sung", default=0)
    assignee = models.ForeignKey(
        "organizations.Staff",
        verbose_name="Người xử lý",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_dossiers",
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người tiếp nhận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    book_entry = models.PositiveIntegerField("Số thứ tự trong sổ", null=True, blank=True)
    version = models.PositiveIntegerField("Phiên bản", default=1)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = "Hồ sơ TTHC"
        verbose_name_plural = "Hồ sơ TTHC"
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "status"], name="dossier_unit_status_idx"),
            models.Index(fields=["unit", "received_at"], name="dossier_unit_received_idx"),
            # Serves the daily deadline digest and the queue's "late first" order:
            #   SELECT … FROM dossiers_dossier WHERE status IN <CLOCK_RUNNING>
            #   AND due_at IS NOT NULL ORDER BY due_at   (alerts.digest_lists)
            # Only dossiers whose clock runs are indexed: finished ones, the bulk of the table
            # after a year, never need their due date looked up this way.
            models.Index(
                fields=["due_at"],
                condition=Q(status__in=sorted(CLOCK_RUNNING)),
                name="dossier_due_clock_running",
            ),
        ]
        constraints = [
            one_of("status", DossierStatus, name="dossier_status_valid", label="Trạng thái"),
            one_of("channel", Channel, name="dossier_channel_valid", label="Kênh nộp"),
            one_of("step", Step, name="dossier_step_valid", label="Bước xử lý", blank=True),
            one_of(
                "result_delivery",
                ResultDelivery,
                name="dossier_result_delivery_valid",
                label="Phương thức nhận kết quả",
                blank=True,
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def effective_due_at(self):
        return self.new_due_at or self.due_at

    @property
    def result_delivery_label(self) -> str:
        """As chosen at the counter; else the way the dossier came in."""
        code = self.result_delivery or self.channel
        return ResultDelivery(code).label if code else ""

    @property
    def finished_at(self):
        return self.result_at or self.returned_at

    def is_late(self, now: datetime | None = None) -> bool:
        """Late by the one definition in `DossierQuerySet` (an apology does not make it on
        time; waiting for the citizen's papers is not late)."""
        if self.pk is None or self.due_at is None:
            return False
        return type(self).objects.filter(pk=self.pk).late(now).exists()


class HandOverResult(models.TextChoices):
    EARLY = "early", "Trước hạn"
    ON_TIME = "on_time", "Đúng hạn"
    LATE = "late", "Quá hạn"


class DossierEvent(models.Model):
    """One hand-over or status change: the process control sheet (Mẫu 06) is made of these."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="events", verbose_name="Hồ sơ"
    )
    at = models.DateTimeField("Thời điểm", default=timezone.now)
    from_status = models.CharField(
        "Từ trạng thái", max_length=20, blank=True, choices=DossierStatus.choices
    )
    to_status = models.CharField("Sang trạng thái", max_length=20, choices=DossierStatus.choices)
    step = models.CharField("Bước", max_length=20, blank=True, choices=Step.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Người thực hiện",
    )
    giver = models.CharField("Bên giao", max_length=200, blank=True)
    receiver = models.CharField("Bên nhận", max_length=200, blank=True)
    result = models.CharField(
        "Kết quả bước", max_length=10, choices=HandOverResult.choices, blank=True
    )
    note = models.TextField("Ghi chú", blank=True)
    is_public = models.BooleanField("Hiện khi tra cứu", default=True)

    class Meta:
        verbose_name = "Bước giao nhận hồ sơ"
        verbose_name_plural = "Bước giao nhận hồ sơ"
        ordering = ["dossier", "at", "id"]
        constraints = [
            one_of(
                "to_status", DossierStatus, name="dossier_event_to_status_valid", label="Trạng thái"
            ),
            one_of(
                "from_status",
                DossierStatus,
                name="dossier_event_from_status_valid",
                label="Trạng thái trước",
                blank=True,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier.code}: {self.from_status} → {self.to_status}"


class DossierPause(models.Model):
    """Time the citizen spends supplementing (the 766 index subtracts it)."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="pauses", verbose_name="Hồ sơ"
    )
    started_at = models.DateTimeField("Bắt đầu")
    ended_at = models.DateTimeField("Kết thúc", null=True, blank=True)
    reason = models.TextField("Nội dung yêu cầu bổ sung")
    items = models.JSONField("Giấy tờ cần bổ sung", default=list)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Người yêu cầu",
    )

    class Meta:
        verbose_name = "Lần yêu cầu bổ sung"
        verbose_name_plural = "Lần yêu cầu bổ sung"
        ordering = ["dossier", "started_at"]
        constraints = [
            not_before(
                "ended_at",
                "started_at",
                name="dossier_pause_ends_after_start",
                message="Thời điểm nhận đủ hồ sơ bổ sung không được trước lúc yêu cầu bổ sung.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier.code} bổ sung từ {self.started_at:%d/%m/%Y}"


class Apology(TimeStampedModel):
    """The apology and new appointment (Mẫu 04); at most one per dossier."""

    dossier = models.OneToOneField(
        Dossier, on_delete=models.CASCADE, related_name="apology", verbose_name="Hồ sơ"
    )
    reason = models.TextField("Lý do chậm")
    original_due_at = models.DateTimeField("Hạn ban đầu")
    new_due_at = models.DateTimeField("Hẹn lại")
    signer_name = models.CharField("Người ký", max_length=200)
    issued_late = models.BooleanField(
        "Gửi muộn",
        default=False,
        help_text="Lập sau thời điểm chậm nhất (01 ngày làm việc trước hạn trả kết quả).",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Người lập",
    )
    # The official letter (Công văn) in the outgoing register: numbered by the clerk, signed by
    # the head of the unit, released with the seal (`cchc.dossiers.apology_letters`).
    outgoing = models.OneToOneField(
        "documents.OutgoingDocument",
        verbose_name="Văn bản đi",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossier_apology",
    )
    # Released without an e-mail address: the clerk hands it over or posts it, and says so.
    handed_over_at = models.DateTimeField("Đã trao/gửi bưu điện lúc", null=True, blank=True)
    handed_over_how = models.CharField("Cách gửi", max_length=20, blank=True)

    class Meta:
        verbose_name = "Văn bản xin lỗi, gia hạn"
        verbose_name_plural = "Văn bản xin lỗi, gia hạn"
        ordering = ["-created_at"]
        constraints = [
            # Decree 118/2025 (domain.md 1.4): the apology sets a later appointment.
            not_before(
                "new_due_at",
                "original_due_at",
                strictly=True,
                name="apology_new_due_after_original",
                message="Ngày hẹn lại phải sau hạn trả kết quả ban đầu.",
            )
        ]

    def __str__(self) -> str:
        return f"Xin lỗi {self.dossier.code}"


class SignedPaper(TimeStampedModel):
    """A one-stop paper (Mẫu 01–03) signed digitally by the officer it names (Circular 01/2018
    Art. 9–10, domain.md 1.5): the signed PDF is what was issued, kept as issued.

    `subject` tells apart papers of one kind of a dossier: the supplement request of each pause
    ("pause:12"); empty for the receipt and the refusal, which a dossier has once. A paper
    signed again after the dossier was corrected leaves the earlier one `superseded_at`: one
    current signed paper per (dossier, kind, subject), the earlier ones kept.
    """

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="signed_papers", verbose_name="Hồ sơ"
    )
    kind = models.CharField("Loại giấy tờ", max_length=20)
    subject = models.CharField(
        max_length=40, blank=True, verbose_name="Phân biệt giấy tờ cùng loại"
    )
    pdf = models.FileField("Bản PDF đã ký số", upload_to="dossiers/signed/%Y/")
    signer = models.ForeignKey(
        "organizations.Staff",
        verbose_name="Người ký",
        on_delete=models.PROTECT,
        related_name="+",
    )
    serial = models.CharField("Số hiệu chứng thư", max_length=80)
    signed_at = models.DateTimeField("Ký lúc")
    # What the paper read when signed (`papers_service.paper_key`): a dossier
    # corrected since reads otherwise, and the page offers to sign the corrected paper. Empty
    # for a paper signed before this was kept (nothing to compare with).
    content_key = models.CharField("Mã nội dung khi ký", max_length=80, blank=True)
    # Set when a corrected paper was signed in its place: kept as issued (the citizen may hold
    # it), no longer the one served.
    superseded_at = models.DateTimeField("Được thay bằng bản ký lại lúc", null=True, blank=True)

    class Meta:
        verbose_name = "Giấy tờ đã ký số"
        verbose_name_plural = "Giấy tờ đã ký số"
        ordering = ["dossier", "kind", "-signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "kind", "subject"],
                condition=models.Q(superseded_at__isnull=True),
                name="dossier_signed_paper_current_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.dossier.code} ({self.signer})"


class PaperForm(models.TextChoices):
    """The one-stop papers numbered by the system when issued (their codes: domain-2025.md 4)."""

    SUPPLEMENT = "02", "Mẫu 02 (PBS)"
    REFUSAL = "03", "Mẫu 03 (PTC)"


class PaperNumber(models.Model):
    """The number of an issued supplement request (Mẫu 02) or refusal (Mẫu 03): "Số: 07/PBS-…".

    A running sequence per unit, per calendar year and per form, from 01 (Decree 30 Art. 15,
    domain.md 6.3: numbered in order of issue within the year, unique within it), given inside
    the transaction that issues the paper (`paper_numbers.issue`) and kept here, so that every
    copy, unsigned or signed, re-downloaded or not, carries the same number. `subject` tells
    apart papers of one form of a dossier, as `SignedPaper.subject` does: the supplement request
    of each pause ("pause:12"); empty for the refusal, which a dossier has once.
    """

    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="Đơn vị"
    )
    form = models.CharField("Mẫu", max_length=2, choices=PaperForm.choices)
    year = models.PositiveSmallIntegerField("Năm")
    number = models.PositiveIntegerField("Số")
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="paper_numbers", verbose_name="Hồ sơ"
    )
    subject = models.CharField(max_length=40, blank=True, verbose_name="Phân biệt giấy tờ cùng mẫu")
    issued_at = models.DateTimeField("Cấp số lúc")

    class Meta:
        verbose_name = "Số giấy tờ một cửa"
        verbose_name_plural = "Số giấy tờ một cửa"
        ordering = ["unit", "year", "form", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "form", "number"], name="paper_number_unique_in_year"
            ),
            models.UniqueConstraint(
                fields=["dossier", "form", "subject"], name="paper_number_one_per_paper"
            ),
            one_of("form", PaperForm, name="paper_number_form_valid", label="Mẫu"),
        ]

    def __str__(self) -> str:
        return f"{self.number:02d}/{self.form} {self.year} ({self.dossier_id})"


class DossierAttachment(TimeStampedModel):
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="attachments", verbose_name="Hồ sơ"
    )
    document_name = models.CharField("Giấy tờ", max_length=300)
    file = models.FileField("Tệp", upload_to="dossiers/%Y/%m/")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Người tải lên",
    )

    class Meta:
        verbose_name = "Tệp đính kèm"
        verbose_name_plural = "Tệp đính kèm"
        ordering = ["dossier", "id"]

    def __str__(self) -> str:
        return self.document_name


class Counter(models.Model):
    """Row-locked sequences: dossier codes per unit per day, book entries per unit per year."""

    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.CASCADE, related_name="+", verbose_name="Đơn vị"
    )
    scope = models.CharField(
        max_length=20, verbose_name="Phạm vi đánh số"
    )  # "day:261128" or "book:2026"
    last = models.PositiveIntegerField(default=0, verbose_name="Số cuối đã cấp")

    class Meta:
        verbose_name = "Bộ đếm"
        verbose_name_plural = "Bộ đếm"
        ordering = ["unit", "scope"]
        constraints = [models.UniqueConstraint(fields=["unit", "scope"], name="counter_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.scope}={self.last}"
