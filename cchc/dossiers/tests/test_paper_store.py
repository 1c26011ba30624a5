"""A dossier's PDF paper is made once per version and never served stale."""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path
from unittest import mock

import pytest
from django.urls import reverse

from cchc.core.official_docs import converter
from cchc.core.timezones import VN
from cchc.dossiers import services
from tests.fixtures import client_for


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "paper.pdf"
    path.write_bytes(pdf)
    return subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout


@pytest.mark.django_db
def test_receipt_pdf_is_stored_per_version_and_a_changed_dossier_gets_a_new_one(
    settings, clerk, school, transfer, pdf_server: str, tmp_path: Path
) -> None:
    settings.PDF_SERVER = pdf_server
    settings.PDF_STORE_DIR = str(tmp_path / "papers")
    with mock.patch(
        "django.utils.timezone.now", return_value=datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    ):
        dossier = services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={"applicant_name": "Nguyễn Văn An", "applicant_phone": "0912345678"},
            provided_documents=[d["name"] for d in transfer.documents],
        )
    client = client_for(clerk)
    url = reverse("dossiers:paper", args=[dossier.pk, "tiep-nhan", "pdf"])
    stored = converter.stats.stored

    first = client.get(url)
    second = client.get(url)
    dossier.applicant_name = "Trần Thị Bình"
    dossier.version += 1
    dossier.save()
    third = client.get(url)

    assert first.status_code == second.status_code == third.status_code == 200
    assert second.content == first.content
    assert converter.stats.stored == stored + 1
    assert "Nguyễn Văn An" in pdf_text(first.content, tmp_path)
    assert "Trần Thị Bình" in pdf_text(third.content, tmp_path)
    assert "Nguyễn Văn An" not in pdf_text(third.content, tmp_path)


@pytest.mark.django_db
def test_tracking_book_pdf_is_kept_until_a_row_or_its_procedure_changes(
    settings, clerk, school, transfer, pdf_server: str, tmp_path: Path
) -> None:
    settings.PDF_SERVER = pdf_server
    settings.PDF_STORE_DIR = str(tmp_path / "papers")
    with mock.patch(
        "django.utils.timezone.now", return_value=datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    ):
        dossier = services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={"applicant_name": "Nguyễn Văn An", "applicant_phone": "0912345678"},
            provided_documents=[d["name"] for d in transfer.documents],
        )
    client = client_for(clerk)
    url = reverse("dossiers:book") + "?xuat=pdf"
    stored = converter.stats.stored

    first = client.get(url)
    again = client.get(url)
    dossier.applicant_name = "Trần Thị Bình"
    dossier.save()
    renamed = client.get(url)
    transfer.name = "Xin học lại"  # short: one line in its column
    transfer.save()
    retitled = client.get(url)
    school.parent.name = "UBND xã Thử nghiệm Mới"  # the heading's parent body
    school.parent.save()
    reheaded = client.get(url)

    assert first.status_code == again.status_code == renamed.status_code == 200
    assert again.content == first.content
    assert converter.stats.stored == stored + 1
    assert "Nguyễn Văn An" in pdf_text(first.content, tmp_path)
    assert "Trần Thị Bình" in pdf_text(renamed.content, tmp_path)
    assert "Nguyễn Văn An" not in pdf_text(renamed.content, tmp_path)
    assert "Xin học lại" in pdf_text(retitled.content, tmp_path)
    assert "THỬ NGHIỆM MỚI" not in pdf_text(retitled.content, tmp_path)
    assert "THỬ NGHIỆM MỚI" in pdf_text(reheaded.content, tmp_path)
