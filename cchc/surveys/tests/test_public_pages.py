"""Public survey pages: status codes and messages for every bad input, no free text published."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from django.urls import reverse

from cchc.surveys import services
from cchc.surveys.models import Response
from cchc.surveys.tests.conftest import RATING

GOOD_FORM = {"q_respondent": "Cha mẹ học sinh", "q_overall": "4", "q_safety": "5"}


def _page(response) -> str:
    return response.content.decode()


@pytest.mark.django_db
def test_parent_answers_by_link_once_per_device(campaign) -> None:
    client = Client()
    url = reverse("portal:survey_take", args=[campaign.public_key])
    page = client.get(url)
    assert page.status_code == 200
    assert "Mức độ hài lòng chung với nhà trường" in _page(page)
    assert "cchc_khao_sat" in page.cookies
    done = client.post(url, GOOD_FORM)
    assert done.status_code == 200
    assert "đã được ghi nhận" in _page(done)
    again = client.post(url, GOOD_FORM)
    assert again.status_code == 409
    assert "Thiết bị này đã gửi phiếu" in _page(again)
    assert Response.objects.count() == 1
    reopened = client.get(url)  # the poster's QR scanned again: thanked, not asked again
    assert reopened.status_code == 409
    assert "Thiết bị này đã gửi phiếu" in _page(reopened)
    assert 'name="q_overall"' not in _page(reopened)


@pytest.mark.django_db
def test_missing_and_out_of_range_answers_are_shown_on_the_form(campaign) -> None:
    client = Client()
    url = reverse("portal:survey_take", args=[campaign.public_key])
    client.get(url)
    page = client.post(url, {"q_overall": "7", "q_safety": "4", "segment": "lớp tám"})
    assert page.status_code == 422
    assert "Lớp ghi như 6A" in _page(page)
    page = client.post(url, {"q_overall": "7", "q_safety": "4"})
    assert page.status_code == 422
    text = _page(page)
    assert "còn 2 câu cần xem lại" in text
    assert "Câu này bắt buộc" in text
    assert "chỉ chọn từ 1" in text
    assert 'value="4" checked' in text  # what was answered is kept
    assert Response.objects.count() == 0


@pytest.mark.django_db
def test_flooding_from_one_address_is_stopped(campaign) -> None:
    url = reverse("portal:survey_take", args=[campaign.public_key])
    if time.time() % 60 > 50:  # the limit counts per clock minute: start inside one
        time.sleep(61 - time.time() % 60)
    statuses = []
    for _ in range(8):
        client = Client()  # a fresh cookie each time: only the address limit is left
        client.get(url)
        statuses.append(client.post(url, GOOD_FORM).status_code)
    assert statuses == [200] * 6 + [429, 429]
    assert Response.objects.count() == 6


@pytest.mark.django_db
def test_closed_campaign_page(campaign, principal) -> None:
    services.campaign_set_status(actor=principal.user, campaign=campaign, status="closed")
    client = Client()
    url = reverse("portal:survey_take", args=[campaign.public_key])
    assert client.get(url).status_code == 410
    response = client.post(url, GOOD_FORM)
    assert response.status_code == 410
    assert "không nhận phiếu" in _page(response)


@pytest.mark.django_db
def test_invitation_link_answers_once(token_campaign, principal) -> None:
    invitation = services.invitations_issue(actor=principal.user, campaign=token_campaign, count=1)[
        0
    ]
    client = Client()
    url = reverse("portal:survey_invitation", args=[invitation.token])
    assert client.get(url).status_code == 200
    assert client.post(url, GOOD_FORM).status_code == 200
    assert client.get(url).status_code == 409
    assert Client().post(url, GOOD_FORM).status_code == 409
    assert client.get(reverse("portal:survey_invitation", args=["x" * 16])).status_code == 404
    # The campaign's plain link does not bypass the tokens.
    assert (
        client.get(reverse("portal:survey_take", args=[token_campaign.public_key])).status_code
        == 403
    )


@pytest.mark.django_db
def test_rating_page_for_a_dossier(make_dossier) -> None:
    dossier = make_dossier()
    url = reverse("portal:survey_rate", args=[services.rating_token(dossier)])
    assert services.survey_rating_link_for_dossier(dossier).endswith(url)
    client = Client()
    page = client.get(url)
    assert page.status_code == 200
    assert dossier.code in _page(page)
    form = {f"q_{k}": v for k, v in RATING.items()}
    assert client.post(url, form).status_code == 200
    assert client.get(url).status_code == 409
    assert client.get("/danh-gia/abc:def/").status_code == 404
    waiting = make_dossier(done=False)
    page = client.get(reverse("portal:survey_rate", args=[services.rating_token(waiting)]))
    assert page.status_code == 409
    assert "sau khi nhận kết quả" in _page(page)


@pytest.mark.django_db
def test_published_results_hold_no_free_text(campaign, principal) -> None:
    secret = "Cô Nguyễn Thị Lan lớp 8A, SĐT 0912345678"
    for n in range(6):
        services.response_submit(
            campaign=campaign,
            answers={"respondent": "Học sinh", "overall": "5", "comment": secret},
            channel="link",
            device_id=f"d{n}",
            segment="8A" if n < 5 else "9B",
        )
    url = reverse("portal:survey_results", args=[campaign.public_key])
    assert Client().get(url).status_code == 404  # not published yet
    services.campaign_publish(actor=principal.user, campaign=campaign)
    page = Client().get(url)
    assert page.status_code == 200
    text = _page(page)
    assert "100%" in text
    assert "KTC 95%" in text
    assert "<svg" in text
    assert "0912345678" not in text
    assert "Nguyễn Thị Lan" not in text
    assert "Lớp 8A" in text  # 5 answers: shown
    assert "Lớp 9B" not in text  # 1 answer: too few to publish
    listing = Client().get(reverse("portal:survey_results_list"))
    assert campaign.title in _page(listing)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/khao-sat/%00abcdefgh/", "/khao-sat/moi/%00abcdefgh/", "/khao-sat/quay/" + "a" * 40 + "/",
     "/khao-sat/ket-qua/%00/", "/danh-gia/%00:abc/"],
)  # fmt: skip
def test_malformed_keys_are_a_404_not_a_500(db, path) -> None:
    # A NUL is refused before routing by the one control-character guard (400).
    assert Client().get(path).status_code == (400 if "%00" in path else 404)
