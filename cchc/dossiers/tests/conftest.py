from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from cchc.documents.models import OutgoingDocument
from cchc.documents.tests import pki
from cchc.documents.workflow import OutgoingStatus as OS
from cchc.dossiers import procedures
from cchc.organizations.models import Staff
from tests.fixtures import client_for


@pytest.fixture
def catalogue(school, clerk):
    """The packaged catalogue loaded for the test school, by name."""
    return {p.name: p for p in procedures.procedure_seed_defaults(actor=clerk.user, unit=school)}


@pytest.fixture
def transfer(catalogue):
    return next(p for name, p in catalogue.items() if name.startswith("Chuyển trường"))


@pytest.fixture
def copy_from_register(catalogue):
    return next(p for name, p in catalogue.items() if "bản sao" in name.lower())


def act_on_letter(staff: Staff, doc: OutgoingDocument, action: str, pin: str = "") -> Any:
    """Post one action on the letter's page as `staff`, with the letter's current version."""
    doc.refresh_from_db()
    return client_for(staff).post(
        reverse("documents:outgoing_act", args=[doc.pk]),
        {"action": action, "version": doc.version, "pin": pin},
    )


def resend_returned(staff: Staff, doc: OutgoingDocument) -> Any:
    """Send a returned apology letter up again from its dossier page, its apology as it stands."""
    from cchc.core.timezones import VN
    from cchc.dossiers.models import Apology

    apology = Apology.objects.select_related("dossier").get(outgoing=doc)
    return client_for(staff).post(
        reverse("dossiers:apology_revise", args=[apology.dossier_id]),
        {
            "reason": apology.reason,
            "new_due_at": f"{apology.new_due_at.astimezone(VN):%Y-%m-%d}",
            "version": apology.dossier.version,
        },
    )


def released_letter(doc: OutgoingDocument, *, clerk: Staff, principal: Staff) -> OutgoingDocument:
    """Walk an apology's letter from where it stands to released, through the letter's page as
    its users do: the clerk sends a draft for approval (a draft sent back, through the
    apology's "Sửa và trình ký lại" on the dossier page, the only way it goes up again), the
    principal approves, the clerk numbers, the principal signs with his PIN, the clerk releases
    it with the seal.

    For the tests to which a released letter is only set-up (the steps themselves, and who may
    take each, are tested in test_apology_letters); each step must succeed, or the test stops
    there, naming it. Run it inside the caller's `frozen_at` to date the steps."""
    steps = {
        OS.DRAFT: (clerk, OS.REVIEW, ""),
        OS.REVIEW: (principal, OS.APPROVED, ""),
        OS.APPROVED: (clerk, "number", ""),
        OS.NUMBERED: (principal, "sign", pki.PIN),
        OS.SIGNED: (clerk, "release", pki.PIN),
    }
    doc.refresh_from_db()
    while doc.status != OS.RELEASED:
        before = doc.status
        staff, action, pin = steps[before]
        response = (
            resend_returned(clerk, doc)
            if before == OS.DRAFT
            else act_on_letter(staff, doc, action, pin)
        )
        assert response.status_code == 302, (action, response.status_code)
        doc.refresh_from_db()
        assert doc.status != before, (action, doc.status)
    return doc
