"""DOCX (Writer) and XLSX (Calc) → PDF with LibreOffice headless (recipes.md section 4).

`docx_to_pdf` goes through `converter.py` (stored papers, then a warm LibreOffice); the cold
path below is its fallback. Every cold call runs its own soffice process with a private,
throw-away user profile (`-env:UserInstallation`): two processes sharing a profile block each
other, and the service
account's own profile is never touched. Fonts: Times New Roman is rendered with the
metric-compatible Liberation Serif, which needs Debian's fonts-liberation2 for Vietnamese glyphs.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings

from cchc.core.official_docs import converter
from cchc.core.official_docs.layout import OfficialDocError

_INSTALL_HINT = (
    "cần cài các gói libreoffice-writer-nogui, libreoffice-calc-nogui và fonts-liberation2"
)
_STDERR_TAIL = 500


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_available() -> bool:
    """Whether a LibreOffice binary is on PATH."""
    return _soffice() is not None


def _check_docx(docx: bytes) -> None:
    """Refuse anything that is not a Word document before LibreOffice guesses a text import."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise OfficialDocError(
            "Dữ liệu không phải tệp DOCX hợp lệ, không thể chuyển sang PDF."
        ) from exc
    if "word/document.xml" not in names:
        raise OfficialDocError("Tệp DOCX không có nội dung văn bản (thiếu word/document.xml).")


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the soffice we started and its children (its own session, so its own group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def docx_to_pdf(docx: bytes, *, timeout: float | None = None) -> bytes:
    """Convert DOCX bytes to PDF bytes; raise OfficialDocError with a Vietnamese message.

    The stored paper when this content was converted before, else the warm converter
    (`converter.py`), else a cold LibreOffice process of our own.
    """
    _check_docx(docx)
    seconds = timeout if timeout is not None else float(getattr(settings, "PDF_TIMEOUT", 60))
    return converter.convert(docx, timeout=seconds, cold=cold_docx_to_pdf)


def xlsx_to_pdf(xlsx: bytes, *, timeout: float | None = None) -> bytes:
    """A spreadsheet printed by LibreOffice Calc as its page setup says (the tracking book):
    the stored paper, else the warm converter, else a cold LibreOffice of our own."""
    _check_xlsx(xlsx)
    seconds = timeout if timeout is not None else float(getattr(settings, "PDF_TIMEOUT", 60))
    return converter.convert(
        xlsx, timeout=seconds, cold=cold_xlsx_to_pdf, filtername=converter.CALC_PDF
    )


def _check_xlsx(xlsx: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise OfficialDocError("Dữ liệu không phải tệp XLSX hợp lệ, không thể in ra PDF.") from exc
    if "xl/workbook.xml" not in names:
        raise OfficialDocError("Tệp XLSX không có bảng tính (thiếu xl/workbook.xml).")


def cold_xlsx_to_pdf(xlsx: bytes, *, timeout: float = 60) -> bytes:
    """Print a spreadsheet with a Calc process started for it alone (the slow, sure path)."""
    _check_xlsx(xlsx)
    return _cold(xlsx, "xlsx", converter.CALC_PDF, timeout)


def cold_docx_to_pdf(docx: bytes, *, timeout: float = 60) -> bytes:
    """Convert with a LibreOffice process started for this paper alone (the slow, sure path)."""
    _check_docx(docx)
    return _cold(docx, "docx", converter.WRITER_PDF, timeout)


def _cold(data: bytes, suffix: str, filtername: str, timeout: float) -> bytes:
    binary = _soffice()
    if binary is None:
        raise OfficialDocError(
            f"Không tìm thấy LibreOffice để chuyển văn bản sang PDF ({_INSTALL_HINT})."
        )
    with tempfile.TemporaryDirectory(prefix="cchc-docx-pdf-", ignore_cleanup_errors=True) as tmp:
        work = Path(tmp)
        source = work / f"van-ban.{suffix}"
        source.write_bytes(data)
        out_dir = work / "pdf"
        command = [
            binary,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--nodefault",
            "--nolockcheck",
            "--nologo",
            "--norestore",
            "--convert-to",
            f"pdf:{filtername}",
            "--outdir",
            str(out_dir),
            str(source),
        ]
        try:
            process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
                command,
                cwd=work,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as exc:
            raise OfficialDocError(f"Không chạy được LibreOffice ({binary}): {exc}.") from exc
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise OfficialDocError(
                f"LibreOffice không chuyển xong văn bản sang PDF trong {timeout:g} giây."
            ) from None
        target = out_dir / "van-ban.pdf"
        # soffice exits 0 even when it could not load the file: the output file is the real test.
        if process.returncode != 0 or not target.is_file():
            lines = stderr.decode("utf-8", "replace").splitlines()
            # Drop the harmless "Warning: failed to launch javaldx" noise; keep the real error.
            detail = " ".join(line.strip() for line in lines if not line.startswith("Warning:"))
            detail = detail[-_STDERR_TAIL:]
            raise OfficialDocError(
                f"LibreOffice không chuyển được văn bản sang PDF (mã thoát {process.returncode})"
                + (f": {detail}" if detail else ".")
            )
        pdf = target.read_bytes()
    if not pdf.startswith(b"%PDF"):
        raise OfficialDocError("LibreOffice trả về một tệp không phải PDF.")
    return pdf
