"""Double clicks through the real request stack: the same statement uploaded at once, the same
cash taken twice. One wins; the others get 409/422, never 500, and no money counts twice."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cchc.payments.models import Bill, Payment, Receipt
from cchc.payments.tests.factories import BillFactory
from tests.concurrency import logged_in, race

HEADER = "Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Mô tả\n"


@pytest.mark.django_db(transaction=True)
def test_same_statement_uploaded_at_once(principal, bank_school) -> None:
    BillFactory(unit=bank_school, code="HP26K7M3Q9", amount_vnd=884520)
    content = (HEADER + "08/09/2026,FT1,,884520,HP26K7M3Q9\n").encode()

    def post(client: Client) -> int:
        upload = SimpleUploadedFile("vcb.csv", content)
        return client.post(reverse("payments:statements"), {"file": upload}).status_code

    statuses = Counter(race(post, logged_in(principal)))

    assert statuses[302] == 1
    assert set(statuses) <= {302, 409}
    assert Payment.objects.count() == 1
    assert Bill.objects.get().paid_vnd == 884520


@pytest.mark.django_db(transaction=True)
def test_same_cash_taken_twice_at_once(principal, bank_school) -> None:
    bill = BillFactory(unit=bank_school, amount_vnd=100000)
    body = {"amount_vnd": "100000", "paid_on": "2026-09-08", "reason": "Nộp tại trường"}

    def post(client: Client) -> int:
        return client.post(reverse("payments:bill_cash", args=[bill.pk]), body).status_code

    statuses = Counter(race(post, logged_in(principal)))

    assert statuses[302] == 1
    assert set(statuses) <= {302, 422}
    assert Payment.objects.count() == 1
    assert list(Receipt.objects.values_list("number", flat=True)) == [1]
