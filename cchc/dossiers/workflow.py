"""Dossier statuses and the transition table, as data (style.md 2.2).

The ten statuses are those exchanged with the national public service portal (domain.md 1.7);
internal steps (appraisal, awaiting signature) are sub-statuses of "Đang xử lý" only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from django.db import models


class DossierStatus(models.TextChoices):
    NEW = "new", "Mới đăng ký"
    ACCEPTED = "accepted", "Được tiếp nhận"
    REJECTED = "rejected", "Không được tiếp nhận"
    PROCESSING = "processing", "Đang xử lý"
    SUPPLEMENT = "supplement", "Yêu cầu bổ sung giấy tờ"
    PAYMENT = "payment", "Yêu cầu thực hiện nghĩa vụ tài chính"
    WITHDRAWAL = "withdrawal", "Công dân yêu cầu rút hồ sơ"
    STOPPED = "stopped", "Dừng xử lý"
    DONE = "done", "Đã xử lý xong"
    RETURNED = "returned", "Đã trả kết quả"


# National portal status codes (TrangThaiHoSo), for exports and integrations.
PORTAL_CODE: Final[Mapping[str, int]] = {
    DossierStatus.NEW: 1,
    DossierStatus.ACCEPTED: 2,
    DossierStatus.REJECTED: 3,
    DossierStatus.PROCESSING: 4,
    DossierStatus.SUPPLEMENT: 5,
    DossierStatus.PAYMENT: 6,
    DossierStatus.WITHDRAWAL: 7,
    DossierStatus.STOPPED: 8,
    DossierStatus.DONE: 9,
    DossierStatus.RETURNED: 10,
}


class Step(models.TextChoices):
    """Internal steps inside "Đang xử lý"."""

    APPRAISAL = "appraisal", "Thẩm định"
    SIGNATURE = "signature", "Trình ký"


S = DossierStatus
ALLOWED_TRANSITIONS: Final[Mapping[str, frozenset[str]]] = {
    S.NEW: frozenset({S.ACCEPTED, S.REJECTED, S.SUPPLEMENT, S.WITHDRAWAL}),
    S.ACCEPTED: frozenset({S.PROCESSING, S.SUPPLEMENT, S.WITHDRAWAL, S.STOPPED, S.DONE}),
    S.PROCESSING: frozenset({S.SUPPLEMENT, S.PAYMENT, S.DONE, S.WITHDRAWAL, S.STOPPED}),
    S.SUPPLEMENT: frozenset({S.PROCESSING, S.ACCEPTED, S.WITHDRAWAL, S.STOPPED}),
    S.PAYMENT: frozenset({S.PROCESSING, S.DONE, S.WITHDRAWAL, S.STOPPED}),
    S.WITHDRAWAL: frozenset({S.STOPPED, S.PROCESSING}),
    S.DONE: frozenset({S.RETURNED}),
    S.REJECTED: frozenset(),
    S.STOPPED: frozenset(),
    S.RETURNED: frozenset(),
}

# Statuses in which the legal clock runs (the dossier was accepted and has no result yet).
CLOCK_RUNNING: Final[frozenset[str]] = frozenset(
    {S.ACCEPTED, S.PROCESSING, S.PAYMENT, S.WITHDRAWAL}
)
# Statuses that end the dossier.
FINAL: Final[frozenset[str]] = frozenset({S.REJECTED, S.STOPPED, S.RETURNED})
# Statuses after which the result exists (a stop request must then be refused, Circular 03 Art. 7).
HAS_RESULT: Final[frozenset[str]] = frozenset({S.DONE, S.RETURNED})

# Badge tone per status, shown with the words (never colour alone).
TONE: Final[Mapping[str, str]] = {
    S.NEW: "info",
    S.ACCEPTED: "info",
    S.REJECTED: "bad",
    S.PROCESSING: "info",
    S.SUPPLEMENT: "warn",
    S.PAYMENT: "warn",
    S.WITHDRAWAL: "warn",
    S.STOPPED: "neutral",
    S.DONE: "ok",
    S.RETURNED: "ok",
}


class InvalidTransition(ValueError):
    def __init__(self, from_status: str, to_status: str) -> None:
        self.from_status, self.to_status = from_status, to_status
        super().__init__(
            f"Không thể chuyển hồ sơ từ “{DossierStatus(from_status).label}” sang "
            f"“{DossierStatus(to_status).label}”."
        )


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in ALLOWED_TRANSITIONS.get(from_status, frozenset())
