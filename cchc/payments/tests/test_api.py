"""The payments API: scoped bills, personal data only to those who need it, cash with 422s,
the figures, VietQR decoding and the public status."""

from __future__ import annotations

import pytest

from cchc.payments.models import Payment
from cchc.payments.tests.factories import BillFactory
from cchc.payments.vietqr import decode
from tests.fixtures import client_for

PAYLOAD = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200"
    "005802VN62170813ung ho lu lut6304C15C"
)


@pytest.mark.django_db
def test_bills_are_scoped_and_phone_shown_only_with_the_right(
    principal, colleague, outsider, bank_school
) -> None:
    bill = BillFactory(unit=bank_school, payer_phone="0912345678")

    mine = client_for(principal).get("/api/v1/payments/bills").json()
    theirs = client_for(outsider).get("/api/v1/payments/bills").json()
    other = client_for(outsider).get(f"/api/v1/payments/bills/{bill.pk}")
    teacher = client_for(colleague).get("/api/v1/payments/bills")

    assert [b["code"] for b in mine] == [bill.code]
    assert mine[0]["payer_phone"] == "0912345678"
    assert theirs == []
    assert other.status_code == 404
    assert teacher.status_code == 403


@pytest.mark.django_db
def test_cash_over_the_api(principal, outsider, bank_school) -> None:
    bill = BillFactory(unit=bank_school, amount_vnd=100000)
    url = f"/api/v1/payments/bills/{bill.pk}/cash"
    body = {"amount_vnd": 100000, "paid_on": "2026-09-08", "reason": "Nộp tại trường"}

    refused = client_for(outsider).post(url, body, content_type="application/json")
    bad = client_for(principal).post(url, {**body, "reason": " "}, content_type="application/json")
    zero = client_for(principal).post(
        url, {**body, "amount_vnd": 0}, content_type="application/json"
    )
    done = client_for(principal).post(url, body, content_type="application/json")

    assert refused.status_code == 404
    assert bad.status_code == 422
    assert "lý do" in bad.json()["detail"]
    assert zero.status_code == 422
    assert done.status_code == 201
    assert done.json()["receipt_number"].startswith("000001/")
    assert Payment.objects.count() == 1


@pytest.mark.django_db
def test_kpis_and_decode(principal, bank_school) -> None:
    client = client_for(principal)

    figures = client.get("/api/v1/payments/kpis?year=2026").json()
    decoded = client.get("/api/v1/payments/vietqr/decode", {"payload": PAYLOAD}).json()
    bad_year = client.get("/api/v1/payments/kpis?year=99999")

    assert figures[0]["code"] == "cashless_rate"
    assert figures[0]["display"] == "chưa đo được"
    assert decoded["valid"] is True
    assert decoded["amount"] == 120000
    assert bad_year.status_code == 422


@pytest.mark.django_db
def test_public_status_has_the_payload_and_no_names(citizen, bank_school) -> None:
    bill = BillFactory(unit=bank_school, code="HP26K7M3Q9")

    response = citizen.get("/api/v1/public/payments/hp26k7m3q9")
    missing = citizen.get("/api/v1/public/payments/HP26ZZZZZZ")

    data = response.json()
    assert data["status"] == "unpaid"
    assert decode(data["vietqr"]).purpose.startswith("HP26K7M3Q9")
    assert bill.student_name not in response.content.decode()
    assert bill.payer_name not in response.content.decode()
    assert missing.status_code == 404
