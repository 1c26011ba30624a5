"""Payment indicators: target 5 of the plan ("100% viên chức ứng dụng thanh toán điện tử trong
cung ứng dịch vụ"), the education ministry's cashless guidance (2741/BGDĐT-KHTC: maximise the
count and the value share of cashless payments) and 766 indicator 3.6 (domain.md 2.2).

Each is one or two aggregate queries over `Payment`/`Bill` filtered by unit and period; the
per-group (tổ) and per-class breakdowns use the same definitions through `breakdown`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from cchc.core.templatetags.vn import format_vnd
from cchc.kpi.registry import Measure, PartsByUnit, Period, indicator, indicator_group
from cchc.organizations.models import Unit
from cchc.payments.models import OPEN_STATUSES, Bill, BillKind, BillStatus, Payment, PaymentMethod

CASHLESS = ~Q(method=PaymentMethod.CASH)
MONEY_CODES = ("cashless_value_rate",)
CODES = (
    "cashless_rate",
    "cashless_value_rate",
    "e_payment_staff_rate",
    "bill_overdue_rate",
    "procedure_fee_online_rate",
)
# Shown next to each figure, so a reader knows exactly what is counted.
DEFINITIONS = {
    "cashless_rate": "Số lần nộp tiền bằng chuyển khoản trong kỳ ÷ tổng số lần nộp tiền (kể cả "
    "tiền mặt), theo ngày nộp.",
    "cashless_value_rate": "Số tiền nhận bằng chuyển khoản trong kỳ ÷ tổng số tiền nhận.",
    "e_payment_staff_rate": "Viên chức có thu tiền trong kỳ và thu toàn bộ không dùng tiền mặt ÷ "
    "viên chức có thu tiền trong kỳ.",
    "bill_overdue_rate": "Khoản thu có hạn nộp trong kỳ, đã quá hạn mà chưa nộp đủ ÷ khoản thu có "
    "hạn nộp trong kỳ đã đến hạn (không tính khoản đã hủy).",
    "procedure_fee_online_rate": "Hồ sơ TTHC có lệ phí, lập trong kỳ, đã nộp đủ bằng chuyển "
    "khoản ÷ hồ sơ TTHC có lệ phí lập trong kỳ.",
}
SOURCE = "Kế hoạch CCHC 2026, chỉ tiêu 5; Công văn 2741/BGDĐT-KHTC ngày 29/6/2022"


def _payments(units: QuerySet[Unit], period: Period) -> QuerySet[Payment]:
    return Payment.objects.filter(
        unit__in=units, paid_on__gte=period.start, paid_on__lte=period.end
    )


def cashless_count(payments: QuerySet[Payment]) -> Measure:
    row = payments.aggregate(n=Count("id", filter=CASHLESS), d=Count("id"))
    return Measure(row["n"], row["d"])


def cashless_value(payments: QuerySet[Payment]) -> Measure:
    row = payments.aggregate(n=Sum("amount_vnd", filter=CASHLESS), d=Sum("amount_vnd"))
    return Measure(row["n"] or 0, row["d"] or 0)


def staff_applying(payments: QuerySet[Payment]) -> Measure:
    """Staff who collected any payment and collected all of it without cash ÷ staff who
    collected any (the target's "100% viên chức ứng dụng thanh toán điện tử")."""
    rows = (
        payments.filter(collector__isnull=False)
        .values("collector")
        .annotate(cash=Count("id", filter=Q(method=PaymentMethod.CASH)))
    )
    total = applying = 0
    for row in rows:
        total += 1
        applying += row["cash"] == 0
    return Measure(applying, total)


@indicator(
    "cashless_rate",
    name="Tỷ lệ khoản thu không dùng tiền mặt (theo số khoản nộp)",
    source=SOURCE,
)
def cashless_rate(units: QuerySet[Unit], period: Period) -> Measure:
    """Payments received in the period by transfer ÷ all payments received (cash included)."""
    return cashless_count(_payments(units, period))


@indicator(
    "cashless_value_rate",
    name="Tỷ lệ giá trị thu không dùng tiền mặt",
    source=SOURCE,
)
def cashless_value_rate(units: QuerySet[Unit], period: Period) -> Measure:
    """VND received by transfer ÷ all VND received in the period."""
    return cashless_value(_payments(units, period))


@indicator(
    "e_payment_staff_rate",
    name="Tỷ lệ viên chức ứng dụng thanh toán điện tử trong cung ứng dịch vụ",
    source=SOURCE,
)
def e_payment_staff_rate(units: QuerySet[Unit], period: Period) -> Measure:
    """Staff who collected in the period and never in cash ÷ staff who collected."""
    return staff_applying(_payments(units, period))


@indicator(
    "bill_overdue_rate",
    name="Tỷ lệ khoản thu quá hạn chưa nộp đủ",
    better="lower",
    source="Công văn 2741/BGDĐT-KHTC (đối soát, theo dõi khoản thu)",
)
def bill_overdue_rate(units: QuerySet[Unit], period: Period) -> Measure:
    """Bills due in the period and already past due that are not fully paid ÷ those bills."""
    today = timezone.localdate()
    row = (
        Bill.objects.filter(unit__in=units, due_on__gte=period.start, due_on__lte=period.end)
        .filter(due_on__lt=today)
        .exclude(status=BillStatus.CANCELLED)
        .aggregate(n=Count("id", filter=Q(status__in=OPEN_STATUSES)), d=Count("id"))
    )
    return Measure(row["n"], row["d"])


@indicator(
    "procedure_fee_online_rate",
    name="Tỷ lệ hồ sơ TTHC có phí, lệ phí được thanh toán trực tuyến",
    source="Quyết định 766/QĐ-TTg, chỉ số 3.6",
)
def procedure_fee_online_rate(units: QuerySet[Unit], period: Period) -> Measure:
    """Procedure-fee bills issued in the period and paid by transfer ÷ all such bills."""
    bills = Bill.objects.filter(
        unit__in=units,
        kind=BillKind.PROCEDURE,
        issued_on__gte=period.start,
        issued_on__lte=period.end,
    ).exclude(status=BillStatus.CANCELLED)
    row = bills.aggregate(
        n=Count(
            "id",
            filter=Q(status__in=[BillStatus.PAID, BillStatus.OVERPAID])
            & ~Q(payments__method=PaymentMethod.CASH),
            distinct=True,
        ),
        d=Count("id", distinct=True),
    )
    return Measure(row["n"], row["d"])


def display_vnd(measure: Measure) -> str:
    """A value share with its amounts as money: "97,32% (39.694.020 đ / 40.788.540 đ)"."""
    if not measure.is_measurable:
        return measure.display()
    percent = measure.display().split(" (")[0]
    return (
        f"{percent} ({format_vnd(int(measure.numerator))} / {format_vnd(int(measure.denominator))})"
    )


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    by_count: Measure
    by_value: Measure
    staff: Measure
    open_bills: int

    @property
    def by_value_display(self) -> str:
        return display_vnd(self.by_value)


def breakdown(
    units: QuerySet[Unit], period: Period, *, by: str, groups: Iterable | None = None
) -> list[BreakdownRow]:
    """The same measures per group (tổ, by the collector's group) or per class."""
    payments = _payments(units, period)
    bills = Bill.objects.filter(unit__in=units).exclude(status=BillStatus.CANCELLED)
    rows: list[BreakdownRow] = []
    # Over several schools (the commune), "6A" or "Tổ Văn phòng" exist in each: name the school.
    names = dict(units.values_list("pk", "short_name")) if units.count() > 1 else {}
    if by == "group":
        for group in groups or []:
            mine = payments.filter(collector__group=group)
            school = names.get(group.unit_id)
            rows.append(
                BreakdownRow(
                    f"{group} – {school}" if school else str(group),
                    cashless_count(mine),
                    cashless_value(mine),
                    staff_applying(mine),
                    bills.filter(collector__group=group, status__in=OPEN_STATUSES).count(),
                )
            )
        return rows
    classes = (
        bills.exclude(class_name="").values_list("unit_id", "class_name").distinct().order_by()
    )
    for unit_id, class_name in sorted(set(classes), key=lambda c: (names.get(c[0], ""), c[1])):
        mine = payments.filter(bill__unit_id=unit_id, bill__class_name=class_name)
        school = names.get(unit_id)
        rows.append(
            BreakdownRow(
                f"{class_name} – {school}" if school else class_name,
                cashless_count(mine),
                cashless_value(mine),
                staff_applying(mine),
                bills.filter(
                    unit_id=unit_id, class_name=class_name, status__in=OPEN_STATUSES
                ).count(),
            )
        )
    return rows


def _cashless_measures(row: dict[str, Any]) -> dict[str, Measure]:
    return {
        "cashless_rate": Measure(row["n"], row["d"]),
        "cashless_value_rate": Measure(row["vn"] or 0, row["vd"] or 0),
    }


@indicator_group(
    "cashless_rate",
    "cashless_value_rate",
    empty=lambda: _cashless_measures({"n": 0, "d": 0, "vn": 0, "vd": 0}),
)
def cashless_group(units: QuerySet[Unit], period: Period) -> PartsByUnit:
    """`cashless_count` and `cashless_value` of each unit's payments in one grouped query."""
    rows = (
        _payments(units, period)
        .order_by()
        .values("unit_id")
        .annotate(
            n=Count("id", filter=CASHLESS),
            d=Count("id"),
            vn=Sum("amount_vnd", filter=CASHLESS),
            vd=Sum("amount_vnd"),
        )
    )
    found = cast("list[dict[str, Any]]", list(rows))
    return {row.pop("unit_id"): _cashless_measures(row) for row in found}


@indicator_group(
    "e_payment_staff_rate",
    "procedure_fee_online_rate",
    empty=lambda: {"e_payment_staff_rate": Measure(), "procedure_fee_online_rate": Measure()},
)
def staff_and_fees_group(units: QuerySet[Unit], period: Period) -> PartsByUnit:
    """`e_payment_staff_rate` (collectors by unit) and `procedure_fee_online_rate` of each unit
    in two grouped queries: the same counts as each indicator's function, per unit."""
    found: dict[int, dict[str, list[int]]] = {}

    def add(unit_id: int, code: str, n: int, d: int) -> None:
        mine = found.setdefault(
            unit_id, {"e_payment_staff_rate": [0, 0], "procedure_fee_online_rate": [0, 0]}
        )[code]
        mine[0] += n
        mine[1] += d

    collectors = (
        _payments(units, period)
        .filter(collector__isnull=False)
        .order_by()
        .values("unit_id", "collector")
        .annotate(cash=Count("id", filter=Q(method=PaymentMethod.CASH)))
    )
    for row in collectors:
        add(row["unit_id"], "e_payment_staff_rate", int(row["cash"] == 0), 1)
    bills = (
        Bill.objects.filter(
            unit__in=units,
            kind=BillKind.PROCEDURE,
            issued_on__gte=period.start,
            issued_on__lte=period.end,
        )
        .exclude(status=BillStatus.CANCELLED)
        .order_by()
        .values("unit_id")
        .annotate(
            n=Count(
                "id",
                filter=Q(status__in=[BillStatus.PAID, BillStatus.OVERPAID])
                & ~Q(payments__method=PaymentMethod.CASH),
                distinct=True,
            ),
            d=Count("id", distinct=True),
        )
    )
    for bill_row in bills:
        add(bill_row["unit_id"], "procedure_fee_online_rate", bill_row["n"], bill_row["d"])
    return {
        unit_id: {code: Measure(n, d) for code, (n, d) in parts.items()}
        for unit_id, parts in found.items()
    }
