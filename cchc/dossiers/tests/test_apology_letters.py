"""The apology (Mẫu 04) as an official letter (domain.md 1.4, 1.5): made on the dossier page it
drafts an outgoing "Công văn" with the principal as signer; the clerk numbers it (the Mẫu 04 is
laid out again with the register's number and date), the principal signs it with pyHanko, the
clerk releases it with the seal and it is mailed to the citizen (a real SMTP server); without an
e-mail the clerk records the hand-over. The page says where it stands and links the signed PDF;
the KPI counts the apology as soon as it is made."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cchc.core.models import AuditEvent
from cchc.documents import democa, signing
from cchc.documents.models import OutgoingDocument
from cchc.documents.tests import pki
from cchc.documents.tests.conftest import ca as ca
from cchc.documents.workflow import OutgoingStatus
from cchc.dossiers import apology_letters, services
from cchc.dossiers.models import Apology, Dossier
from cchc.dossiers.tests.conftest import act_on_letter as _act
from cchc.dossiers.tests.conftest import released_letter
from cchc.dossiers.tests.factories import VN, at, frozen_at
from cchc.dossiers.tests.paper_reading import require_tools, run_tool
from cchc.kpi.registry import Period, measure
from cchc.organizations.models import Unit
from cchc.workdays.calendar import WorkCalendar
from tests.fixtures import client_for

OS = OutgoingStatus


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def certificates(ca, school, principal):
    """The principal's certificate and the school's seal, valid over the frozen dates of these
    tests whatever day they run (a certificate made "from now" would not be, later on)."""
    person = pki.p12_record(ca, principal.full_name, starts=at(2026, 11, 1), days=3650)
    person.unit, person.staff = school, principal
    person.save()
    seal = pki.p12_record(
        ca, school.name, starts=at(2026, 11, 1), days=3650, image=democa.seal_png()
    )
    seal.unit = school
    seal.save()
    return person, seal


def _receive(
    clerk, school, transfer, email: str = "", address: str = "Số 8, tổ 3, ấp 2, xã Thử Nghiệm"
) -> Dossier:
    """Received Mon 30/11/2026 09:00, due Mon 07/12/2026 17:00."""
    with frozen_at(at(2026, 11, 30, 9, 0)):
        return services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={
                "applicant_name": "Nguyễn Văn An",
                "applicant_phone": "0912345678",
                "applicant_email": email,
                "applicant_address": address,  # posting the letter needs it
            },
            provided_documents=[d["name"] for d in transfer.documents],
        )


def _apologize(staff, dossier: Dossier):
    return client_for(staff).post(
        reverse("dossiers:act", args=[dossier.pk]),
        {
            "action": "apologize",
            "version": dossier.version,
            "reason": "Trường nơi đi chưa gửi xác nhận học bạ",
            "new_due_at": "2026-12-10",
        },
    )


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    return " ".join(run_tool("pdftotext", str(path), "-").split())


@pytest.mark.django_db
def test_an_apology_is_numbered_signed_by_the_principal_and_mailed_to_the_citizen(
    school,
    principal,
    clerk,
    colleague,
    outsider,
    commune_officer,
    transfer,
    certificates,
    ca,
    smtp_server,
    tmp_path,
    django_capture_on_commit_callbacks,
) -> None:
    require_tools()
    school.email = "thcs-a@thunghiem.edu.vn"
    school.save()
    dossier = _receive(clerk, school, transfer, email="an.nguyen@example.com")
    page_url = reverse("dossiers:detail", args=[dossier.pk])

    with frozen_at(at(2026, 12, 8, 9, 0)):
        assert _apologize(colleague, dossier).status_code in (403, 404)  # a teacher: nothing
        assert _apologize(principal, dossier).status_code == 302
        apology = Apology.objects.get(dossier=dossier)
        doc = apology.outgoing
        assert doc is not None
        # The KPI counts the apology once its letter is released (sent), not as it is drafted.
        rate = measure("late_apology_rate", Unit.objects.filter(pk=school.pk), Period.year(2026))
        page = client_for(principal).get(page_url).content.decode()
    assert (doc.status, doc.signer_id, doc.doc_type) == (OS.APPROVED, principal.pk, "Công văn")
    assert doc.recipient_emails == "an.nguyen@example.com"
    assert doc.to_state_agency is False
    assert apology.signer_name == "Nguyễn Thị Thanh Trang"
    assert AuditEvent.objects.filter(verb="dossier.apology_issue").count() == 1
    assert (rate.numerator, rate.denominator) == (0, 1)  # late since 07/12, not yet sent
    assert "Đã duyệt, chờ văn thư cấp số" in page
    assert "Bản PDF chưa ký" in page
    draft = _pdf_text(doc.pdf.read(), tmp_path)
    assert "VĂN BẢN XIN LỖI" in draft
    assert "Nguyễn Thị Thanh Trang" in draft
    # The draft reads as the released letter will but for the number, left blank for the
    # clerk's register: "Số:      /THCSTN1-VP", never the form's own "/PXL-" code.
    assert f"Số: /{school.symbol}-VP" in draft
    assert "PXL" not in draft

    with frozen_at(at(2026, 12, 8, 10, 0)):
        # The principal does not number (the clerk's register); the clerk numbers.
        assert _act(principal, doc, "number").status_code == 403
        assert _act(clerk, doc, "number").status_code == 302
        doc.refresh_from_db()
        page = client_for(clerk).get(page_url).content.decode()
    assert doc.status == OS.NUMBERED
    assert doc.symbol == f"{doc.number:02d}/{school.symbol}-VP"
    numbered = _pdf_text(doc.pdf.read(), tmp_path)
    assert f"Số: {doc.symbol}" in numbered
    assert "ngày 08 tháng 12 năm 2026" in numbered
    assert "Trường nơi đi chưa gửi xác nhận học bạ" in numbered
    assert "10/12/2026" in numbered
    assert f"Đã cấp số {doc.symbol}, chờ ký số" in page
    assert AuditEvent.objects.filter(verb="dossier.apology_numbered").exists()

    with frozen_at(at(2026, 12, 8, 11, 0)):
        assert _act(clerk, doc, "sign", pki.PIN).status_code == 403  # only the signer signs
        assert _act(principal, doc, "sign", pki.PIN).status_code == 302
        assert _act(principal, doc, "release", pki.PIN).status_code == 403  # the clerk releases
        with django_capture_on_commit_callbacks(execute=True):
            assert _act(clerk, doc, "release", pki.PIN).status_code == 302
    doc.refresh_from_db()
    assert doc.status == OS.RELEASED
    reports = signing.verify_pdf(doc.signed_pdf.read(), [ca.pem])
    assert [r.ok for r in reports] == [True, True]
    assert reports[0].signer == "Nguyễn Thị Thanh Trang"

    [message] = smtp_server.messages
    assert message["To"] == "an.nguyen@example.com"
    # Written to the citizen, not the agency-to-agency text.
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert text.startswith("Kính gửi Ông/Bà Nguyễn Văn An,")
    assert "17:00 ngày 10/12/2026 tại Bộ phận tiếp nhận và trả kết quả của" in text
    assert "Trường nơi đi chưa gửi xác nhận học bạ" in text
    assert f"văn bản xin lỗi số {doc.symbol}" in text
    assert "về việc" not in text
    assert "xác nhận đã nhận" not in text
    [attachment] = list(message.iter_attachments())
    mailed = attachment.get_payload(decode=True)
    assert len(signing.verify_pdf(mailed, [ca.pem])) == 2

    with frozen_at(at(2026, 12, 8, 14, 0)):
        page = client_for(principal).get(page_url).content.decode()
        public = client_for(outsider).get(reverse("portal:lookup_code", args=[dossier.code]))
    assert "Đã ký số, gửi ngày" in page
    assert "Văn bản xin lỗi: gửi thư điện tử cho người dân" in page
    assert "qua thư điện tử" in page
    assert "Bản PDF đã ký số" in page
    pdf_url = reverse("dossiers:apology_pdf", args=[dossier.pk])
    assert pdf_url in page
    download = client_for(clerk).get(pdf_url)
    signed = b"".join(download.streaming_content)
    assert [r.ok for r in signing.verify_pdf(signed, [ca.pem])] == [True, True]
    # The Mẫu 04 in the dossier's papers is the letter as sent, signed.
    paper = client_for(clerk).get(reverse("dossiers:paper", args=[dossier.pk, "xin-loi", "pdf"]))
    assert b"".join(paper.streaming_content) == signed
    # One clean name wherever it is downloaded, as the Word file's (not the storage's name)
    clean = f"{doc.symbol.replace('/', '-')}-mau-04-xin-loi"
    letter_pdf = client_for(clerk).get(reverse("documents:outgoing_file", args=[doc.pk]))
    letter_docx = client_for(clerk).get(reverse("documents:outgoing_docx", args=[doc.pk]))
    for response, ext in ((download, "pdf"), (paper, "pdf"), (letter_pdf, "pdf")):
        assert f'filename="{clean}.{ext}"' in response["Content-Disposition"]
    assert f'filename="{clean}.docx"' in letter_docx["Content-Disposition"]
    # The citizen's e-mail is personal data: the commune's oversight reads the letter without it.
    document_url = reverse("documents:outgoing_detail", args=[doc.pk])
    assert "an.nguyen@example.com" in client_for(clerk).get(document_url).content.decode()
    oversight = client_for(commune_officer).get(document_url)
    assert oversight.status_code == 200
    assert "an.nguyen@example.com" not in oversight.content.decode()
    # Another school's staff: not found. The citizen's look-up still shows the new appointment.
    assert client_for(outsider).get(pdf_url).status_code == 404
    assert "10/12/2026" in public.content.decode()


@pytest.mark.django_db
def test_a_clerks_apology_waits_for_approval_and_without_e_mail_is_handed_over(
    school, principal, clerk, colleague, outsider, transfer, certificates
) -> None:
    dossier = _receive(clerk, school, transfer)
    with frozen_at(at(2026, 12, 3, 9, 0)):
        assert _apologize(clerk, dossier).status_code == 302
    doc = Apology.objects.get(dossier=dossier).outgoing
    assert doc is not None
    assert doc.status == OS.REVIEW
    page = client_for(clerk).get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Chờ kiểm tra (người ký: Nguyễn Thị Thanh Trang)" in page
    # The queue tells each person the letters waiting for their own step.
    queue = reverse("dossiers:queue")
    assert f"{dossier.code}</a> — chờ kiểm tra" in client_for(principal).get(queue).content.decode()
    assert 'id="apology-letters-waiting"' not in client_for(clerk).get(queue).content.decode()

    with frozen_at(at(2026, 12, 3, 10, 0)):
        doc = released_letter(doc, clerk=clerk, principal=principal)
    assert doc.status == OS.RELEASED
    assert not doc.deliveries.exists()

    url = reverse("dossiers:apology_hand_over", args=[dossier.pk])
    waiting = client_for(clerk).get(queue).content.decode()
    assert f"{dossier.code}</a> — chờ trao trực tiếp hoặc gửi bưu điện" in waiting
    assert 'id="apology-letters-waiting"' not in client_for(colleague).get(queue).content.decode()
    page = client_for(clerk).get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "hồ sơ không có thư điện tử: chờ trao trực tiếp hoặc gửi bưu điện" in page
    assert 'id="apology-hand-over"' in page
    teacher_page = client_for(colleague).get(reverse("dossiers:detail", args=[dossier.pk]))
    assert 'id="apology-hand-over"' not in teacher_page.content.decode()
    assert client_for(colleague).post(url, {"how": "buu-dien"}).status_code in (403, 404)
    assert client_for(principal).post(url, {"how": "buu-dien"}).status_code == 403
    assert client_for(outsider).post(url, {"how": "buu-dien"}).status_code == 404
    assert client_for(clerk).post(url, {"how": "fax<>"}).status_code == 422
    with frozen_at(at(2026, 12, 3, 15, 0)):
        assert client_for(clerk).post(url, {"how": "buu-dien"}).status_code == 302
    again = client_for(clerk).post(url, {"how": "truc-tiep"})
    assert again.status_code == 409
    assert "đã được ghi nhận là đã trao, gửi" in again.content.decode()
    page = client_for(clerk).get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Đã ký số, gửi bưu điện ngày 03/12/2026" in page
    # The letter's steps in the dossier's own history, each with its time and person.
    timeline = page[page.index('id="timeline"') :]
    for label, who in (
        ("Văn bản xin lỗi: lãnh đạo duyệt", principal.full_name),
        ("Văn bản xin lỗi: cấp số", clerk.full_name),
        ("Văn bản xin lỗi: ký số", principal.full_name),
        ("Văn bản xin lỗi: phát hành", clerk.full_name),
        ("Văn bản xin lỗi: trao, gửi cho người dân", clerk.full_name),
    ):
        assert re.search(rf"<td>{label}</td><td>{who}</td>", timeline), label
    assert f"Số {doc.symbol}" in timeline
    assert "03/12/2026 15:00" in timeline
    assert "Gửi bưu điện" in timeline
    assert 'id="apology-letters-waiting"' not in client_for(clerk).get(queue).content.decode()
    assert AuditEvent.objects.filter(verb="dossier.apology_handed").count() == 1


def _historic_apology(clerk, dossier: Dossier) -> Apology:
    """An apology made before apologies became letters (it has none), as such rows stand."""
    return Apology.objects.create(
        dossier=dossier,
        reason="Chờ xác nhận",
        original_due_at=dossier.due_at,
        new_due_at=at(2026, 12, 10, 17),
        signer_name=clerk.full_name,
        created_by=clerk.user,
    )


@pytest.mark.django_db
def test_an_apology_made_without_its_letter_is_sent_for_signature_once(
    school, principal, clerk, colleague, outsider, transfer
) -> None:
    """An apology made before apologies became letters (none is made without one now) is sent
    for signature from the dossier page; twice is 409."""
    dossier = _receive(clerk, school, transfer)
    apology = _historic_apology(clerk, dossier)
    principal.is_active = False
    principal.save()
    page = client_for(clerk).get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Chưa trình ký" in page
    assert 'id="apology-issue"' in page

    url = reverse("dossiers:apology_issue", args=[dossier.pk])
    refused = client_for(clerk).post(url)
    assert refused.status_code == 422
    assert "chưa có hiệu trưởng (thủ trưởng ký văn bản xin lỗi)" in refused.content.decode()
    principal.is_active = True
    principal.save()
    assert client_for(colleague).post(url).status_code in (403, 404)
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(clerk).post(url).status_code == 302
    assert client_for(clerk).post(url).status_code == 409
    assert OutgoingDocument.objects.count() == 1
    apology.refresh_from_db()
    assert apology.outgoing is not None
    assert apology.outgoing.signer_id == principal.pk
    letter = client_for(clerk).get(reverse("dossiers:apology_pdf", args=[dossier.pk]))
    assert letter.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_clerks_sending_one_apology_at_once_draft_one_letter(
    school, principal, clerk, transfer
) -> None:
    """The apology row is locked: the second sees the first's letter and is refused (409)."""
    dossier = _receive(clerk, school, transfer)
    apology = _historic_apology(clerk, dossier)
    outcomes: list[int] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            barrier.wait()
            apology_letters.apology_issue(actor=clerk.user, apology=apology)
            outcomes.append(200)
        except ValidationError as error:
            outcomes.append(getattr(error, "status_code", 422))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == [200, 409]
    assert OutgoingDocument.objects.count() == 1


