"""Survey templates (versioned questions), campaigns, invitation tokens, responses and answers.

A template's questions live on a `TemplateVersion`; a version that has answers is never edited
again (a change makes the next version), and each response points at the version it answered, so
old results keep their meaning (issue 13, item 1). The database itself refuses what would make a
figure wrong: a scale value outside 1..5, two answers to one question, two responses on one
invitation token or one dossier.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cchc.core.constraints import one_of
from cchc.core.models import TimeStampedModel

# The five-point scale of Decision 3476/QĐ-BGDĐT and SIPAS (domain.md section 5); "Không ý kiến"
# is stored as `no_opinion`, never as a number, so it can never enter a mean or a rate.
SCALE = {
    1: "Rất không hài lòng",
    2: "Không hài lòng",
    3: "Bình thường",
    4: "Hài lòng",
    5: "Rất hài lòng",
}
NO_OPINION = "Không ý kiến"
SATISFIED_FROM = 4


def new_key() -> str:
    """An unguessable URL key (96 bits): campaign links, kiosk links, invitation tokens."""
    return secrets.token_urlsafe(12)


class Purpose(models.TextChoices):
    DOSSIER = "dossier", "Đánh giá giải quyết hồ sơ TTHC"
    EDUCATION = "education", "Dịch vụ giáo dục công"
    OTHER = "other", "Khác"


class QuestionKind(models.TextChoices):
    SCALE = "scale", "Thang 5 mức"
    SINGLE = "single", "Chọn một"
    MULTIPLE = "multiple", "Chọn nhiều"
    TEXT = "text", "Trả lời tự do"


class QuestionGroup(models.TextChoices):
    """SIPAS factors (administrative services) and the Decision 3476 content groups."""

    RESPONDENT = "respondent", "Thông tin người trả lời"
    ACCESS = "access", "Tiếp cận dịch vụ"
    PROCEDURE = "procedure", "Thủ tục hành chính"
    OFFICIALS = "officials", "Công chức trực tiếp giải quyết"
    RESULTS = "results", "Kết quả giải quyết"
    FEEDBACK = "feedback", "Tiếp nhận, xử lý góp ý, phản ánh"
    EDU_ACCESS = "edu_access", "Tiếp cận dịch vụ giáo dục"
    FACILITIES = "facilities", "Cơ sở vật chất, trang thiết bị"
    ENVIRONMENT = "environment", "Môi trường giáo dục"
    ACTIVITIES = "activities", "Hoạt động giáo dục"
    EDU_RESULTS = "edu_results", "Kết quả giáo dục"
    OVERALL = "overall", "Mức độ hài lòng chung"
    OTHER = "other", "Ý kiến khác"


class SurveyTemplate(TimeStampedModel):
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="Đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    key = models.SlugField("Mã mẫu", max_length=50)
    name = models.CharField("Tên mẫu phiếu", max_length=200)
    purpose = models.CharField("Mục đích", max_length=20, choices=Purpose.choices)
    description = models.TextField("Giới thiệu", blank=True)

    class Meta:
        verbose_name = "Mẫu phiếu khảo sát"
        verbose_name_plural = "Mẫu phiếu khảo sát"
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "key"], name="survey_template_key_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def current_version(self) -> TemplateVersion | None:
        return self.versions.order_by("-number").first()


class TemplateVersion(TimeStampedModel):
    template = models.ForeignKey(
        SurveyTemplate, verbose_name="Mẫu phiếu", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField("Phiên bản")
    note = models.CharField("Thay đổi", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Người tạo",
    )

    class Meta:
        verbose_name = "Phiên bản mẫu phiếu"
        verbose_name_plural = "Phiên bản mẫu phiếu"
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "number"], name="survey_version_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="survey_version_number_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.template.name} (phiên bản {self.number})"


class Question(models.Model):
    version = models.ForeignKey(
        TemplateVersion,
        verbose_name="Phiên bản",
        on_delete=models.CASCADE,
        related_name="questions",
    )
    code = models.SlugField("Mã câu", max_length=30)
    order = models.PositiveSmallIntegerField("Thứ tự")
    group = models.CharField("Nhóm", max_length=20, choices=QuestionGroup.choices)
    kind = models.CharField("Loại câu hỏi", max_length=10, choices=QuestionKind.choices)
    text = models.CharField("Câu hỏi", max_length=500)
    options = models.JSONField("Các lựa chọn", default=list, blank=True)
    required = models.BooleanField("Bắt buộc", default=False)

    class Meta:
        verbose_name = "Câu hỏi"
        verbose_name_plural = "Câu hỏi"
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="survey_question_code_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="survey_question_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class CampaignKind(models.TextChoices):
    SURVEY = "survey", "Đợt khảo sát"
    DOSSIER = "dossier", "Đánh giá từng hồ sơ TTHC (thường xuyên)"


class Audience(models.TextChoices):
    CITIZENS = "citizens", "Người dân, tổ chức"
    ALL_PARENTS = "all_parents", "Toàn thể cha mẹ học sinh"
    GRADE_PARENTS = "grade_parents", "Cha mẹ học sinh một khối"
    CLASS_PARENTS = "class_parents", "Cha mẹ học sinh một lớp"
    STUDENTS = "students", "Học sinh"
    STAFF = "staff", "Cán bộ, giáo viên, nhân viên"


class AccessMode(models.TextChoices):
    TOKEN = "token", "Mỗi phiếu mời một lần trả lời"
    ANONYMOUS = "anonymous", "Ẩn danh, giới hạn theo thiết bị"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Đang soạn"
    OPEN = "open", "Đang nhận phiếu"
    CLOSED = "closed", "Đã đóng"


class Campaign(TimeStampedModel):
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="Đơn vị",
        on_delete=models.PROTECT,
        related_name="survey_campaigns",
    )
    kind = models.CharField(
        "Loại", max_length=10, choices=CampaignKind.choices, default=CampaignKind.SURVEY
    )
    title = models.CharField("Tên đợt khảo sát", max_length=200)
    template = models.ForeignKey(
        SurveyTemplate, verbose_name="Mẫu phiếu", on_delete=models.PROTECT, related_name="+"
    )
    version = models.ForeignKey(
        TemplateVersion,
        verbose_name="Phiên bản phiếu đang dùng",
        on_delete=models.PROTECT,
        related_name="+",
    )
    audience = models.CharField("Đối tượng", max_length=20, choices=Audience.choices)
    audience_detail = models.CharField(
        "Khối/lớp", max_length=50, blank=True, help_text="Ví dụ: Khối 8, hoặc lớp 8A."
    )
    starts_on = models.DateField("Từ ngày")
    ends_on = models.DateField("Đến ngày", null=True, blank=True)
    status = models.CharField(
        "Trạng thái", max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    access = models.CharField(
        "Cách trả lời", max_length=10, choices=AccessMode.choices, default=AccessMode.ANONYMOUS
    )
    device_limit = models.PositiveSmallIntegerField("Số phiếu tối đa mỗi thiết bị", default=1)
    public_key = models.CharField(
        max_length=32,
        unique=True,
        default=new_key,
        editable=False,
        verbose_name="Khóa đường dẫn công khai",
    )
    kiosk_key = models.CharField(
        max_length=32,
        unique=True,
        default=new_key,
        editable=False,
        verbose_name="Khóa đường dẫn kiosk",
    )
    results_published = models.BooleanField("Đã công khai kết quả", default=False)
    published_at = models.DateTimeField("Công khai lúc", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Người tạo",
    )
    version_no = models.PositiveIntegerField("Phiên bản bản ghi", default=1)

    class Meta:
        verbose_name = "Đợt khảo sát"
        verbose_name_plural = "Đợt khảo sát"
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="survey_campaign_period_valid",
            ),
            models.CheckConstraint(
                condition=Q(device_limit__gte=1, device_limit__lte=20),
                name="survey_campaign_device_limit_range",
            ),
            # One standing per-dossier rating campaign per unit.
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(kind="dossier"),
                name="survey_one_dossier_campaign_per_unit",
            ),
            one_of(
                "status", CampaignStatus, name="survey_campaign_status_valid", label="Trạng thái"
            ),
            one_of("kind", CampaignKind, name="survey_campaign_kind_valid", label="Loại"),
            one_of("audience", Audience, name="survey_campaign_audience_valid", label="Đối tượng"),
            one_of("access", AccessMode, name="survey_campaign_access_valid", label="Cách trả lời"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        if self.status != CampaignStatus.OPEN or today < self.starts_on:
            return False
        return self.ends_on is None or today <= self.ends_on


class Invitation(TimeStampedModel):
    """One printed or e-mailed invitation: its token answers once."""

    campaign = models.ForeignKey(
        Campaign, verbose_name="Đợt khảo sát", on_delete=models.CASCADE, related_name="invitations"
    )
    token = models.CharField("Mã mời", max_length=32, unique=True, default=new_key)
    label = models.CharField("Ghi chú phiếu mời", max_length=100, blank=True)
    segment = models.CharField("Lớp", max_length=20, blank=True)
    used_at = models.DateTimeField("Đã trả lời lúc", null=True, blank=True)

    class Meta:
        verbose_name = "Phiếu mời"
        verbose_name_plural = "Phiếu mời"
        ordering = ["campaign", "id"]

    def __str__(self) -> str:
        return self.label or self.token


class Channel(models.TextChoices):
    LINK = "link", "Đường liên kết / mã QR"
    INVITATION = "invitation", "Phiếu mời"
    KIOSK = "kiosk", "Máy tại bộ phận một cửa"
    DOSSIER = "dossier", "Đánh giá hồ sơ"
    API = "api", "API"


class Response(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name="Đợt khảo sát", on_delete=models.PROTECT, related_name="responses"
    )
    version = models.ForeignKey(
        TemplateVersion, verbose_name="Phiên bản phiếu", on_delete=models.PROTECT, related_name="+"
    )
    invitation = models.OneToOneField(
        Invitation,
        verbose_name="Phiếu mời",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="response",
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        verbose_name="Hồ sơ",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField("Kênh", max_length=12, choices=Channel.choices)
    segment = models.CharField("Lớp", max_length=20, blank=True)
    # sha256 of the device cookie: enough to count a device's answers, not to track a person.
    device_hash = models.CharField(
        max_length=64, blank=True, db_index=True, verbose_name="Mã băm thiết bị"
    )
    submitted_at = models.DateTimeField("Gửi lúc", default=timezone.now, db_index=True)
    lowest_score = models.PositiveSmallIntegerField("Điểm thấp nhất", null=True, blank=True)

    class Meta:
        verbose_name = "Phiếu trả lời"
        verbose_name_plural = "Phiếu trả lời"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(dossier__isnull=False),
                name="survey_one_rating_per_dossier",
            ),
            one_of("channel", Channel, name="survey_response_channel_valid", label="Kênh"),
        ]
        indexes = [models.Index(fields=["campaign", "submitted_at"], name="survey_resp_time_idx")]

    def __str__(self) -> str:
        return f"Phiếu #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name="Phiếu trả lời"
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", verbose_name="Câu hỏi"
    )
    scale = models.PositiveSmallIntegerField("Mức", null=True, blank=True)
    no_opinion = models.BooleanField("Không ý kiến", default=False)
    choice = models.CharField("Lựa chọn", max_length=200, blank=True)
    choices = models.JSONField("Các lựa chọn", default=list, blank=True)
    text = models.TextField("Ý kiến", blank=True)

    class Meta:
        verbose_name = "Câu trả lời"
        verbose_name_plural = "Câu trả lời"
        ordering = ["response", "question__order"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_unique"),
            models.CheckConstraint(
                condition=Q(scale__isnull=True) | Q(scale__gte=1, scale__lte=5),
                name="survey_answer_scale_range",
            ),
            models.CheckConstraint(
                condition=~Q(no_opinion=True, scale__isnull=False),
                name="survey_answer_no_opinion_has_no_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"
