"""Staff pages: registers, the outgoing flow with real signatures, certificates, verification."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from cchc.accounts.models import User
from cchc.documents import democa, services, signing
from cchc.documents.models import (
    IncomingDocument,
    OutgoingDocument,
    SigningCertificate,
    TrustedRoot,
)
from cchc.documents.tests import pki
from tests.fixtures import client_for

INCOMING_POST = {
    "reference": "Số: 211 /KH-UBND",
    "issued_on": "2026-01-19",
    "author": "UBND xã Bình Hưng",
    "summary": "Kế hoạch cải cách hành chính năm 2026",
    "channel": "electronic",
    "from_state_agency": "on",
}


@pytest.mark.django_db
def test_register_incoming_on_the_page_and_bad_reference(clerk, school) -> None:
    client = client_for(clerk)
    bad = client.post(reverse("documents:incoming"), {**INCOMING_POST, "reference": "Số: /PXL"})
    assert bad.status_code == 422
    assert "chưa có số văn bản" in bad.content.decode()

    response = client.post(
        reverse("documents:incoming"),
        {
            **INCOMING_POST,
            "file": SimpleUploadedFile("kh.pdf", b"%PDF-1.7 ke hoach", "application/pdf"),
        },
    )
    doc = IncomingDocument.objects.get()
    assert response.status_code == 302
    assert doc.reference_normalized == "211/KH-UBND"
    page = client.get(reverse("documents:incoming") + "?q=211/KH-UBND").content.decode()
    assert "Kế hoạch cải cách hành chính năm 2026" in page


@pytest.mark.django_db
def test_outgoing_flow_on_the_pages_with_wrong_pin(clerk, principal, school, certificates, ca):
    drafter, leader = client_for(clerk), client_for(principal)
    response = drafter.post(
        reverse("documents:outgoing_new"),
        {
            "type_code": "KH",
            "summary": "Chuyển đổi số năm 2026",
            "body": "Nội dung kế hoạch.",
            "signer": principal.pk,
            "recipients": "Phòng GD&ĐT;\nLưu: VT.",
            "head_title": "Hiệu trưởng",
            "to_state_agency": "on",
        },
    )
    doc = OutgoingDocument.objects.get()
    assert response.status_code == 302
    act = reverse("documents:outgoing_act", args=[doc.pk])
    assert drafter.post(act, {"action": "review", "version": 1}).status_code == 302
    assert drafter.post(act, {"action": "approved", "version": 2}).status_code == 403
    assert leader.post(act, {"action": "approved", "version": 2}).status_code == 302
    stale = drafter.post(act, {"action": "number", "version": 2})
    assert stale.status_code == 409
    assert drafter.post(act, {"action": "number", "version": 3}).status_code == 302

    page_url = reverse("documents:outgoing_detail", args=[doc.pk])
    # A wrong PIN: back to the letter's page with the message, the signing form ready again
    # (post/redirect/get): reloading the page never posts the PIN again.
    wrong = leader.post(act, {"action": "sign", "version": 4, "pin": "000"}, follow=True)
    assert wrong.redirect_chain == [(page_url + "#sign-form", 302)]
    assert wrong.status_code == 200
    page = wrong.content.decode()
    assert "Mã PIN của chứng thư số không đúng" in page
    assert 'id="sign-form"' in page
    assert 'id="sign-pin"' in page
    doc.refresh_from_db()
    assert (doc.status, doc.version, bool(doc.signed_pdf)) == ("numbered", 4, False)
    # A real input error stays a 422 on the spot.
    assert leader.post(act, {"action": "bogus", "version": 4}).status_code == 422

    assert leader.post(act, {"action": "sign", "version": 4, "pin": pki.PIN}).status_code == 302
    # The clerk's wrong seal PIN on the release form: the same, back to the release form.
    wrong = drafter.post(act, {"action": "release", "version": 5, "pin": "000"}, follow=True)
    assert wrong.redirect_chain == [(page_url + "#release-form", 302)]
    page = wrong.content.decode()
    assert "Mã PIN của chứng thư số không đúng" in page
    assert 'id="release-form"' in page
    assert 'id="unit-pin"' in page
    doc.refresh_from_db()
    assert (doc.status, doc.version) == ("signed", 5)
    assert not doc.signatures.filter(kind="unit").exists()
    assert drafter.post(act, {"action": "release", "version": 5, "pin": pki.PIN}).status_code == 302
    doc.refresh_from_db()
    assert (doc.status, doc.symbol) == ("released", f"01/KH-{school.symbol}")
    page = leader.get(reverse("documents:outgoing_detail", args=[doc.pk])).content.decode()
    signatures = page.split('id="signatures"')[1].split("</ul>")[0]
    assert f"Chữ ký số của người có thẩm quyền: {principal.full_name}" in signatures
    assert f"Chữ ký số của cơ quan: {school.name} (văn thư {clerk.full_name}" in signatures
    download = leader.get(reverse("documents:outgoing_file", args=[doc.pk]))
    assert [r.ok for r in signing.verify_pdf(b"".join(download.streaming_content), [ca.pem])] == [
        True,
        True,
    ]


@pytest.mark.django_db
def test_a_token_that_is_not_there_brings_the_clerk_back_to_the_release_form(
    clerk, principal, school, certificates, ca, tmp_path
) -> None:
    """The unit's seal kept on a hardware token whose PKCS#11 driver is not on the machine (the
    token is not plugged in): the release sends the clerk back to the letter's release form with
    the message (post/redirect/get), the letter still signed and not released; once the seal can
    be used again, the release goes through.

    The driver is missing rather than SoftHSM2 itself: SoftHSM2 reads its token directory once
    per process, and test_signing's token test needs it to itself."""
    from cchc.documents.tests.test_lifecycle import approved

    _person, p12_seal = certificates
    token = SigningCertificate.objects.get(pk=p12_seal.pk)
    token.pk = None
    token.kind, token.token_label, token.key_label = "pkcs11", "cchc-con-dau", "seal"
    token.pkcs11_module = str(tmp_path / "khong-co-trinh-dieu-khien.so")
    token.save()
    SigningCertificate.objects.filter(pk=p12_seal.pk).update(is_active=False)
    doc = services.outgoing_number(actor=clerk.user, doc=approved(clerk, principal, school))
    doc = services.outgoing_sign(actor=principal.user, doc=doc, pin=pki.PIN)
    act = reverse("documents:outgoing_act", args=[doc.pk])
    form_url = reverse("documents:outgoing_detail", args=[doc.pk]) + "#release-form"
    drafter = client_for(clerk)

    unplugged = drafter.post(act, {"action": "release", "version": doc.version, "pin": pki.PIN})
    assert (unplugged.status_code, unplugged["Location"]) == (302, form_url)
    page = drafter.get(form_url).content.decode()
    assert "Không tìm thấy thư viện PKCS#11" in page
    assert 'id="release-form"' in page
    doc.refresh_from_db()
    assert doc.status == "signed"
    assert not doc.signatures.filter(kind="unit").exists()

    SigningCertificate.objects.filter(pk=token.pk).update(is_active=False)
    SigningCertificate.objects.filter(pk=p12_seal.pk).update(is_active=True)
    right = drafter.post(act, {"action": "release", "version": doc.version, "pin": pki.PIN})
    assert right.status_code == 302
    doc.refresh_from_db()
    assert doc.status == "released"
    reports = signing.verify_pdf(doc.signed_pdf.read(), [ca.pem])
    assert [r.ok for r in reports] == [True, True]


