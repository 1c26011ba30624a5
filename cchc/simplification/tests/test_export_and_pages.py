"""The proposal paper carries the figures (read back from the DOCX and the PDF), the pages and
the API answer bad input with Vietnamese 4xx, and a stale approval is a 409."""

from __future__ import annotations

import io
import subprocess
import tempfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document

from cchc.core.official_docs import libreoffice_available
from cchc.simplification import costing, services
from cchc.simplification.models import Finding, Review, ReviewStatus
from cchc.simplification.tests.conftest import complete
from tests.fixtures import client_for

pytestmark = pytest.mark.django_db


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_export_contains_the_figures(review, clerk, principal) -> None:
    complete(review, clerk.user, timezone.localdate() + timedelta(days=10))
    review = services.review_act(
        actor=principal.user, review=review, action="approve", expected_version=None
    )
    saving = services.review_saving(review)
    client = client_for(principal)
    response = client.get(reverse("simplification:export", args=[review.pk, "docx"]))
    assert response.status_code == 200
    text = _docx_text(response.content)
    assert "TỜ TRÌNH" in text
    assert "Không yêu cầu bản sao giấy khai sinh." in text
    assert "Căn cứ pháp lý: Nghị định số 45/2020/NĐ-CP." in text
    assert costing.vnd(saving.before.per_year_vnd) in text
    assert costing.vnd(saving.after.per_year_vnd) in text
    assert costing.vnd(saving.per_year_vnd) in text
    assert costing.percent(saving.percent) in text
    assert principal.full_name in text

    assert libreoffice_available(), "LibreOffice is required (make test installs it)"
    pdf = client.get(reverse("simplification:export", args=[review.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf.content)
        handle.flush()
        read = subprocess.run(  # noqa: S603 - fixed poppler tool on our own temp file
            ["/usr/bin/pdftotext", "-layout", handle.name, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    assert costing.vnd(saving.per_year_vnd) in read
    assert costing.percent(saving.percent) in read


def test_page_shows_cost_table_and_facts(review, clerk) -> None:
    page = client_for(clerk).get(reverse("simplification:detail", args=[review.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Chi phí tuân thủ 01 hồ sơ" in body
    assert costing.vnd(services.review_saving(review).before.per_dossier_vnd) in body
    assert 'id="visits"' in body
    assert "Số liệu đo được từ hồ sơ trong hệ thống" in body


def test_page_refuses_proposal_without_ground_with_422(review, clerk) -> None:
    version = Review.objects.get(pk=review.pk).version
    response = client_for(clerk).post(
        reverse("simplification:edit", args=[review.pk]),
        {
            "form": "finding",
            "part_code": "fee",
            "fee-part": "fee",
            "fee-version": version,
            "fee-finding": "Lệ phí cao",
            "fee-proposal": "Miễn lệ phí",
            "fee-legal_ground": "",
        },
    )
    assert response.status_code == 422
    assert "phải nêu căn cứ pháp lý" in response.content.decode()
    assert Finding.objects.get(review=review, part="fee").proposal == ""


def test_page_negative_hours_is_422(review, clerk) -> None:
    version = Review.objects.get(pk=review.pk).version
    response = client_for(clerk).post(
        reverse("simplification:edit", args=[review.pk]),
        {
            "form": "cost",
            "version": version,
            "scenario": "after",
            "activity": "Đi lại",
            "hours": "-2",
            "fee_vnd": "0",
            "other_vnd": "0",
        },
    )
    assert response.status_code == 422
    assert "không được âm" in response.content.decode()


def test_page_stale_approval_is_409(review, clerk, principal) -> None:
    complete(review, clerk.user, timezone.localdate() + timedelta(days=10))
    version = Review.objects.get(pk=review.pk).version
    client = client_for(principal)
    url = reverse("simplification:act", args=[review.pk])
    first = client.post(url, {"action": "approve", "version": version})
    second = client.post(url, {"action": "approve", "version": version})
    assert first.status_code == 302
    assert second.status_code == 409
    assert "vừa được người khác thay đổi" in second.content.decode()


def test_approval_checks_who_acts_before_the_form(review, clerk, principal, commune_officer):
    """Guard → form → service: someone who may not approve gets 403 (not the form's 422),
    whatever they post; someone who may still gets the form's 422 for a bad form."""
    url = reverse("simplification:act", args=[review.pk])

    by_clerk = client_for(clerk).post(url, {"action": "approve", "version": "x"})
    by_commune = client_for(commune_officer).post(url, {"action": "approve"})
    by_principal = client_for(principal).post(url, {"action": "approve", "version": "x"})

    assert by_clerk.status_code == 403
    assert "không có quyền" in by_clerk.content.decode()
    assert by_commune.status_code == 403
    assert by_principal.status_code == 422
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.DRAFT


def test_api_approval_checks_who_acts_before_the_version_and_the_action(
    review, clerk, commune_officer
) -> None:
    """The service's guard runs first too: no 409 for a stale version, no 422 for an unknown
    action, to someone who may not act."""
    url = f"/api/v1/simplification/reviews/{review.pk}/actions"

    def post(staff, action):
        body = {"action": action, "version": 999}
        return client_for(staff).post(url, body, content_type="application/json")

    stale = post(commune_officer, "approve")
    unknown = post(clerk, "xoa")
    reopen = post(clerk, "reopen")

    assert stale.status_code == 403
    assert "không có quyền" in stale.json()["detail"]
    assert unknown.status_code == 422  # the clerk may act on drafts: the code is bad input
    assert reopen.status_code == 409  # allowed for the clerk, stale version
    assert Review.objects.get(pk=review.pk).status == ReviewStatus.DRAFT


def test_api_lists_scoped_and_answers_409_for_stale_version(
    review, clerk, principal, outsider, commune_officer
) -> None:
    complete(review, clerk.user, timezone.localdate() + timedelta(days=10))
    version = Review.objects.get(pk=review.pk).version
    api = client_for(principal)
    url = f"/api/v1/simplification/reviews/{review.pk}"
    body = api.get(url).json()
    assert body["saving_per_year_vnd"] == services.review_saving(review).per_year_vnd
    assert len(body["findings"]) == 6
    first = api.post(
        f"{url}/actions", {"action": "approve", "version": version}, content_type="application/json"
    )
    assert first.status_code == 200
    assert first.json()["status"] == ReviewStatus.APPROVED
    again = api.post(
        f"{url}/actions", {"action": "approve", "version": version}, content_type="application/json"
    )
    assert again.status_code == 409
    assert "vừa được người khác thay đổi" in again.json()["detail"]
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).get("/api/v1/simplification/reviews").json() == []
    assert [
        r["id"] for r in client_for(commune_officer).get("/api/v1/simplification/reviews").json()
    ] == [review.pk]
