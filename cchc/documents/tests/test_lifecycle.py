"""Incoming register and outgoing documents: numbering, workflow, secrets, signing, sending."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from cchc.core.models import AuditEvent
from cchc.documents import mailing, services, signing
from cchc.documents.models import (
    Delivery,
    DeliveryStatus,
    IncomingDocument,
    OutgoingDocument,
    SignatureEvent,
)
from cchc.documents.tests import pki
from cchc.documents.workflow import InvalidTransition, OutgoingStatus
from tests.fixtures import client_for

OS = OutgoingStatus
INCOMING = {
    "author": "UBND xã Bình Hưng",
    "reference": "Số: 211 /KH-UBND",
    "issued_on": date(2026, 1, 19),
    "summary": "Kế hoạch cải cách hành chính năm 2026",
    "channel": "electronic",
}
DRAFT = {
    "type_code": "KH",
    "summary": "Ứng dụng chữ ký số năm 2026",
    "body": "Thực hiện Kế hoạch số 211/KH-UBND, nhà trường ban hành kế hoạch.",
    "recipients": "Phòng GD&ĐT;\nLưu: VT.",
    "recipient_emails": "vanthu@binhhung.gov.vn",
    "head_title": "Hiệu trưởng",
}


def approved(clerk, principal, school, **extra) -> OutgoingDocument:
    doc = services.outgoing_create(
        actor=clerk.user, unit=school, data={**DRAFT, **extra}, signer=principal
    )
    doc = services.outgoing_transition(actor=clerk.user, doc=doc, to=OS.REVIEW)
    return services.outgoing_transition(actor=principal.user, doc=doc, to=OS.APPROVED)


@pytest.mark.django_db
def test_incoming_numbers_run_per_year_and_parse_the_reference(clerk, school) -> None:
    first = services.incoming_register(actor=clerk.user, unit=school, data=INCOMING)
    second = services.incoming_register(
        actor=clerk.user,
        unit=school,
        data={**INCOMING, "reference": "51-KL/TW", "channel": "paper"},
    )

    assert (first.incoming_number, second.incoming_number) == (1, 2)
    assert (first.reference_normalized, first.doc_type) == ("211/KH-UBND", "Kế hoạch")
    assert second.doc_type == "Kết luận"
    with pytest.raises(ValidationError, match="mã thủ tục"):
        services.incoming_register(
            actor=clerk.user, unit=school, data={**INCOMING, "reference": "1.000948.H38"}
        )
    assert IncomingDocument.objects.count() == 2


@pytest.mark.django_db
def test_secret_incoming_is_metadata_only(clerk, school) -> None:
    upload = SimpleUploadedFile("mat.pdf", b"%PDF-1.7 secret", "application/pdf")
    with pytest.raises(ValidationError, match="Văn bản mật chỉ được vào sổ theo thông tin"):
        services.incoming_register(
            actor=clerk.user, unit=school, data={**INCOMING, "secrecy": "mat"}, upload=upload
        )
    doc = services.incoming_register(
        actor=clerk.user, unit=school, data={**INCOMING, "secrecy": "mat"}
    )
    assert not doc.file
    assert doc.incoming_number == 1  # the refused attempt consumed no number


@pytest.mark.django_db
def test_leader_assigns_and_handler_finishes(clerk, principal, colleague, school) -> None:
    doc = services.incoming_register(actor=clerk.user, unit=school, data=INCOMING)
    doc = services.incoming_present(actor=clerk.user, doc=doc)
    with pytest.raises(PermissionDenied):
        services.incoming_assign(
            actor=clerk.user,
            doc=doc,
            instructions="x",
            lead=colleague,
            collaborators=[],
            due_on=None,
        )
    doc = services.incoming_assign(
        actor=principal.user,
        doc=doc,
        instructions="Đ/c Lợi chủ trì, báo cáo trước hạn.",
        lead=colleague,
        collaborators=[clerk],
        due_on=timezone.localdate(),
        expected_version=2,
    )
    with pytest.raises(services.StaleDocument):
        services.incoming_finish(actor=colleague.user, doc=doc, expected_version=2)
    doc = services.incoming_finish(actor=colleague.user, doc=doc, expected_version=3)
    assert doc.status == "done"
    assert list(doc.collaborators.all()) == [clerk]


@pytest.mark.django_db
def test_numbering_separate_secret_sequence_symbol_and_no_double_numbering(
    clerk, principal, school
) -> None:
    normal = services.outgoing_number(actor=clerk.user, doc=approved(clerk, principal, school))
    secret = services.outgoing_number(
        actor=clerk.user,
        doc=approved(clerk, principal, school, secrecy="mat", recipient_emails=""),
    )
    cong_van = services.outgoing_number(
        actor=clerk.user,
        doc=approved(clerk, principal, school, type_code="", drafting_unit="VP"),
    )

    assert normal.symbol == f"01/KH-{school.symbol}"
    assert secret.number == 1
    assert secret.secret_sequence
    assert cong_van.symbol == f"02/{school.symbol}-VP"
    with pytest.raises(ValidationError, match="đã được cấp số"):
        services.outgoing_number(actor=clerk.user, doc=normal)
    with pytest.raises(InvalidTransition):
        services.outgoing_transition(actor=principal.user, doc=normal, to=OS.DRAFT)


@pytest.mark.django_db
def test_secret_outgoing_cannot_be_mailed(clerk, principal, school) -> None:
    with pytest.raises(ValidationError, match="không gửi qua thư điện tử"):
        services.outgoing_create(
            actor=clerk.user, unit=school, data={**DRAFT, "secrecy": "mat"}, signer=principal
        )


@pytest.mark.django_db(transaction=True)
def test_fifty_clerks_numbering_at_once_get_fifty_consecutive_numbers(clerk, principal, school):
    docs = [approved(clerk, principal, school) for _ in range(50)]
    numbers: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(50)

    def worker(doc: OutgoingDocument) -> None:
        try:
            barrier.wait()
            numbers.append(services.outgoing_number(actor=clerk.user, doc=doc).number)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(doc,)) for doc in docs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert sorted(numbers) == list(range(1, 51))
    stored = OutgoingDocument.objects.values_list("number", flat=True)
    assert sorted(stored) == list(range(1, 51))
    assert connection.vendor in ("sqlite", "postgresql")


@pytest.mark.django_db(transaction=True)
def test_two_clerks_numbering_the_same_document_exactly_one_wins(clerk, principal, school):
    doc = approved(clerk, principal, school)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            barrier.wait()
            services.outgoing_number(actor=clerk.user, doc=doc)
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["ok", "refused"]
    next_doc = services.outgoing_number(actor=clerk.user, doc=approved(clerk, principal, school))
    assert next_doc.number == 2  # the refused attempt lost no number


@pytest.mark.django_db
def test_sign_release_and_mail_with_signed_pdf(
    clerk, principal, school, certificates, ca, smtp_server, django_capture_on_commit_callbacks
) -> None:
    school.email = "c2ntt@binhhung.edu.vn"
    school.save()
    doc = services.outgoing_number(actor=clerk.user, doc=approved(clerk, principal, school))

    with pytest.raises(signing.SigningError, match="PIN"):
        services.outgoing_sign(actor=principal.user, doc=doc, pin="sai")
    doc.refresh_from_db()
    assert (doc.status, bool(doc.signed_pdf)) == (OS.NUMBERED, False)  # nothing half-signed
    with pytest.raises(PermissionDenied):
        services.outgoing_sign(actor=clerk.user, doc=doc, pin=pki.PIN)

    doc = services.outgoing_sign(actor=principal.user, doc=doc, pin=pki.PIN)
    with django_capture_on_commit_callbacks(execute=True):
        doc = services.outgoing_release(actor=clerk.user, doc=doc, unit_pin=pki.PIN)

    assert doc.status == OS.RELEASED
    reports = signing.verify_pdf(doc.signed_pdf.read(), [ca.pem])
    assert [r.ok for r in reports] == [True, True]
    assert SignatureEvent.objects.filter(outgoing=doc, staff=principal).count() == 1
    # the body's signature (domain.md 6.3) belongs to the letter too, after the principal's
    assert list(doc.signatures.order_by("signed_at").values_list("kind", flat=True)) == [
        "personal",
        "unit",
    ]
    [message] = smtp_server.messages
    assert message["From"] == "c2ntt@binhhung.edu.vn"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == f"01-KH-{school.symbol}.pdf"
    assert len(signing.verify_pdf(attachment.get_content(), [ca.pem])) == 2
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 1)
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {
        "documents.outgoing.number",
        "documents.outgoing.sign",
        "documents.outgoing.release",
    } <= verbs


@pytest.mark.django_db
def test_failed_delivery_is_logged_and_retried(
    clerk, principal, school, certificates, settings, django_capture_on_commit_callbacks, caplog
):
    school.email = "c2ntt@binhhung.edu.vn"
    school.save()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens: refused
    doc = services.outgoing_number(actor=clerk.user, doc=approved(clerk, principal, school))
    doc = services.outgoing_sign(actor=principal.user, doc=doc, pin=pki.PIN)
    with django_capture_on_commit_callbacks(execute=True):
        doc = services.outgoing_release(actor=clerk.user, doc=doc, unit_pin=pki.PIN)

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    # staff read Vietnamese only; the exception text goes to the server log and the admin's log
    assert delivery.last_error.startswith("Không kết nối được máy chủ thư (")
    assert "Error" not in delivery.last_error
    assert "refused" not in delivery.last_error.lower()
    assert "ConnectionRefusedError" in delivery.log.get().error
    assert "ConnectionRefusedError" in caplog.text
    page = client_for(clerk).get(reverse("documents:outgoing_detail", args=[doc.pk]))
    table = page.content.decode().split('id="deliveries"')[1].split("</table>")[0]
    assert "Không kết nối được máy chủ thư" in table
    assert "Error" not in table
    # a row written before the detail left the staff text shows only its Vietnamese part
    delivery.last_error = (
        "Không kết nối được máy chủ thư. Chi tiết kỹ thuật: ConnectionRefusedError: [Errno 111]"
    )
    assert delivery.error_for_staff == "Không kết nối được máy chủ thư"
    assert mailing.retry_due(timezone.now()) == 0  # not due yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert mailing.retry_due(delivery.next_try_at) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.log.count()) == ("sent", 2, 2)


@pytest.mark.django_db
def test_correction_links_to_released_original(clerk, principal, school, certificates) -> None:
    doc = services.outgoing_number(actor=clerk.user, doc=approved(clerk, principal, school))
    with pytest.raises(ValidationError, match="đã phát hành"):
        services.outgoing_create(
            actor=clerk.user,
            unit=school,
            data=DRAFT,
            signer=principal,
            amends=doc,
            amend_kind="correction",
        )
    doc = services.outgoing_sign(actor=principal.user, doc=doc, pin=pki.PIN)
    doc = services.outgoing_release(actor=clerk.user, doc=doc, unit_pin=pki.PIN)
    fix = services.outgoing_create(
        actor=clerk.user,
        unit=school,
        data={**DRAFT, "type_code": "", "drafting_unit": "VP"},
        signer=principal,
        amends=doc,
        amend_kind="correction",
    )
    assert list(doc.amendments.all()) == [fix]


@pytest.mark.django_db
def test_outsider_cannot_touch_another_schools_documents(outsider, clerk, principal, school):
    doc = approved(clerk, principal, school)
    with pytest.raises(PermissionDenied):
        services.outgoing_number(actor=outsider.user, doc=doc)
    with pytest.raises(PermissionDenied):
        services.incoming_register(actor=outsider.user, unit=school, data=INCOMING)


@pytest.mark.django_db
def test_sign_pdf_as_unit_for_dossier_papers(clerk, colleague, school, certificates, ca) -> None:
    """The hook for dossier results and forms 01–07: the unit's seal signature on any PDF."""
    pdf = services.render_pdf(
        OutgoingDocument(
            unit=school,
            doc_type="Công văn",
            summary="Phiếu kết quả",
            body="x",
            recipients="Lưu: VT.",
            symbol="01/X-Y",
            issued_on=date(2026, 3, 5),
        )
    )
    with pytest.raises(PermissionDenied):
        services.sign_pdf_as_unit(
            actor=colleague.user, unit=school, pdf=pdf, pin=pki.PIN, purpose="Kết quả hồ sơ"
        )
    signed = services.sign_pdf_as_unit(
        actor=clerk.user,
        unit=school,
        pdf=pdf,
        pin=pki.PIN,
        purpose="Kết quả hồ sơ H29.01-260305-0001",
    )

    [report] = signing.verify_pdf(signed, [ca.pem])
    assert report.ok
    assert report.signer == school.name
    event = SignatureEvent.objects.get()
    assert (event.kind, event.outgoing) == ("unit", None)


