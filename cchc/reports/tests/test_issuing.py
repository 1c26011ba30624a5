"""A built report issued through the outgoing register: the principal submits it (both of its own
sections written), the clerk numbers it and the paper is laid out again with that number, the
principal signs it with pyHanko, the clerk releases it with the seal and the commune gets it by
mail; the report's page then says "Đã ban hành số … ngày …" and links the signed PDF."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from cchc.core.models import AuditEvent
from cchc.documents import services as documents
from cchc.documents import signing
from cchc.documents.models import OutgoingDocument
from cchc.documents.tests import pki
from cchc.documents.tests.conftest import ca as ca
from cchc.documents.tests.conftest import certificates as certificates
from cchc.documents.workflow import OutgoingStatus
from cchc.dossiers.tests.paper_reading import require_tools, run_tool
from cchc.reports import issuing, services
from cchc.reports.models import Report, ReportStatus
from cchc.reports.tests.test_reports import _docx_text
from cchc.reports.tests.test_reports import plan as plan
from tests.fixtures import client_for


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def built(plan, school, principal) -> Report:
    """The school's Q1 report, built as the worker builds it, without its own sections."""
    report = services.report_request(actor=principal.user, unit=school, period="2026-Q1")
    report = services.report_build(report.pk)
    assert report is not None
    assert report.status == ReportStatus.READY, report.error
    return report


@pytest.mark.django_db
def test_a_report_is_numbered_signed_released_and_shown_as_issued(
    built,
    school,
    commune,
    principal,
    clerk,
    commune_officer,
    certificates,
    ca,
    smtp_server,
    tmp_path,
    django_capture_on_commit_callbacks,
) -> None:
    require_tools()
    commune.email = "vanphong@thunghiem.gov.vn"
    commune.save()
    school.email = "thcs-a@thunghiem.edu.vn"
    school.save()
    url = reverse("reports:issue", args=[built.pk])
    page = client_for(principal).get(reverse("reports:detail", args=[built.pk])).content.decode()
    assert 'id="report-issue"' in page
    assert "Chưa trình ban hành" in page

    # An empty section would go out blank in a signed PDF: refused, nothing drafted.
    empty = client_for(principal).post(
        url, {"kho_khan": "Không có.", "de_xuat": " ", "version": built.version}
    )
    assert empty.status_code == 422
    assert "Ghi đề xuất, kiến nghị" in empty.content.decode()
    # Only the unit's leader who approves documents issues it.
    assert client_for(clerk).post(url, {"kho_khan": "x", "de_xuat": "y"}).status_code == 403
    assert client_for(commune_officer).post(url, {"kho_khan": "x", "de_xuat": "y"}).status_code in (
        403,
        404,
    )
    assert not OutgoingDocument.objects.exists()

    sent = client_for(principal).post(
        url,
        {
            "kho_khan": "Thiếu máy quét tài liệu.",
            "de_xuat": "Cấp thêm 01 máy quét.",
            "version": built.version,
        },
    )
    assert sent.status_code == 302
    built.refresh_from_db()
    doc = built.outgoing
    assert doc is not None
    assert (doc.status, doc.signer_id) == (OutgoingStatus.APPROVED, principal.pk)
    assert doc.type_code == "BC"
    assert doc.recipient_emails == "vanphong@thunghiem.gov.vn"
    assert AuditEvent.objects.filter(verb="reports.submit", object_id=str(built.pk)).exists()
    again = client_for(principal).post(url, {"kho_khan": "a", "de_xuat": "b"})
    assert again.status_code == 409

    doc = documents.outgoing_number(actor=clerk.user, doc=doc)

    built.refresh_from_db()
    today = timezone.localdate()
    assert built.number == doc.number
    text, tables = _docx_text(built.docx.read())
    cells = " ".join(cell for table in tables for row in table for cell in row)
    assert f"Số: {doc.number:02d}/BC-{school.symbol}" in cells
    assert f"ngày {today.day:02d}" in cells
    assert "Cấp thêm 01 máy quét." in text
    assert "Nguyễn Thị Thanh Trang" in cells
    path = tmp_path / "numbered.pdf"
    path.write_bytes(doc.pdf.read())
    numbered = " ".join(run_tool("pdftotext", str(path), "-").split())
    assert f"Số: {doc.number:02d}/BC-{school.symbol}" in numbered
    assert "Số liệu báo cáo tính từ ngày 15/12/2025 đến ngày 14/03/2026" in numbered
    assert AuditEvent.objects.filter(verb="reports.numbered", object_id=str(built.pk)).exists()

    doc.refresh_from_db()  # the signer's request reads the stored PDF afresh
    doc = documents.outgoing_sign(actor=principal.user, doc=doc, pin=pki.PIN)
    with django_capture_on_commit_callbacks(execute=True):
        doc = documents.outgoing_release(actor=clerk.user, doc=doc, unit_pin=pki.PIN)

    assert [r.ok for r in signing.verify_pdf(doc.signed_pdf.read(), [ca.pem])] == [True, True]
    [message] = smtp_server.messages
    assert message["To"] == "vanphong@thunghiem.gov.vn"
    built.refresh_from_db()
    issued = f"Đã ban hành số {doc.symbol} ngày {today:%d/%m/%Y}"
    assert issuing.issued_text(built) == issued
    page = client_for(principal).get(reverse("reports:detail", args=[built.pk])).content.decode()
    assert issued in page
    signed_url = reverse("documents:outgoing_file", args=[doc.pk])
    assert signed_url in page
    assert 'id="report-issue"' not in page
    download = client_for(principal).get(signed_url)
    signed = b"".join(download.streaming_content)
    assert len(signing.verify_pdf(signed, [ca.pem])) == 2
    listed = client_for(principal).get(reverse("reports:index")).content.decode()
    assert doc.symbol in listed


