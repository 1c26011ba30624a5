"""The hooks between the one-stop desk and the apps built on it: the procedure fee billed at
reception with its VietQR on the receipt (issue 15 item 5, 766 indicator 3.6), and the
satisfaction-rating QR on the papers handed to the applicant (issue 13 item 3).

Everything runs through the real services; QR codes are read back with a real decoder and
the receipt is converted by LibreOffice to check it still fits one A5 page.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path

import pytest
from docx import Document

from cchc.core.models import AuditEvent
from cchc.dossiers import hooks, papers_service, services
from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.factories import (
    APPLICANT,
    FULL_APPLICANT,
    MONDAY_MORNING,
    at,
    frozen_at,
    receive_dossier,
    required_documents,
)
from cchc.dossiers.tests.paper_reading import (
    A5_POINTS,
    docx_text,
    pdf_info,
    require_tools,
    run_tool,
)
from cchc.kpi.registry import Period, measure
from cchc.organizations.models import Unit
from cchc.payments import services as payment_services
from cchc.payments.models import Bill, BillKind, PaymentMethod
from cchc.payments.tests.qr_reading import png_pixels, read_qr
from cchc.payments.vietqr import decode
from cchc.surveys.services import (
    FEEDBACK_CAPTION,
    feedback_link_for_unit,
    survey_rating_link_for_dossier,
)

FEE = 20000
STATEMENT = "Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Mô tả\n"


@pytest.fixture
def bank_school(school):
    school.bank_bin = "970415"
    school.bank_account = "113000041410"
    school.bank_account_holder = "TRUONG THCS THU NGHIEM A"
    school.save()
    return school


@pytest.fixture
def paid_procedure(catalogue):
    """A copy from the original register, the school's procedure that bears a fee (the
    catalogue leaves the amount to the province: domain.md 7)."""
    procedure = next(p for name, p in catalogue.items() if "bản sao" in name.lower())
    procedure.fee_vnd = FEE
    procedure.save()
    return procedure


@pytest.fixture
def catalogue(school, clerk):
    from cchc.dossiers import procedures

    return {p.name: p for p in procedures.procedure_seed_defaults(actor=clerk.user, unit=school)}


def receive(clerk, school, procedure, when: datetime = MONDAY_MORNING) -> Dossier:
    """Received with the required papers only (the fee and the rating need no more)."""
    return receive_dossier(clerk, procedure, when, documents=required_documents(procedure))


def images(docx: bytes) -> list[bytes]:
    document = Document(io.BytesIO(docx))
    return [r.target_part.blob for r in document.part.rels.values() if "image" in r.reltype]


def qr_texts(docx: bytes) -> list[str]:
    return [text for blob in images(docx) for text in read_qr(png_pixels(blob))]


# ---------------------------------------------------------------- 1. the bill at reception


@pytest.mark.django_db
def test_counter_receipt_bills_the_procedure_fee(clerk, school, paid_procedure) -> None:
    dossier = receive(clerk, school, paid_procedure)

    bill = Bill.objects.get(dossier_code=dossier.code)
    assert (bill.unit, bill.kind, bill.amount_vnd) == (school, BillKind.PROCEDURE, FEE)
    assert bill.payer_name == "Nguyễn Văn An"
    assert bill.issued_on.isoformat() == "2026-03-02"
    assert AuditEvent.objects.filter(verb="payments.bill_create", actor=clerk.user).exists()


@pytest.mark.django_db
def test_no_fee_no_bill(clerk, school, catalogue) -> None:
    procedure = next(p for p in catalogue.values() if not p.fee_vnd)
    receive(clerk, school, procedure)

    assert not Bill.objects.exists()


@pytest.mark.django_db
def test_online_submission_is_billed_at_acceptance_not_before(
    clerk, school, paid_procedure
) -> None:
    paid_procedure.online_level = "full"
    paid_procedure.channels = ["in_person", "online"]
    paid_procedure.is_published = True
    paid_procedure.save()
    with frozen_at(at(2026, 3, 2, 20, 0)):
        dossier = services.dossier_submit_online(
            unit=school, procedure=paid_procedure, applicant=APPLICANT
        )
    assert not Bill.objects.exists()  # an incomplete submission owes nothing yet

    with frozen_at(at(2026, 3, 3, 8, 0)):
        services.dossier_accept(actor=clerk.user, dossier=dossier)

    assert Bill.objects.get(dossier_code=dossier.code).amount_vnd == FEE


@pytest.mark.django_db
def test_a_receipt_rolled_back_leaves_no_bill(clerk, school, paid_procedure) -> None:
    """Same transaction: a listener after payments' one fails, the receipt and the bill go."""

    def failing(dossier, actor):
        assert Bill.objects.filter(dossier_code=dossier.code).exists()  # billed already
        raise RuntimeError("a later listener failed")

    hooks.register_receipt_listener(failing)
    try:
        with pytest.raises(RuntimeError):
            receive(clerk, school, paid_procedure)
    finally:
        hooks._receipt_listeners.remove(failing)

    assert not Dossier.objects.exists()
    assert not Bill.objects.exists()


