"""Every error answers in Vietnamese, never with an empty body: the site's page for a person,
a short text for htmx, JSON for the API (QA walk: a 405 came back blank)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.fixtures import client_for

SITE_PAGE = 'class="site-header"'


@pytest.mark.django_db
def test_get_on_a_post_only_address_is_a_vietnamese_page(principal) -> None:
    response = client_for(principal).get(reverse("accounts:logout"))

    body = response.content.decode()
    assert response.status_code == 405
    assert response["Allow"].startswith("POST")  # the status still says what is allowed
    assert SITE_PAGE in body
    assert '<html lang="vi">' in body
    assert "Thao tác không thực hiện được theo cách này" in body


@pytest.mark.django_db
def test_post_on_a_page_that_only_shows_is_a_vietnamese_page(principal) -> None:
    response = client_for(principal).post(reverse("kpi:overview"), {"x": "1"})

    assert response.status_code == 405
    assert "không nhận yêu cầu theo cách vừa gửi" in response.content.decode()


@pytest.mark.django_db
def test_a_public_page_answers_a_wrong_method_in_vietnamese(citizen) -> None:
    lookup = citizen.put(reverse("portal:lookup"))
    procedures = citizen.delete(reverse("portal:procedures"))

    for response in (lookup, procedures):
        assert response.status_code == 405
        assert SITE_PAGE in response.content.decode()


@pytest.mark.django_db
def test_htmx_gets_a_short_text_and_the_api_keeps_json(principal) -> None:
    client = client_for(principal)

    fragment = client.get(reverse("accounts:logout"), headers={"HX-Request": "true"})
    api = client.delete("/api/v1/units")

    assert fragment.status_code == 405
    assert fragment["Content-Type"].startswith("text/plain")
    assert fragment.content.decode().startswith("Địa chỉ này không nhận yêu cầu")
    assert api.status_code == 405
    assert api.json()["detail"].startswith("Địa chỉ này không nhận yêu cầu")


@pytest.mark.django_db
def test_a_stale_form_without_its_csrf_token_is_a_vietnamese_403(principal) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(principal.user)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 403
    assert SITE_PAGE in response.content.decode()
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


@pytest.mark.django_db
def test_the_other_refusals_have_a_body_too(principal, colleague, citizen) -> None:
    staff = client_for(principal)

    answers = {
        400: citizen.get(reverse("portal:procedures"), {"q": "a\x00b"}),
        403: client_for(colleague).get(reverse("organizations:staff_new")),
        404: staff.get("/quan-ly/khong-co-trang-nay/"),
        422: staff.post(reverse("workdays:rules"), {"cutoff": "không phải giờ"}),
    }

    for status, response in answers.items():
        assert response.status_code == status, status
        assert SITE_PAGE in response.content.decode(), status


@pytest.mark.django_db
def test_head_keeps_its_empty_body(principal) -> None:
    response = client_for(principal).head(reverse("accounts:logout"))

    assert response.status_code == 405
    assert response.content == b""