@pytest.mark.django_db
def test_the_demo_issues_the_apologies_signed_in_the_registers_date_order() -> None:
    """The dossiers' demo runs before the documents' (which makes the certificates): the
    apologies it makes wait approved, and the documents' demo numbers them among its own in date
    order, has the demo principal sign them and releases them with the seal.

    The demo's register covers the year of "today", so the test freezes today at mid-June of the
    real year: the dossier received 30 days before is in the same year whatever day the suite
    runs (it used to skip itself in January). The year stays the real one because the demo's
    certificates are made on the real clock, valid a year either side of it."""
    from cchc.organizations.demo import seed_base
    from cchc.workdays.services import calendar_for_unit

    june = datetime(datetime.now(tz=VN).year, 6, 15, 10, 0, tzinfo=VN)
    with frozen_at(june):
        seed_base()
        calendar = calendar_for_unit(Unit.objects.get(code="000.31.41.H29"))
        today = calendar.next_working_day(june.date())
    with frozen_at(at(today.year, today.month, today.day, 10, 0)):
        _demo_apology_is_issued_signed_and_posted(calendar)


def _demo_apology_is_issued_signed_and_posted(calendar: WorkCalendar) -> None:
    """The demo test's body, run on the frozen "today" (after its first 30 days of the year)."""
    from cchc.accounts.models import User
    from cchc.documents import demo as documents_demo
    from cchc.documents.models import TrustedRoot
    from cchc.dossiers import deadlines, procedures

    school = Unit.objects.get(code="000.31.41.H29")
    today = timezone.localdate()
    received_day = calendar.next_working_day(today - timedelta(days=30))
    clerk = User.objects.get(username="thuyltt")
    principal = User.objects.get(username="trangntt")
    catalogue = {p.name: p for p in procedures.procedure_seed_defaults(actor=clerk, unit=school)}
    transfer = next(p for n, p in catalogue.items() if n.startswith("Chuyển trường"))
    with frozen_at(at(received_day.year, received_day.month, received_day.day, 9, 0)):
        dossier = services.dossier_receive(
            actor=clerk,
            unit=school,
            procedure=transfer,
            # As every demo dossier, with an address (the letter is posted to it).
            applicant={"applicant_name": "Phạm Thị Mai", "applicant_address": "Số 5, ấp 1"},
            provided_documents=[d["name"] for d in transfer.documents],
        )
    assert dossier.due_at is not None
    asked = calendar.next_working_day(received_day)
    new_day = calendar.add_working_days(timezone.localdate(dossier.due_at), 3)
    with frozen_at(at(asked.year, asked.month, asked.day, 9, 0)):
        apology = services.dossier_apologize(
            actor=principal,
            dossier=dossier,
            reason="Chờ học bạ",
            new_due_at=deadlines.end_of_day(calendar, new_day),
        )
    assert apology.outgoing is not None
    assert apology.outgoing.status == OS.APPROVED

    documents_demo.seed_demo_data(documents=3)

    letter = OutgoingDocument.objects.get(pk=apology.outgoing.pk)
    assert letter.status == OS.RELEASED
    assert letter.issued_on == calendar.next_working_day(asked)
    roots = list(TrustedRoot.objects.values_list("certificate_pem", flat=True))
    reports = signing.verify_pdf(letter.signed_pdf.read(), roots)
    assert [r.ok for r in reports] == [True, True]
    assert reports[0].signer == "Nguyễn Thị Thanh Trang"
    register = list(
        OutgoingDocument.objects.filter(unit=school, secret_sequence=False)
        .order_by("number")
        .values_list("issued_on", flat=True)
    )
    assert len(register) == 4
    assert register == sorted(register)

    # Without an e-mail address, the letter released weeks ago was posted since: the next
    # working day, in office hours (demo rules: no Sunday, no 00:00).
    from cchc.dossiers import demo as dossiers_demo

    assert dossiers_demo.seed_apology_hand_overs() != []
    apology.refresh_from_db()
    assert apology.handed_over_how == "buu-dien"
    handed = timezone.localtime(apology.handed_over_at)
    assert handed.date() == calendar.next_working_day(letter.issued_on)
    assert handed.weekday() != 6
    assert 7 <= handed.hour < 17
    assert dossiers_demo.seed_apology_hand_overs() == []  # safe twice