def test_dossiers_does_not_import_payments_or_surveys() -> None:
    """design.md section 2: the dependency runs the other way, through `cchc.dossiers.hooks`."""
    root = Path(__file__).resolve().parent.parent / "cchc" / "dossiers"
    pattern = re.compile(r"^\s*(from|import)\s+cchc\.(payments|surveys)\b", re.MULTILINE)
    offenders = [p.name for p in root.rglob("*.py") if pattern.search(p.read_text())]
    assert offenders == []


# ---------------------------------------------------------------- 2. the fee's VietQR


@pytest.mark.django_db
def test_receipt_carries_fee_vietqr_and_rating_qr(clerk, bank_school, paid_procedure) -> None:
    dossier = receive(clerk, bank_school, paid_procedure)
    bill = Bill.objects.get(dossier_code=dossier.code)

    docx, _, _ = papers_service.render_paper(dossier, "tiep-nhan", "docx", show_personal=True)

    text = docx_text(docx)
    assert f"Lệ phí: 20.000 đ – Mã khoản thu: {bill.code}" in text
    assert "Quét VietQR nộp lệ phí" in text
    assert "Đánh giá mức độ hài lòng" in text
    payloads = qr_texts(docx)
    vietqr = [decode(p) for p in payloads if p.startswith("000201")]
    assert len(vietqr) == 1
    assert vietqr[0].valid
    assert vietqr[0].amount == FEE
    assert vietqr[0].purpose.split()[0] == bill.code
    assert survey_rating_link_for_dossier(dossier) in payloads
    assert any(p.endswith(f"/{dossier.code}/") for p in payloads)  # the look-up QR stays


@pytest.mark.django_db
def test_receipt_with_fee_and_rating_still_fits_one_a5_page(
    clerk, bank_school, paid_procedure, tmp_path
) -> None:
    require_tools()
    dossier = receive(clerk, bank_school, paid_procedure)
    pdf, content_type, _ = papers_service.render_paper(
        dossier, "tiep-nhan", "pdf", show_personal=True
    )
    path = tmp_path / "tiep-nhan.pdf"
    path.write_bytes(pdf)

    assert content_type == "application/pdf"
    assert pdf_info(path) == (1, A5_POINTS)
    text = " ".join(run_tool("pdftotext", str(path), "-").split())
    assert "Lệ phí: 20.000 đ" in text
    assert "Quét VietQR nộp lệ phí" in text


