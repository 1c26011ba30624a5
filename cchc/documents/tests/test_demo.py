"""The demo: real signed documents from a CA made at seeding time; targets 7–9 show figures."""

from __future__ import annotations

import pytest

from cchc.documents import demo, signing
from cchc.documents.models import (
    IncomingDocument,
    OutgoingDocument,
    SigningCertificate,
    TrustedRoot,
)


@pytest.mark.django_db
def test_demo_year_binds_plan_targets_7_8_9_to_live_figures() -> None:
    from cchc.organizations.demo import seed_base
    from cchc.plans import demo as plans_demo
    from cchc.plans.models import Plan
    from cchc.plans.selectors import target_statuses

    seed_base()
    plans_demo.seed_demo_data()
    lines = demo.seed_demo_data(documents=3)

    assert "mã PIN chữ ký số mẫu" in lines[0]
    assert demo.seed_demo_data(documents=3) == []  # safe twice
    released = OutgoingDocument.objects.filter(status="released").exclude(signed_pdf="")
    roots = list(TrustedRoot.objects.values_list("certificate_pem", flat=True))
    assert released.exists()
    for doc in released:
        assert all(r.ok for r in signing.verify_pdf(doc.signed_pdf.read(), roots))
    assert IncomingDocument.objects.count() == 9
    # One seal for the school, one for the commune above it (its consolidated report).
    seals = SigningCertificate.objects.filter(staff__isnull=True)
    assert sorted(seals.values_list("unit__code", flat=True)) == ["000.00.31.H29", "000.31.41.H29"]
    # The clerk signs the papers she receives (Mẫu 01) with her own certificate and the PIN.
    clerk_cert = SigningCertificate.objects.get(staff__user__username="thuyltt")
    opened = signing.read_pkcs12(
        signing.decrypt_blob(bytes(clerk_cert.pkcs12_encrypted)), demo.DEMO_PIN
    )
    assert "Lê Thị Thanh Thủy" in opened.subject
    from cchc.dossiers.paper_signing import certificate_of

    assert certificate_of(clerk_cert.staff, clerk_cert.unit_id) == clerk_cert
    statuses = {s.target.number: s for s in target_statuses(Plan.objects.get(year=2026))}
    for number, code in (
        ("7", "e_document_rate"),
        ("8", "digital_signature_rate"),
        ("9", "official_email_rate"),
    ):
        assert statuses[number].target.kpi_code == code
        assert statuses[number].measure.is_measurable, code
    assert statuses["8"].measure.numerator >= 1
