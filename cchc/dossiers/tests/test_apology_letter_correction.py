"""A returned apology letter is corrected through its apology ("Sửa và trình ký lại" on the
dossier page), never sent up again unchanged from the register's page; and the dossier page
names the letter's state in the same words as the letter's own page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.documents.models import OutgoingDocument
from cchc.documents.tests.conftest import ca as ca
from cchc.documents.workflow import OutgoingStatus
from cchc.dossiers.models import Apology
from cchc.dossiers.tests.conftest import act_on_letter
from cchc.dossiers.tests.factories import at, frozen_at
from cchc.dossiers.tests.test_apology_letters import _apologize, _receive
from cchc.dossiers.tests.test_apology_letters import certificates as certificates
from tests.fixtures import client_for

OS = OutgoingStatus


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PDF_STORE_DIR = str(tmp_path / "papers")


def _badge(page: str) -> str:
    """The state badge under the letter's title on its page."""
    return page.split('class="badge', 1)[1].split(">", 1)[1].split("<", 1)[0].strip()


def _letter_label(page: str) -> str:
    """The letter's state as the dossier page shows it."""
    return page.split('id="apology-letter"', 1)[1].split('class="badge', 1)[1].split(">", 1)[1]


@pytest.mark.django_db
def test_a_returned_letter_is_corrected_on_its_dossier_not_sent_up_unchanged(
    school, principal, clerk, transfer
) -> None:
    dossier = _receive(clerk, school, transfer)
    with frozen_at(at(2026, 12, 3, 9, 0)):
        assert _apologize(clerk, dossier).status_code == 302
    doc = Apology.objects.get(dossier=dossier).outgoing
    assert doc is not None
    with frozen_at(at(2026, 12, 3, 10, 0)):
        returned = act_on_letter(principal, doc, OS.DRAFT)
    assert returned.status_code == 302
    doc.refresh_from_db()
    assert doc.status == OS.DRAFT
    letter_url = reverse("documents:outgoing_detail", args=[doc.pk])

    page = client_for(clerk).get(letter_url).content.decode()
    assert 'value="review"' not in page  # no "Trình kiểm tra" for this draft
    revise = reverse("dossiers:detail", args=[dossier.pk]) + "#apology-revise"
    assert f'href="{revise}"' in page
    assert f"Sửa và trình ký lại ở hồ sơ {dossier.code}" in page

    with frozen_at(at(2026, 12, 3, 11, 0)):
        refused = act_on_letter(clerk, doc, OS.REVIEW)
    assert refused.status_code == 409
    body = refused.content.decode()
    assert f"Văn bản xin lỗi của hồ sơ {dossier.code} được sửa ở trang hồ sơ" in body
    assert "“Sửa và trình ký lại”" in body
    doc.refresh_from_db()
    assert doc.status == OS.DRAFT  # nothing moved

    # The dossier page offers the correction, which sends the letter up again.
    dossier.refresh_from_db()
    assert 'id="apology-revise"' in client_for(clerk).get(revise).content.decode()
    with frozen_at(at(2026, 12, 3, 14, 0)):
        corrected = client_for(clerk).post(
            reverse("dossiers:apology_revise", args=[dossier.pk]),
            {
                "reason": "Thiếu học bạ lớp 9",
                "new_due_at": "2026-12-09",
                "version": dossier.version,
            },
        )
    assert corrected.status_code == 302
    doc.refresh_from_db()
    assert doc.status == OS.REVIEW


@pytest.mark.django_db
def test_another_draft_is_still_sent_up_from_its_page(school, clerk) -> None:
    doc = OutgoingDocument.objects.create(
        unit=school, doc_type="Công văn", drafting_unit="VP", summary="V/v lịch họp", drafter=clerk
    )
    page = client_for(clerk).get(reverse("documents:outgoing_detail", args=[doc.pk]))
    assert 'value="review"' in page.content.decode()
    assert act_on_letter(clerk, doc, OS.REVIEW).status_code == 302
    doc.refresh_from_db()
    assert doc.status == OS.REVIEW


@pytest.mark.django_db
def test_the_dossier_page_names_the_letters_state_as_the_letters_page_does(
    school, principal, clerk, transfer, certificates
) -> None:
    dossier = _receive(clerk, school, transfer)
    with frozen_at(at(2026, 12, 3, 9, 0)):
        assert _apologize(clerk, dossier).status_code == 302
    doc = Apology.objects.get(dossier=dossier).outgoing
    assert doc is not None
    dossier_url = reverse("dossiers:detail", args=[dossier.pk])
    letter_url = reverse("documents:outgoing_detail", args=[doc.pk])
    seen = []
    for step in (None, OS.APPROVED):
        if step is not None:
            with frozen_at(at(2026, 12, 3, 10, 0)):
                assert act_on_letter(principal, doc, step).status_code == 302
        doc.refresh_from_db()
        state = _badge(client_for(clerk).get(letter_url).content.decode())
        label = _letter_label(client_for(clerk).get(dossier_url).content.decode())
        assert state == doc.get_status_display()
        assert label.startswith(state), (label, state)
        seen.append(state)
    assert seen == ["Chờ kiểm tra", "Đã duyệt"]
    page = client_for(clerk).get(dossier_url).content.decode()
    assert "Chờ lãnh đạo duyệt" not in page
