"""The demo school signs its recent one-stop papers: the indicator reads a plausible figure
(neither 0 % nor 100 %) and each counted signature is a real one that verifies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cchc.core.official_docs import converter
from cchc.documents import signing
from cchc.documents.models import SignatureEvent, TrustedRoot
from cchc.dossiers import paper_signing
from cchc.dossiers.kpis import PAPERS_SIGNED
from cchc.dossiers.models import SignedPaper
from cchc.dossiers.tests.paper_reading import require_tools
from cchc.kpi import registry
from cchc.kpi.registry import Period
from cchc.organizations.models import Unit


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
def test_demo_signs_recent_papers_only_and_each_signature_verifies() -> None:
    require_tools()
    from cchc.documents import demo as documents_demo
    from cchc.dossiers import demo as dossiers_demo
    from cchc.dossiers import demo_paper_signing
    from cchc.organizations.demo import seed_base

    seed_base()
    dossiers_demo.seed_demo_data(dossiers=80)
    documents_demo.seed_demo_data(documents=0)  # the certificates
    cold_before, stored_before = converter.stats.cold, converter.stats.stored
    lines = demo_paper_signing.seed_signed_papers()

    assert "giấy tờ một cửa" in lines[0]
    # One LibreOffice run for the batch: no paper converted on its own while signing.
    assert converter.stats.cold == cold_before
    signed_count = SignedPaper.objects.count()
    assert converter.stats.stored - stored_before == signed_count  # each from the batch
    assert demo_paper_signing.seed_signed_papers() == []  # safe twice
    school = Unit.objects.get(code=demo_paper_signing.SCHOOL_CODE)
    today = timezone.localdate()
    # The demo's year up to today (a calendar year would hold no dossier on 2 January).
    year = Period(today - timedelta(days=365), today)
    measure = registry.measure(PAPERS_SIGNED, Unit.objects.filter(pk=school.pk), year)
    assert 0 < measure.numerator < measure.denominator, measure.display()
    papers = SignedPaper.objects.filter(dossier__unit=school).select_related("dossier", "signer")
    assert papers.count() == measure.numerator
    assert {p.kind for p in papers} >= {"tiep-nhan"}
    # Each read as the dossier reads now: none flagged as signed before a correction.
    assert all(p.content_key for p in papers)
    flagged = [p for p in papers if paper_signing._corrected_since(p.dossier, p.kind, p)]
    assert flagged == []
    roots = list(TrustedRoot.objects.values_list("certificate_pem", flat=True))
    weeks_ago = today.toordinal() - 7 * demo_paper_signing.SIGNING_WEEKS
    for paper in papers:
        reports = signing.verify_pdf(paper.pdf.read(), roots)
        assert reports, paper
        assert all(r.ok for r in reports), paper
        # The signature's own time (CMS signing-time, what validators show) is the paper's
        # signing moment, not the moment the demo was seeded.
        # (CMS UTCTime keeps whole seconds.)
        assert [abs(r.signed_at - paper.signed_at) < timedelta(seconds=1) for r in reports] == [
            True
        ], (paper, [r.signed_at for r in reports])
        # Signed by the officer who received the dossier, a few minutes after it was issued,
        # at office hours of a working day, for a dossier of the last weeks only.
        assert paper.signer.user_id == paper.dossier.received_by_id
        local = timezone.localtime(paper.signed_at)
        assert local.weekday() != 6, local
        assert 7 <= local.hour < 18, local
        assert timezone.localtime(paper.dossier.received_at).date().toordinal() >= weeks_ago
    assert (
        SignatureEvent.objects.filter(
            unit=school, purpose__startswith="Ký số Giấy tiếp nhận"
        ).count()
        == papers.filter(kind="tiep-nhan").count()
    )