@pytest.mark.django_db
def test_verification_page_signed_tampered_unsigned(colleague, ca, certificates, principal):
    TrustedRoot.objects.create(
        name="Root thử", certificate_pem=ca.pem, fingerprint=signing.fingerprint(ca.pem)
    )
    pdf = services.render_pdf(
        OutgoingDocument(
            unit=principal.unit,
            doc_type="Kế hoạch",
            type_code="KH",
            summary="Thử kiểm tra",
            body="Nội dung.",
            recipients="Lưu: VT.",
            signer=principal,
            symbol="05/KH-X",
            issued_on=date(2026, 3, 5),
        )
    )
    page, box, _ = signing.signature_boxes(pdf, principal.full_name)
    with signing.open_signer(SigningCertificate.objects.get(staff=principal), pki.PIN) as signer:
        signed = signing.sign_pdf(
            pdf,
            signer,
            field_name="S",
            reason="r",
            location="l",
            appearance=signing.Appearance(page, box, ["Ký"]),
        )
    tampered = bytearray(signed)
    tampered[len(pdf) // 2] ^= 0x01
    client, url = client_for(colleague), reverse("documents:verify")

    def check(data: bytes, name: str = "a.pdf"):
        return client.post(url, {"file": SimpleUploadedFile(name, data, "application/pdf")})

    ok = check(signed).content.decode()
    assert "Chữ ký hợp lệ: văn bản toàn vẹn, chứng thư tin cậy." in ok
    assert principal.full_name in ok
    bad = check(bytes(tampered)).content.decode()
    assert "nội dung đã bị thay đổi sau khi ký" in bad
    assert "Tệp không có chữ ký số nào." in check(pdf).content.decode()
    not_pdf = check(b"PK\x03\x04 word", "a.docx")
    assert not_pdf.status_code == 422
    assert "Tệp không phải PDF." in not_pdf.content.decode()


@pytest.mark.django_db
def test_certificate_upload_shows_details_and_refuses_wrong_pin(principal, ca) -> None:
    client = client_for(principal)
    issued = democa.issue(ca, principal.full_name)
    data = democa.to_pkcs12(issued, ca, pki.PIN)
    url = reverse("documents:certificates")

    def upload(pin: str):
        return client.post(
            url, {"kind": "pkcs12", "p12-pin": pin, "p12-file": SimpleUploadedFile("a.p12", data)}
        )

    wrong = upload("sai")
    assert wrong.status_code == 422
    assert "Mã PIN không đúng" in wrong.content.decode()
    assert upload(pki.PIN).status_code == 302
    page = client.get(url).content.decode()
    record = SigningCertificate.objects.get()
    assert record.serial in page
    assert principal.full_name in page
    assert "Còn hiệu lực" in page
    assert pki.PIN.encode() not in bytes(record.pkcs12_encrypted)
    assert data not in bytes(record.pkcs12_encrypted)


@pytest.mark.django_db
def test_registers_export_xlsx_docx_and_stay_in_the_unit(clerk, outsider, school) -> None:
    services.incoming_register(
        actor=clerk.user,
        unit=school,
        data={
            "author": '=HYPERLINK("x")',
            "reference": "211/KH-UBND",
            "issued_on": date(2026, 1, 19),
            "summary": "Kế hoạch CCHC",
            "channel": "paper",
        },
    )
    xlsx = client_for(clerk).get(reverse("documents:register_export", args=["den", "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]][:4] == ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu"]
    assert sheet["C2"].value == '\'=HYPERLINK("x")'  # text, not a live formula
    docx = client_for(clerk).get(reverse("documents:register_export", args=["den", "docx"]))
    assert docx.content[:2] == b"PK"
    theirs = client_for(outsider).get(reverse("documents:register_export", args=["den", "xlsx"]))
    assert load_workbook(io.BytesIO(theirs.content)).active.max_row == 1


@pytest.mark.django_db
def test_draft_as_word_in_decree_30_layout(clerk, principal, school) -> None:
    from docx import Document

    doc = services.outgoing_create(
        actor=clerk.user,
        unit=school,
        signer=principal,
        data={
            "type_code": "KH",
            "summary": "Chuyển đổi số",
            "body": "Đoạn một.\n\nĐoạn hai.",
            "recipients": "Phòng GD&ĐT;\nLưu: VT.",
            "authority": "KT.",
            "head_title": "Hiệu trưởng",
        },
    )
    response = client_for(clerk).get(reverse("documents:outgoing_docx", args=[doc.pk]))
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    tables = Document(io.BytesIO(response.content)).tables
    cells = "\n".join(c.text for t in tables for row in t.rows for c in row.cells)
    everything = text + "\n" + cells
    assert "KẾ HOẠCH" in everything
    assert f"/KH-{school.symbol}" in everything
    assert "KT. HIỆU TRƯỞNG" in everything
    assert "Thử nghiệm, ngày … tháng … năm …" in everything  # the commune, not the unit
    assert "Nơi nhận" in everything
    assert principal.full_name in everything


@pytest.mark.django_db
def test_teacher_sees_only_what_concerns_them(clerk, principal, colleague, school) -> None:
    mine = services.incoming_register(
        actor=clerk.user,
        unit=school,
        data={
            "author": "UBND xã",
            "reference": "12/KH-UBND",
            "issued_on": date(2026, 3, 2),
            "summary": "Việc của thầy Lợi",
            "channel": "electronic",
        },
    )
    services.incoming_register(
        actor=clerk.user,
        unit=school,
        data={
            "author": "UBND xã",
            "reference": "13/KH-UBND",
            "issued_on": date(2026, 3, 2),
            "summary": "Việc của người khác",
            "channel": "electronic",
        },
    )
    mine = services.incoming_present(actor=clerk.user, doc=mine)
    services.incoming_assign(
        actor=principal.user,
        doc=mine,
        instructions="Thầy Lợi chủ trì.",
        lead=colleague,
        collaborators=[],
        due_on=None,
    )
    teacher = client_for(colleague)

    page = teacher.get(reverse("documents:incoming")).content.decode()
    assert "Việc của thầy Lợi" in page
    assert "Việc của người khác" not in page
    detail = teacher.get(reverse("documents:incoming_detail", args=[mine.pk])).content.decode()
    assert "Đã giải quyết xong" in detail
    assert (
        teacher.post(
            reverse("documents:incoming_act", args=[mine.pk]), {"action": "finish", "version": 3}
        ).status_code
        == 302
    )


@pytest.mark.django_db
def test_finish_button_only_for_who_may_finish(
    clerk, principal, colleague, commune_officer, school
) -> None:
    """The commune officer reads the school's incoming document but may not close it: the page
    does not offer "Đã giải quyết xong" (it would answer 403); the school's principal sees it."""
    from cchc.documents.tests.test_lifecycle import INCOMING

    doc = services.incoming_register(actor=clerk.user, unit=school, data=INCOMING)
    doc = services.incoming_present(actor=clerk.user, doc=doc)
    services.incoming_assign(
        actor=principal.user,
        doc=doc,
        instructions="Đ/c Lợi chủ trì.",
        lead=colleague,
        collaborators=[],
        due_on=None,
    )
    url = reverse("documents:incoming_detail", args=[doc.pk])

    commune = client_for(commune_officer).get(url)
    own = client_for(principal).get(url)
    refused = client_for(commune_officer).post(
        reverse("documents:incoming_act", args=[doc.pk]), {"action": "finish"}
    )

    assert commune.status_code == 200
    assert 'value="finish"' not in commune.content.decode()
    assert 'value="finish"' in own.content.decode()
    assert refused.status_code == 403


@pytest.mark.django_db
def test_an_account_without_a_unit_is_refused_the_incoming_register(school) -> None:
    """A superuser with no staff record has no register to write in: 403 and nothing saved
    (it used to reach a form that was never built: a 500)."""
    client = Client()
    client.force_login(User.objects.create_superuser("quantri", "qt@example.vn", "MatKhau@2026"))
    response = client.post(reverse("documents:incoming"), INCOMING_POST)
    assert response.status_code == 403
    assert not IncomingDocument.objects.exists()


@pytest.mark.django_db
def test_register_print_links_only_for_who_may_open_them(clerk, colleague, school) -> None:
    """QA walk: a teacher was offered "In sổ: PDF · Word · Excel" and each link answered 403."""
    teacher, office = client_for(colleague), client_for(clerk)
    for list_name, book in (("documents:incoming", "den"), ("documents:outgoing", "di")):
        export = reverse("documents:register_export", args=[book, "xlsx"])
        assert teacher.get(export).status_code == 403
        teacher_page = teacher.get(reverse(list_name)).content.decode()
        assert reverse("documents:register_export", args=[book, "pdf"]) not in teacher_page
        assert "In sổ" not in teacher_page
        clerk_page = office.get(reverse(list_name)).content.decode()
        assert export in clerk_page
        assert office.get(export).status_code == 200
