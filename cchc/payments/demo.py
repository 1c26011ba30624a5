"""Demo data for payments: a year of bills for four classes, bank statements that reconcile most
of them, a few cash exceptions with their reasons, some unpaid and overdue bills.

Everything goes through the real services (class-list import, statement import, cash) with the
clock set to the historical moment, so receipts, audit records and dates obey the same rules as
live data: transfers and imports only on working days (`cchc/workdays`), never at 00:00.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from cchc.accounts.models import User
from cchc.core.timezones import VN
from cchc.organizations.models import Staff, Unit
from cchc.payments import services
from cchc.payments.models import Bill, BillKind, Fee
from cchc.workdays.services import calendar_for_unit

SCHOOL_CODE = "000.31.41.H29"
T = TypeVar("T")
# Class → homeroom teacher (who collects for the class), by username of the demo staff.
CLASSES = {"6A": "loipv", "7A": "hanvtn", "8A": "khoahm", "9A": "linhdtm"}
PUPILS_PER_CLASS = 8
FEES = [
    # name, amount, period, issued, due, legal basis
    (
        "Tiền nước uống học kỳ II",
        60000,
        "Học kỳ II năm học 2025-2026",
        date(2026, 1, 12),
        date(2026, 1, 30),
        "Thỏa thuận với cha mẹ học sinh theo nghị quyết của HĐND tỉnh về khoản thu dịch vụ",
    ),
    (
        "Tiền nước uống học kỳ I",
        60000,
        "Học kỳ I năm học 2026-2027",
        date(2026, 9, 14),
        date(2026, 9, 30),
        "Thỏa thuận với cha mẹ học sinh theo nghị quyết của HĐND tỉnh về khoản thu dịch vụ",
    ),
    (
        "Bảo hiểm y tế học sinh năm 2027",
        884520,
        "01/01/2027 – 31/12/2027",
        date(2026, 9, 14),
        date(2026, 10, 30),
        "Luật Bảo hiểm y tế; mức đóng 4,5% mức tham chiếu, ngân sách hỗ trợ 30%",
    ),
    (
        "Tiền in đề kiểm tra cuối học kỳ I",
        30000,
        "Học kỳ I năm học 2026-2027",
        date(2026, 11, 2),
        date(2026, 11, 27),
        "Thỏa thuận với cha mẹ học sinh",
    ),
]
# Homeroom teachers of these classes take no cash at all (the "staff applying e-payment" rate).
CASHLESS_CLASSES = ("7A", "8A")
CASH_REASONS = [
    "Gia đình không có tài khoản ngân hàng",
    "Ông bà nộp trực tiếp tại trường",
    "Ứng dụng ngân hàng của phụ huynh bị lỗi, đã hướng dẫn lần sau",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Gia", "Hoàng", "Quốc", "Thu", "Bảo", "Khánh"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Hà",
    "Hải",
    "Khang",
    "Lan",
    "Linh",
    "My",
    "Nam",
    "Phúc",
    "Quân",
    "Tâm",
    "Thảo",
    "Trung",
    "Tú",
    "Vy",
    "Yến",
    "Khôi",
]


def _with_clock(moment: datetime, action: Callable[[], T]) -> T:
    original = timezone.now
    timezone.now = lambda: moment
    try:
        return action()
    finally:
        timezone.now = original


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VN)


def seed_demo_data(**_options: object) -> list[str]:
    school = Unit.objects.filter(code=SCHOOL_CODE).first()
    if school is None or Fee.objects.filter(unit=school).exists():
        return []
    clerk = User.objects.filter(username="thuyltt").first()
    made = seed_payments(school, actor=clerk)
    return [
        f"Đã tạo {made['bills']} khoản thu mẫu, {made['transfers']} khoản chuyển khoản đối soát "
        f"qua sao kê, {made['cash']} khoản tiền mặt cho {school.short_name}; "
        f"{made['procedure_bills']} khoản lệ phí TTHC lập khi tiếp nhận hồ sơ."
    ]


def _working_days(calendar: Any, start: date, end: date) -> list[date]:
    days, day = [], start
    while day <= end:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _class_list(rng: random.Random) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH HỌC SINH"])
    sheet.append(["STT", "Họ và tên học sinh", "Lớp", "Họ tên phụ huynh", "Điện thoại"])
    number = 0
    for class_name in CLASSES:
        for _ in range(PUPILS_PER_CLASS):
            number += 1
            family = rng.choice(FAMILY)
            pupil = f"{family} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            parent = f"{family} {rng.choice(['Văn', 'Minh', 'Quốc'])} {rng.choice(GIVEN)}"
            sheet.append([number, pupil, class_name, parent, f"09{rng.randint(10**7, 10**8 - 1)}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _note(rng: random.Random, bill: Bill) -> str:
    """What parents' banks write: the code mangled in the ways the matcher must survive."""
    code = bill.code
    parent = bill.payer_name.upper()
    return rng.choice(
        [
            f"{code} {bill.reason}",
            f"MBVCB.{rng.randint(1000, 9999)}.{code.lower()}.{parent}",
            f"IBFT {code[:4]} {code[4:]} {parent} CK",
            f"{parent} chuyen tien {code[:6]}-{code[6:]}",
        ]
    )


