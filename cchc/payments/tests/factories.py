"""Factories for payments (a school with a bank account, a fee, bills)."""

from __future__ import annotations

from datetime import date

import factory
from factory.django import DjangoModelFactory

from cchc.payments.models import Bill, Fee


class FeeFactory(DjangoModelFactory):
    class Meta:
        model = Fee

    name = "Bảo hiểm y tế học sinh năm 2026"
    amount_vnd = 884520
    legal_basis = "Luật Bảo hiểm y tế"
    period_label = "Năm 2026"
    due_on = date(2026, 10, 30)


class BillFactory(DjangoModelFactory):
    class Meta:
        model = Bill

    code = factory.Sequence(lambda n: f"HP26{n:06d}"[:10].replace("0", "A", 1))
    reason = "Bảo hiểm y tế học sinh năm 2026"
    amount_vnd = 884520
    payer_name = factory.Sequence(lambda n: f"Nguyễn Văn Phụ Huynh {n}")
    student_name = factory.Sequence(lambda n: f"Nguyễn Thị Học Sinh {n}")
    class_name = "6A"
    issued_on = date(2026, 9, 7)
    due_on = date(2026, 10, 30)