@pytest.mark.django_db
def test_the_tracking_book_writes_the_new_appointment_beside_the_original_due_date(
    school, principal, clerk, transfer, certificates
) -> None:
    """domain.md 1.4: both dates are kept; the book's note gives the new appointment and, once
    the letter is numbered, its number, after the dossier's own note."""
    from io import BytesIO

    from openpyxl import load_workbook

    from cchc.dossiers import exports

    dossier = _receive(clerk, school, transfer)
    Dossier.objects.filter(pk=dossier.pk).update(subject="Chuyển trường cho con")
    with frozen_at(at(2026, 12, 3, 9, 0)):
        assert _apologize(principal, dossier).status_code == 302
    book = Dossier.objects.filter(pk=dossier.pk)
    [row] = exports._rows(book, show_personal=False)
    assert row.note == "Chuyển trường cho con; Hẹn lại 10/12/2026 17:00"
    doc = Apology.objects.get(dossier=dossier).outgoing
    with frozen_at(at(2026, 12, 3, 10, 0)):
        assert _act(clerk, doc, "number").status_code == 302
    doc.refresh_from_db()
    xlsx, _, _ = exports.tracking_book(book, "xlsx", school, show_personal=False)
    cells = [c.value for r in load_workbook(BytesIO(xlsx)).active.iter_rows() for c in r]
    expected = f"Chuyển trường cho con; Hẹn lại 10/12/2026 17:00 (văn bản xin lỗi số {doc.symbol})"
    assert expected in cells
    assert at(2026, 12, 7, 17, 0).astimezone(VN).replace(tzinfo=None) in cells  # the original due


