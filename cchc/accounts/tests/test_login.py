from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cchc.accounts.models import Role, RoleSecurityPolicy
from cchc.accounts.services import otp_enrolment_code_issue
from tests.fixtures import PASSWORD, client_for

LOGIN = "/tai-khoan/dang-nhap/"


@pytest.mark.django_db
def test_principal_logs_in_and_lands_on_her_school(principal, school) -> None:
    client = Client()

    response = client.post(LOGIN, {"username": "hieutruong", "password": PASSWORD}, follow=True)

    assert response.status_code == 200
    assert school.name in response.content.decode()


@pytest.mark.django_db
def test_wrong_password_is_401_with_vietnamese_message(principal) -> None:
    response = Client().post(LOGIN, {"username": "hieutruong", "password": "sai-mat-khau"})

    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()


@pytest.mark.django_db
def test_repeated_failures_lock_the_account(principal, settings) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "hieutruong", "password": "sai"})

    response = client.post(LOGIN, {"username": "hieutruong", "password": PASSWORD})

    assert response.status_code == 403
    assert "tạm thời bị khóa" in response.content.decode()


@pytest.mark.django_db
def test_logout_requires_post_and_ends_the_session(principal) -> None:
    client = client_for(principal)

    assert client.get("/tai-khoan/dang-xuat/").status_code == 405
    client.post("/tai-khoan/dang-xuat/")

    assert client.get(reverse("core:home")).status_code == 302


@pytest.mark.django_db
def test_role_that_requires_totp_must_pair_then_verify(principal, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong try below would otherwise delay the right one
    RoleSecurityPolicy.objects.create(role=Role.PRINCIPAL, requires_otp=True)
    client = Client()
    client.post(LOGIN, {"username": "hieutruong", "password": PASSWORD})

    blocked = client.get(reverse("organizations:unit_list"))
    assert blocked.status_code == 302
    assert "xac-thuc-hai-lop" in blocked["Location"]
    first = client.get(reverse("accounts:otp_setup"))
    assert "<svg" not in first.content.decode()  # no QR code before the admin's enrolment code
    code = otp_enrolment_code_issue(actor=None, user=principal.user)
    client.post(reverse("accounts:otp_setup"), {"code": code})
    setup = client.get(reverse("accounts:otp_setup"))
    assert "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=principal.user)
    wrong = client.post(reverse("accounts:otp_setup"), {"token": "000000"})
    assert wrong.status_code == 422
    assert "không đúng" in wrong.content.decode()

    client.post(reverse("accounts:otp_setup"), {"token": f"{totp(device.bin_key):06d}"})

    assert client.get(reverse("organizations:unit_list")).status_code == 200
    assert TOTPDevice.objects.get(pk=device.pk).confirmed


@pytest.mark.django_db
def test_role_without_policy_needs_no_totp(colleague) -> None:
    RoleSecurityPolicy.objects.create(role=Role.PRINCIPAL, requires_otp=True)

    response = client_for(colleague).get(reverse("organizations:unit_list"))

    assert response.status_code == 200


@pytest.mark.django_db
def test_password_reset_mail_goes_through_real_smtp(principal, smtp_server) -> None:
    principal.user.email = "trang@truong.example"
    principal.user.save()

    response = Client().post(reverse("accounts:password_reset"), {"email": "trang@truong.example"})

    assert response.status_code == 302
    assert smtp_server.received.wait(5)
    message = smtp_server.messages[0]
    assert message["Subject"].strip() == "Đặt lại mật khẩu hệ thống CCHC"
    assert "/tai-khoan/dat-lai-mat-khau/" in message.get_content()
    assert smtp_server.envelopes[0][1] == ["trang@truong.example"]
