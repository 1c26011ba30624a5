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
