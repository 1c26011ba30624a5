"""A stored PDF paper is never staler than what it prints, whoever's record that is.

The PDF is stored under its DOCX's content (`papers_service.paper_docx`), so a change to any
input the paper prints, the dossier's or not (an officer's name on his staff record, the day of
a paper dated today, the procedure's and the units' names), gives a new PDF that reads like the
Word file. Each case: print, change the input, print again, read the PDF back (pdftotext).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from unittest import mock

import pytest
from django.urls import reverse

from cchc.core.official_docs import converter
from cchc.core.timezones import VN
from cchc.dossiers import services
from cchc.dossiers.tests.test_paper_store import pdf_text
from tests.fixtures import client_for


@pytest.fixture
def received(settings, clerk, school, transfer, pdf_server: str, tmp_path: Path):
    settings.PDF_SERVER = pdf_server
    settings.PDF_STORE_DIR = str(tmp_path / "papers")
    with mock.patch(
        "django.utils.timezone.now", return_value=datetime(2026, 3, 2, 9, 0, tzinfo=VN)
    ):
        return services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={"applicant_name": "Nguyễn Văn An", "applicant_phone": "0912345678"},
            provided_documents=[d["name"] for d in transfer.documents],
        )


def _pdf(client, dossier, kind: str, tmp_path: Path) -> str:
    response = client.get(reverse("dossiers:paper", args=[dossier.pk, kind, "pdf"]))
    assert response.status_code == 200
    return " ".join(pdf_text(response.content, tmp_path).split())


@pytest.mark.django_db
def test_receipt_pdf_follows_the_officer_the_procedure_and_the_units_it_names(
    received, clerk, school, commune, transfer, tmp_path: Path
) -> None:
    client = client_for(clerk)
    stored = converter.stats.stored
    first = _pdf(client, received, "tiep-nhan", tmp_path)
    assert _pdf(client, received, "tiep-nhan", tmp_path) == first  # unchanged: from storage
    assert converter.stats.stored == stored + 1
    assert "Lê Thị Thanh Thủy" in first

    clerk.full_name = "Lê Thị Thanh Thúy"  # the principal corrects the clerk's staff record
    clerk.save()
    renamed = _pdf(client, received, "tiep-nhan", tmp_path)
    assert "Lê Thị Thanh Thúy" in renamed
    assert "Lê Thị Thanh Thủy" not in renamed

    transfer.name = "Xin học lại lớp 6"
    transfer.save()
    commune.name = "UBND xã Thử nghiệm Mới"
    commune.save()
    retitled = _pdf(client, received, "tiep-nhan", tmp_path)
    assert "Xin học lại lớp 6" in retitled
    assert "THỬ NGHIỆM MỚI" in retitled.upper()
    assert "Xin học lại lớp 6" not in renamed


@pytest.mark.django_db
def test_control_sheet_pdf_is_dated_the_day_it_is_printed(received, clerk, tmp_path: Path) -> None:
    client = client_for(clerk)
    with mock.patch("cchc.dossiers.papers._today", return_value=date(2026, 12, 1)):
        monday = _pdf(client, received, "kiem-soat", tmp_path)
    with mock.patch("cchc.dossiers.papers._today", return_value=date(2026, 12, 2)):
        tuesday = _pdf(client, received, "kiem-soat", tmp_path)
        docx = client.get(reverse("dossiers:paper", args=[received.pk, "kiem-soat", "docx"]))
    assert "ngày 01 tháng 12 năm 2026" in monday
    assert "ngày 02 tháng 12 năm 2026" in tuesday
    assert "ngày 01 tháng 12" not in tuesday
    assert "ngày 02 tháng 12 năm 2026" in _docx_text(docx.content)


def _docx_text(docx: bytes) -> str:
    import io
    import re
    import zipfile

    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = archive.read("word/document.xml").decode()
    return " ".join(re.sub(r"<[^>]+>", "", re.sub(r"</w:p>", " ", body)).split())
