"""Without a mail server (no EMAIL_HOST, as `make demo` runs) staff invitations are refused
rather than made and lost: the mail is the only copy of each private link (QA walk, FIXH 6)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.core.unsent_mail import BACKEND
from cchc.surveys.models import Invitation
from cchc.surveys.tests.conftest import make_campaign
from tests.fixtures import client_for


@pytest.mark.django_db
def test_staff_invitations_are_not_made_to_be_lost(principal, templates, settings) -> None:
    settings.EMAIL_BACKEND = BACKEND
    principal.email = "trang@thcs.edu.vn"
    principal.save()
    campaign = make_campaign(
        principal,
        principal.unit,
        templates["dich-vu-giao-duc"],
        title="Khảo sát cán bộ, giáo viên",
        audience="staff",
        access="token",
    )
    url = reverse("surveys:act", args=[campaign.pk])

    response = client_for(principal).post(url, {"action": "email_staff"})

    assert response.status_code == 422
    assert "Chưa cấu hình máy chủ thư điện tử" in response.content.decode()
    assert not Invitation.objects.filter(campaign=campaign).exists()
