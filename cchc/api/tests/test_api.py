from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from cchc.accounts.services import api_token_create, api_token_revoke
from cchc.core.models import AuditEvent
from tests.fixtures import client_for


@pytest.mark.django_db
def test_openapi_schema_is_served(citizen) -> None:
    schema = citizen.get("/api/v1/openapi.json").json()

    assert "/api/v1/units/{unit_id}/staff" in schema["paths"]


@pytest.mark.django_db
def test_anonymous_gets_401_in_vietnamese(citizen) -> None:
    response = citizen.get("/api/v1/units")

    assert response.status_code == 401
    assert response.json()["detail"] == "Chưa đăng nhập hoặc mã truy cập không hợp lệ."


@pytest.mark.django_db
def test_bearer_token_authenticates_and_is_audited(principal, school) -> None:
    _, raw = api_token_create(user=principal.user, name="Tích hợp thử", second_factor_passed=True)

    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 200
    assert response.json()["unit"]["code"] == school.code
    assert "principal" in response.json()["roles"]
    assert AuditEvent.objects.filter(verb="api_token.create", unit=school).exists()


@pytest.mark.django_db
def test_revoked_or_wrong_token_is_401(principal) -> None:
    token, raw = api_token_create(user=principal.user, name="Tạm", second_factor_passed=True)
    api_token_revoke(token=token, actor=principal.user)

    revoked = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    wrong = Client().get("/api/v1/me", headers={"Authorization": "Bearer cchc_khongdung"})

    assert revoked.status_code == 401
    assert wrong.status_code == 401


@pytest.mark.django_db
def test_malformed_id_is_422_in_vietnamese(principal) -> None:
    response = client_for(principal).get("/api/v1/units/abc")

    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "Dữ liệu gửi lên không hợp lệ."
    assert body["errors"][0]["message"] == "phải là số nguyên"


@pytest.mark.django_db
def test_staff_api_hides_phones_from_teachers(principal, colleague, school) -> None:
    url = f"/api/v1/units/{school.pk}/staff"

    as_teacher = client_for(colleague).get(url).json()
    as_principal = client_for(principal).get(url).json()

    assert {p["phone"] for p in as_teacher} == {None}
    assert colleague.phone in {p["phone"] for p in as_principal}


@pytest.mark.django_db
def test_unknown_api_path_is_404_json(principal) -> None:
    response = client_for(principal).get("/api/v1/khong-co/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"].startswith("Trang hoặc dữ liệu bạn tìm không tồn tại")


@pytest.mark.django_db
def test_api_token_command_prints_token_once(principal, capsys) -> None:
    TOTPDevice.objects.create(user=principal.user, name="Điện thoại", confirmed=True)
    call_command("api_token", "create", "--user", "hieutruong", "--name", "Cổng tỉnh")

    raw = capsys.readouterr().out.strip().splitlines()[-1]
    assert raw.startswith("cchc_")
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
