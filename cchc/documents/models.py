"""Incoming register, outgoing documents, signing certificates, deliveries (Decree 30/2020).

Numbers come from :class:`RegisterCounter` rows locked with SELECT … FOR UPDATE, so they run per
unit and year without gap or duplicate; the unique constraints are the last line of defence.
Secret documents (Mật, Tối mật, Tuyệt mật) are registered by metadata only: a check constraint
forbids a file on them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cchc.core.constraints import not_before, one_of
from cchc.core.models import TimeStampedModel
from cchc.documents.workflow import IncomingStatus, OutgoingStatus


class Secrecy(models.TextChoices):
    NONE = "", "Thường"
    CONFIDENTIAL = "mat", "Mật"
    SECRET = "toi_mat", "Tối mật"
    TOP_SECRET = "tuyet_mat", "Tuyệt mật"


class Urgency(models.TextChoices):
    NORMAL = "", "Thường"
    URGENT = "khan", "Khẩn"
    VERY_URGENT = "thuong_khan", "Thượng khẩn"
    FLASH = "hoa_toc", "Hỏa tốc"


class Channel(models.TextChoices):
    ELECTRONIC = "electronic", "Điện tử"
    PAPER = "paper", "Giấy"


class Authority(models.TextChoices):
    HEAD = "", "Người đứng đầu ký"
    TM = "TM.", "TM. (thay mặt tập thể)"
    KT = "KT.", "KT. (ký thay)"
    TL = "TL.", "TL. (thừa lệnh)"
    TUQ = "TUQ.", "TUQ. (thừa ủy quyền)"


class Amends(models.TextChoices):
    CORRECTION = "correction", "Đính chính"
    REPLACEMENT = "replacement", "Thay thế"


NOT_SECRET = Q(secrecy="")


class RegisterCounter(models.Model):
    """Row-locked sequences: "in:2026", "out:2026", "out-secret:2026" per unit."""

    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.CASCADE, related_name="+", verbose_name="Đơn vị"
    )
    scope = models.CharField(max_length=24, verbose_name="Sổ và năm")
    last = models.PositiveIntegerField(default=0, verbose_name="Số cuối đã cấp")

    class Meta:
        verbose_name = "Bộ đếm sổ văn bản"
        verbose_name_plural = "Bộ đếm sổ văn bản"
        constraints = [
            models.UniqueConstraint(fields=["unit", "scope"], name="documents_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.scope}={self.last}"


class OfficialMailDomain(TimeStampedModel):
    """A domain of official e-mail for a unit (e.g. the city's), configured by the admin."""

    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="Đơn vị",
        on_delete=models.CASCADE,
        related_name="official_mail_domains",
    )
    domain = models.CharField("Tên miền thư công vụ", max_length=100)

    class Meta:
        verbose_name = "Tên miền thư công vụ"
        verbose_name_plural = "Tên miền thư công vụ"
        constraints = [
            models.UniqueConstraint(fields=["unit", "domain"], name="documents_mail_domain_unique")
        ]

    def __str__(self) -> str:
        return self.domain


