"""The feedback API: staff intake and actions scoped to units, public submission with the form's
checks, and bad input answered 4xx in Vietnamese."""

from __future__ import annotations

import json

import pytest

from cchc.feedback.models import Feedback
from cchc.feedback.tests.conftest import SENDER
from tests.fixtures import client_for


@pytest.fixture(autouse=True)
def _home(settings, school) -> None:
    settings.CCHC_HOME_UNIT = school.code


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_public_post_records_and_returns_tracking(citizen) -> None:
    response = _post(citizen, "/api/v1/public/feedback", dict(SENDER))

    assert response.status_code == 201
    data = response.json()
    item = Feedback.objects.get()
    assert data["tracking_code"] == item.tracking_code
    assert item.access_key in data["track_url"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "status", "text"),
    [
        ({"content": ""}, 422, "Hãy nhập nội dung"),
        ({"content": "Ω≈ç√∫˜µ≤≥÷ Ω≈ç√∫˜µ≤≥÷ Ω≈ç√"}, 422, "tiếng Việt"),
        ({"content": "a\x00b"}, 422, "NUL"),
        ({"content": "x" * 7000}, 422, "quá dài"),
        ({"sender_email": "sai"}, 422, "thư điện tử"),
        ({"website": "http://spam.example"}, 400, "Không gửi được"),
        ({"unit_code": "KHONG-CO"}, 422, "unit_code"),
    ],
)
def test_public_post_bad_input(citizen, change, status, text) -> None:
    response = _post(citizen, "/api/v1/public/feedback", {**SENDER, **change})

    assert response.status_code == status
    assert text in json.dumps(response.json(), ensure_ascii=False)
    assert not Feedback.objects.exists()


@pytest.mark.django_db
def test_public_post_is_rate_limited(citizen) -> None:
    # One sliding window of 5 slots (cchc.core.ratelimit.take_slot).
    codes = [_post(citizen, "/api/v1/public/feedback", dict(SENDER)).status_code for _ in "123456"]

    assert codes[-1] == 429
    assert Feedback.objects.count() == 5


@pytest.mark.django_db
def test_staff_flow_over_the_api(clerk, principal, colleague, outsider) -> None:
    created = _post(
        client_for(clerk),
        "/api/v1/feedback",
        {**SENDER, "channel": "national_portal", "external_code": "PAKN-001"},
    )
    pk = created.json()["id"]
    duplicate = _post(
        client_for(clerk),
        "/api/v1/feedback",
        {**SENDER, "channel": "national_portal", "external_code": "PAKN-001"},
    )
    classified = _post(
        client_for(clerk),
        f"/api/v1/feedback/{pk}/actions",
        {
            "action": "classify",
            "version": 1,
            "classification": "competent",
            "assignee_id": colleague.pk,
        },
    )
    stale = _post(
        client_for(clerk),
        f"/api/v1/feedback/{pk}/actions",
        {"action": "request_info", "version": 1, "note": "Thêm"},
    )
    teacher_view = client_for(colleague).get(f"/api/v1/feedback/{pk}").json()
    outsider_get = client_for(outsider).get(f"/api/v1/feedback/{pk}")
    teacher_approve = _post(
        client_for(colleague),
        f"/api/v1/feedback/{pk}/actions",
        {"action": "approve", "version": classified.json()["version"]},
    )

    assert created.status_code == 201
    assert duplicate.status_code == 409
    assert classified.json()["status"] == "assigned"
    assert stale.status_code == 409
    assert teacher_view["allowed_actions"] == ["draft"]
    assert teacher_view["sender_phone"] == "0912345678"  # the assigned handler may call back
    assert outsider_get.status_code == 404
    assert teacher_approve.status_code in (403, 409)


@pytest.mark.django_db
def test_staff_post_keeps_the_receipt_time_sent(clerk) -> None:
    """A time without an offset is Vietnam time; a future one is a 422 in Vietnamese."""
    from datetime import datetime, timedelta

    from django.utils import timezone

    from cchc.core.timezones import VN

    day = timezone.localdate() - timedelta(days=2)
    sent = f"{day:%Y-%m-%d}T14:05:00"
    created = _post(
        client_for(clerk), "/api/v1/feedback", {**SENDER, "channel": "email", "received_at": sent}
    )
    future = _post(
        client_for(clerk),
        "/api/v1/feedback",
        {**SENDER, "channel": "email", "received_at": "2999-01-01T08:00:00+07:00"},
    )

    assert created.status_code == 201
    item = Feedback.objects.get()
    assert item.received_at == datetime(day.year, day.month, day.day, 14, 5, tzinfo=VN)
    assert future.status_code == 422
    assert "tương lai" in future.json()["detail"]
    assert Feedback.objects.count() == 1
