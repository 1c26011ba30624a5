"""Papers read the same, word for word and line for line, as before the warm converter.

The text files under `data/paper_text/` are `pdftotext -layout` of the receipt (Mẫu 01), the
apology (Mẫu 04) and a plan, made by the code of commit 935b8eb: python-docx cell by cell, the
"Table Grid" style, one LibreOffice process per paper. Each is made here again by today's path
(the faster table builder, the warm converter) and must read back identically: same words, same
line breaks, same page breaks. The tracking book is no longer a Word paper but a spreadsheet
printed by Calc: test_book_sheet.py reads its PDF back row by row. To renew the texts
after a deliberate layout change:
    .venv/bin/python -m cchc.dossiers.tests.test_paper_text_unchanged
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest

from cchc.core.official_docs import OfficialDocument, build_docx, docx_to_pdf
from cchc.core.tests.test_official_docs import plan_document
from cchc.dossiers import papers
from cchc.dossiers.tests.paper_reading import require_tools
from cchc.dossiers.tests.test_papers import DOSSIER, NEW_DUE, UNIT

GOLDEN = Path(__file__).parent / "data" / "paper_text"


def documents() -> dict[str, OfficialDocument]:
    return {
        "receipt": papers.receipt_slip(UNIT, DOSSIER),
        "apology": papers.apology(
            UNIT,
            DOSSIER,
            reason="Trường nơi đi chưa gửi xác nhận học bạ",
            new_due_at=NEW_DUE,
            signer_name="Lê Văn Cường",
            signer_title="Hiệu trưởng",
            issued_on=date(2026, 12, 3),
        ),
        "plan": plan_document(tasks=6),
    }


def pdf_text(pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        return subprocess.run(  # noqa: S603
            ["pdftotext", "-layout", handle.name, "-"],  # noqa: S607
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout


@pytest.mark.parametrize("name", ["receipt", "apology", "plan"])
def test_paper_reads_exactly_as_before(settings, pdf_server: str, name: str) -> None:
    require_tools()
    settings.PDF_SERVER = pdf_server
    settings.PDF_STORE_DIR = ""

    text = pdf_text(docx_to_pdf(build_docx(documents()[name])))

    assert text == (GOLDEN / f"{name}.txt").read_text(encoding="utf-8")


if __name__ == "__main__":  # renew the reference texts (cold LibreOffice, as the old path)
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    from cchc.core.official_docs.pdf import cold_docx_to_pdf

    GOLDEN.mkdir(parents=True, exist_ok=True)
    for key, document in documents().items():
        (GOLDEN / f"{key}.txt").write_text(
            pdf_text(cold_docx_to_pdf(build_docx(document))), encoding="utf-8"
        )
        sys.stdout.write(f"{key}\n")
