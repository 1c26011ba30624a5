"""Staff and public pages: intake, handling through the item page, public form, list and
tracking, permissions, bad input answered 4xx with Vietnamese messages."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from cchc.feedback import services
from cchc.feedback.models import Feedback
from cchc.feedback.tests.conftest import SENDER, answered
from tests.fixtures import client_for

FORM = {
    "sender_name": "Trần Thị Hoa",
    "sender_address": "Ấp 3, xã Tân Phú",
    "sender_phone": "0987 654 321",
    "sender_email": "hoa.tran@example.vn",
    "kind": "phan_anh",
    "title": "Học phí học kỳ I",
    "content": "Con tôi học lớp 7B, nhà trường thu học phí học kỳ I hai lần. Đề nghị kiểm tra.",
    "consent_to_publish": "on",
    "website": "",
}


@pytest.fixture(autouse=True)
def _home(settings, school, tmp_path) -> None:
    settings.CCHC_HOME_UNIT = school.code
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
def test_public_form_records_and_shows_tracking_link(citizen) -> None:
    response = citizen.post(reverse("portal:feedback_submit"), FORM, follow=True)

    assert response.status_code == 200
    item = Feedback.objects.get()
    assert response.redirect_chain == [
        (reverse("portal:feedback_sent", args=[item.tracking_code]), 302)
    ]
    body = response.content.decode()
    assert item.tracking_code in body
    assert f"k={item.access_key}" in body
    assert item.channel == "web"
    assert item.status == "received"


@pytest.mark.django_db
def test_public_form_reload_after_submit_registers_one_item(citizen) -> None:
    """Post/redirect/get with a one-time token: re-sending the same form (a reload, the back
    button) lands on the first item's confirmation instead of a second register entry."""
    url = reverse("portal:feedback_submit")
    token = citizen.get(url).context["token"]

    first = citizen.post(url, {**FORM, "token": token})
    again = citizen.post(url, {**FORM, "token": token})
    item = Feedback.objects.get()
    sent = reverse("portal:feedback_sent", args=[item.tracking_code])

    assert (first.status_code, first["Location"]) == (302, sent)
    assert (again.status_code, again["Location"]) == (302, sent)
    assert citizen.get(sent).status_code == 200
    assert Client().get(sent).status_code == 404  # another browser does not see the secret link


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"content": ""}, "Hãy nhập nội dung"),
        ({"content": "a" * 5001}, "tối đa 5.000"),
        ({"content": "这是中文内容，不是越南语的文字内容"}, "tiếng Việt"),
        ({"sender_phone": "12345"}, "Số điện thoại không hợp lệ"),
        ({"sender_email": "khong-phai-email"}, "thư điện tử không hợp lệ"),
    ],
)
def test_public_form_bad_input_is_422_and_nothing_saved(citizen, change, message) -> None:
    response = citizen.post(reverse("portal:feedback_submit"), {**FORM, **change})

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_public_form_refuses_wrong_file_type(citizen) -> None:
    upload = SimpleUploadedFile("don.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = citizen.post(reverse("portal:feedback_submit"), {**FORM, "attachment": upload})

    assert response.status_code == 422
    assert "không đúng định dạng" in response.content.decode()
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_public_form_keeps_a_real_pdf(citizen, clerk, colleague) -> None:
    upload = SimpleUploadedFile("don.pdf", b"%PDF-1.4 don", content_type="application/pdf")

    citizen.post(reverse("portal:feedback_submit"), {**FORM, "attachment": upload})
    attachment = Feedback.objects.get().attachments.get()

    staff = client_for(clerk).get(reverse("feedback:attachment", args=[attachment.pk]))
    teacher = client_for(colleague).get(reverse("feedback:attachment", args=[attachment.pk]))

    assert b"".join(staff.streaming_content) == b"%PDF-1.4 don"
    assert teacher.status_code == 404  # not assigned to the teacher


@pytest.mark.django_db
def test_honeypot_and_rate_limit_stop_spam(citizen, settings) -> None:
    # One sliding window of 5 slots (cchc.core.ratelimit.take_slot): the trap takes one.
    trap = citizen.post(reverse("portal:feedback_submit"), {**FORM, "website": "http://x"})
    url = reverse("portal:feedback_submit")
    answers = [citizen.post(url, FORM).status_code for _ in range(6)]

    assert trap.status_code == 400
    assert answers[-1] == 429
    assert Feedback.objects.count() == 4  # the trap and the limited one saved nothing


@pytest.mark.django_db
def test_staff_handle_item_through_pages(clerk, principal, colleague, citizen) -> None:
    citizen.post(reverse("portal:feedback_submit"), FORM)
    item = Feedback.objects.get()
    act = reverse("feedback:act", args=[item.pk])

    client_for(clerk).post(
        act,
        {
            "action": "classify",
            "classification": "competent",
            "assignee": colleague.pk,
            "version": item.version,
        },
    )
    item.refresh_from_db()
    client_for(colleague).post(
        act,
        {
            "action": "draft",
            "version": item.version,
            "answer": "Nhà trường đã hoàn trả khoản thu trùng cho chị Hoa, số 0987 654 321.",
        },
    )
    item.refresh_from_db()
    page = client_for(principal).get(reverse("feedback:detail", args=[item.pk])).content.decode()
    client_for(principal).post(act, {"action": "approve", "version": item.version})
    item.refresh_from_db()
    publish_page = client_for(principal).get(reverse("feedback:detail", args=[item.pk]))
    client_for(principal).post(
        act,
        {
            "action": "publish",
            "version": item.version,
            "public_question": publish_page.context["publish_form"].initial["public_question"],
            "public_answer": publish_page.context["publish_form"].initial["public_answer"],
        },
    )
    item.refresh_from_db()

    assert "Duyệt và gửi trả lời" in page
    assert item.status == "published"
    public = citizen.get(reverse("portal:feedback_list") + "?q=hoc phi").content.decode()
    assert item.title in public
    shown = citizen.get(reverse("portal:feedback_detail", args=[item.tracking_code]))
    text = shown.content.decode()
    assert "0987" not in text
    assert "Hoa" not in text
    assert "[số điện thoại]" in text


@pytest.mark.django_db
def test_stale_form_answers_409(item, clerk, colleague) -> None:
    act = reverse("feedback:act", args=[item.pk])
    client_for(clerk).post(
        act,
        {
            "action": "classify",
            "classification": "competent",
            "assignee": colleague.pk,
            "version": item.version,
        },
    )

    response = client_for(clerk).post(
        act, {"action": "request_info", "note": "Thêm", "version": item.version}
    )

    assert response.status_code == 409


@pytest.mark.django_db
def test_teacher_gets_404_on_conduct_complaint(item, clerk, colleague) -> None:
    services.feedback_classify(actor=clerk.user, item=item, classification="conduct")

    detail = client_for(colleague).get(reverse("feedback:detail", args=[item.pk]))
    listing = client_for(colleague).get(reverse("feedback:list")).content.decode()
    inspection = client_for(colleague).get(reverse("feedback:inspection"))

    assert detail.status_code == 404
    assert item.tracking_code not in listing
    assert inspection.status_code == 403


@pytest.mark.django_db
def test_inspection_head_sees_conduct_and_adds_finding(item, clerk, inspection_head) -> None:
    services.feedback_classify(actor=clerk.user, item=item, classification="conduct")
    client = client_for(inspection_head)

    listing = client.get(reverse("feedback:inspection")).content.decode()
    client.post(
        reverse("feedback:act", args=[item.pk]),
        {"action": "finding", "text": "Đã làm việc với giáo viên chủ nhiệm."},
    )

    assert item.tracking_code in listing
    assert item.findings.get().author_name == "Trần Thị Thoa"


@pytest.mark.django_db
def test_sender_rates_and_disputes_from_the_link(
    item, clerk, principal, colleague, citizen, inspection_head
) -> None:
    item = answered(item, clerk, principal, colleague)
    url = reverse("portal:feedback_track", args=[item.tracking_code])

    wrong = citizen.get(url + "?k=sai")
    non_ascii = citizen.get(url + "?k=kh%C3%B4ng-%C4%91%C3%BAng")
    citizen.post(url, {"k": item.access_key, "action": "rate", "rating": "satisfied"})
    rated = Feedback.objects.get(pk=item.pk).rating
    citizen.post(
        url, {"k": item.access_key, "action": "dispute", "reason": "Tôi chưa nhận lại tiền."}
    )
    item.refresh_from_db()

    assert wrong.status_code == 404
    assert non_ascii.status_code == 404
    assert rated == "satisfied"
    assert item.status == "reopened"
    inspection = client_for(inspection_head).get(reverse("feedback:inspection")).content.decode()
    assert item.tracking_code in inspection


@pytest.mark.django_db
def test_register_page_and_xlsx_write_text_not_formulas(clerk, school) -> None:
    services.feedback_receive(
        actor=clerk.user,
        unit=school,
        channel="letter",
        data={**SENDER, "title": '=HYPERLINK("http://x")'},
    )
    client = client_for(clerk)

    page = client.get(reverse("feedback:register"))
    xlsx = client.get(reverse("feedback:register") + "?xuat=xlsx")

    assert page.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["G2"].value.startswith("'=")
    assert sheet["A2"].value.startswith("1/")


@pytest.mark.django_db
def test_intake_requires_external_code_for_portal_items(clerk) -> None:
    response = client_for(clerk).post(
        reverse("feedback:intake"),
        {
            **{k: v for k, v in SENDER.items() if k != "consent_to_publish"},
            "channel": "national_portal",
            "kind": "phan_anh",
            "external_code": "",
        },
    )

    assert response.status_code == 422
    assert "Cổng DVCQG" in response.content.decode()
    assert not Feedback.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/phan-anh-kien-nghi/?q=h%00c",
        "/phan-anh-kien-nghi/PA26%00X/",
        "/phan-anh-kien-nghi/theo-doi/PA26%00X/?k=a%00b",
        "/phan-anh-kien-nghi/theo-doi/PA26-ABCDEF/?k=kh%C3%B4ng-ph%E1%BA%A3i",
        "/quan-ly/phan-anh/" + "9" * 25 + "/",
        "/quan-ly/phan-anh/?q=a%00b&tu_ngay=2026-13-45",
        "/quan-ly/phan-anh/so-tiep-nhan/?nam=%C2%B2&tu_ngay=x",
    ],
)
def test_garbled_urls_are_4xx_or_ignored_never_500(url, clerk) -> None:
    client = client_for(clerk)
    client.raise_request_exception = False

    response = client.get(url)

    # A NUL anywhere in the request is refused by the one control-character guard (400).
    assert response.status_code in (200, 400, 404)