@pytest.mark.django_db
def test_a_released_a4_documents_seal_is_real_size_beside_the_title(
    clerk, principal, school, certificates, settings, tmp_path
) -> None:
    """On an A4 outgoing document released with the seal, the seal at real size overlaps the left
    third of the principal's image, clear of the title and the name (domain.md 6.2)."""
    from cchc.documents.signing import _page_boxes
    from cchc.dossiers.tests.test_signature_placement import _field, _overlap, _run

    settings.MEDIA_ROOT = tmp_path
    doc = services.outgoing_number(actor=clerk.user, doc=approved(clerk, principal, school))
    doc = services.outgoing_sign(actor=principal.user, doc=doc, pin=pki.PIN)
    doc = services.outgoing_release(actor=clerk.user, doc=doc, unit_pin=pki.PIN)
    pdf = doc.signed_pdf.read()
    page, _signer, image = _field(pdf, "ChuKyNguoiKy")
    _page, _seal_field, seal = _field(pdf, "ChuKyCoQuan")
    _height, words = _page_boxes(pdf, page)
    for printed in (_run(words, ["HIỆU", "TRƯỞNG"]), _run(words, principal.full_name.split())):
        assert not _overlap(seal, printed), (seal, printed)
    assert abs(seal[2] - (image[0] + (image[2] - image[0]) / 3)) <= 3
    assert seal[2] - seal[0] >= 84  # the full 86 pt (30 mm) seal: A4 leaves the room
