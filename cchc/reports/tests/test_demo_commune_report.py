"""The demo commune issues its consolidated reform report end to end: the reform officer builds
it, the chair (the commune's head, who approves its papers) submits and signs it, the commune's
clerk numbers it and releases it with the commune's seal; every step by a demo person."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.accounts.models import User
from cchc.core.audit_verbs import AuditVerb
from cchc.core.models import AuditEvent
from cchc.documents import demo as documents_demo
from cchc.documents import services as documents
from cchc.documents import signing
from cchc.documents.models import TrustedRoot
from cchc.documents.workflow import OutgoingStatus
from cchc.dossiers.tests.paper_reading import require_tools
from cchc.organizations.demo import COMMUNE, seed_base
from cchc.organizations.models import Unit
from cchc.reports import issuing, services
from cchc.reports.builder import period_label
from cchc.reports.calendar import offered_windows
from cchc.reports.models import ReportKind, ReportStatus
from tests.fixtures import client_for


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

    # QA walk: the officer who built it is its drafter (not the chair who registered it), in the
    # document and in the register's audit record.
    assert doc.drafter is not None
    assert doc.drafter.user == officer
    created = AuditEvent.objects.get(
        verb=AuditVerb.DOCUMENTS_OUTGOING_CREATE, object_id=str(doc.pk)
    )
    assert created.after["drafter_id"] == doc.drafter.pk
    # The signature block: the collective, then the chair's rank only (domain.md 6.1-6.2).
    lines = _paper_lines(report.docx.path)
    at = lines.index("TM. ỦY BAN NHÂN DÂN")
    assert lines[at + 1] == "CHỦ TỊCH"
    assert not any("CHỦ TỊCH ỦY BAN" in line for line in lines)
    # ... and so does the register's own Word file of the document (Decree 30 layout).
    register = _paper_lines(io.BytesIO(documents.render_docx(doc)))
    at = register.index("TM. ỦY BAN NHÂN DÂN")
    assert register[at + 1] == "CHỦ TỊCH"
    # ... and the released document's page, as the paper has it (QA walk: "CHỦ TỊCH" missing).
    detail = client_for(clerk.staff).get(reverse("documents:outgoing_detail", args=[doc.pk]))
    signer = re.search(r'id="outgoing-signer">([^<]*)<', detail.content.decode())
    assert signer is not None
    assert signer[1] == f"TM. ỦY BAN NHÂN DÂN · CHỦ TỊCH · {chair.staff.full_name}"
    # The page names the report by its number and symbol, the period as people write it.
    page = client_for(chair.staff).get(reverse("reports:detail", args=[report.pk]))
    body = page.content.decode()
    assert re.search(r"Bản Word \(số \d{2,}/BC-UBND\)", body), body
    assert doc.symbol in body
    assert f"({report.period})" not in body
    listing = client_for(officer.staff).get(reverse("reports:index")).content.decode()
    assert period_label(report.period) in listing
    assert f">{report.period}<" not in listing


def _paper_lines(path: str | io.BytesIO) -> list[str]:
    """Every paragraph of a DOCX, table cells included, in order."""
    from docx import Document

    document = Document(path)
    lines = [p.text.strip() for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines += [p.text.strip() for p in cell.paragraphs]
    return [line for line in lines if line]
