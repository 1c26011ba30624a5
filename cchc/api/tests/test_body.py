"""A body that is empty or not a JSON object is answered as such (400, Vietnamese), on every
endpoint that reads one, instead of "thiếu trường bắt buộc" for each field (QA walk)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from cchc.api.api import api
from cchc.api.body import EMPTY, NOT_JSON, NOT_OBJECT

BAD_BODIES = [(b"", EMPTY), (b"   ", EMPTY), (b"null", NOT_OBJECT), (b"[1, 2]", NOT_OBJECT)]
BAD_BODIES += [(b"123", NOT_OBJECT), (b'"abc"', NOT_OBJECT)]


def _json_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation whose request body is JSON, path ids set to 1."""
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                found.append((method, re.sub(r"\{[^}]+\}", "1", path)))
    return found


@pytest.mark.django_db
@pytest.mark.parametrize(("body", "message"), BAD_BODIES)
def test_a_body_that_is_no_json_object_is_refused_as_such(principal, body, message) -> None:
    client = Client()
    client.force_login(principal.user)

    for path in ("/api/v1/feedback", "/api/v1/public/feedback", "/api/v1/dossiers"):
        response = client.post(path, body, content_type="application/json")

        assert response.status_code == 400, (path, response.content)
        assert response.json() == {"detail": message}


@pytest.mark.django_db
def test_text_that_is_not_json_is_refused_in_vietnamese(principal) -> None:
    client = Client()
    client.force_login(principal.user)

    response = client.post("/api/v1/feedback", b"abc", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["detail"].startswith(NOT_JSON)


@pytest.mark.django_db
def test_no_endpoint_answers_an_empty_body_field_by_field(principal) -> None:
    client = Client()
    client.force_login(principal.user)
    answered = 0

    for method, path in _json_operations():
        response = getattr(client, method)(path, b"", content_type="application/json")

        assert response.status_code != 422, (method, path, response.content)
        if response.status_code == 400:
            assert response.json()["detail"] == EMPTY, (method, path)
            answered += 1
    assert answered >= 5  # the rest refused first (403, or 404 for the made-up id 1)


@pytest.mark.django_db
def test_an_object_with_a_missing_field_still_names_the_field(principal) -> None:
    client = Client()
    client.force_login(principal.user)

    response = client.post("/api/v1/public/feedback", {}, content_type="application/json")

    assert response.status_code == 422
    assert {"field": "payload.content", "message": "thiếu trường bắt buộc"} in response.json()[
        "errors"
    ]
