"""Fees (khoản thu), bills (giấy báo thu), payments, receipts (biên lai) and bank statements.

Money is whole VND (`*_vnd`, design.md section 4). Official letter 2741/BGDĐT-KHTC (domain.md
section 9) asks that every payment carry the payer, the beneficiary, the reason and the bill code:
a bill's code goes into its VietQR note so the bank statement can be matched automatically.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cchc.core.constraints import one_of
from cchc.core.models import TimeStampedModel


class Fee(TimeStampedModel):
    """One fee a unit collects (tuition support, insurance, a procedure fee …) for a period."""

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="Đơn vị", on_delete=models.CASCADE, related_name="fees"
    )
    name = models.CharField("Tên khoản thu", max_length=200)
    amount_vnd = models.PositiveBigIntegerField("Số tiền (đồng)")
    legal_basis = models.CharField("Căn cứ thu", max_length=300, blank=True)
    period_label = models.CharField("Kỳ thu", max_length=100, blank=True)
    due_on = models.DateField("Hạn nộp")
    is_active = models.BooleanField("Đang áp dụng", default=True)

    class Meta:
        verbose_name = "Khoản thu"
        verbose_name_plural = "Khoản thu"
        ordering = ["unit", "-due_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="fee_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.period_label})" if self.period_label else self.name


class BillKind(models.TextChoices):
    FEE = "fee", "Khoản thu của trường"
    PROCEDURE = "procedure", "Phí, lệ phí thủ tục hành chính"


class BillStatus(models.TextChoices):
    UNPAID = "unpaid", "Chưa nộp"
    PARTIAL = "partial", "Đã nộp một phần"
    PAID = "paid", "Đã nộp đủ"
    OVERPAID = "overpaid", "Nộp thừa"
    CANCELLED = "cancelled", "Đã hủy"


OPEN_STATUSES = (BillStatus.UNPAID, BillStatus.PARTIAL)


class Bill(TimeStampedModel):
    """What one payer owes for one reason; its code is the key for matching bank transfers."""

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="Đơn vị", on_delete=models.CASCADE, related_name="bills"
    )
    code = models.CharField("Mã khoản thu", max_length=16, unique=True)
    kind = models.CharField("Loại", max_length=16, choices=BillKind.choices, default=BillKind.FEE)
    fee = models.ForeignKey(
        Fee,
        verbose_name="Khoản thu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bills",
    )
    reason = models.CharField("Nội dung thu", max_length=200)
    amount_vnd = models.PositiveBigIntegerField("Số tiền phải nộp (đồng)")
    paid_vnd = models.PositiveBigIntegerField("Đã nộp (đồng)", default=0)
    status = models.CharField(
        "Trạng thái", max_length=16, choices=BillStatus.choices, default=BillStatus.UNPAID
    )
    student_name = models.CharField("Họ và tên học sinh", max_length=200, blank=True)
    class_name = models.CharField("Lớp", max_length=20, blank=True)
    payer_name = models.CharField("Người nộp", max_length=200)
    payer_phone = models.CharField("Điện thoại người nộp", max_length=30, blank=True)
    payer_email = models.EmailField("Thư điện tử người nộp", blank=True)
    collector = models.ForeignKey(
        "organizations.Staff",
        verbose_name="Người thu",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collected_bills",
    )
    issued_on = models.DateField("Ngày lập")
    due_on = models.DateField("Hạn nộp")
    dossier_code = models.CharField("Mã hồ sơ TTHC", max_length=40, blank=True, db_index=True)
    version = models.PositiveIntegerField(default=1, verbose_name="Phiên bản")

    class Meta:
        verbose_name = "Giấy báo thu"
        verbose_name_plural = "Giấy báo thu"
        ordering = ["unit", "class_name", "student_name", "code"]
        indexes = [
            models.Index(fields=["unit", "status", "due_on"], name="bill_unit_status_due"),
            models.Index(fields=["unit", "class_name"], name="bill_unit_class"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="bill_amount_positive"),
            one_of("status", BillStatus, name="bill_status_valid", label="Trạng thái"),
            one_of("kind", BillKind, name="bill_kind_valid", label="Loại khoản thu"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def outstanding_vnd(self) -> int:
        return max(self.amount_vnd - self.paid_vnd, 0)

    @property
    def overpaid_vnd(self) -> int:
        return max(self.paid_vnd - self.amount_vnd, 0)


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", "Chuyển khoản (VietQR)"
    CASH = "cash", "Tiền mặt"


class Payment(TimeStampedModel):
    """Money received against a bill: a reconciled bank credit, or cash with its reason."""

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="Đơn vị", on_delete=models.CASCADE, related_name="+"
    )
    bill = models.ForeignKey(
        Bill, verbose_name="Giấy báo thu", on_delete=models.PROTECT, related_name="payments"
    )
    amount_vnd = models.PositiveBigIntegerField("Số tiền (đồng)")
    method = models.CharField("Hình thức", max_length=16, choices=PaymentMethod.choices)
    paid_on = models.DateField("Ngày nộp", db_index=True)
    statement_line = models.OneToOneField(
        "StatementLine",
        verbose_name="Dòng sao kê",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment",
    )
    cash_reason = models.CharField("Lý do thu tiền mặt", max_length=300, blank=True)
    collector = models.ForeignKey(
        "organizations.Staff",
        verbose_name="Người thu",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người ghi nhận",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "Khoản đã nộp"
        verbose_name_plural = "Khoản đã nộp"
        ordering = ["-paid_on", "-id"]
        indexes = [models.Index(fields=["unit", "paid_on"], name="payment_unit_paid_on")]
        constraints = [
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(method="cash") | ~Q(cash_reason=""), name="payment_cash_has_reason"
            ),
            one_of("method", PaymentMethod, name="payment_method_valid", label="Hình thức nộp"),
        ]

    def __str__(self) -> str:
        return f"{self.bill.code}: {self.amount_vnd}"

    @property
    def is_cashless(self) -> bool:
        return self.method != PaymentMethod.CASH


class ReceiptCounter(models.Model):
    """The last receipt number of a unit in a year; locked while a number is taken (gap-free)."""

    unit = models.ForeignKey(
        "organizations.Unit", on_delete=models.CASCADE, related_name="+", verbose_name="Đơn vị"
    )
    year = models.PositiveIntegerField(verbose_name="Năm")
    last_number = models.PositiveIntegerField(default=0, verbose_name="Số biên lai cuối")

    class Meta:
        verbose_name = "Bộ đếm số biên lai"
        verbose_name_plural = "Bộ đếm số biên lai"
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="receipt_counter_unit_year")
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Receipt(TimeStampedModel):
    """A receipt (biên lai) for one payment, numbered from 1 each year in each unit."""

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="Đơn vị", on_delete=models.CASCADE, related_name="+"
    )
    payment = models.OneToOneField(
        Payment, verbose_name="Khoản đã nộp", on_delete=models.PROTECT, related_name="receipt"
    )
    year = models.PositiveIntegerField("Năm")
    number = models.PositiveIntegerField("Số")
    issued_at = models.DateTimeField("Lập lúc")
    emailed_to = models.EmailField("Đã gửi tới", blank=True)
    emailed_at = models.DateTimeField("Gửi thư lúc", null=True, blank=True)

    class Meta:
        verbose_name = "Biên lai"
        verbose_name_plural = "Biên lai"
        ordering = ["unit", "-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "number"], name="receipt_number_unique")
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        return f"{self.number:06d}/{self.year}"


class Statement(TimeStampedModel):
    """One imported bank statement file; the same file imported twice is refused."""

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="Đơn vị", on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField("Tên tệp", max_length=255)
    content_hash = models.CharField("Mã băm nội dung", max_length=64)
    format_code = models.CharField("Mẫu sao kê", max_length=40)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Người nhập",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    credit_lines = models.PositiveIntegerField("Số dòng ghi có", default=0)
    new_lines = models.PositiveIntegerField("Số dòng mới", default=0)
    duplicate_lines = models.PositiveIntegerField("Số dòng đã có", default=0)
    matched_lines = models.PositiveIntegerField("Số dòng khớp tự động", default=0)

    class Meta:
        verbose_name = "Sao kê ngân hàng"
        verbose_name_plural = "Sao kê ngân hàng"
        ordering = ["unit", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "content_hash"], name="statement_unique_file")
        ]

    def __str__(self) -> str:
        return self.filename


class LineStatus(models.TextChoices):
    MATCHED = "matched", "Đã khớp"
    UNMATCHED = "unmatched", "Chưa khớp"
    IGNORED = "ignored", "Không phải khoản thu"


class MatchRule(models.TextChoices):
    CODE = "code", "Theo mã khoản thu"
    AMOUNT_DATE = "amount_date", "Theo số tiền và ngày"
    MANUAL = "manual", "Ghép thủ công"


class StatementLine(TimeStampedModel):
    """One credit on a statement; its fingerprint (bank transaction id, else a content hash)
    is unique per unit, so a line seen in two imports is counted once."""

    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="Đơn vị", on_delete=models.CASCADE, related_name="+"
    )
    statement = models.ForeignKey(
        Statement, verbose_name="Sao kê", on_delete=models.CASCADE, related_name="lines"
    )
    row_number = models.PositiveIntegerField("Dòng trong tệp")
    fingerprint = models.CharField(max_length=64, verbose_name="Dấu nhận diện dòng")
    bank_reference = models.CharField("Số tham chiếu", max_length=100, blank=True)
    posted_on = models.DateField("Ngày giao dịch")
    amount_vnd = models.PositiveBigIntegerField("Số tiền ghi có (đồng)")
    description = models.CharField("Nội dung", max_length=500)
    status = models.CharField(
        "Trạng thái", max_length=16, choices=LineStatus.choices, default=LineStatus.UNMATCHED
    )
    match_rule = models.CharField("Cách khớp", max_length=16, choices=MatchRule.choices, blank=True)
    bill = models.ForeignKey(
        Bill,
        verbose_name="Giấy báo thu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statement_lines",
    )
    version = models.PositiveIntegerField(default=1, verbose_name="Phiên bản")

    class Meta:
        verbose_name = "Dòng sao kê"
        verbose_name_plural = "Dòng sao kê"
        ordering = ["unit", "-posted_on", "row_number"]
        indexes = [models.Index(fields=["unit", "status"], name="line_unit_status")]
        constraints = [
            models.UniqueConstraint(fields=["unit", "fingerprint"], name="line_unique_fingerprint"),
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="line_amount_positive"),
            one_of("status", LineStatus, name="line_status_valid", label="Trạng thái"),
            one_of(
                "match_rule", MatchRule, name="line_match_rule_valid", label="Cách khớp", blank=True
            ),
        ]

    def __str__(self) -> str:
        return f"{self.posted_on:%d/%m/%Y} {self.amount_vnd} {self.description[:40]}"