@pytest.mark.django_db
def test_the_fullest_receipt_fits_one_a5_page(clerk, bank_school, paid_procedure, tmp_path):
    """Every paper of the procedure handed in (the two optional ones too), the longest
    applicant, a subject, and two codes beside the signatures besides the look-up one (the
    fee's VietQR, the rating link): QA saw this receipt run onto a second A5 page."""
    require_tools()
    dossier = receive_dossier(
        clerk,
        paid_procedure,
        applicant=FULL_APPLICANT,
        subject="Cấp bản sao bằng tốt nghiệp trung học cơ sở năm 2019 cho học sinh lớp 9A",
    )
    docx, _, _ = papers_service.render_paper(dossier, "tiep-nhan", "docx", show_personal=True)
    pdf, _, _ = papers_service.render_paper(dossier, "tiep-nhan", "pdf", show_personal=True)
    path = tmp_path / "tiep-nhan.pdf"
    path.write_bytes(pdf)

    assert len(paid_procedure.documents) == 4
    assert len(qr_texts(docx)) == 3
    assert pdf_info(path) == (1, A5_POINTS)
    text = " ".join(run_tool("pdftotext", str(path), "-").split())
    assert "Phong bì dán tem ghi rõ họ tên" in text  # the fourth, optional paper
    assert "NGƯỜI TIẾP NHẬN" in text
    assert "Đánh giá mức độ hài lòng" in text


@pytest.mark.django_db
def test_paid_by_transfer_counts_for_766_indicator_3_6(
    clerk, principal, bank_school, paid_procedure
) -> None:
    by_transfer = receive(clerk, bank_school, paid_procedure, at(2026, 3, 2, 9, 0))
    in_cash = receive(clerk, bank_school, paid_procedure, at(2026, 3, 2, 10, 0))
    unpaid = receive(clerk, bank_school, paid_procedure, at(2026, 3, 3, 9, 0))
    bill = Bill.objects.get(dossier_code=by_transfer.code)
    units = Unit.objects.filter(pk=bank_school.pk)
    year = Period.year(2026)
    assert measure("procedure_fee_online_rate", units, year).display() == "0% (0/3)"

    csv = f"{STATEMENT}03/03/2026,FT001,,{FEE},{bill.code} LE PHI\n".encode()
    with frozen_at(at(2026, 3, 3, 16, 0)):
        payment_services.statement_import(
            actor=principal.user, unit=bank_school, filename="sk.csv", content=csv, notify=False
        )
        payment_services.cash_payment_record(
            actor=principal.user,
            bill=Bill.objects.get(dossier_code=in_cash.code),
            amount_vnd=FEE,
            paid_on=at(2026, 3, 2, 10, 0).date(),
            reason="Người nộp không có tài khoản ngân hàng",
            notify=False,
        )

    assert bill.payments.get().method == PaymentMethod.TRANSFER
    assert measure("procedure_fee_online_rate", units, year).display() == "33,33% (1/3)"
    # Paid: the receipt printed again shows the fee as paid, no longer a code to scan.
    by_transfer.refresh_from_db()
    docx, _, _ = papers_service.render_paper(by_transfer, "tiep-nhan", "docx", show_personal=True)
    assert f"Mã khoản thu: {bill.code} – đã nộp đủ" in docx_text(docx)
    assert not any(p.startswith("000201") for p in qr_texts(docx))
    assert unpaid.code in Bill.objects.values_list("dossier_code", flat=True)


# ---------------------------------------------------------------- 3. the rating QR at return


@pytest.mark.django_db
def test_refusal_at_the_counter_carries_the_feedback_qr_not_the_rating(
    clerk, school, catalogue
) -> None:
    """Never accepted, the dossier has no resolution to rate: the Mẫu 03 handed back points to
    the unit's feedback page (surveys.services.rating_applies)."""
    procedure = next(p for p in catalogue.values() if not p.fee_vnd)
    with frozen_at(at(2026, 3, 2, 10, 0)):
        dossier = services.dossier_counter_refusal(
            actor=clerk.user,
            unit=school,
            procedure=procedure,
            applicant=APPLICANT,
            provided_documents=[],
            reason="Không thuộc thẩm quyền giải quyết của trường",
        )

    docx, _, _ = papers_service.render_paper(dossier, "tu-choi", "docx", show_personal=True)

    assert "Đánh giá mức độ hài lòng" not in docx_text(docx)
    assert FEEDBACK_CAPTION in docx_text(docx)
    assert qr_texts(docx) == [feedback_link_for_unit(school)]
    assert survey_rating_link_for_dossier(dossier) not in qr_texts(docx)