class IncomingDocument(TimeStampedModel):
    """One row of the incoming register (sổ đăng ký văn bản đến)."""

    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="Đơn vị",
        on_delete=models.PROTECT,
        related_name="incoming_documents",
    )
    year = models.PositiveSmallIntegerField("Năm")
    incoming_number = models.PositiveIntegerField("Số đến")
    received_at = models.DateTimeField("Ngày đến")
    author = models.CharField("Tác giả (cơ quan ban hành)", max_length=255)
    reference = models.CharField("Số, ký hiệu", max_length=60)
    reference_normalized = models.CharField(
        max_length=60, db_index=True, editable=False, verbose_name="Số, ký hiệu (chuẩn hóa)"
    )
    issued_on = models.DateField("Ngày văn bản")
    doc_type = models.CharField("Tên loại", max_length=60)
    summary = models.CharField("Trích yếu nội dung", max_length=500)
    channel = models.CharField("Hình thức", max_length=12, choices=Channel.choices)
    urgency = models.CharField("Độ khẩn", max_length=12, choices=Urgency.choices, blank=True)
    secrecy = models.CharField("Độ mật", max_length=12, choices=Secrecy.choices, blank=True)
    from_state_agency = models.BooleanField("Từ cơ quan nhà nước", default=True)
    file = models.FileField("Tệp văn bản", upload_to="documents/in/%Y/", blank=True)
    status = models.CharField(
        "Trạng thái",
        max_length=12,
        choices=IncomingStatus.choices,
        default=IncomingStatus.REGISTERED,
    )
    presented_at = models.DateTimeField("Trình lãnh đạo lúc", null=True, blank=True)
    instructions = models.TextField("Ý kiến chỉ đạo", blank=True)
    lead_handler = models.ForeignKey(
        "organizations.Staff",
        verbose_name="Người chủ trì",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_led",
    )
    collaborators = models.ManyToManyField(
        "organizations.Staff",
        verbose_name="Người phối hợp",
        blank=True,
        related_name="incoming_collaborating",
    )
    due_on = models.DateField("Hạn giải quyết", null=True, blank=True)
    done_at = models.DateTimeField("Giải quyết xong lúc", null=True, blank=True)
    receipt_confirmed_at = models.DateTimeField("Xác nhận đã nhận lúc", null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="Người vào sổ",
    )
    version = models.PositiveIntegerField(default=1, verbose_name="Phiên bản")

    class Meta:
        verbose_name = "Văn bản đến"
        verbose_name_plural = "Văn bản đến"
        ordering = ["-year", "-incoming_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "incoming_number"], name="documents_incoming_number_unique"
            ),
            models.CheckConstraint(
                condition=NOT_SECRET | Q(file=""), name="documents_incoming_secret_no_file"
            ),
            models.CheckConstraint(
                condition=Q(incoming_number__gte=1), name="documents_incoming_number_positive"
            ),
            one_of(
                "status", IncomingStatus, name="documents_incoming_status_valid", label="Trạng thái"
            ),
            one_of("channel", Channel, name="documents_incoming_channel_valid", label="Hình thức"),
            one_of(
                "urgency",
                Urgency,
                name="documents_incoming_urgency_valid",
                label="Độ khẩn",
                blank=True,
            ),
            one_of(
                "secrecy",
                Secrecy,
                name="documents_incoming_secrecy_valid",
                label="Độ mật",
                blank=True,
            ),
        ]

    def __str__(self) -> str:
        return f"Đến số {self.incoming_number}/{self.year}: {self.reference}"


class OutgoingDocument(TimeStampedModel):
    """An outgoing document from draft to release (sổ đăng ký văn bản đi once numbered)."""

    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="Đơn vị",
        on_delete=models.PROTECT,
        related_name="outgoing_documents",
    )
    status = models.CharField(
        "Trạng thái", max_length=12, choices=OutgoingStatus.choices, default=OutgoingStatus.DRAFT
    )
    type_code = models.CharField("Viết tắt tên loại", max_length=8, blank=True)
    doc_type = models.CharField("Tên loại", max_length=60)
    summary = models.CharField("Trích yếu nội dung", max_length=500)
    body = models.TextField("Nội dung", blank=True)
    drafting_unit = models.CharField("Đơn vị soạn thảo (viết tắt)", max_length=20, blank=True)
    recipients = models.TextField("Nơi nhận", help_text="Mỗi dòng một nơi nhận.")
    recipient_emails = models.TextField("Thư điện tử nơi nhận", blank=True)
    to_state_agency = models.BooleanField("Gửi cơ quan nhà nước", default=True)
    urgency = models.CharField("Độ khẩn", max_length=12, choices=Urgency.choices, blank=True)
    secrecy = models.CharField("Độ mật", max_length=12, choices=Secrecy.choices, blank=True)
    authority = models.CharField(
        "Thẩm quyền ký", max_length=6, choices=Authority.choices, blank=True
    )
    head_title = models.CharField("Chức danh người đứng đầu", max_length=100, blank=True)
    signer = models.ForeignKey(
        "organizations.Staff",
        verbose_name="Người ký",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outgoing_to_sign",
    )
    drafter = models.ForeignKey(
        "organizations.Staff",
        verbose_name="Người soạn thảo",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outgoing_drafted",
    )
    copies = models.PositiveSmallIntegerField("Số lượng bản", default=1)
    amends = models.ForeignKey(
        "self",
        verbose_name="Đính chính/thay thế văn bản",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    amend_kind = models.CharField(
        max_length=12, choices=Amends.choices, blank=True, verbose_name="Loại sửa đổi"
    )
    year = models.PositiveSmallIntegerField("Năm", null=True, blank=True)
    secret_sequence = models.BooleanField("Sổ văn bản mật", default=False)
    number = models.PositiveIntegerField("Số", null=True, blank=True)
    symbol = models.CharField("Số, ký hiệu", max_length=60, blank=True)
    issued_on = models.DateField("Ngày ban hành", null=True, blank=True)
    numbered_at = models.DateTimeField(null=True, blank=True, verbose_name="Cấp số lúc")
    released_at = models.DateTimeField("Phát hành lúc", null=True, blank=True)
    pdf = models.FileField("Bản PDF", upload_to="documents/out/%Y/", blank=True)
    signed_pdf = models.FileField("Bản PDF đã ký số", upload_to="documents/signed/%Y/", blank=True)
    version = models.PositiveIntegerField(default=1, verbose_name="Phiên bản")

    class Meta:
        verbose_name = "Văn bản đi"
        verbose_name_plural = "Văn bản đi"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "secret_sequence", "number"],
                condition=Q(number__isnull=False),
                name="documents_outgoing_number_unique",
            ),
            models.CheckConstraint(
                condition=NOT_SECRET | (Q(pdf="") & Q(signed_pdf="") & Q(secret_sequence=True)),
                name="documents_outgoing_secret_metadata_only",
            ),
            models.CheckConstraint(
                condition=Q(amends__isnull=True, amend_kind="")
                | Q(amends__isnull=False) & ~Q(amend_kind=""),
                name="documents_outgoing_amend_kind",
            ),
            one_of(
                "status", OutgoingStatus, name="documents_outgoing_status_valid", label="Trạng thái"
            ),
            one_of(
                "urgency",
                Urgency,
                name="documents_outgoing_urgency_valid",
                label="Độ khẩn",
                blank=True,
            ),
            one_of(
                "secrecy",
                Secrecy,
                name="documents_outgoing_secrecy_valid",
                label="Độ mật",
                blank=True,
            ),
        ]

    def __str__(self) -> str:
        return self.symbol or f"Dự thảo: {self.summary[:60]}"

    def file_name(self, ext: str, form_name: str = "") -> str:
        """The name a download of this document gets ("25-THCSNTB-VP-mau-04-xin-loi.pdf"): its
        symbol, never the storage's name with its random suffix; the PDF and the Word file
        alike."""
        stem = (self.symbol or f"du-thao-{self.pk}").replace("/", "-")
        return f"{stem}-{form_name}.{ext}" if form_name else f"{stem}.{ext}"

    @property
    def is_secret(self) -> bool:
        return bool(self.secrecy)