@pytest.mark.django_db
def test_a_report_of_an_open_window_or_not_built_is_not_issued(school, principal) -> None:
    from django.core.exceptions import ValidationError

    building = Report.objects.create(unit=school, period="2026-Q1", symbol="BC-X")
    with pytest.raises(ValidationError, match="chưa lập xong"):
        issuing.report_submit(
            actor=principal.user, report=building, difficulties="a", proposals="b"
        )
    today = timezone.localdate()
    open_window = Report.objects.create(
        unit=school,
        period=str(today.year),
        status=ReportStatus.READY,
        data_from=today.replace(month=1, day=1),
        data_to=today,
    )
    with pytest.raises(ValidationError, match="chốt số liệu đến hết ngày"):
        issuing.report_submit(
            actor=principal.user, report=open_window, difficulties="a", proposals="b"
        )
    assert not OutgoingDocument.objects.exists()


@pytest.mark.django_db
def test_a_commune_officer_does_not_issue_a_school_report(built, commune_officer) -> None:
    with pytest.raises(PermissionDenied):
        issuing.report_submit(
            actor=commune_officer.user, report=built, difficulties="a", proposals="b"
        )


@pytest.mark.django_db(transaction=True)
def test_two_submissions_of_one_report_at_once_draft_one_document(school, principal) -> None:
    """The report row is locked: the second submission sees the first's document and is
    refused (the page answers 409), never a second outgoing document."""
    import threading
    from datetime import date

    from django.core.exceptions import ValidationError
    from django.db import connections

    report = Report.objects.create(
        unit=school,
        period="2026-Q1",
        status=ReportStatus.READY,
        data_from=date(2025, 12, 15),
        data_to=date(2026, 3, 14),
        symbol=f"BC-{school.symbol}",
    )
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            barrier.wait()
            issuing.report_submit(
                actor=principal.user, report=report, difficulties="Không có.", proposals="Không có."
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["ok", "refused"]
    assert OutgoingDocument.objects.count() == 1
    report.refresh_from_db()
    assert report.outgoing == OutgoingDocument.objects.get()