@pytest.fixture
def refusing_smtp_server(settings):
    """A real SMTP server (aiosmtpd on loopback) that refuses every recipient (550): the
    citizen's mailbox does not exist, the e-mail can never be delivered."""
    from aiosmtpd.controller import Controller

    from conftest import _free_port

    class Refuse:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            return "550 5.1.1 Mailbox unavailable"

    port = _free_port()
    controller = Controller(Refuse(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield controller
    finally:
        controller.stop()


@pytest.mark.django_db
def test_a_letter_whose_e_mail_failed_for_good_is_handed_over_on_paper(
    school, principal, clerk, transfer, certificates, refusing_smtp_server
) -> None:
    """domain.md 1.4 (Decree 61 Art. 19(9)): the citizen must get the apology in writing. When
    every retry of its e-mail failed (the delivery gave up), the clerk hands it over or posts it
    and records so; while the mail is still being retried, or a second time, she cannot."""
    from cchc.documents import mailing
    from cchc.documents.models import DeliveryStatus

    school.email = "thcs-a@thunghiem.edu.vn"
    school.save()
    dossier = _receive(clerk, school, transfer, email="khong-ton-tai@example.com")
    with frozen_at(at(2026, 12, 3, 9, 0)):
        assert _apologize(principal, dossier).status_code == 302
    doc = Apology.objects.get(dossier=dossier).outgoing
    assert doc is not None
    with frozen_at(at(2026, 12, 3, 10, 0)):
        doc = released_letter(doc, clerk=clerk, principal=principal)
    [delivery] = doc.deliveries.all()
    url = reverse("dossiers:apology_hand_over", args=[dossier.pk])
    page_url = reverse("dossiers:detail", args=[dossier.pk])
    queue = reverse("dossiers:queue")

    assert mailing.attempt(delivery, now=at(2026, 12, 3, 10, 5)) is False
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED  # still to be retried: not yet on paper
    retrying = client_for(clerk).get(page_url).content.decode()
    assert 'id="apology-hand-over"' not in retrying
    # the status line explains in Vietnamese; the exception's text stays in the server log
    assert "gửi thư điện tử lỗi: Máy chủ thư" in retrying
    assert "Chi tiết kỹ thuật" not in retrying
    assert "SMTPRecipientsRefused" not in retrying
    assert client_for(clerk).post(url, {"how": "buu-dien"}).status_code == 422

    while delivery.status != DeliveryStatus.GAVE_UP:
        assert mailing.attempt(delivery, now=at(2026, 12, 3, 11, 0)) is False
        delivery.refresh_from_db()
    assert delivery.attempts == mailing.MAX_ATTEMPTS
    page = client_for(clerk).get(page_url).content.decode()
    assert "gửi thư điện tử lỗi hẳn" in page
    assert 'id="apology-hand-over"' in page
    waiting = client_for(clerk).get(queue).content.decode()
    assert f"{dossier.code}</a> — chờ trao trực tiếp hoặc gửi bưu điện" in waiting

    with frozen_at(at(2026, 12, 3, 15, 0)):
        assert client_for(clerk).post(url, {"how": "truc-tiep"}).status_code == 302
    again = client_for(clerk).post(url, {"how": "buu-dien"})
    assert again.status_code == 409
    apology = Apology.objects.get(dossier=dossier)
    assert apology.handed_over_how == "truc-tiep"
    page = client_for(clerk).get(page_url).content.decode()
    assert "Đã ký số, trao trực tiếp ngày 03/12/2026 (thư điện tử gửi lỗi)" in page
    assert 'id="apology-hand-over"' not in page
    assert 'id="apology-letters-waiting"' not in client_for(clerk).get(queue).content.decode()
    assert AuditEvent.objects.filter(verb="dossier.apology_handed").count() == 1


@pytest.mark.django_db
def test_the_letters_document_page_links_its_dossier_and_gives_the_mau_04_in_word(
    school, principal, clerk, outsider, commune_officer, transfer, certificates, tmp_path
) -> None:
    """The letter under the documents app links back to its dossier for whoever may open the
    dossier, and its Word file is the Mẫu 04 (domain.md 1.5) its PDF was made from, with the
    same words, not the Decree 30 layout of the register's summary."""
    from docx import Document

    from cchc.documents.signals import outgoing_source

    require_tools()
    dossier = _receive(clerk, school, transfer)
    with frozen_at(at(2026, 12, 3, 9, 0)):
        assert _apologize(principal, dossier).status_code == 302
    doc = Apology.objects.get(dossier=dossier).outgoing
    assert doc is not None
    with frozen_at(at(2026, 12, 3, 10, 0)):
        assert _act(clerk, doc, "number").status_code == 302
    doc.refresh_from_db()
    page_url = reverse("documents:outgoing_detail", args=[doc.pk])
    dossier_url = reverse("dossiers:detail", args=[dossier.pk])

    for reader in (clerk, principal, commune_officer):
        page = client_for(reader).get(page_url).content.decode()
        assert f'<a href="{dossier_url}" id="outgoing-source">Hồ sơ {dossier.code}</a>' in page
        own = "Bản Word Mẫu 04 (cùng nội dung bản PDF)" in page
        view_copy = "Bản Word Mẫu 04 (bản xem, đã che thông tin cá nhân)" in page
        assert (own, view_copy) == ((False, True) if reader is commune_officer else (True, False))
        assert "Bản Word theo thể thức Nghị định 30" not in page
    assert client_for(outsider).get(page_url).status_code == 404
    # The receiver itself checks who asks: another school's staff gets no link to the dossier.
    answers = [
        a for _r, a in outgoing_source.send(sender=OutgoingDocument, doc=doc, user=outsider.user)
    ]
    assert [a.url for a in answers if a is not None] == [""]

    response = client_for(clerk).get(reverse("documents:outgoing_docx", args=[doc.pk]))
    assert response.status_code == 200
    assert f"{doc.symbol.replace('/', '-')}-mau-04-xin-loi.docx" in response["Content-Disposition"]
    word = Document(BytesIO(response.content))
    texts = [p.text for p in word.paragraphs]
    texts += [p.text for t in word.tables for c in t._cells for p in c.paragraphs]
    lines = [" ".join(t.split()) for t in texts if t.strip()]
    pdf = _pdf_text(doc.pdf.read(), tmp_path)
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN" in " ".join(lines)
    assert f"Số: {doc.symbol}" in lines
    missing = [line for line in lines if line not in pdf]
    assert missing == []  # every line of the Word file is in the PDF: the same paper
    assert "Toàn văn theo Mẫu 04" not in " ".join(lines)  # not the register's summary


def _apology_kpis(school) -> tuple[tuple[int, int], tuple[int, int]]:
    units = Unit.objects.filter(pk=school.pk)
    late = measure("late_apology_rate", units, Period.year(2026))
    timely = measure("apology_on_time_rate", units, Period.year(2026))
    return (late.numerator, late.denominator), (timely.numerator, timely.denominator)


def _lookup(dossier: Dossier) -> str:
    url = reverse("portal:lookup_code", args=[dossier.code]) + "?phone_last4=5678"
    return Client().get(url).content.decode()


@pytest.mark.django_db
def test_an_apology_counts_and_reads_as_sent_only_once_its_letter_is_released(
    school, principal, clerk, transfer, certificates
) -> None:
    """domain.md 1.4 (Decree 61 Art. 19(9)): the written apology is *sent* to the citizen. A
    draft, or a draft the head returned, is not: the public look-up says it awaits signature
    and neither KPI counts it; released, both count it, timed by the release."""
    dossier = _receive(clerk, school, transfer)  # due Mon 07/12; apology due by Fri 04/12
    with frozen_at(at(2026, 12, 3, 9, 0)):
        assert _apologize(clerk, dossier).status_code == 302
    doc = Apology.objects.get(dossier=dossier).outgoing
    assert doc is not None
    with frozen_at(at(2026, 12, 3, 10, 0)):
        assert _act(principal, doc, OS.DRAFT).status_code == 302  # returned to the clerk
    doc.refresh_from_db()
    assert doc.status == OS.DRAFT

    with frozen_at(at(2026, 12, 8, 9, 0)):  # the dossier is late now
        returned = _lookup(dossier)
        assert _apology_kpis(school) == ((0, 1), (0, 0))
    assert "Hẹn lại</dt><dd>10/12/2026 17:00 (đang trình ký văn bản xin lỗi)" in returned
    assert "đã gửi văn bản xin lỗi" not in returned
    assert "Đơn vị gửi văn bản xin lỗi" not in returned

    with frozen_at(at(2026, 12, 4, 10, 0)):  # sent again and released before its deadline
        released_letter(doc, clerk=clerk, principal=principal)
    with frozen_at(at(2026, 12, 8, 9, 0)):
        sent = _lookup(dossier)
        assert _apology_kpis(school) == ((1, 1), (1, 1))
    assert "Hẹn lại</dt><dd>10/12/2026 17:00 (đơn vị đã gửi văn bản xin lỗi)" in sent
    assert "<strong>04/12/2026 10:00</strong> — Đơn vị đã gửi văn bản xin lỗi" in sent

    # Released after the deadline: sent, but not in time.
    OutgoingDocument.objects.filter(pk=doc.pk).update(released_at=at(2026, 12, 7, 9, 0))
    with frozen_at(at(2026, 12, 8, 9, 0)):
        assert _apology_kpis(school) == ((1, 1), (0, 1))
    # An apology made before apologies became letters counts as it did, when made.
    Apology.objects.filter(dossier=dossier).update(outgoing=None, issued_late=False)
    with frozen_at(at(2026, 12, 8, 9, 0)):
        assert _apology_kpis(school) == ((1, 1), (1, 1))
        assert "(đơn vị đã gửi văn bản xin lỗi)" in _lookup(dossier)


@pytest.mark.django_db
def test_a_letter_is_not_recorded_as_posted_without_the_citizens_address(
    school, principal, clerk, transfer, certificates
) -> None:
    """A posted letter needs an address (domain.md 1.4: it goes to the citizen): refused with a
    message saying what to fill in and where, nothing written; handing it over in person is not
    affected, and once the desk fills the address in, posting is recorded."""
    from cchc.dossiers.applicant import dossier_set_address

    dossier = _receive(clerk, school, transfer, address="")
    with frozen_at(at(2026, 12, 3, 9, 0)):
        assert _apologize(principal, dossier).status_code == 302
    doc = Apology.objects.get(dossier=dossier).outgoing
    assert doc is not None
    with frozen_at(at(2026, 12, 3, 10, 0)):
        released_letter(doc, clerk=clerk, principal=principal)
    url = reverse("dossiers:apology_hand_over", args=[dossier.pk])
    audits = AuditEvent.objects.filter(verb="dossier.apology_handed")

    page_url = reverse("dossiers:detail", args=[dossier.pk])
    assert 'id="apology-no-address"' in client_for(clerk).get(page_url).content.decode()
    refused = client_for(clerk).post(url, {"how": "buu-dien"})
    assert refused.status_code == 422
    message = refused.content.decode()
    assert "hồ sơ chưa có địa chỉ của người nộp" in message
    assert "Sửa địa chỉ người nộp" in message  # where to fill it in
    apology = Apology.objects.get(dossier=dossier)
    assert (apology.handed_over_at, apology.handed_over_how) == (None, "")
    assert not audits.exists()

    dossier.refresh_from_db()
    dossier_set_address(actor=clerk.user, dossier=dossier, address="Số 8, ấp 2, xã Thử Nghiệm")
    assert 'id="apology-no-address"' not in client_for(clerk).get(page_url).content.decode()
    with frozen_at(at(2026, 12, 3, 15, 0)):
        assert client_for(clerk).post(url, {"how": "buu-dien"}).status_code == 302
    apology.refresh_from_db()
    assert apology.handed_over_how == "buu-dien"
    assert audits.count() == 1


@pytest.mark.django_db
def test_a_letter_without_an_address_may_still_be_handed_over_in_person(
    school, principal, clerk, transfer, certificates
) -> None:
    dossier = _receive(clerk, school, transfer, address="")
    with frozen_at(at(2026, 12, 3, 9, 0)):
        assert _apologize(principal, dossier).status_code == 302
        doc = Apology.objects.get(dossier=dossier).outgoing
        assert doc is not None
        released_letter(doc, clerk=clerk, principal=principal)
    url = reverse("dossiers:apology_hand_over", args=[dossier.pk])
    with frozen_at(at(2026, 12, 3, 15, 0)):
        assert client_for(clerk).post(url, {"how": "truc-tiep"}).status_code == 302
    assert Apology.objects.get(dossier=dossier).handed_over_how == "truc-tiep"


@pytest.mark.django_db
def test_the_letter_carries_the_addressees_address_and_phone_for_him_alone(
    school, principal, clerk, commune_officer, transfer, certificates, tmp_path
) -> None:
    """Mẫu 04 names, under "Kính gửi", the applicant's address and phone (domain.md 1.4): the
    signed letter sent to him has them; the commune's oversight, who may read the letter but not
    a citizen's phone, gets the same paper without them, and the public look-up never shows
    them."""
    require_tools()
    address = "12 đường Lê Lợi, ấp 2, xã Thử Nghiệm"
    with frozen_at(at(2026, 11, 30, 9, 0)):
        dossier = services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={
                "applicant_name": "Nguyễn Văn An",
                "applicant_phone": "0912345678",
                "applicant_address": address,
            },
            provided_documents=[d["name"] for d in transfer.documents],
        )
    with frozen_at(at(2026, 12, 8, 9, 0)):
        assert _apologize(principal, dossier).status_code == 302
    doc = Apology.objects.get(dossier=dossier).outgoing
    assert doc is not None
    with frozen_at(at(2026, 12, 8, 10, 0)):
        assert _act(clerk, doc, "number").status_code == 302
        assert _act(principal, doc, "sign", pki.PIN).status_code == 302
        assert _act(clerk, doc, "release", pki.PIN).status_code == 302
    doc.refresh_from_db()

    signed = _pdf_text(doc.signed_pdf.read(), tmp_path)
    assert "Kính gửi: Ông/Bà Nguyễn Văn An" in signed
    assert f"Địa chỉ: {address}" in signed
    assert "Số điện thoại: 0912345678" in signed

    urls = [
        reverse("documents:outgoing_file", args=[doc.pk]),
        reverse("dossiers:apology_pdf", args=[dossier.pk]),
        reverse("dossiers:paper", args=[dossier.pk, "xin-loi", "pdf"]),
    ]
    for url in urls:
        own = client_for(clerk).get(url)
        assert own.status_code == 200
        assert "0912345678" in _pdf_text(b"".join(own.streaming_content), tmp_path)  # as sent
        oversight = client_for(commune_officer).get(url)
        assert oversight.status_code == 200
        text = _pdf_text(oversight.content, tmp_path)
        assert "Kính gửi: Ông/Bà Nguyễn Văn An" in text  # the same letter ...
        assert "Số điện thoại: …" in text  # ... without his phone and address
        assert "0912345678" not in text
        assert address not in text
    # The copy without them is re-rendered: no seal, no signature. Its name is its own ...
    view_name = f'filename="{doc.file_name("pdf", apology_letters.VIEW_COPY_FILE_NAME)}"'
    assert view_name.endswith('-mau-04-xin-loi-ban-xem.pdf"')
    for url in urls:
        assert view_name in client_for(commune_officer).get(url)["Content-Disposition"]
    from docx import Document

    for reader, sees in ((clerk, True), (commune_officer, False)):
        word = client_for(reader).get(reverse("documents:outgoing_docx", args=[doc.pk]))
        assert word.status_code == 200
        ban_xem = "-mau-04-xin-loi-ban-xem.docx" in word["Content-Disposition"]
        assert ban_xem is not sees
        lines = [p.text for p in Document(BytesIO(word.content)).paragraphs]
        assert any("Số điện thoại: 0912345678" in line for line in lines) is sees
    public = Client().get(reverse("portal:lookup_code", args=[dossier.code]) + "?phone_last4=5678")
    assert public.status_code == 200
    assert "0912345678" not in public.content.decode()
    assert address not in public.content.decode()


@pytest.mark.django_db
def test_the_oversights_copy_of_a_signed_letter_is_labelled_as_an_unsigned_view_copy(
    school, principal, clerk, commune_officer, transfer, certificates, ca, tmp_path
) -> None:
    """The commune's oversight downloads the released letter re-rendered without the citizen's
    address and phone, so without its seal and signatures: every link to it says so (never
    "Bản PDF đã ký số") and both pages show who signed and sealed it and when; the principal
    still gets the signed letter, which verifies."""
    require_tools()
    dossier = _receive(clerk, school, transfer)
    with frozen_at(at(2026, 12, 8, 9, 0)):
        assert _apologize(principal, dossier).status_code == 302
    doc = Apology.objects.get(dossier=dossier).outgoing
    assert doc is not None
    with frozen_at(at(2026, 12, 8, 10, 0)):
        assert _act(clerk, doc, "number").status_code == 302
        assert _act(principal, doc, "sign", pki.PIN).status_code == 302
    with frozen_at(at(2026, 12, 8, 10, 30)):
        assert _act(clerk, doc, "release", pki.PIN).status_code == 302
    doc.refresh_from_db()
    label = "Bản xem (đã che thông tin cá nhân, không kèm chữ ký số; bản ký số lưu tại đơn vị)"
    pages = [
        reverse("documents:outgoing_detail", args=[doc.pk]),
        reverse("dossiers:detail", args=[dossier.pk]),
    ]
    for url in pages:
        page = client_for(commune_officer).get(url).content.decode()
        assert label in page
        assert "Bản PDF đã ký số" not in page
        assert "08/12/2026 10:00" in page  # when signed ...
        assert "08/12/2026 10:30" in page  # ... and sealed
        assert principal.full_name in page  # by whom
        own = client_for(principal).get(url).content.decode()
        assert "Bản PDF đã ký số" in own
        assert label not in own
    officer_page = client_for(commune_officer).get(pages[0]).content.decode()
    assert "Bản Word Mẫu 04 (bản xem, đã che thông tin cá nhân)" in officer_page

    file_url = reverse("documents:outgoing_file", args=[doc.pk])
    copy = client_for(commune_officer).get(file_url)
    assert copy["Content-Disposition"].endswith('-mau-04-xin-loi-ban-xem.pdf"')
    assert signing.verify_pdf(copy.content, [ca.pem]) == []  # it says what it is: unsigned
    signed = client_for(principal).get(file_url)
    name = doc.file_name("pdf", apology_letters.FORM_FILE_NAME)
    assert signed["Content-Disposition"].endswith(f'filename="{name}"')
    content = b"".join(signed.streaming_content)
    assert [r.ok for r in signing.verify_pdf(content, [ca.pem])] == [True, True]
