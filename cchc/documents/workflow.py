"""Outgoing and incoming document states and their transition tables, as data (style.md 2.2).

Outgoing (Decree 30/2020 Art. 10–18): draft → review → approved → numbered → signed → released.
The number is allocated by the system before the signatures because a PAdES signature covers
every byte: a number written after signing would be a change after signature. A failed
signature leaves the document numbered (its number is never lost nor reused) and signing can
be retried.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from django.db import models


class OutgoingStatus(models.TextChoices):
    DRAFT = "draft", "Dự thảo"
    REVIEW = "review", "Chờ kiểm tra"
    APPROVED = "approved", "Đã duyệt"
    NUMBERED = "numbered", "Đã cấp số"
    SIGNED = "signed", "Đã ký số"
    RELEASED = "released", "Đã phát hành"


class IncomingStatus(models.TextChoices):
    REGISTERED = "registered", "Đã vào sổ"
    PRESENTED = "presented", "Đã trình lãnh đạo"
    ASSIGNED = "assigned", "Đang giải quyết"
    DONE = "done", "Đã giải quyết"


class InvalidTransition(ValueError):
    def __init__(self, from_status: str, to_status: str) -> None:
        labels = dict(OutgoingStatus.choices) | dict(IncomingStatus.choices)
        super().__init__(
            f"Không thể chuyển văn bản từ “{labels.get(from_status, from_status)}” "
            f"sang “{labels.get(to_status, to_status)}”."
        )


OS = OutgoingStatus
OUTGOING_TRANSITIONS: Final[Mapping[str, frozenset[str]]] = {
    OS.DRAFT: frozenset({OS.REVIEW}),
    OS.REVIEW: frozenset({OS.APPROVED, OS.DRAFT}),
    OS.APPROVED: frozenset({OS.NUMBERED, OS.DRAFT}),
    OS.NUMBERED: frozenset({OS.SIGNED}),
    OS.SIGNED: frozenset({OS.RELEASED}),
    OS.RELEASED: frozenset(),
}
IS = IncomingStatus
INCOMING_TRANSITIONS: Final[Mapping[str, frozenset[str]]] = {
    IS.REGISTERED: frozenset({IS.PRESENTED}),
    IS.PRESENTED: frozenset({IS.ASSIGNED, IS.DONE}),
    IS.ASSIGNED: frozenset({IS.DONE}),
    IS.DONE: frozenset(),
}
# Outgoing statuses in which the content may still be edited.
EDITABLE: Final[frozenset[str]] = frozenset({OS.DRAFT})
TONE: Final[Mapping[str, str]] = {
    OS.DRAFT: "info",
    OS.REVIEW: "warn",
    OS.APPROVED: "info",
    OS.NUMBERED: "info",
    OS.SIGNED: "ok",
    OS.RELEASED: "ok",
    IS.REGISTERED: "warn",
    IS.PRESENTED: "info",
    IS.ASSIGNED: "info",
    IS.DONE: "ok",
}

# A draft whose last review sent it back to its drafter: the same word on the documents pages
# and on the dossier page of an apology letter (one source for the name of that state).
RETURNED_LABEL: Final[str] = "Bị trả lại"


def outgoing_status_label(status: str, *, returned: bool) -> str:
    """The name of an outgoing document's state as every page shows it: a draft sent back by
    the leader is "Bị trả lại", not a fresh "Dự thảo" (the drafter has a correction to make)."""
    if returned and status == OS.DRAFT:
        return RETURNED_LABEL
    return OutgoingStatus(status).label


def check(table: Mapping[str, frozenset[str]], from_status: str, to_status: str) -> None:
    if to_status not in table.get(from_status, frozenset()):
        raise InvalidTransition(from_status, to_status)
