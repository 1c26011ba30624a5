"""The words for a dossier waiting for the citizen's extra papers, one source for the staff pages
and the public look-up (`cchc/portal/lookup_page.py`).

While the papers are awaited the time limit is stopped (Decree 61/2018 Art. 19(4), domain.md
1.3): no page shows a running due date then, but that the time is paused and what happens to
it on receipt, by the procedure's rule (by default counted again from zero)."""

from __future__ import annotations

from typing import Final

from cchc.dossiers.models import Dossier, SupplementRule
from cchc.dossiers.workflow import DossierStatus

#: In place of the due date on the staff pages (dossier page, queue).
PAUSED: Final[str] = "Tạm dừng – chờ bổ sung hồ sơ"
#: What becomes of the time limit once the extra papers are received, by the procedure's rule.
ON_RECEIPT: Final[dict[str, str]] = {
    SupplementRule.RESTART: "thời hạn được tính lại từ đầu",
    SupplementRule.PAUSE: "ngày hẹn trả kết quả được lùi thêm bằng số ngày làm việc đã chờ",
}
#: Before acceptance the clock has not started at all.
NOT_STARTED: Final[str] = "thời hạn giải quyết được tính từ khi đơn vị tiếp nhận đủ hồ sơ"


def on_receipt(rule: str) -> str:
    """The procedure's rule in words; an unknown or empty rule is the default (restart)."""
    return ON_RECEIPT.get(rule, ON_RECEIPT[SupplementRule.RESTART])


def staff_note(dossier: Dossier) -> str:
    """For the staff: "Tạm dừng – chờ bổ sung hồ sơ; khi nhận đủ …" while the dossier waits for
    papers, "" otherwise (the due date is then shown as it stands)."""
    if dossier.status != DossierStatus.SUPPLEMENT:
        return ""
    if dossier.received_at is None:
        return f"{PAUSED}; {NOT_STARTED}."
    return f"{PAUSED}; khi nhận đủ hồ sơ bổ sung, {on_receipt(dossier.procedure.supplement_rule)}."