def _statement(rows: list[tuple[date, str, int, str]]) -> bytes:
    """A VietinBank-style CSV (the school's account is at VietinBank), credits and a fee."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Ngày giao dịch", "Số bút toán", "Nợ", "Có", "Mô tả giao dịch"])
    for day, reference, amount, note in sorted(rows):
        if amount < 0:
            writer.writerow([f"{day:%d/%m/%Y}", reference, -amount, "", note])
        else:
            writer.writerow([f"{day:%d/%m/%Y}", reference, "", amount, note])
    return out.getvalue().encode("utf-8-sig")


def _import(school: Unit, actor: User | None, fee: Fee, rows: list, counts: dict[str, int]) -> None:
    result = services.statement_import(
        actor=actor,
        unit=school,
        filename=f"sao-ke-vietinbank-{fee.pk}.csv",
        content=_statement(rows),
        notify=False,
    )
    counts["transfers"] += len(result.matched)


def _next_working_day(calendar: Any, day: date) -> date:
    day += timedelta(days=1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day


@transaction.atomic
def seed_payments(school: Unit, *, actor: User | None, seed: int = 2026) -> dict[str, int]:
    """Bills first (fee by fee), then every cash desk entry and statement import in time order,
    so receipt numbers follow the calendar."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    calendar = calendar_for_unit(school)
    now = timezone.now()
    today = timezone.localdate()
    staff = {
        s.user.username: s
        for s in Staff.objects.filter(unit=school).select_related("user")
        if s.user is not None
    }
    class_list = _class_list(rng)
    counts = {"bills": 0, "transfers": 0, "cash": 0, "procedure_bills": 0}
    events: list[tuple[datetime, Callable[[], Any]]] = []
    reference = 0
    for name, amount, period, issued_on, due_on, basis in FEES:
        if issued_on >= today:
            continue
        fee = _with_clock(
            _at(issued_on, 8, 5),
            partial(
                services.fee_create,
                actor=actor,
                unit=school,
                name=name,
                amount_vnd=amount,
                due_on=due_on,
                legal_basis=basis,
                period_label=period,
            ),
        )
        _with_clock(
            _at(issued_on, 8, 20),
            partial(
                services.bills_from_class_list,
                actor=actor,
                unit=school,
                fee=fee,
                filename="danh-sach-hoc-sinh.xlsx",
                content=class_list,
                issued_on=issued_on,
            ),
        )
        bills = list(Bill.objects.filter(fee=fee).order_by("class_name", "student_name"))
        for bill in bills:
            bill.collector = staff.get(CLASSES.get(bill.class_name, ""))
        Bill.objects.bulk_update(bills, ["collector"])
        counts["bills"] += len(bills)
        pay_days = _working_days(calendar, issued_on + timedelta(days=1), min(due_on, today))
        early = pay_days[: max(len(pay_days) * 3 // 4, 1)]
        rows: list[tuple[date, str, int, str]] = []
        for bill in bills:
            roll = rng.random()
            day = rng.choice(early)
            reference += 1
            ref = f"9{issued_on:%y%m}{reference:05d}"
            if bill == bills[7] and bill.amount_vnd > 100000:  # half now, the rest still due
                rows.append((day, ref, bill.amount_vnd // 2, f"{bill.code} dot 1"))
            elif roll < 0.80 or (roll >= 0.85 and bill.class_name in CASHLESS_CLASSES):
                rows.append((day, ref, bill.amount_vnd, _note(rng, bill)))
                if bill == bills[3]:  # a parent who paid twice: the bill shows "Nộp thừa"
                    rows.append((day, ref + "D", bill.amount_vnd, _note(rng, bill)))
            elif roll < 0.85:  # no code, but the pupil's name: matched by amount and name
                note = f"{bill.student_name.upper()} LOP {bill.class_name} NOP TIEN"
                rows.append((day, ref, bill.amount_vnd, note))
            elif roll < 0.88 and bill.amount_vnd > 100000:  # paid in two instalments
                half = bill.amount_vnd // 2
                rows.append((day, ref, half, f"{bill.code} dot 1"))
                if rng.random() < 0.6:  # else the second instalment is still to come
                    later = rng.choice(pay_days[pay_days.index(day) :])
                    rows.append((later, ref + "B", bill.amount_vnd - half, f"{bill.code} dot 2"))
            elif roll < 0.93 and bill.class_name not in CASHLESS_CLASSES:
                moment = _at(day, 10, rng.randint(0, 50))
                reason = rng.choice(CASH_REASONS)
                events.append(
                    (
                        moment,
                        partial(
                            services.cash_payment_record,
                            actor=actor,
                            bill=bill,
                            amount_vnd=bill.amount_vnd,
                            paid_on=day,
                            reason=reason,
                            notify=False,
                        ),
                    )
                )
                counts["cash"] += 1
            # The remaining few stay unpaid: the overdue figure has something to show.
        # Credits nobody can place, and a bank charge: the unmatched queue has work in it.
        rows.append((pay_days[-1], f"X{fee.pk:03d}1", 50000, "UNG HO NHA TRUONG"))
        rows.append((pay_days[-1], "", 8, "Tra lai tien gui"))
        rows.append((pay_days[-1], f"X{fee.pk:03d}2", -11000, "Phi quan ly tai khoan"))
        import_at = min(_at(_next_working_day(calendar, pay_days[-1]), 16, 10), now)
        events.append((import_at, partial(_import, school, actor, fee, rows, counts)))
    events += _procedure_fee_events(school, actor, calendar, counts, seed=seed)
    for moment, action in sorted(events, key=lambda e: e[0]):
        _with_clock(moment, action)
    return counts


def _procedure_fee_events(
    school: Unit, actor: User | None, calendar: Any, counts: dict[str, int], *, seed: int
) -> list[tuple[datetime, Callable[[], Any]]]:
    """The procedure-fee bills the dossier desk made at reception (dossiers/demo.py gives the
    copy-from-register procedure a fee): most paid by transfer that day or the next working
    day, a few in cash at the desk, the latest few still open, so 766 indicator 3.6
    (`procedure_fee_online_rate`) shows a live figure. One statement per month."""
    rng = random.Random(seed + 36)  # noqa: S311 - reproducible demo data, not security
    now, today = timezone.now(), timezone.localdate()
    bills = Bill.objects.filter(unit=school, kind=BillKind.PROCEDURE, payments__isnull=True)
    events: list[tuple[datetime, Callable[[], Any]]] = []
    months: dict[tuple[int, int], list[tuple[date, str, int, str]]] = {}
    for bill in bills.order_by("issued_on", "code"):
        counts["procedure_bills"] += 1
        day = bill.issued_on
        if not calendar.is_working_day(day) or rng.random() < 0.5:
            day = _next_working_day(calendar, day)
        roll = rng.random()
        if day >= today or roll >= 0.92:
            continue  # still to pay
        if roll < 0.8:
            row = (day, f"LP{bill.pk:07d}", bill.amount_vnd, _note(rng, bill))
            months.setdefault((day.year, day.month), []).append(row)
        else:
            moment = _at(day, 10, rng.randint(0, 50))
            reason = "Người nộp hồ sơ nộp lệ phí tại bộ phận tiếp nhận"
            events.append(
                (
                    moment,
                    partial(
                        services.cash_payment_record, actor=actor, bill=bill,
                        amount_vnd=bill.amount_vnd, paid_on=day, reason=reason, notify=False,
                    ),
                )
            )  # fmt: skip
            counts["cash"] += 1
    for (year, month), rows in months.items():
        last = max(row[0] for row in rows)
        import_at = _at(_next_working_day(calendar, last), 16, 10)
        if import_at > now:  # the statement of a day this week: read the same afternoon
            import_at = _at(last, 16, 45)
        name = f"sao-ke-le-phi-{year}-{month:02d}.csv"
        events.append((import_at, partial(_import_named, school, actor, name, rows, counts)))
    return events


def _import_named(
    school: Unit, actor: User | None, filename: str, rows: list, counts: dict[str, int]
) -> None:
    result = services.statement_import(
        actor=actor, unit=school, filename=filename, content=_statement(rows), notify=False
    )
    counts["transfers"] += len(result.matched)
