"""The API: staff results and raw responses scoped to units; public submit with clear errors."""

from __future__ import annotations

import pytest
from django.test import Client

from cchc.surveys import services
from cchc.surveys.models import Response
from cchc.surveys.tests.conftest import RATING
from tests.fixtures import client_for


def _post(client: Client, url: str, body: dict):
    return client.post(url, body, content_type="application/json")


@pytest.mark.django_db
def test_public_submit_and_its_errors(campaign) -> None:
    client = Client()
    url = f"/api/v1/public/surveys/{campaign.public_key}/responses"
    good = {"answers": {"respondent": "Học sinh", "overall": 5, "safety": "khong-y-kien"}}
    created = _post(client, url, {**good, "device_id": "app-device-1"})
    assert created.status_code == 201, created.content
    again = _post(client, url, {**good, "device_id": "app-device-1"})
    assert again.status_code == 409
    assert "Thiết bị này đã gửi phiếu" in again.json()["detail"]
    out_of_range = _post(
        client, url, {"answers": {"respondent": "Học sinh", "overall": 9}, "device_id": "x" * 20}
    )
    assert out_of_range.status_code == 422
    assert "overall" in out_of_range.json()["detail"]
    unknown = _post(client, url, {"answers": {**good["answers"], "hack": 1}, "device_id": "y" * 20})
    assert unknown.status_code == 422
    assert "hack" in unknown.json()["detail"]
    nul = _post(client, url, {"answers": {"comment": "a\x00b"}, "device_id": "z" * 20})
    assert nul.status_code == 422
    assert _post(client, "/api/v1/public/surveys/nope/responses", good).status_code == 404
    assert Response.objects.count() == 1


@pytest.mark.django_db
def test_public_rating_by_token(make_dossier) -> None:
    dossier = make_dossier()
    body = {"token": services.rating_token(dossier), "answers": RATING}
    assert _post(Client(), "/api/v1/public/dossier-ratings", body).status_code == 201
    assert _post(Client(), "/api/v1/public/dossier-ratings", body).status_code == 409
    forged = {"token": "X:Y", "answers": RATING}
    assert _post(Client(), "/api/v1/public/dossier-ratings", forged).status_code == 422


@pytest.mark.django_db
def test_staff_results_and_responses_are_scoped(campaign, clerk, outsider, principal) -> None:
    services.response_submit(
        campaign=campaign,
        answers={"respondent": "Học sinh", "overall": "4", "comment": "Số tôi 0987654321"},
        channel="link",
        device_id="d1",
    )
    results = client_for(clerk).get(f"/api/v1/surveys/campaigns/{campaign.pk}/results").json()
    assert results["overall"]["rate"] == 100.0
    assert results["overall"]["valid"] == 1
    assert results["overall"]["interval_low"] == pytest.approx(20.65, abs=0.01)
    listing = client_for(clerk).get("/api/v1/surveys/campaigns").json()
    assert [c["id"] for c in listing] == [campaign.pk]
    assert (
        client_for(outsider).get(f"/api/v1/surveys/campaigns/{campaign.pk}/results").status_code
        == 404
    )
    assert client_for(outsider).get("/api/v1/surveys/campaigns").json() == []
    rows = client_for(clerk).get(f"/api/v1/surveys/campaigns/{campaign.pk}/responses").json()
    assert {"question": "overall", "value": 4} in rows[0]["answers"]


@pytest.mark.django_db
def test_public_results_only_when_published_and_without_text(campaign, principal) -> None:
    services.response_submit(
        campaign=campaign,
        answers={"respondent": "Học sinh", "overall": "4", "comment": "Thầy Hùng 0987654321"},
        channel="link",
        device_id="d1",
    )
    url = f"/api/v1/public/surveys/{campaign.public_key}/results"
    assert Client().get(url).status_code == 404
    services.campaign_publish(actor=principal.user, campaign=campaign)
    response = Client().get(url)
    assert response.status_code == 200
    assert "0987654321" not in response.content.decode()
    assert "Hùng" not in response.content.decode()
