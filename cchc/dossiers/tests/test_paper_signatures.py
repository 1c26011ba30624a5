"""Forms 01–03 carry the digital signature of the officer they name (domain.md 1.5): the clerk
with a certificate signs the receipt with her PIN, the signed PDF is stored and served from then
on (pyHanko verifies it), a second signature is refused (409); a clerk without a certificate
gives the unsigned paper and the page says why; the supplement request is signed the same way."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.documents import signing
from cchc.documents.models import SignatureEvent
from cchc.documents.tests import pki
from cchc.documents.tests.conftest import ca as ca
from cchc.dossiers import services
from cchc.dossiers.models import Dossier, SignedPaper
from cchc.dossiers.tests.factories import at, frozen_at
from cchc.dossiers.tests.paper_reading import require_tools, run_tool
from tests.fixtures import client_for


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PDF_STORE_DIR = str(tmp_path / "papers")


@pytest.fixture
def clerk_certificate(ca, school, clerk):
    # Valid over the tests' frozen dates whatever day they run.
    record = pki.p12_record(ca, clerk.full_name, starts=at(2026, 11, 1), days=3650)
    record.unit, record.staff = school, clerk
    record.save()
    return record


#: Printed on the signed papers as kept (domain.md 1.5: they go to the citizen).
ADDRESS = "Số 27, tổ 4, ấp 3, xã Thử Nghiệm"


def _receive(clerk, school, transfer) -> Dossier:
    with frozen_at(at(2026, 11, 30, 9, 0)):
        return services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={
                "applicant_name": "Nguyễn Văn An",
                "applicant_phone": "0912345678",
                "applicant_address": ADDRESS,
            },
            provided_documents=[d["name"] for d in transfer.documents],
        )


def _download(staff, dossier: Dossier, kind: str) -> bytes:
    response = client_for(staff).get(reverse("dossiers:paper", args=[dossier.pk, kind, "pdf"]))
    assert response.status_code == 200
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.django_db
def test_the_receiving_clerk_signs_the_receipt_once_and_it_is_served_signed(
    school, principal, clerk, colleague, outsider, transfer, clerk_certificate, ca, tmp_path
) -> None:
    require_tools()
    dossier = _receive(clerk, school, transfer)
    page_url = reverse("dossiers:detail", args=[dossier.pk])
    sign_url = reverse("dossiers:paper_sign", args=[dossier.pk, "tiep-nhan"])

    page = client_for(clerk).get(page_url).content.decode()
    assert "Chưa ký số: chờ Lê Thị Thanh Thủy ký số" in page
    assert 'id="pin-tiep-nhan"' in page
    assert 'id="pin-tiep-nhan"' not in client_for(principal).get(page_url).content.decode()
    assert signing.verify_pdf(_download(clerk, dossier, "tiep-nhan"), [ca.pem]) == []

    assert client_for(principal).post(sign_url, {"pin": pki.PIN}).status_code == 403
    assert client_for(colleague).post(sign_url, {"pin": pki.PIN}).status_code in (403, 404)
    assert client_for(outsider).post(sign_url, {"pin": pki.PIN}).status_code == 404
    # A wrong PIN: back to the papers of the dossier page with the message (post/redirect/
    # get), never left on the signing URL where a reload would post the PIN again.
    wrong = client_for(clerk).post(sign_url, {"pin": "000000"}, follow=True)
    assert wrong.redirect_chain == [(page_url + "#papers", 302)]
    assert wrong.status_code == 200
    assert "Mã PIN của chứng thư số không đúng." in wrong.content.decode()
    assert 'id="pin-tiep-nhan"' in wrong.content.decode()  # signed again from there
    assert not SignedPaper.objects.exists()
    unknown = client_for(clerk).post(reverse("dossiers:paper_sign", args=[dossier.pk, "x<y"]))
    assert unknown.status_code == 422

    assert client_for(clerk).post(sign_url, {"pin": pki.PIN}).status_code == 302
    paper = SignedPaper.objects.get()
    assert (paper.kind, paper.signer_id, paper.serial) == (
        "tiep-nhan",
        clerk.pk,
        clerk_certificate.serial,
    )
    event = SignatureEvent.objects.get()
    assert (event.kind, event.staff_id, event.outgoing) == ("personal", clerk.pk, None)
    assert AuditEvent.objects.filter(verb="dossier.paper_sign").count() == 1

    first, second = _download(clerk, dossier, "tiep-nhan"), _download(clerk, dossier, "tiep-nhan")
    assert first == second  # stored once, served as signed
    [report] = signing.verify_pdf(first, [ca.pem])
    assert report.ok
    assert report.signer == "Lê Thị Thanh Thủy"
    path = tmp_path / "signed.pdf"
    path.write_bytes(first)
    text = " ".join(run_tool("pdftotext", str(path), "-").split())
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert dossier.code in text
    assert f"Địa chỉ: {ADDRESS}" in text

    again = client_for(clerk).post(sign_url, {"pin": pki.PIN})
    assert again.status_code == 409
    assert "đã được ký số" in again.content.decode()
    page = client_for(principal).get(page_url).content.decode()
    assert "Đã ký số: Lê Thị Thanh Thủy" in page


@pytest.mark.django_db
def test_without_a_certificate_the_paper_is_unsigned_and_the_page_says_so(
    school, clerk, transfer, ca
) -> None:
    dossier = _receive(clerk, school, transfer)
    page = client_for(clerk).get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Chưa ký số: Lê Thị Thanh Thủy chưa có chứng thư số" in page
    assert 'id="pin-tiep-nhan"' not in page
    refused = client_for(clerk).post(
        reverse("dossiers:paper_sign", args=[dossier.pk, "tiep-nhan"]), {"pin": pki.PIN}
    )
    assert refused.status_code == 422
    assert "Chưa có chứng thư số cho Lê Thị Thanh Thủy" in refused.content.decode()
    assert _download(clerk, dossier, "tiep-nhan").startswith(b"%PDF-")


@pytest.mark.django_db
def test_the_supplement_request_is_signed_and_stays_signed_once_answered(
    school, clerk, transfer, clerk_certificate, ca, tmp_path
) -> None:
    require_tools()
    dossier = _receive(clerk, school, transfer)
    with frozen_at(at(2026, 12, 1, 9, 0)):
        dossier = services.dossier_request_supplement(
            actor=clerk.user, dossier=dossier, items=["Học bạ"], reason="Thiếu học bạ"
        )
    url = reverse("dossiers:paper_sign", args=[dossier.pk, "bo-sung"])
    with frozen_at(at(2026, 12, 2, 9, 5)):  # signed the next day
        assert client_for(clerk).post(url, {"pin": pki.PIN}).status_code == 302
    signed = _download(clerk, dossier, "bo-sung")
    [report] = signing.verify_pdf(signed, [ca.pem])
    assert report.ok
    path = tmp_path / "supplement.pdf"
    path.write_bytes(signed)
    text = " ".join(run_tool("pdftotext", str(path), "-").split())
    assert "ngày 01 tháng 12 năm 2026" in text  # dated the day it was asked for
    assert "Thiếu học bạ" in text
    assert f"Địa chỉ: {ADDRESS}" in text
    with frozen_at(at(2026, 12, 3, 9, 0)):
        dossier = services.dossier_supplement_received(actor=clerk.user, dossier=dossier)
    page = client_for(clerk).get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Đã ký số: Lê Thị Thanh Thủy" in page
    assert SignedPaper.objects.filter(kind="bo-sung").count() == 1


@pytest.mark.django_db
def test_the_signed_receipt_prints_its_number(
    school, clerk, transfer, clerk_certificate, tmp_path
) -> None:
    """The receipt the clerk signs shows its number in box 3 (its entry in the tracking book,
    as the system gave it on receipt), not "Số:      /…" left to write by hand: nothing can be
    written on a digitally signed paper."""
    require_tools()
    first = _receive(clerk, school, transfer)
    dossier = _receive(clerk, school, transfer)  # the year's second entry: "02"
    assert (first.book_entry, dossier.book_entry) == (1, 2)
    with frozen_at(at(2026, 11, 30, 9, 30)):
        sign_url = reverse("dossiers:paper_sign", args=[dossier.pk, "tiep-nhan"])
        assert client_for(clerk).post(sign_url, {"pin": pki.PIN}).status_code == 302
    path = tmp_path / "signed.pdf"
    path.write_bytes(_download(clerk, dossier, "tiep-nhan"))
    assert signing.verify_pdf(path.read_bytes(), [clerk_certificate.chain_pem])[0].intact
    text = " ".join(run_tool("pdftotext", str(path), "-").split())
    assert f"Số: 02/{school.symbol}" in text
    assert "Số: /" not in text
    assert "Vào Sổ theo dõi hồ sơ: Quyển số: 2026, Số thứ tự: 02" in text


@pytest.mark.django_db
def test_a_guided_dossier_accepted_by_another_clerk_keeps_its_guide_on_the_supplement_request(
    school, clerk, transfer, clerk_certificate, ca
) -> None:
    """A paper names who issued it when it was issued: the Mẫu 02 given at the counter names
    (and is signed by) the clerk who guided, whoever accepts the completed dossier later; the
    receipt (Mẫu 01) names the clerk who accepted it."""
    from cchc.accounts.models import Role
    from cchc.dossiers import papers_service
    from cchc.dossiers.tests.paper_reading import docx_text
    from tests.factories import StaffFactory

    require_tools()
    other = StaffFactory(
        unit=school,
        full_name="Phạm Minh Đức",
        position="Văn thư",
        user__username="vanthu2",
        roles=[Role.CLERK],
    )
    with frozen_at(at(2026, 11, 30, 9, 0)):
        dossier = services.dossier_counter_guidance(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={"applicant_name": "Nguyễn Văn An", "applicant_phone": "0912345678"},
            provided_documents=[],
        )
    with frozen_at(at(2026, 12, 2, 9, 0)):
        dossier = services.dossier_supplement_received(actor=other.user, dossier=dossier)
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.received_by == other.user

    guidance = docx_text(papers_service.paper_docx(dossier, "bo-sung", show_personal=True))
    assert "Lê Thị Thanh Thủy" in guidance
    assert "Phạm Minh Đức" not in guidance
    receipt = docx_text(papers_service.paper_docx(dossier, "tiep-nhan", show_personal=True))
    assert "Phạm Minh Đức" in receipt

    page = client_for(clerk).get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Chưa ký số: chờ Lê Thị Thanh Thủy ký số" in page
    assert 'id="pin-bo-sung"' in page
    url = reverse("dossiers:paper_sign", args=[dossier.pk, "bo-sung"])
    assert client_for(other).post(url, {"pin": pki.PIN}).status_code == 403
    with frozen_at(at(2026, 12, 2, 9, 30)):
        assert client_for(clerk).post(url, {"pin": pki.PIN}).status_code == 302
    [report] = signing.verify_pdf(_download(clerk, dossier, "bo-sung"), [ca.pem])
    assert report.ok
    assert report.signer == "Lê Thị Thanh Thủy"


@pytest.mark.django_db
def test_a_receipt_signed_before_the_address_was_corrected_is_flagged_and_signed_again(
    school, principal, clerk, transfer, clerk_certificate, ca, tmp_path
) -> None:
    """The signed receipt is what the citizen holds: a correction never changes it, but the page
    says it predates the correction and its officer signs the corrected one, which is served
    from then on; the first stays kept as issued."""
    require_tools()
    dossier = _receive(clerk, school, transfer)
    page_url = reverse("dossiers:detail", args=[dossier.pk])
    sign_url = reverse("dossiers:paper_sign", args=[dossier.pk, "tiep-nhan"])
    desk = client_for(clerk)
    with frozen_at(at(2026, 11, 30, 9, 30)):
        assert desk.post(sign_url, {"pin": pki.PIN}).status_code == 302
    page = desk.get(page_url).content.decode()
    assert "Đã ký số: Lê Thị Thanh Thủy, 30/11/2026 09:30" in page
    assert "trước khi sửa hồ sơ" not in page
    assert desk.post(sign_url, {"pin": pki.PIN}).status_code == 409  # nothing to correct

    corrected = "Số 9, tổ 1, ấp 2, xã Thử Nghiệm"
    dossier.refresh_from_db()
    answer = desk.post(
        reverse("dossiers:act", args=[dossier.pk]),
        {"action": "applicant_address", "address": corrected, "version": dossier.version},
    )
    assert answer.status_code in (200, 302)

    def text(pdf: bytes) -> str:
        path = tmp_path / "paper.pdf"
        path.write_bytes(pdf)
        return " ".join(run_tool("pdftotext", str(path), "-").split())

    assert f"Địa chỉ: {ADDRESS}" in text(_download(clerk, dossier, "tiep-nhan"))  # as issued
    page = desk.get(page_url).content.decode()
    assert "Bản đã ký lúc 09:30 30/11/2026 (Lê Thị Thanh Thủy) trước khi sửa hồ sơ" in page
    assert "nội dung hiện tại khác" in page
    assert "Ký số lại bản đã sửa" in page
    assert "Ký số lại bản đã sửa" not in client_for(principal).get(page_url).content.decode()

    assert desk.post(sign_url, {"pin": pki.PIN}).status_code == 302
    assert desk.post(sign_url, {"pin": pki.PIN}).status_code == 409  # once per content
    served = _download(clerk, dossier, "tiep-nhan")
    assert f"Địa chỉ: {corrected}" in text(served)
    [report] = signing.verify_pdf(served, [ca.pem])
    assert report.ok
    current, earlier = SignedPaper.objects.order_by("-signed_at", "-pk")
    assert current.superseded_at is None
    assert earlier.superseded_at is not None
    assert f"Địa chỉ: {ADDRESS}" in text(earlier.pdf.read())  # kept as issued
    assert AuditEvent.objects.filter(verb="dossier.paper_sign").count() == 2
    page = desk.get(page_url).content.decode()
    assert "trước khi sửa hồ sơ" not in page
    assert "ký lại sau khi sửa hồ sơ; lưu 1 bản đã ký trước" in page
    # named by the dossier's code, not by the stored file (the storage's suffix made it garbled)
    response = client_for(clerk).get(
        reverse("dossiers:paper", args=[dossier.pk, "tiep-nhan", "pdf"])
    )
    disposition = response["Content-Disposition"]
    assert f'filename="tiep-nhan-{dossier.code}-ky.pdf"' in disposition


@pytest.mark.django_db
def test_one_current_signed_paper_per_paper_any_number_kept_before_it(
    school, clerk, transfer
) -> None:
    """Two tabs signing the corrected paper at once: the database keeps one current (the
    service answers the other 409), and the replaced ones are kept."""
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    dossier = _receive(clerk, school, transfer)

    def make(**extra) -> SignedPaper:
        return SignedPaper.objects.create(
            dossier=dossier, kind="tiep-nhan", signer=clerk, serial="01", signed_at=timezone.now(),
            **extra,
        )  # fmt: skip

    make(superseded_at=timezone.now())
    make(superseded_at=timezone.now())
    make()
    with pytest.raises(IntegrityError), transaction.atomic():
        make()
    assert SignedPaper.objects.filter(superseded_at__isnull=True).count() == 1