class CertificateKind(models.TextChoices):
    PKCS12 = "pkcs12", "Tệp PKCS#12 (.p12/.pfx)"
    PKCS11 = "pkcs11", "Thiết bị ký (USB token/HSM, PKCS#11)"


class SigningCertificate(TimeStampedModel):
    """A staff member's (or the unit's seal) signing key: an encrypted PKCS#12 or a token."""

    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="Đơn vị",
        on_delete=models.CASCADE,
        related_name="signing_certificates",
    )
    staff = models.ForeignKey(
        "organizations.Staff",
        verbose_name="Viên chức",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="signing_certificates",
        help_text="Để trống: chữ ký số của cơ quan (con dấu).",
    )
    kind = models.CharField("Loại", max_length=8, choices=CertificateKind.choices)
    # Fernet(SECRET_KEY-derived) over the PKCS#12 bytes, which are themselves PIN-protected.
    pkcs12_encrypted = models.BinaryField("PKCS#12 (mã hóa)", blank=True, editable=False)
    pkcs11_module = models.CharField("Thư viện PKCS#11", max_length=255, blank=True)
    token_label = models.CharField("Nhãn token", max_length=100, blank=True)
    key_label = models.CharField("Nhãn khóa", max_length=100, blank=True)
    certificate_pem = models.TextField("Chứng thư (PEM)")
    chain_pem = models.TextField("Chuỗi chứng thư CA (PEM)", blank=True)
    subject = models.CharField("Chủ thể", max_length=500)
    issuer = models.CharField("Tổ chức cấp", max_length=500)
    serial = models.CharField("Số hiệu", max_length=80)
    not_before = models.DateTimeField("Hiệu lực từ")
    not_after = models.DateTimeField("Hiệu lực đến")
    revoked_at = models.DateTimeField("Thu hồi lúc", null=True, blank=True)
    image = models.BinaryField("Ảnh chữ ký/con dấu (PNG)", blank=True, editable=False)
    is_active = models.BooleanField("Đang dùng", default=True)

    class Meta:
        verbose_name = "Chứng thư số"
        verbose_name_plural = "Chứng thư số"
        ordering = ["unit", "staff", "-not_after"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="pkcs12") | (~Q(pkcs11_module="") & ~Q(key_label="")),
                name="documents_cert_pkcs11_complete",
            ),
            not_before(
                "not_after",
                "not_before",
                name="documents_cert_validity_range",
                message="Chứng thư hết hiệu lực trước khi có hiệu lực.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} (số hiệu {self.serial})"


class TrustedRoot(TimeStampedModel):
    """A root certificate the verification page trusts (e.g. the national root CA)."""

    name = models.CharField("Tên", max_length=200)
    certificate_pem = models.TextField("Chứng thư gốc (PEM)")
    fingerprint = models.CharField("Vân tay SHA-256", max_length=64, unique=True)

    class Meta:
        verbose_name = "Chứng thư gốc tin cậy"
        verbose_name_plural = "Chứng thư gốc tin cậy"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SignatureKind(models.TextChoices):
    PERSONAL = "personal", "Chữ ký số của người có thẩm quyền"
    UNIT = "unit", "Chữ ký số của cơ quan"


class SignatureEvent(models.Model):
    """One PAdES signature made by the system: the evidence for the signature KPI."""

    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.CASCADE, related_name="+", verbose_name="Đơn vị"
    )
    staff = models.ForeignKey(
        "organizations.Staff",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="Người ký",
    )
    certificate = models.ForeignKey(
        SigningCertificate, on_delete=models.PROTECT, related_name="+", verbose_name="Chứng thư số"
    )
    kind = models.CharField(
        max_length=10, choices=SignatureKind.choices, verbose_name="Loại chữ ký"
    )
    outgoing = models.ForeignKey(
        OutgoingDocument,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="signatures",
        verbose_name="Văn bản đi",
    )
    purpose = models.CharField("Nội dung ký", max_length=200)
    signed_at = models.DateTimeField("Ký lúc")

    class Meta:
        verbose_name = "Lần ký số"
        verbose_name_plural = "Lần ký số"
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.purpose}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Đang chờ gửi"
    SENT = "sent", "Đã gửi"
    FAILED = "failed", "Gửi lỗi (sẽ gửi lại)"
    GAVE_UP = "gave_up", "Gửi lỗi (đã dừng)"


