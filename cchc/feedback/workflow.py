"""Feedback (phản ánh, kiến nghị) statuses, classes and the transition table, as data.

Reception and classification follow Decree 20/2008/NĐ-CP Art. 9 (as amended by Decree 48/2013):
(a) invalid → rejected with a reason; (b) about staff conduct → the inspection board head;
(c) within our competence → handled here; (d) outside it → forwarded within 5 working days.
Handling then runs draft → principal's approval → publication (Art. 19) → closed; a sender who
disputes the answer reopens the item (domain.md section 4).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from django.db import models


class FeedbackStatus(models.TextChoices):
    RECEIVED = "received", "Đã tiếp nhận"
    REJECTED = "rejected", "Không đủ điều kiện xử lý"
    INSPECTION = "inspection", "Chuyển Ban Thanh tra nhân dân"
    FORWARDED = "forwarded", "Chuyển cơ quan có thẩm quyền"
    ASSIGNED = "assigned", "Đang xử lý"
    INFO_REQUESTED = "info_requested", "Yêu cầu bổ sung thông tin"
    DRAFTED = "drafted", "Đã dự thảo trả lời"
    APPROVED = "approved", "Đã duyệt, chờ công khai"
    PUBLISHED = "published", "Đã công khai kết quả"
    CLOSED = "closed", "Đã kết thúc"
    REOPENED = "reopened", "Mở lại do người gửi không đồng ý"


class Classification(models.TextChoices):
    """The four classes of Decree 20/2008 Art. 9(4)."""

    INVALID = "invalid", "Không hợp lệ, không xử lý"
    CONDUCT = "conduct", "Về hành vi, thái độ của cán bộ, viên chức"
    COMPETENT = "competent", "Thuộc thẩm quyền của đơn vị"
    OUTSIDE = "outside", "Không thuộc thẩm quyền, chuyển cơ quan khác"


class Channel(models.TextChoices):
    """The channels Decree 20/2008 Art. 5 names, plus the national portal's items."""

    WEB = "web", "Cổng thông tin của đơn vị"
    LETTER = "letter", "Văn bản, thư"
    PHONE = "phone", "Điện thoại (ghi lại nội dung)"
    EMAIL = "email", "Thư điện tử"
    IN_PERSON = "in_person", "Trực tiếp"
    NATIONAL_PORTAL = "national_portal", "Cổng Dịch vụ công quốc gia"


# Channels that count as "sent on the network" for the plan's publication target (target 4).
ONLINE_CHANNELS: Final[frozenset[str]] = frozenset(
    {Channel.WEB, Channel.EMAIL, Channel.NATIONAL_PORTAL}
)

CLASS_TO_STATUS: Final[Mapping[str, str]] = {
    Classification.INVALID: FeedbackStatus.REJECTED,
    Classification.CONDUCT: FeedbackStatus.INSPECTION,
    Classification.COMPETENT: FeedbackStatus.ASSIGNED,
    Classification.OUTSIDE: FeedbackStatus.FORWARDED,
}

S = FeedbackStatus
ALLOWED_TRANSITIONS: Final[Mapping[str, frozenset[str]]] = {
    S.RECEIVED: frozenset({S.REJECTED, S.INSPECTION, S.ASSIGNED, S.FORWARDED, S.INFO_REQUESTED}),
    S.INFO_REQUESTED: frozenset({S.RECEIVED, S.ASSIGNED, S.REJECTED}),
    S.INSPECTION: frozenset({S.ASSIGNED, S.CLOSED}),
    S.ASSIGNED: frozenset({S.INFO_REQUESTED, S.DRAFTED, S.ASSIGNED}),
    S.DRAFTED: frozenset({S.APPROVED, S.ASSIGNED}),
    S.APPROVED: frozenset({S.PUBLISHED, S.CLOSED, S.REOPENED}),
    S.PUBLISHED: frozenset({S.CLOSED, S.REOPENED}),
    S.CLOSED: frozenset({S.REOPENED}),
    S.REOPENED: frozenset({S.ASSIGNED, S.INSPECTION}),
    S.REJECTED: frozenset(),
    S.FORWARDED: frozenset(),
}

# The item is still waiting for the unit's answer (the 15-working-day clock runs).
OPEN: Final[frozenset[str]] = frozenset(
    {S.RECEIVED, S.INSPECTION, S.ASSIGNED, S.INFO_REQUESTED, S.DRAFTED, S.REOPENED}
)
# An answer exists (approved by the principal).
ANSWERED: Final[frozenset[str]] = frozenset({S.APPROVED, S.PUBLISHED, S.CLOSED})
FINAL: Final[frozenset[str]] = frozenset({S.REJECTED, S.FORWARDED, S.CLOSED})

TONE: Final[Mapping[str, str]] = {
    S.RECEIVED: "info",
    S.REJECTED: "neutral",
    S.INSPECTION: "warn",
    S.FORWARDED: "neutral",
    S.ASSIGNED: "info",
    S.INFO_REQUESTED: "warn",
    S.DRAFTED: "info",
    S.APPROVED: "ok",
    S.PUBLISHED: "ok",
    S.CLOSED: "ok",
    S.REOPENED: "bad",
}


class Action(models.TextChoices):
    """What a staff member may do on an item; the page, the API and the menu read ACTIONS."""

    CLASSIFY = "classify", "Phân loại"
    REQUEST_INFO = "request_info", "Yêu cầu bổ sung thông tin"
    INFO_RECEIVED = "info_received", "Đã nhận thông tin bổ sung"
    ASSIGN = "assign", "Giao xử lý"
    DRAFT = "draft", "Dự thảo trả lời"
    RETURN_DRAFT = "return_draft", "Trả lại dự thảo"
    APPROVE = "approve", "Duyệt trả lời"
    PUBLISH = "publish", "Công khai kết quả"
    CLOSE = "close", "Kết thúc"


# Action → (statuses it applies in, permission it needs).
ACTIONS: Final[Mapping[str, tuple[frozenset[str], str]]] = {
    Action.CLASSIFY: (frozenset({S.RECEIVED}), "feedback.handle"),
    Action.REQUEST_INFO: (frozenset({S.RECEIVED, S.ASSIGNED}), "feedback.handle"),
    Action.INFO_RECEIVED: (frozenset({S.INFO_REQUESTED}), "feedback.handle"),
    Action.ASSIGN: (frozenset({S.ASSIGNED, S.INSPECTION, S.REOPENED}), "feedback.handle"),
    Action.DRAFT: (frozenset({S.ASSIGNED}), "feedback.draft"),
    Action.RETURN_DRAFT: (frozenset({S.DRAFTED}), "feedback.approve"),
    Action.APPROVE: (frozenset({S.DRAFTED}), "feedback.approve"),
    Action.PUBLISH: (frozenset({S.APPROVED}), "feedback.approve"),
    Action.CLOSE: (frozenset({S.APPROVED, S.PUBLISHED, S.INSPECTION}), "feedback.handle"),
}


class InvalidTransition(ValueError):
    def __init__(self, from_status: str, to_status: str) -> None:
        self.from_status, self.to_status = from_status, to_status
        super().__init__(
            f"Không thể chuyển phản ánh từ “{FeedbackStatus(from_status).label}” sang "
            f"“{FeedbackStatus(to_status).label}”."
        )


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_TRANSITIONS.get(from_status, frozenset())