@pytest.mark.django_db
def test_register_prints_as_docx_and_pdf_that_open(clerk, school, tmp_path) -> None:
    import subprocess

    from docx import Document

    from cchc.core.official_docs import libreoffice_available

    assert libreoffice_available(), "LibreOffice is required for the register PDF"
    services.feedback_receive(actor=clerk.user, unit=school, channel="letter", data=dict(SENDER))
    client = client_for(clerk)
    url = reverse("feedback:register") + "?nam=2026&tu_ngay=2026-01-01&den_ngay=2026-12-31"

    docx = client.get(url + "&xuat=docx")
    pdf = client.get(url + "&xuat=pdf")

    text = "\n".join(
        cell.text
        for table in Document(io.BytesIO(docx.content)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "Thu tiền học thêm" in text
    assert "Nguyễn Văn Bình" in text  # the clerk may see personal data
    pdf_path = tmp_path / "so.pdf"
    pdf_path.write_bytes(pdf.content)
    pdf_text = subprocess.run(  # noqa: S603 - poppler on a file we wrote
        ["/usr/bin/pdftotext", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "SỔ TIẾP NHẬN" in pdf_text
    assert docx["Content-Disposition"].endswith('.docx"')


@pytest.mark.django_db
def test_public_form_without_contact_is_kept_as_invalid_with_reason(citizen) -> None:
    bare = {**FORM, "sender_name": "", "sender_phone": "", "sender_email": "", "sender_address": ""}

    response = citizen.post(reverse("portal:feedback_submit"), bare, follow=True)

    body = response.content.decode()
    assert response.status_code == 200
    assert "chưa đủ điều kiện xử lý" in body
    assert "Nghị định 20/2008" in body
    assert Feedback.objects.get().status == "rejected"


@pytest.mark.django_db
def test_list_pages_query_count_does_not_grow_with_items(
    clerk, school, principal, colleague, django_assert_max_num_queries
) -> None:
    for _ in range(25):
        item = services.feedback_receive(
            actor=clerk.user, unit=school, channel="letter", data=dict(SENDER)
        )
    item = answered(item, clerk, principal, colleague)
    question, answer = services.public_versions(item)
    services.feedback_publish(
        actor=principal.user, item=item, public_question=question, public_answer=answer
    )
    client = client_for(clerk)

    with django_assert_max_num_queries(12):
        staff = client.get(reverse("feedback:list"))
    with django_assert_max_num_queries(12):
        register = client.get(reverse("feedback:register"))
    with django_assert_max_num_queries(6):
        public = Client().get(reverse("portal:feedback_list"))

    assert staff.status_code == register.status_code == public.status_code == 200


@pytest.mark.django_db
def test_principal_sets_deadlines_and_templates_teacher_cannot(
    principal, colleague, clerk, school
) -> None:
    client = client_for(principal)
    limits = {
        "reject_within_days": 2,
        "info_within_days": 5,
        "forward_within_days": 5,
        "answer_within_days": 10,
        "publish_within_days": 1,
    }

    saved = client.post(reverse("feedback:settings"), {**limits, "action": "limits"})
    bad = client.post(
        reverse("feedback:settings"), {**limits, "answer_within_days": 0, "action": "limits"}
    )
    client.post(
        reverse("feedback:settings"),
        {"action": "template", "title": "Cảm ơn", "body": "Cảm ơn ông/bà."},
    )
    twice = client.post(
        reverse("feedback:settings"), {"action": "template", "title": "Cảm ơn", "body": "Lần hai."}
    )
    teacher = client_for(colleague).get(reverse("feedback:settings"))
    item = services.feedback_receive(
        actor=clerk.user, unit=school, channel="letter", data=dict(SENDER)
    )

    assert saved.status_code == 302
    assert bad.status_code == 422
    assert twice.status_code == 409
    assert "Đã có mẫu trả lời" in twice.content.decode()
    assert teacher.status_code == 403
    assert item.due_at == services.deadlines.due_after(school, item.received_at, 10)


@pytest.mark.django_db
def test_classification_has_no_preselected_choice_and_is_required(item, clerk) -> None:
    """A careless "Phân loại" click used to file the item as "Không hợp lệ", the first option:
    now nothing is chosen and submitting without a choice is a 422 in Vietnamese."""
    clerk_client = client_for(clerk)
    page = clerk_client.get(reverse("feedback:detail", args=[item.pk])).content.decode()
    refused = clerk_client.post(
        reverse("feedback:act", args=[item.pk]),
        {"action": "classify", "classification": "", "version": item.version},
    )

    assert '<option value="" selected>' in page
    assert 'value="invalid" selected' not in page
    assert refused.status_code == 422
    assert "Hãy chọn phân loại phản ánh." in refused.content.decode()
    item.refresh_from_db()
    assert item.classification == ""


@pytest.mark.django_db
def test_feedback_from_another_units_page_lands_in_that_units_register(
    citizen, school, other_school
) -> None:
    """A parent of school B follows "Gửi phản ánh, kiến nghị" on B's public page: the item is in
    B's register, not the installation's school's; B's page links B's own lists."""
    home = citizen.get(reverse("portal:unit_home", args=[other_school.code])).content.decode()
    url = reverse("portal:unit_feedback_submit", args=[other_school.code])
    token = citizen.get(url).context["token"]

    sent = citizen.post(url, {**FORM, "token": token}, follow=True)

    assert f'href="{url}"' in home
    assert f'href="{reverse("portal:unit_feedback_list", args=[other_school.code])}"' in home
    assert reverse("portal:unit_survey_results_list", args=[other_school.code]) in home
    assert sent.status_code == 200
    assert Feedback.objects.get().unit == other_school
    assert other_school.name in sent.content.decode()
    missing = citizen.get(reverse("portal:unit_feedback_submit", args=["KHONG.CO"]))
    assert missing.status_code == 404


@pytest.mark.django_db
def test_assignee_choices_follow_vietnamese_list_order(school) -> None:
    """Given name first, in the Vietnamese alphabet: a clerk finds "Ánh" after "An", not at
    the end of the list."""
    from cchc.feedback.forms import AssignForm
    from cchc.organizations.models import Staff

    for name in ("Lê Thị Ánh", "Bùi Văn Bình", "Võ Văn An"):
        Staff.objects.create(unit=school, full_name=name)
    labels = [label for value, label in AssignForm(unit=school).fields["assignee"].choices if value]
    names = [label.split(" (")[0] for label in labels]
    order = [names.index(name) for name in ("Võ Văn An", "Lê Thị Ánh", "Bùi Văn Bình")]
    assert order == sorted(order)


def _intake(clerk, received_at: str):
    return client_for(clerk).post(
        reverse("feedback:intake"),
        {
            **{k: v for k, v in SENDER.items() if k != "consent_to_publish"},
            "channel": "letter",
            "kind": "phan_anh",
            "received_at": received_at,
        },
    )


@pytest.mark.django_db
def test_intake_of_a_letter_received_earlier_runs_its_deadlines_from_receipt(clerk, school) -> None:
    """A letter that arrived days ago keeps its day of arrival: the answer is due counted from
    it, not from the day the clerk typed it in, and the page shows both."""
    from datetime import datetime, timedelta

    from django.utils import timezone

    from cchc.core.timezones import VN
    from cchc.feedback import deadlines

    day = timezone.localdate() - timedelta(days=3)
    received = datetime(day.year, day.month, day.day, 9, 30, tzinfo=VN)

    response = _intake(clerk, f"{day:%Y-%m-%d}T09:30")

    assert response.status_code == 302
    item = Feedback.objects.get()
    assert item.received_at == received
    limits = deadlines.limits_for(school)
    assert item.due_at == deadlines.due_after(school, received, limits.answer)
    assert item.due_at != deadlines.due_after(school, item.created_at, limits.answer)
    page = client_for(clerk).get(reverse("feedback:detail", args=[item.pk])).content.decode()
    assert f"{day:%d/%m/%Y} 09:30" in page
    assert "vào sổ " + timezone.localtime(item.created_at).strftime("%d/%m/%Y") in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2999-01-01T08:00", "không được ở tương lai"),
        ("2020-03-02T08:00", "hãy kiểm tra lại năm"),
        ("hôm qua", "không đúng dạng"),
    ],
)
def test_intake_refuses_an_implausible_receipt_time(clerk, value, message) -> None:
    response = _intake(clerk, value)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_intake_without_a_receipt_time_is_received_now(clerk) -> None:
    response = _intake(clerk, "")

    assert response.status_code == 302
    item = Feedback.objects.get()
    assert abs((item.created_at - item.received_at).total_seconds()) < 60
    page = client_for(clerk).get(reverse("feedback:detail", args=[item.pk])).content.decode()
    assert 'id="entered-at"' not in page
