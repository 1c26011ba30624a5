"""Issue 8 points 7-11: the counter's three outcomes, the written refusal, the handler's own
dossiers, the queue and the intake checklist (the browser parts are in test_desk_browser.py)."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document

from cchc.core.models import AuditEvent
from cchc.dossiers import services
from cchc.dossiers.kpis import counts_by_status
from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.factories import VN, at, frozen_at, receive_dossier
from cchc.dossiers.workflow import DossierStatus
from cchc.kpi.registry import Period
from cchc.organizations.models import Unit
from tests.fixtures import client_for

S = DossierStatus


def intake_post(transfer, documents, outcome, **extra) -> dict:
    return {
        "procedure": transfer.pk,
        "applicant_name": "Trần Thị Bích",
        "applicant_phone": "0912345678",
        "channel": "in_person",
        "documents": documents,
        "outcome": outcome,
        **extra,
    }


@pytest.mark.django_db
def test_incomplete_dossier_at_the_counter_gets_the_guidance_slip(clerk, transfer) -> None:
    first = transfer.documents[0]["name"]
    client = client_for(clerk)

    response = client.post(reverse("dossiers:intake"), intake_post(transfer, [first], "guidance"))

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.status == S.SUPPLEMENT
    assert dossier.received_at is None  # the clock has not started
    missing = [d["name"] for d in transfer.documents[1:] if d.get("required", True)]
    assert dossier.pauses.get().items == missing
    assert AuditEvent.objects.filter(verb="dossier.counter_guidance").count() == 1
    page = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Mẫu 02" in page
    slip = client.get(reverse("dossiers:paper", args=[dossier.pk, "bo-sung", "docx"]))
    assert slip.status_code == 200
    units = Unit.objects.filter(pk=dossier.unit_id)
    year = Period.year(dossier.submitted_at.astimezone(VN).year)
    assert counts_by_status(units, year) == {S.SUPPLEMENT: 1}  # counted, not lost


@pytest.mark.django_db
def test_bare_missing_documents_error_points_to_the_guidance_slip(clerk, transfer) -> None:
    first = transfer.documents[0]["name"]

    response = client_for(clerk).post(
        reverse("dossiers:intake"), intake_post(transfer, [first], "receive")
    )

    assert response.status_code == 422
    assert "Mẫu 02" in response.content.decode()
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_refusal_at_the_counter_gets_form_03(clerk, transfer) -> None:
    client = client_for(clerk)
    missing_reason = client.post(reverse("dossiers:intake"), intake_post(transfer, [], "refuse"))
    assert missing_reason.status_code == 422
    assert "Hãy nêu lý do từ chối tiếp nhận." in missing_reason.content.decode()

    client.post(
        reverse("dossiers:intake"),
        intake_post(transfer, [], "refuse", counter_reason="Học sinh không thuộc địa bàn"),
    )

    dossier = Dossier.objects.get()
    assert dossier.status == S.REJECTED
    assert dossier.result_note == "Học sinh không thuộc địa bàn"
    assert AuditEvent.objects.filter(verb="dossier.counter_refusal").count() == 1
    paper = client.get(reverse("dossiers:paper", args=[dossier.pk, "tu-choi", "docx"]))
    assert paper.status_code == 200


@pytest.mark.django_db
def test_refusal_after_appraisal_gets_the_written_refusal(clerk, principal, school, transfer):
    with frozen_at(at(2026, 3, 2, 9, 0)):
        dossier = services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={"applicant_name": "Trần Thị Bích"},
            provided_documents=[d["name"] for d in transfer.documents],
        )
    with frozen_at(at(2026, 3, 4, 9, 0)):
        services.dossier_decide(
            actor=principal.user, dossier=dossier, granted=False, note="Lớp 7 đã đủ sĩ số"
        )

    paper = client_for(principal).get(
        reverse("dossiers:paper", args=[dossier.pk, "tu-choi", "docx"])
    )
    assert paper.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(paper.content)).paragraphs)
    assert "Lớp 7 đã đủ sĩ số" in text


@pytest.mark.django_db
def test_a_paper_that_does_not_belong_to_the_procedure_is_refused(
    clerk, transfer, copy_from_register
) -> None:
    foreign = copy_from_register.documents[0]["name"]
    ticked = [d["name"] for d in transfer.documents] + [foreign]

    response = client_for(clerk).post(
        reverse("dossiers:intake"), intake_post(transfer, ticked, "receive")
    )

    assert response.status_code == 422
    assert f"Giấy tờ không thuộc thủ tục “{transfer.name}”: {foreign}." in (
        response.content.decode()
    )
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_the_checklist_shows_the_chosen_procedures_papers_and_marks_required_ones(
    clerk, transfer, copy_from_register
) -> None:
    page = client_for(clerk).get(reverse("dossiers:intake") + f"?thu_tuc={transfer.pk}")
    body = page.content.decode()

    shown = body.split(f'data-procedure="{transfer.pk}"')[1].split("</fieldset>")[0]
    hidden = body.split(f'data-procedure="{copy_from_register.pk}"')[1].split(">")[0]
    assert "hidden disabled" in hidden
    assert "(bắt buộc)" in shown
    for document in transfer.documents:
        assert document["name"] in shown


@pytest.mark.django_db
def test_hand_over_is_judged_against_the_step_budget(clerk, principal, transfer) -> None:
    transfer.step_budgets = {"reception": 0.5, "appraisal": 1}
    transfer.save()
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))  # Monday
    with frozen_at(at(2026, 3, 2, 10, 0)):  # reception took 1 h of its half day
        services.dossier_hand_over(
            actor=clerk.user, dossier=dossier, to_staff=principal, step="appraisal"
        )
    with frozen_at(at(2026, 3, 4, 10, 0)):  # appraisal took 2 working days of its 1
        services.dossier_hand_over(
            actor=principal.user, dossier=dossier, to_staff=principal, step="signature"
        )

    results = list(dossier.events.order_by("at", "id").values_list("result", flat=True))

    assert results == ["", "on_time", "late"]
    assert not dossier.is_late(now=at(2026, 3, 4, 10, 0))  # still within its 5 days
