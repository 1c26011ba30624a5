"""Accounts hardening (issue 10 items 7, 8, 9): password reset that reveals nothing and is
throttled, lock-out per client address across usernames, enrolment codes for the first
authenticator, API tokens only after the second factor, expiring and revocable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cchc.accounts import services
from cchc.accounts.models import ApiToken, Role, RoleSecurityPolicy
from tests.factories import StaffFactory
from tests.fixtures import PASSWORD, client_for

LOGIN = "/tai-khoan/dang-nhap/"
RESET = "/tai-khoan/quen-mat-khau/"


# ---------------------------------------------------------------- password reset


@pytest.mark.django_db
def test_reset_does_the_same_work_for_a_known_and_an_unknown_address(principal, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    principal.user.email = "hieutruong@truong.edu.vn"
    principal.user.save()
    answers, queries = [], []
    for email in ("hieutruong@truong.edu.vn", "khong-ai@truong.edu.vn"):
        with CaptureQueriesContext(connection) as captured:
            answers.append(Client().post(RESET, {"email": email}))
        queries.append([q["sql"].split(" ")[0] for q in captured.captured_queries])

    assert [a.status_code for a in answers] == [302, 302]
    assert answers[0]["Location"] == answers[1]["Location"]
    assert queries[0] == queries[1]  # no user look-up on the page: the worker does it
    assert not any("accounts_user" in q for q in queries[0])
    assert len(default_task_backend.results) == 2
    default_task_backend.clear()


@pytest.mark.django_db
def test_twenty_resets_in_a_row_send_at_most_the_limit(principal, smtp_server, settings):
    settings.PASSWORD_RESET_PER_ADDRESS = 3
    principal.user.email = "hieutruong@truong.edu.vn"
    principal.user.save()
    client = Client()

    answers = [client.post(RESET, {"email": "hieutruong@truong.edu.vn"}) for _ in range(20)]

    assert {a.status_code for a in answers} == {302}
    assert len(smtp_server.messages) == 3
    assert "dat-lai-mat-khau" in smtp_server.messages[0].get_content()


@pytest.mark.django_db
def test_one_client_cannot_reset_many_addresses(db, smtp_server, settings):
    settings.PASSWORD_RESET_PER_CLIENT = 4
    for n in range(8):
        StaffFactory(full_name=f"Người {n}", user__email=f"nguoi{n}@truong.edu.vn")
    client = Client()

    for n in range(8):
        client.post(RESET, {"email": f"nguoi{n}@truong.edu.vn"})

    assert len(smtp_server.messages) == 4


# ---------------------------------------------------------------- lock-out per client


@pytest.mark.django_db
def test_one_address_cannot_try_a_few_passwords_on_every_account(settings, school):
    settings.LOGIN_FAILURES_PER_CLIENT = 6
    people = [StaffFactory(unit=school, user__username=f"nguoi{n}") for n in range(5)]
    client = Client()

    # Two wrong passwords per account: under django-axes' per-account limit (3 in tests).
    tries = [
        client.post(LOGIN, {"username": p.user.username, "password": "sai"}).status_code
        for p in people[:3]
        for _ in range(2)
    ]
    right = client.post(LOGIN, {"username": people[4].user.username, "password": PASSWORD})
    elsewhere = Client(REMOTE_ADDR="10.0.0.9").post(
        LOGIN, {"username": people[4].user.username, "password": PASSWORD}
    )

    assert tries == [401] * 6
    assert right.status_code == 403
    assert "tạm thời bị khóa" in right.content.decode()
    assert elsewhere.status_code == 302  # another client is not affected


# ---------------------------------------------------------------- enrolment codes


@pytest.fixture
def otp_required(principal, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    RoleSecurityPolicy.objects.create(role=Role.PRINCIPAL, requires_otp=True)
    client = Client()
    client.post(LOGIN, {"username": principal.user.username, "password": PASSWORD})
    return client


@pytest.mark.django_db
def test_password_alone_cannot_pair_an_authenticator(otp_required, principal):
    client = otp_required
    device = services.otp_device_get_or_create(user=principal.user)

    page = client.get(reverse("accounts:otp_setup"))
    forced = client.post(reverse("accounts:otp_setup"), {"token": f"{totp(device.bin_key):06d}"})
    wrong = client.post(reverse("accounts:otp_setup"), {"code": "AAAAAA-BBBBBB-CCCCCC"})

    assert "<svg" not in page.content.decode()
    assert "mã kích hoạt" in page.content.decode().lower()
    assert forced.status_code == 422  # the token is not even looked at without a code
    assert wrong.status_code == 422
    assert "không đúng, đã dùng hoặc đã hết hạn" in wrong.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    with pytest.raises(PermissionDenied):
        services.otp_device_confirm(device=device, actor=principal.user)


@pytest.mark.django_db
def test_enrolment_code_pairs_once_with_a_fresh_secret(otp_required, principal):
    client = otp_required
    device = services.otp_device_get_or_create(user=principal.user)
    seen_before = device.key
    code = services.otp_enrolment_code_issue(actor=None, user=principal.user)

    client.post(reverse("accounts:otp_setup"), {"code": code.lower()})
    device.refresh_from_db()
    client.post(reverse("accounts:otp_setup"), {"token": f"{totp(device.bin_key):06d}"})

    assert device.key != seen_before  # a QR code shown earlier is worthless
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("organizations:unit_list")).status_code == 200
    assert services.otp_enrolment_code_find(user=principal.user, raw=code) is None  # used


@pytest.mark.django_db
def test_expired_enrolment_code_is_refused(principal):
    code = services.otp_enrolment_code_issue(actor=None, user=principal.user)
    principal.user.otp_codes.update(expires_at=timezone.now() - timedelta(minutes=1))

    assert services.otp_enrolment_code_find(user=principal.user, raw=code) is None


# ---------------------------------------------------------------- API tokens


@pytest.mark.django_db
def test_token_needs_the_second_factor(principal):
    page = client_for(principal).post(reverse("accounts:tokens"), {"name": "Cổng tỉnh"})

    assert page.status_code == 403
    assert "sau khi đã xác thực hai lớp" in page.content.decode()
    assert not ApiToken.objects.exists()
    with pytest.raises(PermissionDenied):
        services.api_token_create(user=principal.user, name="x", second_factor_passed=False)


def _verified_client(staff) -> Client:
    """A session that passed the second factor, as after otp_verify."""
    from django_otp import DEVICE_ID_SESSION_KEY

    device = TOTPDevice.objects.create(user=staff.user, name="Điện thoại", confirmed=True)
    client = client_for(staff)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.mark.django_db
def test_token_created_after_second_factor_expires_and_is_revocable(principal, settings):
    settings.API_TOKEN_DAYS = 30
    client = _verified_client(principal)

    created = client.post(reverse("accounts:tokens"), {"name": "Cổng tỉnh"})
    raw = created.context["raw"]
    token = ApiToken.objects.get()
    works = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    revoked = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    assert raw.startswith("cchc_")
    assert 29 <= (token.expires_at - timezone.now()).days <= 30
    assert works.status_code == 200
    assert revoked.status_code == 401
    assert ApiToken.objects.get().revoked_at is not None


@pytest.mark.django_db
def test_expired_token_is_401(principal):
    token, raw = services.api_token_create(
        user=principal.user, name="Cũ", second_factor_passed=True
    )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 401


@pytest.mark.django_db
def test_nobody_revokes_another_persons_token(principal, colleague):
    token, _ = services.api_token_create(
        user=principal.user, name="Của hiệu trưởng", second_factor_passed=True
    )

    response = client_for(colleague).post(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None
