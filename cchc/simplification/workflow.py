"""The review's statuses and who moves it where, as data (style.md: workflows as data).

draft → approved (the principal) → submitted (sent up to the commune) → accepted / rejected
(the commune's reform officer). A rejected review, or an approved one that needs rework, goes
back to draft; an accepted one is final and is published on the procedure's public page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from cchc.simplification.models import ReviewStatus

S = ReviewStatus


@dataclass(frozen=True)
class Action:
    code: str
    label: str
    source: frozenset[str]
    target: str
    # Who may: "drafter" (principal, vice principals, clerk of the unit), "principal",
    # "commune" (the reform officer of a commune above the unit).
    who: str


ACTIONS: Final[Mapping[str, Action]] = {
    a.code: a
    for a in (
        Action("approve", "Duyệt phiếu rà soát", frozenset({S.DRAFT}), S.APPROVED, "principal"),
        Action("submit", "Gửi UBND xã", frozenset({S.APPROVED}), S.SUBMITTED, "principal"),
        Action("accept", "Chấp thuận", frozenset({S.SUBMITTED}), S.ACCEPTED, "commune"),
        Action("reject", "Không chấp thuận", frozenset({S.SUBMITTED}), S.REJECTED, "commune"),
        Action("reopen", "Trả về dự thảo", frozenset({S.APPROVED, S.REJECTED}), S.DRAFT, "drafter"),
    )
}
EDITABLE: Final[frozenset[str]] = frozenset({S.DRAFT})
