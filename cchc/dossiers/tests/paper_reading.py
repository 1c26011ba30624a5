"""Reading a paper back: its DOCX text, its PDF's pages and size, with the real tools.

The PDF checks run real LibreOffice and poppler and fail, not skip, when those are missing.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

from docx import Document

from cchc.core.official_docs import libreoffice_available

INSTALL = "apt-get install libreoffice-writer-nogui fonts-liberation2 poppler-utils"
#: An A5 page in whole points, as pdfinfo prints it.
A5_POINTS = (420, 595)


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of the body, one line each, whitespace collapsed."""
    document = Document(io.BytesIO(data))
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def flat(text: str) -> str:
    return " ".join(text.split())


def require_tools() -> None:
    assert libreoffice_available(), f"LibreOffice is required for the PDF tests: {INSTALL}"
    for tool in ("pdftotext", "pdfinfo", "pdftoppm"):
        assert shutil.which(tool), f"{tool} is required for the PDF tests: {INSTALL}"


def run_tool(*args: str) -> str:
    result = subprocess.run(args, check=True, capture_output=True, text=True, timeout=30)  # noqa: S603
    return result.stdout


def pdf_info(path: Path) -> tuple[int, tuple[int, int]]:
    """Number of pages and the first page's size in whole points."""
    info = run_tool("pdfinfo", str(path))
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    assert size is not None
    return pages, (round(float(size.group(1))), round(float(size.group(2))))
