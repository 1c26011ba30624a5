"""Staff pages: create and run a campaign, results with intervals, exports, permissions."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cchc.core.official_docs import libreoffice_available
from cchc.surveys import services
from cchc.surveys.models import Campaign, Invitation, Purpose, SurveyTemplate
from tests.fixtures import client_for


@pytest.mark.django_db
def test_principal_creates_opens_and_issues_invitations(principal, templates) -> None:
    client = client_for(principal)
    today = timezone.localdate()
    response = client.post(
        reverse("surveys:create"),
        {
            "template": templates["dich-vu-giao-duc"].pk,
            "title": "Khảo sát cha mẹ lớp 9A",
            "audience": "class_parents",
            "audience_detail": "9A",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=10)).isoformat(),
            "access": "token",
            "device_limit": "1",
        },
    )
    campaign = Campaign.objects.get(title="Khảo sát cha mẹ lớp 9A")
    assert response.status_code == 302
    client.post(reverse("surveys:act", args=[campaign.pk]), {"action": "open"})
    client.post(
        reverse("surveys:act", args=[campaign.pk]),
        {"action": "invite", "count": "3", "segment": "9A"},
    )
    assert Invitation.objects.filter(campaign=campaign, segment="9A").count() == 3
    bad = client.post(
        reverse("surveys:act", args=[campaign.pk]), {"action": "invite", "count": "0"}
    )
    assert bad.status_code == 422
    slips = client.get(reverse("surveys:slips", args=[campaign.pk])).content.decode()
    assert slips.count("<svg") == 3
    page = client.get(reverse("surveys:detail", args=[campaign.pk])).content.decode()
    assert "Đang nhận phiếu" in page
    assert "0/3 đã trả lời" in page


@pytest.mark.django_db
def test_bad_campaign_dates_are_a_422_with_a_message(principal, templates) -> None:
    today = timezone.localdate()
    response = client_for(principal).post(
        reverse("surveys:create"),
        {
            "template": templates["dich-vu-giao-duc"].pk,
            "title": "Sai ngày",
            "audience": "all_parents",
            "starts_on": today.isoformat(),
            "ends_on": (today - timedelta(days=1)).isoformat(),
            "access": "anonymous",
            "device_limit": "1",
        },
    )
    assert response.status_code == 422
    assert "Ngày kết thúc phải sau" in response.content.decode()
    assert not Campaign.objects.filter(title="Sai ngày").exists()


@pytest.mark.django_db
def test_clerk_sees_results_but_cannot_run_campaigns(clerk, campaign) -> None:
    client = client_for(clerk)
    assert client.get(reverse("surveys:detail", args=[campaign.pk])).status_code == 200
    assert client.get(reverse("surveys:create")).status_code == 403
    response = client.post(reverse("surveys:act", args=[campaign.pk]), {"action": "publish"})
    assert response.status_code == 403
    campaign.refresh_from_db()
    assert not campaign.results_published


@pytest.mark.django_db
def test_colleague_has_no_survey_menu_or_pages(colleague, campaign) -> None:
    client = client_for(colleague)
    assert client.get(reverse("surveys:campaigns")).status_code == 403
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("surveys:campaigns") not in home


@pytest.mark.django_db
def test_commune_officer_sees_the_school_campaign(commune_officer, campaign) -> None:
    client = client_for(commune_officer)
    listing = client.get(reverse("surveys:campaigns")).content.decode()
    assert campaign.title in listing
    assert client.get(reverse("surveys:detail", args=[campaign.pk])).status_code == 200
    assert (
        client.post(reverse("surveys:act", args=[campaign.pk]), {"action": "publish"}).status_code
        == 403
    )


@pytest.mark.django_db
def test_xlsx_keeps_user_text_as_text_and_masks_phones(campaign, clerk, colleague) -> None:
    services.response_submit(
        campaign=campaign,
        answers={
            "respondent": "Học sinh",
            "overall": "4",
            "comment": '=HYPERLINK("http://x.example","bấm") gọi 0912 345 678',
        },
        channel="link",
        device_id="d1",
    )
    content = client_for(clerk).get(reverse("surveys:export", args=[campaign.pk, "xlsx"])).content
    book = load_workbook(io.BytesIO(content))
    raw = book["Phiếu trả lời"]
    header = [c.value for c in raw[1]]
    comment = raw.cell(
        row=2,
        column=header.index("Ý kiến khác. Không ghi họ tên, số điện thoại, số định danh.") + 1,
    )
    assert comment.data_type == "s"
    assert comment.value.startswith("=HYPERLINK")
    assert "0912 345 678" in comment.value  # the clerk may see personal data
    summary = book["Kết quả"]
    assert summary.cell(row=2, column=1).value == "Chung"
    assert summary.cell(row=2, column=10).value == 100


@pytest.mark.django_db
def test_results_page_masks_phone_numbers_for_those_without_personal_data_right(
    campaign, principal, commune_officer
) -> None:
    from cchc.accounts.models import Role
    from tests.factories import StaffFactory

    services.response_submit(
        campaign=campaign,
        answers={"respondent": "Học sinh", "overall": "4", "comment": "Gọi tôi 0912345678 nhé"},
        channel="link",
        device_id="d1",
    )
    head = StaffFactory(unit=campaign.unit, full_name="Đỗ Văn Ban", roles=[Role.INSPECTION_HEAD])
    page = client_for(head).get(reverse("surveys:detail", args=[campaign.pk])).content.decode()
    assert "Gọi tôi [đã ẩn số] nhé" in page
    assert "KTC 95%" in page
    page = client_for(principal).get(reverse("surveys:detail", args=[campaign.pk])).content.decode()
    assert "0912345678" in page


@pytest.mark.django_db
def test_pdf_summary_is_one_real_page(campaign, principal) -> None:
    assert libreoffice_available(), "LibreOffice is required (make test installs it)"
    import subprocess
    import tempfile

    for n, score in enumerate(["5", "4", "4", "2"]):
        services.response_submit(
            campaign=campaign,
            answers={"respondent": "Cha mẹ học sinh", "overall": score},
            channel="link",
            device_id=f"d{n}",
        )
    response = client_for(principal).get(reverse("surveys:export", args=[campaign.pk, "pdf"]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(response.content)
        handle.flush()
        info = subprocess.run(  # noqa: S603 - fixed poppler tool on our own temp file
            ["/usr/bin/pdfinfo", handle.name], capture_output=True, text=True, check=True
        )
        text = subprocess.run(  # noqa: S603
            ["/usr/bin/pdftotext", handle.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    assert re.search(r"^Pages:\s+1$", info.stdout, re.M)
    assert "BÁO CÁO" in text
    assert "75%" in text  # 3 of 4 valid answers satisfied


@pytest.mark.django_db
def test_rating_card_and_template_version_pages(principal, clerk, make_dossier, templates) -> None:
    dossier = make_dossier()
    card = client_for(clerk).get(reverse("surveys:rating_card", args=[dossier.pk]))
    assert card.status_code == 200
    assert services.rating_token(dossier) in card.content.decode()
    template = templates["danh-gia-ho-so"]
    url = reverse("surveys:version", args=[template.pk])
    page = client_for(principal).get(url).content.decode()
    assert "overall | overall | scale | * | Mức độ hài lòng chung" in page
    bad = client_for(principal).post(
        url, {"definition": "x | nowhere | scale | | Câu", "note": "thử"}
    )
    assert bad.status_code == 422
    assert "nhóm câu hỏi không hợp lệ" in bad.content.decode()
    good = client_for(principal).post(
        url,
        {"definition": "overall | overall | scale | * | Hài lòng chung?", "note": "Rút gọn"},
    )
    assert good.status_code == 302
    assert template.current_version().number == 2
    assert client_for(clerk).post(url, {"definition": "x", "note": "y"}).status_code == 403


@pytest.mark.django_db
def test_staff_survey_mails_each_person_a_private_link_once(
    principal, colleague, templates, smtp_server, django_capture_on_commit_callbacks
) -> None:
    from cchc.surveys.tests.conftest import make_campaign

    principal.email = "trang@thcs.edu.vn"
    principal.save()
    colleague.email = "loi@thcs.edu.vn"
    colleague.save()
    campaign = make_campaign(
        principal,
        principal.unit,
        templates["dich-vu-giao-duc"],
        title="Khảo sát cán bộ, giáo viên",
        audience="staff",
        access="token",
    )
    url = reverse("surveys:act", args=[campaign.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(principal).post(url, {"action": "email_staff"})
    assert response.status_code == 302
    assert smtp_server.received.wait(5)
    recipients = sorted(to for _, tos in smtp_server.envelopes for to in tos)
    assert recipients == ["loi@thcs.edu.vn", "trang@thcs.edu.vn"]
    tokens = {i.token for i in campaign.invitations.all()}
    bodies = [m.get_content() for m in smtp_server.messages]
    assert all(sum(t in body for t in tokens) == 1 for body in bodies)
    again = client_for(principal).post(url, {"action": "email_staff"})
    assert again.status_code == 422
    assert "đã gửi thư mời" in again.content.decode()
    assert campaign.invitations.count() == 2


@pytest.mark.django_db
def test_a_template_without_questions_gives_a_campaign_a_clear_refusal(principal, school) -> None:
    """A template made without any question version (e.g. in the admin) cannot start a
    campaign: a Vietnamese 422-style error on the template, not a database error."""
    empty = SurveyTemplate.objects.create(
        unit=school, key="trong", name="Mẫu chưa có câu hỏi", purpose=Purpose.OTHER
    )
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.campaign_create(
            actor=principal.user,
            unit=school,
            template=empty,
            title="Khảo sát thử",
            audience="all_parents",
            starts_on=today,
            ends_on=today + timedelta(days=7),
        )
    assert refused.value.message_dict == {"template": ["Mẫu phiếu chưa có bộ câu hỏi nào."]}
    assert not Campaign.objects.filter(template=empty).exists()


@pytest.mark.django_db
def test_results_tables_name_the_interval_once(campaign, principal) -> None:
    """QA walk: a cell under the "KTC 95%" header (or labelled "KTC 95%" on a phone) repeated
    "KTC 95%: …". The cells give the range only; the running text keeps the name."""
    for n, score in enumerate(["5", "4", "4", "2"]):
        services.response_submit(
            campaign=campaign,
            answers={"respondent": "Cha mẹ học sinh", "overall": score},
            channel="link",
            device_id=f"d{n}",
        )
    page = client_for(principal).get(reverse("surveys:detail", args=[campaign.pk])).content.decode()
    cells = re.findall(r'<td data-label="KTC 95%">([^<]*)</td>', page)
    measured = [cell for cell in cells if cell]  # a question nobody answered has no interval
    assert measured  # the group, question and breakdown tables each have the column
    assert all(re.fullmatch(r"\d+(,\d+)?–\d+(,\d+)?%", cell) for cell in measured), cells
    overall = page.split('id="overall-rate"')[1].split("</p>")[0]
    assert overall.count("KTC 95%: ") == 1
