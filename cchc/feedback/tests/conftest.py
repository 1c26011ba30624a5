"""Feedback personas on top of the shared ones: the inspection board head."""

from __future__ import annotations

from datetime import datetime
from unittest import mock

import pytest

from cchc.accounts.models import Role
from cchc.core.timezones import VN
from cchc.feedback import services
from tests.factories import StaffFactory

SENDER = {
    "sender_name": "Nguyễn Văn Bình",
    "sender_address": "Số 12 đường Lê Lợi, phường Phú Cường",
    "sender_phone": "0912 345 678",
    "sender_email": "binh.nguyen@example.vn",
    "title": "Thu tiền học thêm",
    "content": "Tôi là Nguyễn Văn Bình, phụ huynh lớp 8A. Nhà trường thu tiền học thêm chưa "
    "rõ ràng, xin được giải thích. Liên hệ 0912 345 678.",
    "consent_to_publish": True,
}


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN)


def later(when: datetime):
    return mock.patch("django.utils.timezone.now", return_value=when)


@pytest.fixture
def inspection_head(school):
    return StaffFactory(
        unit=school,
        full_name="Trần Thị Thoa",
        position="Trưởng ban Thanh tra nhân dân",
        user__username="thanhtra",
        roles=[Role.INSPECTION_HEAD],
    )


@pytest.fixture
def item(clerk, school):
    with later(at(2026, 3, 2, 9, 0)):
        return services.feedback_receive(
            actor=clerk.user, unit=school, channel="email", data=dict(SENDER)
        )


def answered(item, clerk, principal, colleague, when=(2026, 3, 3, 9, 0)):
    """Take an item through classification, draft and approval."""
    with later(at(*when)):
        item = services.feedback_classify(
            actor=clerk.user, item=item, classification="competent", assignee=colleague
        )
        item = services.feedback_draft(
            actor=colleague.user,
            item=item,
            answer="Nhà trường xin trả lời: khoản thu theo "
            "Nghị quyết của HĐND tỉnh; ông Bình có thể gọi 0912 345 678 để được giải thích.",
        )
        return services.feedback_approve(actor=principal.user, item=item)
