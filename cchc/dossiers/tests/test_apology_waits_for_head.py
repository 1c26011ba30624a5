"""QA 30/11: the apology letter the clerk sends up waits for the head where she looks first, and
a letter she sent back has one name on every page.

* Her "Việc của tôi" lists the outgoing documents of her own unit waiting for her review,
  approval or signature, with a link to the letter, and "Tổng quan" counts them (domain.md 1.4:
  the written apology in time); nobody of another unit sees them there.
* A letter returned by the head is "Bị trả lại" on the dossier page, on its own page and in the
  "Văn bản đi" register alike (`documents.workflow.RETURNED_LABEL`)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from cchc.documents.models import OutgoingDocument
from cchc.documents.workflow import OutgoingStatus
from cchc.dossiers.models import Apology
from cchc.dossiers.tests.conftest import act_on_letter
from cchc.dossiers.tests.factories import at, frozen_at
from cchc.dossiers.tests.test_apology_letters import _apologize, _receive
from tests.fixtures import client_for

OS = OutgoingStatus


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _letter(clerk, school, transfer) -> OutgoingDocument:
    dossier = _receive(clerk, school, transfer)  # due Mon 07/12/2026 17:00
    with frozen_at(at(2026, 12, 3, 9, 0)):
        assert _apologize(clerk, dossier).status_code == 302
    doc = Apology.objects.get(dossier=dossier).outgoing
    assert doc is not None
    assert doc.status == OS.REVIEW
    return doc


def _my_documents(staff) -> str:
    """The "Văn bản đi chờ tôi xử lý" table of the person's "Việc của tôi" ("" if empty)."""
    page = client_for(staff).get(reverse("plans:my_work")).content.decode()
    assert "Văn bản đi chờ tôi xử lý" in page
    found = re.search(r'<table class="table" id="my-documents">(.*?)</table>', page, flags=re.S)
    return found.group(1) if found else ""


@pytest.mark.django_db
def test_the_letter_sent_up_waits_for_the_head_in_her_work_and_overview(
    school, principal, clerk, outsider, commune_officer, transfer
) -> None:
    doc = _letter(clerk, school, transfer)
    link = reverse("documents:outgoing_detail", args=[doc.pk])

    mine = _my_documents(principal)
    assert f'href="{link}"' in mine
    assert "Kiểm tra, duyệt" in mine
    assert "Lê Thị Thanh Thủy" in mine  # who drafted it
    overview = client_for(principal).get(reverse("kpi:overview")).content.decode()
    assert "Có 1 văn bản đi chờ bạn xử lý" in overview
    assert reverse("plans:my_work") in overview
    # Another school's head and the commune's officer are not asked about it.
    assert link not in _my_documents(outsider)
    assert link not in _my_documents(commune_officer)
    assert (
        "văn bản đi chờ bạn xử lý"
        not in client_for(outsider).get(reverse("kpi:overview")).content.decode()
    )

    # Approved: it leaves her list and waits for the clerk's number; numbered, it comes back
    # to her for the signature.
    assert act_on_letter(principal, doc, OS.APPROVED).status_code == 302
    assert link not in _my_documents(principal)
    assert "Cấp số" in _my_documents(clerk)
    assert act_on_letter(clerk, doc, "number").status_code == 302
    mine = _my_documents(principal)
    assert f'href="{link}"' in mine
    assert "Ký số" in mine


@pytest.mark.django_db
def test_a_returned_letter_is_named_alike_on_the_dossier_and_documents_pages(
    school, principal, clerk, transfer
) -> None:
    doc = _letter(clerk, school, transfer)
    with frozen_at(at(2026, 12, 3, 10, 0)):
        assert act_on_letter(principal, doc, OS.DRAFT).status_code == 302
    doc.refresh_from_db()
    assert doc.status == OS.DRAFT
    # A fresh draft beside it keeps its own name, "Dự thảo".
    fresh = client_for(clerk).post(
        reverse("documents:outgoing_new"),
        {
            "type_code": "KH",
            "summary": "Chuyển đổi số năm 2026",
            "body": "Nội dung kế hoạch.",
            "signer": principal.pk,
            "recipients": "Phòng GD&ĐT;\nLưu: VT.",
            "head_title": "Hiệu trưởng",
            "to_state_agency": "on",
        },
    )
    assert fresh.status_code == 302
    other = OutgoingDocument.objects.exclude(pk=doc.pk).get()

    clerk_client = client_for(clerk)
    dossier_page = clerk_client.get(
        reverse("dossiers:detail", args=[Apology.objects.get(outgoing=doc).dossier_id])
    ).content.decode()
    assert "Bị trả lại (Nguyễn Thị Thanh Trang, 03/12/2026)" in dossier_page
    detail = clerk_client.get(reverse("documents:outgoing_detail", args=[doc.pk])).content.decode()
    badge = re.search(r'<span class="badge[^"]*">([^<]*)</span>', detail)
    assert badge is not None
    assert badge.group(1).strip() == "Bị trả lại"
    register = clerk_client.get(reverse("documents:outgoing")).content.decode()
    cells = {
        href: re.findall(r"<td>([^<]*)</td></tr>", row)
        for href, row in re.findall(r"<tr><td><a href=\"([^\"]+)\"(.*?</tr>)", register)
    }
    assert len(cells) == 2
    assert cells[reverse("documents:outgoing_detail", args=[doc.pk])] == ["Bị trả lại"]
    assert cells[reverse("documents:outgoing_detail", args=[other.pk])] == ["Dự thảo"]


@pytest.mark.django_db
def test_the_letters_queue_and_the_documents_queue_agree_on_whose_turn_it_is(
    school, principal, clerk, transfer
) -> None:
    """The apology letters waiting on the dossiers' desk (`apology_letters.waiting_for`) and the
    outgoing documents waiting in "Việc của tôi" (`outgoing_waiting_for`) ask one rule
    (`documents.selectors.waiting_steps`): at each step of the register the letter waits for the
    same person in both, and in neither for the other."""
    from cchc.documents.selectors import outgoing_waiting_for, waiting_steps
    from cchc.dossiers.apology_letters import waiting_for

    doc = _letter(clerk, school, transfer)
    # Review: the head; approved: the clerk numbers it; numbered: the head, its signer, signs.
    for step, turn in ((OS.REVIEW, principal), (OS.APPROVED, clerk), (OS.NUMBERED, principal)):
        if step == OS.APPROVED:
            assert act_on_letter(principal, doc, OS.APPROVED).status_code == 302
        elif step == OS.NUMBERED:
            assert act_on_letter(clerk, doc, "number").status_code == 302
        for staff in (principal, clerk):
            letters = {a.outgoing_id for a, _state in waiting_for(staff.user)}
            documents = {w.doc.pk for w in outgoing_waiting_for(user=staff.user)}
            assert (doc.pk in letters, doc.pk in documents) == (staff == turn,) * 2, step
            _condition, actions = waiting_steps(staff.user, staff)
            assert (step in actions) >= (staff == turn), step
