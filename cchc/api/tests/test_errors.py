"""The API's error answers are JSON in Vietnamese and documented (issue 10 item 3)."""

from __future__ import annotations

import pytest
from django.test import Client

from cchc.api.api import api


@pytest.mark.django_db
@pytest.mark.parametrize("header", [None, "Bearer cchc_khongdung", "Bearer ", "Basic abc"])
def test_write_with_bad_or_missing_token_is_401_json(header) -> None:
    client = Client(enforce_csrf_checks=True)
    headers = {"Authorization": header} if header else {}

    response = client.post(
        "/api/v1/dossiers", {"procedure_id": 1}, content_type="application/json", headers=headers
    )

    assert response.status_code == 401
    assert response.json()["detail"] == "Chưa đăng nhập hoặc mã truy cập không hợp lệ."


@pytest.mark.django_db
def test_signed_in_write_without_csrf_is_still_refused(principal) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(principal.user)

    response = client.post("/api/v1/dossiers", {}, content_type="application/json")

    assert response.status_code == 403


@pytest.mark.django_db
def test_a_crash_under_api_answers_json_500(principal, monkeypatch) -> None:
    def crash(*args, **kwargs):
        raise RuntimeError("simulated bug")

    # A real bug anywhere behind the view: the selector the route calls blows up.
    monkeypatch.setattr("cchc.api.organizations.selectors.unit_list_for_user", crash)
    client = Client(raise_request_exception=False)
    client.force_login(principal.user)

    response = client.get("/api/v1/units")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"] == "Đã xảy ra lỗi hệ thống; hãy thử lại sau."


def test_openapi_documents_error_responses() -> None:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            expected = {"422", "500"}
            expected |= {"401", "403"} if operation.get("security") else {"429"}
            if "{" in path or operation.get("security"):
                expected.add("404")
            if method != "get":
                expected.add("409")
            missing = expected - codes
            assert not missing, f"{method.upper()} {path} lacks {sorted(missing)}"


@pytest.mark.django_db
def test_a_refused_public_call_says_the_wait_its_retry_after_gives(settings) -> None:
    settings.CCHC_PUBLIC_RATE_PER_MINUTE = 2
    client = Client()
    for _ in range(2):
        assert client.get("/api/v1/public/dossiers/KHONG-CO").status_code == 404

    refused = client.get("/api/v1/public/dossiers/KHONG-CO")

    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 58 <= wait <= 60  # the two it counts leave the window a minute after they came
    assert refused.json()["detail"] == f"Quá nhiều yêu cầu. Vui lòng thử lại sau {wait} giây."
