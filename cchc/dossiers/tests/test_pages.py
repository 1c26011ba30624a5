"""Dossier pages, public pages, papers, exports, API, alerts and KPIs."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from cchc.core.timezones import VN
from cchc.dossiers import alerts, services
from cchc.dossiers.models import Dossier
from cchc.dossiers.workflow import DossierStatus
from cchc.kpi.registry import Period, measure
from cchc.organizations.models import Unit
from tests.fixtures import client_for

S = DossierStatus
APPLICANT = {
    "applicant_name": "Nguyễn Văn An",
    "applicant_phone": "0912345678",
    "applicant_email": "an@nguoidan.example",
}


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN)


@pytest.fixture
def dossier(clerk, school, transfer):
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 3, 2, 9, 0)):
        return services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant=APPLICANT,
            provided_documents=[d["name"] for d in transfer.documents],
        )


# ---------------------------------------------------------------- staff pages


@pytest.mark.django_db
def test_counter_intake_creates_dossier(clerk, transfer) -> None:
    response = client_for(clerk).post(
        reverse("dossiers:intake"),
        {
            "procedure": transfer.pk,
            "applicant_name": "Trần Thị Bé",
            "applicant_phone": "0987654321",
            "channel": "in_person",
            "documents": [d["name"] for d in transfer.documents],
        },
    )

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.applicant_name == "Trần Thị Bé"
    assert dossier.status == S.ACCEPTED


@pytest.mark.django_db
def test_counter_intake_bad_phone_is_422(clerk, transfer) -> None:
    response = client_for(clerk).post(
        reverse("dossiers:intake"),
        {
            "procedure": transfer.pk,
            "applicant_name": "Trần Thị Bé",
            "applicant_phone": "12",
            "channel": "in_person",
            "documents": [d["name"] for d in transfer.documents],
        },
    )

    assert response.status_code == 422
    assert "Số điện thoại không hợp lệ" in response.content.decode()
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_counter_scan_is_attached_and_a_bad_scan_saves_nothing(clerk, transfer) -> None:
    base = {
        "procedure": transfer.pk,
        "applicant_name": "Trần Thị Bé",
        "channel": "in_person",
        "documents": [d["name"] for d in transfer.documents],
    }
    client = client_for(clerk)

    bad = client.post(
        reverse("dossiers:intake"),
        {**base, "scan": SimpleUploadedFile("scan.pdf", b"MZ not a pdf")},
    )
    good = client.post(
        reverse("dossiers:intake"),
        {**base, "scan": SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan")},
    )

    assert bad.status_code == 422
    assert Dossier.objects.count() == 1
    dossier = Dossier.objects.get()
    assert good.status_code == 302
    assert dossier.attachments.get().document_name == "Bản quét hồ sơ"
    later = client.post(
        reverse("dossiers:act", args=[dossier.pk]),
        {
            "action": "attach",
            "document_name": "Học bạ",
            "version": "1",
            "file": SimpleUploadedFile("hb.png", b"\x89PNG\r\n\x1a\nrest"),
        },
    )
    assert later.status_code == 302
    assert dossier.attachments.count() == 2


@pytest.mark.django_db
def test_teacher_cannot_open_the_counter(colleague, transfer) -> None:
    assert client_for(colleague).get(reverse("dossiers:intake")).status_code == 403


@pytest.mark.django_db
def test_detail_actions_process_and_return(dossier, clerk, principal) -> None:
    client = client_for(principal)
    url = reverse("dossiers:act", args=[dossier.pk])

    handed = client.post(
        url, {"action": "hand_over", "version": "1", "to_staff": principal.pk, "step": "signature"}
    )
    stale = client.post(url, {"action": "decide", "version": "1", "granted": "1"})
    decided = client.post(url, {"action": "decide", "version": "2", "granted": "1"})
    returned = client_for(clerk).post(url, {"action": "return", "version": "3"})
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()

    assert handed.status_code == 302
    assert stale.status_code == 409
    assert "vừa được người khác xử lý" in stale.content.decode()
    assert decided.status_code == 302
    assert returned.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).status == S.RETURNED
    assert "Đã trả kết quả" in page
    assert "Trình ký" in page


HTMX = {"HX-Request": "true", "HX-Target": "dossier-panel"}


@pytest.mark.django_db
def test_an_htmx_action_shows_its_success_message_in_the_swapped_panel(
    dossier, principal, colleague
) -> None:
    """QA: after "Chuyển" posted by htmx the panel changed but "Đã chuyển hồ sơ …" never showed."""
    client = client_for(principal)
    url = reverse("dossiers:act", args=[dossier.pk])

    answer = client.post(
        url,
        {"action": "hand_over", "version": "1", "to_staff": colleague.pk, "step": "appraisal"},
        headers=HTMX,
        follow=True,
    )
    body = answer.content.decode()
    reloaded = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()

    assert answer.status_code == 200
    assert body.lstrip().startswith('<div id="dossier-panel">')  # the fragment, not the page
    assert f"Đã chuyển hồ sơ {dossier.code}." in body
    assert "Đã chuyển hồ sơ" not in reloaded  # shown once, not kept for later


@pytest.mark.django_db
def test_a_hand_over_to_the_holder_at_the_same_step_is_refused_and_the_holder_gives(
    dossier, principal, clerk, colleague
) -> None:
    """QA: "Chuyển → Phan Văn Lợi, Thẩm định" three times gave three identical history rows,
    each naming the clerk as giver though Lợi already held it."""
    url = reverse("dossiers:act", args=[dossier.pk])
    to_loi = {"action": "hand_over", "to_staff": colleague.pk, "step": "appraisal"}

    first = client_for(clerk).post(url, {**to_loi, "version": "1"})
    again = client_for(clerk).post(url, {**to_loi, "version": "2"}, headers=HTMX)
    to_signature = client_for(principal).post(
        url, {"action": "hand_over", "version": "2", "to_staff": principal.pk, "step": "signature"}
    )

    assert first.status_code == 302
    assert again.status_code == 409
    assert "Phan Văn Lợi đang giữ hồ sơ ở bước này" in again.content.decode()
    assert to_signature.status_code == 302
    hand_overs = list(dossier.events.filter(to_status=S.PROCESSING).order_by("at", "id"))
    assert [(e.giver, e.receiver) for e in hand_overs] == [
        ("Lê Thị Thanh Thủy", "Phan Văn Lợi"),
        ("Phan Văn Lợi", "Nguyễn Thị Thanh Trang"),
    ]


@pytest.mark.django_db
def test_the_handler_named_at_intake_receives_it_from_the_clerk_on_the_control_sheet(
    clerk, school, transfer, colleague
) -> None:
    """QA: the handler chosen at intake, then handed the dossier, read "Giao: X / Nhận: X" on
    Mẫu 06: the papers were still at the desk, so the clerk who handed them over gives."""
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 3, 2, 9, 0)):
        received = services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant=APPLICANT,
            provided_documents=[d["name"] for d in transfer.documents],
            assignee=colleague,
        )
    url = reverse("dossiers:act", args=[received.pk])
    answer = client_for(clerk).post(
        url, {"action": "hand_over", "version": "1", "to_staff": colleague.pk, "step": "appraisal"}
    )

    assert answer.status_code == 302
    hand_over = received.events.get(to_status=S.PROCESSING)
    assert (hand_over.giver, hand_over.receiver) == ("Lê Thị Thanh Thủy", "Phan Văn Lợi")
    sheet = client_for(clerk).get(
        reverse("dossiers:paper", args=[received.pk, "kiem-soat", "docx"])
    )
    rows = [
        " ".join(cell.text.split())
        for table in Document(io.BytesIO(sheet.content)).tables
        for row in table.rows
        for cell in row.cells
    ]
    assert "Giao: Lê Thị Thanh Thủy Nhận: Phan Văn Lợi" in rows
    assert "Giao: Phan Văn Lợi Nhận: Phan Văn Lợi" not in rows


@pytest.mark.django_db
def test_forbidden_action_is_409_and_unknown_action_422(dossier, principal) -> None:
    url = reverse("dossiers:act", args=[dossier.pk])

    early_return = client_for(principal).post(url, {"action": "return", "version": "1"})
    unknown = client_for(principal).post(url, {"action": "nhay-coc", "version": "1"})

    assert early_return.status_code == 409
    assert unknown.status_code == 422


@pytest.mark.django_db
def test_detail_hides_id_number_from_inspection_viewer(dossier, school) -> None:
    from tests.factories import StaffFactory

    inspector = StaffFactory(unit=school, roles=["inspection_head"])
    Dossier.objects.filter(pk=dossier.pk).update(applicant_id_number="079123456789")

    body = client_for(inspector).get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()

    assert dossier.code in body
    assert "079123456789" not in body
    assert "0912345678" not in body


@pytest.mark.django_db
def test_queue_lists_late_dossier_without_apology_in_red(dossier, principal) -> None:
    body = client_for(principal).get(reverse("dossiers:queue")).content.decode()

    assert 'id="late-without-apology"' in body  # due 09/03/2026, long past
    assert dossier.code in body


@pytest.mark.django_db
def test_receipt_slip_pdf_and_docx_carry_code_and_dates(dossier, clerk, tmp_path) -> None:
    client = client_for(clerk)

    pdf = client.get(reverse("dossiers:paper", args=[dossier.pk, "tiep-nhan", "pdf"]))
    docx = client.get(reverse("dossiers:paper", args=[dossier.pk, "tiep-nhan", "docx"]))

    path = tmp_path / "slip.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(  # noqa: S603
        ["/usr/bin/pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert dossier.code in text
    assert "02/03/2026" in text
    assert "09/03/2026" in text
    document = Document(io.BytesIO(docx.content))
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    full = " ".join(p.text for p in document.paragraphs) + cells
    assert dossier.code in full


@pytest.mark.django_db
def test_paper_that_does_not_apply_is_refused(dossier, clerk) -> None:
    client = client_for(clerk)
    url = reverse("dossiers:paper", args=[dossier.pk, "xin-loi", "pdf"])

    response = client.get(url)
    shown = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:detail", args=[dossier.pk])
    assert "Hồ sơ này chưa có loại giấy tờ đó." in shown.content.decode()


@pytest.mark.django_db
def test_tracking_book_exports_xlsx(dossier, principal) -> None:
    response = client_for(principal).get(reverse("dossiers:book") + "?xuat=xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A6"].value == "STT"  # under the heading of the printed book
    assert sheet["B8"].value == dossier.code
    assert sheet["R8"].value == "Quá hạn"


@pytest.mark.django_db
def test_tracking_book_page_shows_the_address_to_those_who_see_personal_data(
    dossier, clerk, school, commune_officer
) -> None:
    """The exported book has "Địa chỉ, số điện thoại"; the page shows both too, under the same
    rule (VIEW_PERSONAL_DATA): the clerk yes, the inspection board head and the commune no."""
    from cchc.dossiers.models import Dossier as DossierModel
    from tests.factories import StaffFactory

    DossierModel.objects.filter(pk=dossier.pk).update(applicant_address="12 đường Số 3, ấp 2")
    inspector = StaffFactory(unit=school, roles=["inspection_head"])

    def book(staff) -> str:
        return client_for(staff).get(reverse("dossiers:book")).content.decode()

    clerks, inspectors, officers = book(clerk), book(inspector), book(commune_officer)

    assert "<th>Địa chỉ</th>" in clerks
    assert "<td>12 đường Số 3, ấp 2</td>" in clerks
    for page in (inspectors, officers):
        assert dossier.code in page
        assert "Địa chỉ" not in page
        assert "12 đường Số 3" not in page
        assert "0912345678" not in page


@pytest.mark.django_db
def test_procedure_catalogue_page_flags_unconfirmed_and_exports(transfer, clerk) -> None:
    client = client_for(clerk)

    page = client.get(reverse("dossiers:procedures")).content.decode()
    exported = client.get(reverse("dossiers:procedures") + "?xuat=xlsx")
    reimport = client.post(
        reverse("dossiers:procedures"), {"file": SimpleUploadedFile("dm.xlsx", exported.content)}
    )
    bad = client.post(reverse("dossiers:procedures"), {"file": SimpleUploadedFile("x.xlsx", b"no")})

    assert "cần xác nhận" in page
    assert reimport.status_code == 302
    assert bad.status_code == 422


# ---------------------------------------------------------------- public pages


@pytest.mark.django_db
def test_public_search_without_diacritics(transfer, citizen) -> None:
    body = citizen.get(reverse("portal:procedures") + "?q=chuyen truong").content.decode()

    assert transfer.name in body


@pytest.mark.django_db
def test_public_procedure_page_lists_documents_and_legal_basis(transfer, citizen) -> None:
    body = citizen.get(reverse("portal:procedure_detail", args=[transfer.pk])).content.decode()

    assert transfer.documents[0]["name"] in body
    assert "Căn cứ pháp lý" in body


@pytest.mark.django_db
def test_public_lookup_masks_name_until_phone_check(dossier, citizen) -> None:
    masked = citizen.get(reverse("portal:lookup_code", args=[dossier.code])).content.decode()
    full = citizen.get(
        reverse("portal:lookup_code", args=[dossier.code]) + "?phone_last4=5678"
    ).content.decode()
    wrong = citizen.get(reverse("portal:lookup") + "?code=KHONG-CO")

    assert "Nguyễn Văn An" not in masked
    assert "N*** V*** An" in masked
    assert "Nguyễn Văn An" in full
    assert wrong.status_code == 404
    assert "Không tìm thấy hồ sơ" in wrong.content.decode()


@pytest.mark.django_db
def test_public_lookup_shows_a_new_status_at_once(
    dossier, principal, citizen, django_capture_on_commit_callbacks
) -> None:
    url = reverse("portal:lookup_code", args=[dossier.code])
    first = citizen.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_decide(actor=principal.user, dossier=dossier, granted=True)
    second = citizen.get(url).content.decode()

    assert "Được tiếp nhận" in first
    assert "Đã xử lý xong" in second


@pytest.mark.django_db
def test_digest_command_sends_on_working_days(dossier, smtp_server) -> None:
    from django.core.management import call_command

    out = io.StringIO()
    with mock.patch("django.utils.timezone.localdate", return_value=at(2026, 3, 7).date()):
        call_command("dossiers", "digest", stdout=out)  # a Saturday

    assert "ngày nghỉ" in out.getvalue()


@pytest.mark.django_db
def test_public_lookup_is_rate_limited(dossier, citizen, settings) -> None:
    settings.CCHC_PUBLIC_RATE_PER_MINUTE = 3
    url = reverse("portal:lookup_code", args=[dossier.code])

    statuses = [citizen.get(url).status_code for _ in range(5)]

    assert statuses[:3] == [200, 200, 200]
    assert statuses[-1] == 429


@pytest.mark.django_db
def test_online_submission_with_upload(transfer, citizen) -> None:
    transfer.online_level = "full"
    transfer.channels = ["in_person", "online"]
    transfer.save()

    def files() -> dict:
        return {
            f"file_{i}": SimpleUploadedFile(f"giay-{i}.pdf", b"%PDF-1.4 test", "application/pdf")
            for i, _ in enumerate(transfer.documents)
        }

    bad_files = {**files(), "file_0": SimpleUploadedFile("giay.pdf", b"MZ-not-a-pdf")}
    url = reverse("portal:submit", args=[transfer.pk])

    rejected = citizen.post(
        url, {"applicant_name": "Lê Thị Hoa", "applicant_phone": "0911222333", **bad_files}
    )
    accepted = citizen.post(
        url,
        {"applicant_name": "Lê Thị Hoa", "applicant_phone": "0911222333", **files()},
        follow=True,
    )

    assert rejected.status_code == 422
    assert "không đúng định dạng" in rejected.content.decode()
    dossier = Dossier.objects.get()
    assert accepted.redirect_chain[-1][1] == 302  # post/redirect/get
    assert accepted.status_code == 200
    assert dossier.code in accepted.content.decode()
    assert dossier.status == S.NEW
    assert dossier.attachments.count() == len(transfer.documents)


@pytest.mark.django_db
def test_online_submission_refused_for_offline_procedure(catalogue, citizen) -> None:
    offline = next(p for name, p in catalogue.items() if name.startswith("Xin học lại"))

    url = reverse("portal:submit", args=[offline.pk])

    response = citizen.get(url)
    posted = citizen.post(url, {"applicant_name": "Lê Thị Hoa", "applicant_phone": "0911222333"})

    assert response.status_code == 404
    assert posted.status_code == 404
    assert not Dossier.objects.exists()


# ---------------------------------------------------------------- API


@pytest.mark.django_db
def test_api_create_get_transition(clerk, principal, transfer) -> None:
    created = client_for(clerk).post(
        "/api/v1/dossiers",
        {
            "procedure_id": transfer.pk,
            "applicant_name": "Phạm Văn Cường",
            "applicant_phone": "0909000111",
            "documents": [d["name"] for d in transfer.documents],
        },
        content_type="application/json",
    )
    code = created.json()["code"]
    got = client_for(principal).get(f"/api/v1/dossiers/{code}")
    moved = client_for(principal).post(
        f"/api/v1/dossiers/{code}/transition",
        {"action": "decide", "version": 1},
        content_type="application/json",
    )
    stale = client_for(principal).post(
        f"/api/v1/dossiers/{code}/transition",
        {"action": "return", "version": 1},
        content_type="application/json",
    )
    public = client_for(principal).get(f"/api/v1/public/dossiers/{code}")

    assert created.status_code == 201
    assert got.json()["status"] == "accepted"
    assert moved.json()["status"] == "done"
    assert stale.status_code == 409
    assert public.json()["applicant"] == "P*** V*** Cường"


@pytest.mark.django_db
def test_api_bad_dossier_input_is_422(clerk, transfer) -> None:
    response = client_for(clerk).post(
        "/api/v1/dossiers",
        {"procedure_id": transfer.pk, "applicant_name": "X", "applicant_id_number": "12"},
        content_type="application/json",
    )

    assert response.status_code == 422


@pytest.mark.django_db
def test_api_outsider_gets_404(dossier, outsider) -> None:
    assert client_for(outsider).get(f"/api/v1/dossiers/{dossier.code}").status_code == 404


# ---------------------------------------------------------------- alerts and KPIs


@pytest.mark.django_db
def test_daily_digest_one_mail_per_person(
    dossier, clerk, principal, school, transfer, smtp_server
) -> None:
    Dossier.objects.filter(pk=dossier.pk).update(assignee=clerk)
    now = at(2026, 3, 6, 7, 0)
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 3, 5, 9, 0)):
        services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant=APPLICANT,
            provided_documents=[d["name"] for d in transfer.documents],
            assignee=clerk,
        )
    Dossier.objects.filter(pk=dossier.pk).update(due_at=now - timedelta(days=1))
    Dossier.objects.exclude(pk=dossier.pk).update(due_at=now + timedelta(hours=10))

    counts = alerts.send_digests(now=now)

    recipients = sorted(r for _, rcpts in smtp_server.envelopes for r in rcpts)
    assert counts["sent"] == 2
    assert recipients == sorted({clerk.email, principal.email})
    body = smtp_server.messages[0].get_content()
    assert "ĐÃ QUÁ HẠN, CHƯA CÓ VĂN BẢN XIN LỖI (1)" in body
    assert "ĐẾN HẠN TRONG 01 NGÀY LÀM VIỆC (1)" in body


@pytest.mark.django_db
def test_kpis_count_on_time_late_and_apologies(dossier, principal, school) -> None:
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 3, 12, 9, 0)):
        services.dossier_decide(actor=principal.user, dossier=dossier, granted=True)
    units = Unit.objects.filter(pk=school.pk)

    on_time = measure("dossier_on_time_rate", units, Period.year(2026))
    apology = measure("late_apology_rate", units, Period.year(2026))
    rate_766 = measure("dossier_on_time_rate_766", units, Period.year(2026))

    assert (on_time.numerator, on_time.denominator) == (0, 1)
    assert (apology.numerator, apology.denominator) == (0, 1)
    assert (rate_766.numerator, rate_766.denominator) == (0, 1)


@pytest.mark.django_db
def test_public_lookup_is_one_query_whatever_the_steps(
    dossier, principal, citizen, django_assert_max_num_queries
) -> None:
    url = reverse("portal:lookup_code", args=[dossier.code])
    with mock.patch("django.utils.timezone.now", return_value=at(2026, 3, 3, 9, 0)):
        services.dossier_request_supplement(
            actor=principal.user, dossier=dossier, items=["Học bạ"], reason="Thiếu học bạ"
        )

    with django_assert_max_num_queries(1):
        masked = citizen.get(url).content.decode()
    with django_assert_max_num_queries(1):
        wrong_digits = citizen.get(url + "?phone_last4=0000").content.decode()
    # The supplement request (items, reason) is the one read that waits for the phone check.
    with django_assert_max_num_queries(2):
        verified = citizen.get(url + "?phone_last4=5678").content.decode()

    assert "N*** V*** An" in masked
    assert "Nguyễn Văn An" not in masked
    assert "Học bạ" not in masked
    assert "Học bạ" not in wrong_digits
    assert "Nguyễn Văn An" in verified
    assert "Cần bổ sung" in verified
    assert "Thiếu học bạ" in verified
    steps = re.findall(r"<li><strong>(\d\d/\d\d/\d{4} \d\d:\d\d)</strong> — ([^<:]+)", verified)
    assert [label for _, label in steps] == ["Được tiếp nhận", "Yêu cầu bổ sung giấy tờ"]


@pytest.mark.django_db
def test_public_lookup_of_an_unknown_code_is_one_query(
    citizen, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(1):
        response = citizen.get(reverse("portal:lookup_code", args=["000.00.01.H29-260302-9999"]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_queue_query_count_does_not_grow_with_dossiers(
    clerk, principal, school, transfer, django_assert_max_num_queries
) -> None:
    from cchc.workdays.models import CalendarOverride

    # With an override the unit's calendar is looked up per call: it must be once per unit.
    CalendarOverride.objects.create(
        unit=school, date=datetime(2026, 12, 1).date(), is_working=False, reason="Thử"
    )
    client = client_for(principal)
    for _ in range(3):
        services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant=APPLICANT,
            provided_documents=[d["name"] for d in transfer.documents],
        )
    client.get(reverse("dossiers:queue"))
    for _ in range(12):
        services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant=APPLICANT,
            provided_documents=[d["name"] for d in transfer.documents],
        )

    # 15: a constant one of them lists the apology letters waiting for the user's own step.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("dossiers:queue"))

    assert response.status_code == 200


def _queue_row(client, code: str) -> str:
    body = client.get(reverse("dossiers:queue")).content.decode()
    table = body.split('<table class="table" id="queue">')[1].split("</table>")[0]
    row = next(r for r in table.split("<tr") if code in r)
    return re.sub(r"\s+", " ", row)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "result_at", "now", "badge", "text"),
    [
        # Due today at 17:00, now 18:00: late by the hour, not "hạn hôm nay".
        (S.PROCESSING, None, at(2026, 3, 10, 18, 0), True, "quá hạn từ 17:00"),
        (S.PROCESSING, None, at(2026, 3, 10, 9, 0), False, "hạn hôm nay"),
        (S.PROCESSING, None, at(2026, 3, 11, 9, 0), True, "quá 1 ngày làm việc"),
        # Decided before the due time, not yet returned: not "quá 1 ngày làm việc".
        (S.DONE, at(2026, 3, 10, 16, 0), at(2026, 3, 11, 9, 0), False, "xong đúng hạn"),
        (S.DONE, at(2026, 3, 11, 8, 0), at(2026, 3, 11, 9, 0), True, "xong sau hạn"),
    ],
)
def test_the_queue_badge_and_the_remaining_time_agree(
    dossier, principal, status, result_at, now, badge, text
) -> None:
    """QA: "Quá hạn" beside "hạn hôm nay", and a dossier handled on time said "quá 1 ngày"."""
    Dossier.objects.filter(pk=dossier.pk).update(
        status=status, due_at=at(2026, 3, 10, 17, 0), result_at=result_at
    )
    client = client_for(principal)

    with mock.patch("django.utils.timezone.now", return_value=now):
        row = _queue_row(client, dossier.code)

    assert ("Quá hạn" in row) is badge
    assert f'<td class="remaining">{text}</td>' in row or f">{text}</span></td>" in row
