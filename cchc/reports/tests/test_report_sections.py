"""QA walk: the commune's reform officer could request the consolidated report but not write it;
the chair had to type "Khó khăn, vướng mắc" and "Đề xuất, kiến nghị" himself. The drafter now
saves both sections on the report's page; an edit from an older page answers 409 (audited,
nothing overwritten); the chair's submission form is filled with what the drafter saved."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.accounts.models import User
from cchc.core.audit_verbs import AuditVerb
from cchc.core.models import AuditEvent
from cchc.organizations.demo import COMMUNE, seed_base
from cchc.organizations.models import Unit
from cchc.reports import services
from cchc.reports.calendar import offered_windows
from cchc.reports.models import Report, ReportKind, ReportStatus
from tests.fixtures import client_for


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
def test_the_drafter_writes_the_sections_and_a_stale_edit_is_refused() -> None:
    seed_base()
    commune = Unit.objects.get(code=COMMUNE["code"])
    officer, chair = (User.objects.get(username=name) for name in ("tuanpm", "hungnv"))
    today = timezone.localdate()
    closed = next(w for w in offered_windows(commune, today) if w.end < today)
    report = services.report_request(
        actor=officer, unit=commune, period=closed.period, kind=ReportKind.CONSOLIDATED
    )
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.READY, built_at=timezone.now())
    url = reverse("reports:detail", args=[report.pk])
    save = reverse("reports:sections", args=[report.pk])

    page = client_for(officer.staff).get(url).content.decode()
    assert 'id="report-sections"' in page  # the drafter has the form ...
    assert 'id="report-issue"' not in page  # ... and the chair alone submits
    response = client_for(officer.staff).post(
        save, {"kho_khan": "Thiếu máy quét.", "de_xuat": "Cấp thêm máy quét.", "version": "1"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.difficulties, report.proposals, report.version) == (
        "Thiếu máy quét.",
        "Cấp thêm máy quét.",
        2,
    )
    assert AuditEvent.objects.filter(
        verb=AuditVerb.REPORTS_SECTIONS_EDIT, object_id=str(report.pk)
    ).exists()

    # A second tab opened at version 1 saves later: refused, audited, the newer text kept.
    stale = client_for(officer.staff).post(
        save, {"kho_khan": "Bản cũ.", "de_xuat": "Bản cũ.", "version": "1"}
    )
    assert stale.status_code == 409
    assert "vừa được người khác lưu" in stale.content.decode()
    report.refresh_from_db()
    assert report.difficulties == "Thiếu máy quét."
    refused = AuditEvent.objects.get(
        verb=AuditVerb.REPORTS_SECTIONS_STALE, object_id=str(report.pk)
    )
    assert refused.after["difficulties"] == "Bản cũ."

    # The chair's submission form carries what the drafter wrote; he has no drafting form.
    chair_page = client_for(chair.staff).get(url).content.decode()
    assert 'id="report-issue"' in chair_page
    assert "Cấp thêm máy quét." in chair_page
    assert 'id="report-sections"' not in chair_page


@pytest.mark.django_db
def test_the_draft_reads_the_saved_text_and_a_stale_submission_is_refused(tmp_path) -> None:
    """QA walk: saving the sections left the draft DOCX/PDF of the first build (the paper the
    chair reviews and the clerk reads before numbering); the chair's form had no version, so an
    older page submitted its text over the drafter's newer one. The drafter's save lays the
    draft out again; the chair's form opened before that save answers 409 in Vietnamese."""
    from cchc.documents.models import OutgoingDocument
    from cchc.dossiers.tests.paper_reading import require_tools, run_tool
    from cchc.reports.tests.test_reports import _docx_text

    require_tools()
    seed_base()
    commune = Unit.objects.get(code=COMMUNE["code"])
    officer, chair = (User.objects.get(username=name) for name in ("tuanpm", "hungnv"))
    today = timezone.localdate()
    closed = next(w for w in offered_windows(commune, today) if w.end < today)
    report = services.report_request(
        actor=officer, unit=commune, period=closed.period, kind=ReportKind.CONSOLIDATED
    )
    report = services.report_build(report.pk)
    assert report is not None
    assert report.status == ReportStatus.READY, report.error
    url = reverse("reports:detail", args=[report.pk])
    chair_before = client_for(chair.staff).get(url).context["form"]  # opened at version 1
    assert chair_before.initial["version"] == 1

    saved = client_for(officer.staff).post(
        reverse("reports:sections", args=[report.pk]),
        {"kho_khan": "Hai trường thiếu máy quét.", "de_xuat": "Cấp 02 máy quét.", "version": "1"},
    )
    assert saved.status_code == 302
    report.refresh_from_db()
    text, _tables = _docx_text(report.docx.read())
    assert "Hai trường thiếu máy quét." in text
    assert "Cấp 02 máy quét." in text
    path = tmp_path / "du-thao.pdf"
    path.write_bytes(report.pdf.read())
    pdf = " ".join(run_tool("pdftotext", str(path), "-").split())
    assert "Hai trường thiếu máy quét." in pdf
    assert "Cấp 02 máy quét." in pdf

    issue = reverse("reports:issue", args=[report.pk])
    stale = client_for(chair.staff).post(
        issue, {"kho_khan": "Không có.", "de_xuat": "Không có.", "version": "1"}
    )
    assert stale.status_code == 409
    assert "vừa được người soạn lưu" in stale.content.decode()
    assert not OutgoingDocument.objects.exists()
    report.refresh_from_db()
    assert report.difficulties == "Hai trường thiếu máy quét."
    refused = AuditEvent.objects.get(verb=AuditVerb.REPORTS_SUBMIT_STALE, object_id=str(report.pk))
    assert refused.after["difficulties"] == "Không có."

    fresh = client_for(chair.staff).get(url).context["form"]
    assert fresh.initial["version"] == report.version
    sent = client_for(chair.staff).post(
        issue,
        {
            "kho_khan": fresh.initial["kho_khan"],
            "de_xuat": fresh.initial["de_xuat"],
            "version": fresh.initial["version"],
        },
    )
    assert sent.status_code == 302
    assert OutgoingDocument.objects.count() == 1
