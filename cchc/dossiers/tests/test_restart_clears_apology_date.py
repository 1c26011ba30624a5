"""A supplement that restarts the clock supersedes an earlier apology's new appointment.

Decree 61 Art. 19(9) (domain.md 1.4): the apology gives a new return date. Art. 19(4)
(domain.md 1.3): once the complete dossier arrives after a supplement request, the processing
time is counted again from zero. After the restart the dossier's one appointment is the new due
date: the apology's date is cleared (in the same transaction, audited), and neither the staff
pages, the public lookup nor the book present it as the appointment any more.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.dossiers import exports, selectors, services
from cchc.dossiers.models import Dossier, SupplementRule
from cchc.dossiers.tests.factories import at, frozen_at
from tests.fixtures import client_for


@pytest.fixture
def apologised_then_supplemented(clerk, principal, school, transfer) -> Dossier:
    """Received Mon 30/11/2026 (due Mon 07/12); apology on Fri 04/12 with a new date Thu 10/12;
    papers asked for on Mon 07/12 (this procedure allows it within 10 working days)."""
    transfer.supplement_within_days = 10
    transfer.save()
    with frozen_at(at(2026, 11, 30, 9, 0)):
        dossier = services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={"applicant_name": "Nguyễn Văn An", "applicant_phone": "0912345678"},
            provided_documents=[d["name"] for d in transfer.documents],
        )
    with frozen_at(at(2026, 12, 4, 9, 0)):
        services.dossier_apologize(
            actor=principal.user,
            dossier=dossier,
            reason="Chờ trường nơi đi gửi học bạ",
            new_due_at=at(2026, 12, 10, 17, 0),
        )
    with frozen_at(at(2026, 12, 7, 9, 0)):
        services.dossier_request_supplement(
            actor=principal.user,
            dossier=Dossier.objects.get(pk=dossier.pk),
            items=["Bản sao giấy khai sinh"],
            reason="Bản sao nộp kèm bị mờ, không đọc được",
        )
    return Dossier.objects.get(pk=dossier.pk)


@pytest.mark.django_db
def test_restart_replaces_the_apology_date_with_the_new_due_date(
    clerk, apologised_then_supplemented
) -> None:
    dossier = apologised_then_supplemented
    assert dossier.procedure.supplement_rule == SupplementRule.RESTART
    assert dossier.new_due_at == at(2026, 12, 10, 17, 0)
    with frozen_at(at(2026, 12, 9, 9, 0)):
        services.dossier_supplement_received(actor=clerk.user, dossier=dossier)

    dossier = Dossier.objects.select_related("apology").get(pk=dossier.pk)
    # Counted again from Wed 09/12: five working days, due Wed 16/12 17:00.
    assert dossier.due_at == at(2026, 12, 16, 17, 0)
    assert dossier.new_due_at is None
    assert dossier.effective_due_at == dossier.due_at
    # The apology stays on record with the date it gave; the first due date is kept (766).
    assert dossier.apology.new_due_at == at(2026, 12, 10, 17, 0)
    assert dossier.initial_due_at == at(2026, 12, 7, 17, 0)
    event = AuditEvent.objects.filter(verb="dossier.supplement_received").latest("id")
    assert event.before["new_due_at"] is not None
    assert event.after["new_due_at"] is None
    assert event.before["due_at"] != event.after["due_at"]
    # The public lookup gives the new due date as the appointment, no stale new date.
    found = selectors.public_lookup(dossier.code, phone_last4="5678")
    assert found is not None
    assert found.new_due_at is None
    assert found.due_at == at(2026, 12, 16, 17, 0)
    # The book keeps the apology's date but says it no longer holds.
    assert "không còn hiệu lực" in exports.book_note(dossier)
    # The dossier's page shows the new due date, not the apology's as "hẹn lại".
    with frozen_at(at(2026, 12, 9, 10, 0)):
        page = client_for(clerk).get(reverse("dossiers:detail", args=[dossier.pk]))
    body = page.content.decode()
    assert "16/12/2026" in body
    assert "hẹn lại <strong>10/12/2026" not in body


@pytest.mark.django_db
def test_a_paused_procedure_keeps_the_apology_date(clerk, apologised_then_supplemented) -> None:
    """The other way: no restart (pause rule), no new count: the apology's date stands."""
    dossier = apologised_then_supplemented
    dossier.procedure.supplement_rule = SupplementRule.PAUSE
    dossier.procedure.save()
    with frozen_at(at(2026, 12, 9, 9, 0)):
        services.dossier_supplement_received(actor=clerk.user, dossier=dossier)

    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.new_due_at == at(2026, 12, 10, 17, 0)
    assert "không còn hiệu lực" not in exports.book_note(dossier)
    with frozen_at(at(2026, 12, 9, 10, 0)):
        page = client_for(clerk).get(reverse("dossiers:detail", args=[dossier.pk]))
    assert "hẹn lại <strong>10/12/2026" in page.content.decode()
