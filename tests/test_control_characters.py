"""NUL and other control characters are refused in one place, with a Vietnamese 400 (issue 10
item 2). PostgreSQL cannot store or compare a string with NUL, so before this each page that
forgot to check answered 500 there; here the same requests go to public pages, staff pages,
forms and the API, on whichever database the suite runs."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.fixtures import client_for

MESSAGE = "ký tự điều khiển không hợp lệ"


def _assert_refused(response, *, json: bool = False) -> None:
    if json:  # the API's shape for invalid input: 422 with the field named
        assert response.status_code == 422, response.content[:300]
        assert MESSAGE in response.json()["message"]
        assert response.json()["errors"][0]["message"] == "chứa ký tự không hợp lệ (NUL)"
    else:
        assert response.status_code == 400, response.content[:300]
        assert MESSAGE in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/thu-tuc/?q=%00",
        "/don-vi/%00/",
        "/tra-cuu/?ma=%00abc",
        "/tra-cuu/abc%00/",
        "/?x=%01",
    ],
)
def test_public_pages_refuse_control_characters(school, url) -> None:
    _assert_refused(Client(raise_request_exception=False).get(url))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/quan-ly/ho-so/?q=%00", "/quan-ly/ho-so/so-theo-doi/?q=a%00b", "/quan-ly/nhat-ky/?nguoi=%00"],
)
def test_staff_search_and_filters_refuse_nul(principal, url) -> None:
    client = client_for(principal)
    client.raise_request_exception = False
    _assert_refused(client.get(url))


@pytest.mark.django_db
def test_api_query_and_json_body_refuse_nul(principal, school) -> None:
    client = client_for(principal)
    client.raise_request_exception = False

    query = client.get(f"/api/v1/units/{school.pk}/staff?q=%00")
    body = client.post(
        "/api/v1/dossiers",
        {"procedure_id": 1, "applicant_name": "A\u0000B"},
        content_type="application/json",
    )

    _assert_refused(query, json=True)
    _assert_refused(body, json=True)


@pytest.mark.django_db
def test_form_post_refuses_nul_but_keeps_newlines(principal) -> None:
    client = client_for(principal)
    client.raise_request_exception = False
    url = reverse("workdays:override_create")

    refused = client.post(url, {"date": "2026-12-04", "is_working": "0", "reason": "Nghỉ\x00"})
    multiline = "Dòng 1\r\nDòng 2\t"
    kept = client.post(url, {"date": "2026-12-04", "is_working": "0", "reason": multiline})

    _assert_refused(refused)
    assert kept.status_code == 302
