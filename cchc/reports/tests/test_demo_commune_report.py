"""The demo commune issues its consolidated reform report end to end: the reform officer builds
it, the chair (the commune's head, who approves its papers) submits and signs it, the commune's
clerk numbers it and releases it with the commune's seal; every step by a demo person."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cchc.accounts.models import User
from cchc.documents import demo as documents_demo
from cchc.documents import services as documents
from cchc.documents import signing
from cchc.documents.models import TrustedRoot
from cchc.documents.workflow import OutgoingStatus
from cchc.dossiers.tests.paper_reading import require_tools
from cchc.organizations.demo import COMMUNE, seed_base
from cchc.organizations.models import Unit
from cchc.reports import issuing, services
from cchc.reports.calendar import offered_windows
from cchc.reports.models import ReportKind, ReportStatus


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
def test_the_demo_commune_issues_its_consolidated_report(
    django_capture_on_commit_callbacks,
) -> None:
    require_tools()
    seed_base()
    documents_demo.seed_demo_data(documents=1)  # the demo CA's certificates
    commune = Unit.objects.get(code=COMMUNE["code"])
    officer, chair, clerk = (
        User.objects.get(username=name) for name in ("tuanpm", "hungnv", "hanltn")
    )
    today = timezone.localdate()
    closed = next(w for w in offered_windows(commune, today) if w.end < today)

    report = services.report_request(
        actor=officer, unit=commune, period=closed.period, kind=ReportKind.CONSOLIDATED
    )
    report = services.report_build(report.pk)
    assert report is not None
    assert report.status == ReportStatus.READY, report.error
    assert not issuing.may_issue(officer, report)  # he builds it; the chair approves it
    assert issuing.may_issue(chair, report)

    doc = issuing.report_submit(
        actor=chair, report=report, difficulties="Không có.", proposals="Không có."
    )
    doc = documents.outgoing_number(actor=clerk, doc=doc)
    doc.refresh_from_db()  # the signer reads the PDF laid out again with the number
    doc = documents.outgoing_sign(actor=chair, doc=doc, pin=documents_demo.DEMO_PIN)
    with django_capture_on_commit_callbacks(execute=True):
        doc = documents.outgoing_release(actor=clerk, doc=doc, unit_pin=documents_demo.DEMO_PIN)

    assert doc.status == OutgoingStatus.RELEASED
    assert doc.symbol.endswith("/BC-UBND")
    roots = list(TrustedRoot.objects.values_list("certificate_pem", flat=True))
    verified = signing.verify_pdf(doc.signed_pdf.read(), roots)
    assert [r.ok for r in verified] == [True, True]  # the chair, then the commune's seal
    report.refresh_from_db()
    assert issuing.issued_text(report).startswith(f"Đã ban hành số {doc.symbol} ngày")