class Delivery(TimeStampedModel):
    """One released document to one recipient address, with its attempts."""

    outgoing = models.ForeignKey(
        OutgoingDocument,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name="Văn bản đi",
    )
    recipient = models.EmailField("Địa chỉ nhận")
    sender = models.EmailField("Địa chỉ gửi")
    sent_by = models.ForeignKey(
        "organizations.Staff",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="Người gửi",
    )
    status = models.CharField(
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        verbose_name="Trạng thái",
    )
    attempts = models.PositiveSmallIntegerField("Số lần gửi", default=0)
    last_error = models.CharField("Lỗi gần nhất", max_length=500, blank=True)
    sent_at = models.DateTimeField("Gửi được lúc", null=True, blank=True)
    next_try_at = models.DateTimeField(null=True, blank=True, verbose_name="Gửi lại lúc")

    class Meta:
        verbose_name = "Gửi văn bản"
        verbose_name_plural = "Gửi văn bản"
        ordering = ["outgoing", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["outgoing", "recipient"], name="documents_delivery_unique"
            )
        ]

    @property
    def error_for_staff(self) -> str:
        """The last error in Vietnamese only: rows written before the technical detail moved
        to the server log still carry ". Chi tiết kỹ thuật: ConnectionRefusedError ..."."""
        return self.last_error.split(". Chi tiết kỹ thuật:", 1)[0]

    def __str__(self) -> str:
        """The admin's row label: the document's number (or its summary) and the address."""
        return f"{self.outgoing} → {self.recipient}"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(
        Delivery, on_delete=models.CASCADE, related_name="log", verbose_name="Lượt gửi văn bản"
    )
    at = models.DateTimeField(verbose_name="Thời điểm")
    ok = models.BooleanField(verbose_name="Thành công")
    error = models.CharField(max_length=500, blank=True, verbose_name="Lỗi")

    class Meta:
        verbose_name = "Lần thử gửi văn bản"
        verbose_name_plural = "Lần thử gửi văn bản"
        ordering = ["at"]

    def __str__(self) -> str:
        # Local time (Asia/Ho_Chi_Minh), not the stored UTC: the admin lists these rows.
        at = timezone.localtime(self.at)
        return f"{at:%d/%m/%Y %H:%M} {'thành công' if self.ok else self.error}"
