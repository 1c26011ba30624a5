"""A parent opens the payment page on a phone, scans the QR, and sees it paid after the school
imports the bank statement."""

from __future__ import annotations

import pytest

from cchc.payments import services
from cchc.payments.tests.factories import BillFactory
from cchc.payments.tests.qr_reading import png_pixels, read_qr
from cchc.payments.vietqr import decode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_parent_pays_from_a_phone(live_server, page, principal, bank_school) -> None:
    bill = BillFactory(unit=bank_school, code="HP26K7M3Q9", amount_vnd=884520)
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(f"{live_server.url}/thanh-toan/hp26k7m3q9/")

    assert page.locator("h1").inner_text() == "Khoản thu HP26K7M3Q9"
    assert page.locator("#amount").inner_text() == "884.520 đ"
    assert page.locator("#status").inner_text() == "Chưa nộp"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    qr = page.locator("#qr svg")
    assert qr.bounding_box()["width"] >= 200  # large enough to scan from another phone
    scanned = read_qr(png_pixels(qr.screenshot()))
    assert len(scanned) == 1
    payload = decode(scanned[0])
    assert (payload.valid, payload.amount, payload.bin) == (True, 884520, "970415")
    assert payload.purpose.startswith("HP26K7M3Q9")
    body = page.content()
    assert bill.student_name not in body
    assert bill.payer_name not in body

    header = "Ngày giao dịch,Số bút toán,Nợ,Có,Mô tả giao dịch\n"
    services.statement_import(
        actor=principal.user,
        unit=bank_school,
        filename="sk.csv",
        content=(header + f"08/09/2026,9001,,884520,{payload.purpose}\n").encode(),
        notify=False,
    )
    page.reload()

    assert page.locator("#status").inner_text() == "Đã nộp đủ"
    assert page.locator("#qr").count() == 0
