"""Staff pages and the public payment page: guards, 422/409 answers, the manual mapping flow,
what each role sees."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc.accounts.models import Role
from cchc.payments.models import Bill, Payment, StatementLine
from cchc.payments.papers import bill_payload
from cchc.payments.tests.factories import BillFactory, FeeFactory
from cchc.payments.vietqr import decode
from tests.factories import GroupFactory, StaffFactory
from tests.fixtures import client_for

HEADER = "Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Mô tả\n"


@pytest.mark.django_db
def test_public_page_shows_amount_reason_qr_status_and_nothing_personal(citizen, bank_school):
    bill = BillFactory(
        unit=bank_school,
        code="HP26K7M3Q9",
        payer_phone="0912345678",
        payer_email="binh@phuhuynh.example",
    )

    response = citizen.get(reverse("portal:payment", args=["hp26 k7m3-q9"]))

    body = response.content.decode()
    assert response.status_code == 200
    assert "884.520 đ" in body
    assert bill.reason in body
    assert "Chưa nộp" in body
    assert "<svg" in body
    for private in (bill.student_name, bill.payer_name, "0912345678", "binh@", bill.class_name):
        assert private not in body


@pytest.mark.django_db
def test_public_page_of_a_paid_bill_has_no_qr(citizen, bank_school):
    BillFactory(unit=bank_school, code="HP26AAAA11", paid_vnd=884520, status="paid")

    body = citizen.get(reverse("portal:payment", args=["HP26AAAA11"])).content.decode()

    assert "Đã nộp đủ" in body
    assert "<svg" not in body


@pytest.mark.django_db
def test_public_page_unknown_code_is_a_vietnamese_404(citizen):
    response = citizen.get(reverse("portal:payment", args=["HP26ZZZZZZ"]))

    assert response.status_code == 404
    assert "Không tìm thấy khoản thu" in response.content.decode()


@pytest.mark.django_db
def test_cash_form_without_reason_is_422_and_records_nothing(principal, bank_school):
    bill = BillFactory(unit=bank_school)

    response = client_for(principal).post(
        reverse("payments:bill_cash", args=[bill.pk]),
        {"amount_vnd": "884520", "paid_on": "2026-09-08", "reason": ""},
    )

    assert response.status_code == 422
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_teacher_cannot_record_cash_or_see_bills(colleague, bank_school):
    bill = BillFactory(unit=bank_school)
    client = client_for(colleague)

    post = client.post(
        reverse("payments:bill_cash", args=[bill.pk]),
        {"amount_vnd": "1", "paid_on": "2026-09-08", "reason": "x"},
    )
    listing = client.get(reverse("payments:bills"))

    assert post.status_code in (403, 404)
    assert listing.status_code == 403
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_the_accountant_keeps_the_ledger_and_a_sunday_cash_date_is_422(bank_school):
    accountant = StaffFactory(
        unit=bank_school,
        full_name="Bùi Thị Thu Hà",
        position="Kế toán",
        user__username="ketoan",
        roles=[Role.ACCOUNTANT],
    )
    bill = BillFactory(unit=bank_school, amount_vnd=100000)
    client = client_for(accountant)

    listing = client.get(reverse("payments:bills"))
    sunday = client.post(
        reverse("payments:bill_cash", args=[bill.pk]),
        {"amount_vnd": "100000", "paid_on": "2026-09-06", "reason": "Nộp tại trường"},
    )
    tuesday = client.post(
        reverse("payments:bill_cash", args=[bill.pk]),
        {"amount_vnd": "100000", "paid_on": "2026-09-08", "reason": "Nộp tại trường"},
    )

    assert listing.status_code == 200
    assert sunday.status_code == 422
    assert "06/09/2026 là ngày nghỉ của đơn vị" in sunday.content.decode()
    assert tuesday.status_code in (200, 302)
    assert Payment.objects.get().paid_on == date(2026, 9, 8)


@pytest.mark.django_db
def test_statement_upload_then_reupload_is_409(principal, bank_school):
    BillFactory(unit=bank_school, code="HP26K7M3Q9")
    content = (HEADER + "08/09/2026,FT1,,884520,HP26K7M3Q9\n").encode()
    client = client_for(principal)

    first = client.post(
        reverse("payments:statements"), {"file": SimpleUploadedFile("vcb.csv", content)}
    )
    second = client.post(
        reverse("payments:statements"), {"file": SimpleUploadedFile("vcb.csv", content)}
    )

    assert first.status_code == 302
    assert second.status_code == 409
    assert "đã được nhập" in second.content.decode()
    assert Payment.objects.count() == 1


@pytest.mark.django_db
def test_unknown_layout_offers_manual_mapping_over_the_same_upload(principal, bank_school):
    BillFactory(unit=bank_school, code="HP26K7M3Q9")
    content = b"Ngay,Tien vao,Dien giai\n08/09/2026,884520,HP26K7M3Q9\n"
    client = client_for(principal)

    asked = client.post(
        reverse("payments:statements"), {"file": SimpleUploadedFile("la.csv", content)}
    )
    token = asked.context["form"]["token"].value()
    done = client.post(
        reverse("payments:statements"),
        {
            "token": token,
            "map_date": "Ngay",
            "map_credit": "Tien vao",
            "map_description": "Dien giai",
        },
    )

    assert asked.status_code == 422
    assert "Không nhận ra mẫu sao kê" in asked.content.decode()
    assert done.status_code == 302
    assert Bill.objects.get().status == "paid"


@pytest.mark.django_db
def test_queue_match_with_stale_version_is_409(principal, bank_school):
    bill = BillFactory(unit=bank_school, code="HP26K7M3Q9", amount_vnd=5)
    client = client_for(principal)
    client.post(
        reverse("payments:statements"),
        {"file": SimpleUploadedFile("x.csv", (HEADER + "08/09/2026,F1,,7,?\n").encode())},
    )
    line = StatementLine.objects.get()

    ok = client.post(
        reverse("payments:line_match", args=[line.pk]), {"bill_code": "hp26k7m3q9", "version": 1}
    )
    stale = client.post(
        reverse("payments:line_match", args=[line.pk]), {"bill_code": "HP26K7M3Q9", "version": 1}
    )

    assert ok.status_code == 302
    assert stale.status_code == 409
    bill.refresh_from_db()
    assert bill.paid_vnd == 7


@pytest.mark.django_db
def test_fee_form_and_class_list_upload(principal, bank_school):
    client = client_for(principal)

    bad = client.post(reverse("payments:fees"), {"name": "BHYT", "amount_vnd": "0"})
    good = client.post(
        reverse("payments:fees"),
        {"name": "Bảo hiểm y tế", "amount_vnd": "884520", "due_on": "2026-10-30"},
    )

    assert bad.status_code == 422
    assert good.status_code == 302


@pytest.mark.django_db
def test_notices_docx_for_a_class(principal, bank_school):
    fee = FeeFactory(unit=bank_school)
    BillFactory(unit=bank_school, fee=fee, class_name="6A")

    response = client_for(principal).get(
        reverse("payments:notices", args=[fee.pk, "docx"]) + "?lop=6A"
    )
    wrong = client_for(principal).get(reverse("payments:notices", args=[fee.pk, "exe"]))

    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert wrong.status_code == 404


@pytest.mark.django_db
def test_vice_principal_sees_only_the_groups_assigned(bank_school, principal):
    vice = StaffFactory(
        unit=bank_school, full_name="Đỗ Thị Phó", user__username="pho", roles=[Role.VICE_PRINCIPAL]
    )
    mine = GroupFactory(unit=bank_school, name="Tổ Toán - Tin", supervisor=vice)
    GroupFactory(unit=bank_school, name="Tổ Ngữ văn", supervisor=None)
    teacher = StaffFactory(unit=bank_school, group=mine)
    bill = BillFactory(unit=bank_school, collector=teacher, amount_vnd=100)
    Payment.objects.create(
        unit=bank_school,
        bill=bill,
        amount_vnd=100,
        method="transfer",
        paid_on=date(2026, 9, 8),
        collector=teacher,
    )

    vice_page = client_for(vice).get(reverse("payments:dashboard") + "?nam=2026")
    head_page = client_for(principal).get(reverse("payments:dashboard") + "?nam=2026")

    rows = [r.label for r in vice_page.context["by_group"]]
    assert rows == ["Tổ Toán - Tin"]
    assert vice_page.context["by_group"][0].by_count.display() == "100% (1/1)"
    assert {r.label for r in head_page.context["by_group"]} == {"Tổ Toán - Tin", "Tổ Ngữ văn"}


@pytest.mark.django_db
def test_qr_on_public_page_pays_exactly_the_outstanding_amount(citizen, bank_school):
    BillFactory(
        unit=bank_school, code="HP26K7M3Q9", amount_vnd=300000, paid_vnd=100000, status="partial"
    )

    response = citizen.get(reverse("portal:payment", args=["HP26K7M3Q9"]))

    payload = decode(bill_payload(Bill.objects.get()))
    assert payload.amount == 200000
    assert payload.purpose.startswith("HP26K7M3Q9 ")
    assert "200.000 đ" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/quan-ly/thu-phi/?khoan=²&lop=%00&q=%00&trang_thai=x",
        "/quan-ly/thu-phi/?khoan=" + "9" * 25,
        "/quan-ly/thu-phi/" + "9" * 25 + "/",
        "/quan-ly/thu-phi/chi-so/?nam=²",
        "/quan-ly/thu-phi/chi-so/?nam=99999",
        "/quan-ly/thu-phi/bien-lai/" + "9" * 25 + ".pdf",
        "/thanh-toan/%00%00/",
        "/thanh-toan/" + "x" * 500 + "/",
    ],
)
def test_hostile_query_strings_are_never_a_500(principal, bank_school, url) -> None:
    client = client_for(principal)
    client.raise_request_exception = False

    response = client.get(url)

    assert response.status_code in (200, 400, 404)


@pytest.mark.django_db
def test_commune_officer_sees_classes_of_every_school_named(commune_officer, school, other_school):
    BillFactory(unit=school, class_name="6A")
    BillFactory(unit=other_school, class_name="6A")

    page = client_for(commune_officer).get(reverse("payments:dashboard") + "?nam=2026")

    labels = [r.label for r in page.context["by_class"]]
    assert labels == [f"6A – {school.short_name}", f"6A – {other_school.short_name}"]
