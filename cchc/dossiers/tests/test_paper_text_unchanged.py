"""Papers read the same, word for word and line for line, as before the warm converter.

The text files under `data/paper_text/` are `pdftotext -layout` of the receipt (Mẫu 01), the
apology (Mẫu 04), a 60-row tracking book (Mẫu 07, three pages) and a plan, made by the code of
commit 935b8eb: python-docx cell by cell, the "Table Grid" style, one LibreOffice process per
paper. Each is made here again by today's path (the faster table builder, the warm converter)
and must read back identically: same words, same line breaks, same page breaks. To renew them
after a deliberate layout change:
    .venv/bin/python -m cchc.dossiers.tests.test_paper_text_unchanged
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest

from cchc.core.official_docs import OfficialDocument, build_docx, docx_to_pdf
from cchc.core.tests.test_official_docs import plan_document
from cchc.dossiers import papers
from cchc.dossiers.tests.paper_reading import require_tools
from cchc.dossiers.tests.test_papers import DOSSIER, NEW_DUE, UNIT, utc

GOLDEN = Path(__file__).parent / "data" / "paper_text"


def book_rows(count: int) -> list[papers.BookRow]:
    """Rows with one- and two-line cells, blank times and the longest procedure names."""
    names = (
        "Chuyển trường đối với học sinh trung học cơ sở",
        "Xét, duyệt chính sách hỗ trợ đối với học sinh trung học cơ sở ở xã, thôn đặc biệt "
        "khó khăn",
        "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
    )
    start = utc(2026, 1, 5, 1, 30)
    return [
        papers.BookRow(
            entry=number,
            code=f"000.31.41.H29-2601{number % 28 + 1:02d}-{number:04d}",
            procedure_name=names[number % 3],
            sets=1,
            applicant_name=("Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Hoàng Phúc")[number % 3],
            applicant_contact="12 đường Nguyễn Văn Linh, ấp 2\n0912345678"
            if number % 2
            else "0283 123 4567",
            lead_body="Trường THCS Nguyễn Thái Bình",
            received_at=start + timedelta(days=number),
            due_at=start + timedelta(days=number + 5),
            returned_at=start + timedelta(days=number + 4) if number % 4 else None,
            delivery="Trực tiếp" if number % 2 else "Dịch vụ bưu chính",
            note="Bổ sung học bạ" if number % 7 == 0 else "",
        )
        for number in range(1, count + 1)
    ]


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
        "book": papers.tracking_book(UNIT, book_rows(60), year=2026, issued_on=date(2026, 12, 31)),
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


@pytest.mark.parametrize("name", ["receipt", "apology", "book", "plan"])
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
