"""QA 30/11: while a dossier waits for the citizen's extra papers, the staff pages show no
running due date but that the time limit is paused and, by the procedure's rule, counted again
from zero on receipt (Decree 61/2018 Art. 19(4), domain.md 1.3) — in the public look-up's
words (`dossiers.supplement_notes`, one source). The stored due date is not touched."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cchc.dossiers import services
from cchc.dossiers.tests.factories import at, frozen_at
from cchc.portal.lookup_page import WAITING_NOTES
from tests.fixtures import client_for

PAUSED_NOTE = (
    "Tạm dừng – chờ bổ sung hồ sơ; khi nhận đủ hồ sơ bổ sung, thời hạn được tính lại từ đầu."
)


def _queue_row(page: str, code: str) -> str:
    found = re.search(rf"<tr[^>]*>\s*<td><a href=\"[^\"]+\">{code}</a>.*?</tr>", page, re.S)
    assert found is not None
    return found.group(0)


@pytest.mark.django_db
def test_a_dossier_waiting_for_papers_shows_its_time_paused(
    school, principal, clerk, transfer
) -> None:
    with frozen_at(at(2026, 11, 30, 9, 0)):  # due Mon 07/12/2026 17:00, restart rule
        dossier = services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={"applicant_name": "Nguyễn Văn An"},
            provided_documents=[d["name"] for d in transfer.documents],
            assignee=clerk,
        )
    due = dossier.due_at
    with frozen_at(at(2026, 12, 1, 9, 0)):
        services.dossier_request_supplement(
            actor=principal.user, dossier=dossier, items=["Học bạ"], reason="Thiếu học bạ"
        )
    dossier.refresh_from_db()
    assert dossier.due_at == due  # the stored due date is not rewritten

    with frozen_at(at(2026, 12, 2, 9, 0)):
        client = client_for(clerk)
        page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
        queue = client.get(reverse("dossiers:queue")).content.decode()
        my_work = client.get(reverse("plans:my_work")).content.decode()
    due_cell = page.split("<dt>Hạn trả kết quả</dt>", 1)[1].split("</dd>", 1)[0]
    assert PAUSED_NOTE in due_cell
    assert "07/12/2026" not in due_cell
    row = _queue_row(queue, dossier.code)
    assert PAUSED_NOTE in row
    assert "07/12/2026" not in row
    mine = my_work.split('id="my-dossiers"', 1)[1].split("</table>", 1)[0]
    assert PAUSED_NOTE in mine
    assert "07/12/2026" not in mine
    # The public look-up says the same of the same rule, in its own address to the citizen.
    assert "thời hạn được tính lại từ đầu" in WAITING_NOTES["restart"]

    # Papers received: the clock runs again and a due date is shown, no pause note.
    with frozen_at(at(2026, 12, 2, 10, 0)):
        services.dossier_supplement_received(actor=clerk.user, dossier=dossier)
        client = client_for(clerk)
        page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
        queue = client.get(reverse("dossiers:queue")).content.decode()
    due_cell = page.split("<dt>Hạn trả kết quả</dt>", 1)[1].split("</dd>", 1)[0]
    assert "Tạm dừng" not in due_cell
    assert re.search(r"\d\d/\d\d/2026 \d\d:\d\d", due_cell)
    assert "Tạm dừng" not in _queue_row(queue, dossier.code)
