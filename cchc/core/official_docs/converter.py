"""DOCX (and XLSX) → PDF through a warm LibreOffice (unoserver), with papers stored once made.

A cold `soffice --convert-to` costs 1–3 s per paper on a 2-core school PC, most of it starting
LibreOffice; a clerk printing a receipt for each parent in a queue waits for that every time.
Here LibreOffice stays running behind unoserver (`cchc pdf_server` supervises it and restarts it
when it dies) and each paper is an XML-RPC call (a receipt takes LibreOffice ~0.15 s). When no
converter answers (a fresh install, a test machine), the cold path of `pdf.py` is used, so a
paper is never refused only because the warm converter is down.

Papers are content-addressed: the key is a hash of the DOCX's parts (not of the zip bytes, whose
entry timestamps change on every build), so an unchanged record serves the stored PDF and a
changed one can never get its old paper back, in any process or on any host sharing the folder.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
import threading
import time
import xmlrpc.client
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from django.conf import settings

from cchc.core.official_docs.layout import OfficialDocError

logger = logging.getLogger(__name__)

# unoserver's XML-RPC API version this client speaks (unoserver 3.x).
_API_VERSION = "3"
# The warm converter makes one paper at a time. A paper whose body is this large gets a
# LibreOffice of its own instead, so that the receipts asked for meanwhile do not queue behind it
# (starting that LibreOffice adds ~1 s, little beside the paper itself): a Word table of ~250 long
# rows (Writer needs 2.5 s and up for it), or a spreadsheet of ~4,000 rows (Calc prints the
# 1,000-row tracking book, 1.2 MB of sheet XML, in ~0.7 s, so a book of a year takes the warm one).
_OWN_PROCESS_ABOVE_BYTES = 2_000_000
_OWN_PROCESS_ABOVE_SHEET_BYTES = 5_000_000
_WORD_BODY, _SHEET_BODY = "word/document.xml", "xl/worksheets/sheet1.xml"


@dataclass
class ConverterStats:
    """Counts for the bench and the tests: which path each paper took."""

    stored: int = 0
    warm: int = 0
    cold: int = 0


stats = ConverterStats()
_slots_lock = threading.Lock()
_slots: threading.BoundedSemaphore | None = None

# How long a paper waits for its turn in this process (PDF_MAX_WAITING papers are being made):
# the paper before it takes 0.15-0.7 s when all is well; a longer wait means the converter is
# stuck, and the thread waiting is then worth more to the requests that need no paper (the
# public look-up): QA saw look-ups wait 18 s behind two papers of a hung converter.
QUEUE_WAIT_S = 3.0

# After the warm converter let a paper wait PDF_WARM_TIMEOUT seconds, this process makes its
# papers with a LibreOffice of their own for this long (the supervisor restarts a hung one
# within about a minute), instead of letting each one wait for it again.
WARM_PAUSE_S = 60.0
_warm_paused_until = 0.0


class ConverterTimeout(OfficialDocError):
    """The warm converter did not answer in time (a hung or overloaded LibreOffice)."""


def _setting(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def server_address() -> tuple[str, int] | None:
    """The warm converter's (host, port), or None when it is switched off (PDF_SERVER=)."""
    value = str(_setting("PDF_SERVER", "127.0.0.1:2003")).strip()
    if not value:
        return None
    host, _, port = value.rpartition(":")
    return (host or "127.0.0.1", int(port))


def _queue() -> threading.BoundedSemaphore:
    """A bound on the papers one process makes at once (PDF_MAX_WAITING: by default all the web
    server's threads but one), so papers can never take every thread from the other pages."""
    global _slots
    with _slots_lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(int(_setting("PDF_MAX_WAITING", 8)))
        return _slots


def paper_key(docx: bytes) -> str:
    """A stable hash of the document's parts: equal for equal content, whatever the zip dates."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for name in sorted(archive.namelist()):
            digest.update(name.encode() + b"\0")
            digest.update(hashlib.sha256(archive.read(name)).digest())
    return digest.hexdigest()


def record_key(*parts: object) -> str:
    """A key for a paper by what it is made from (record, version, layout), not by its bytes.

    Lets a caller skip even building the DOCX when the record has not changed; the caller must
    name every input of the paper (its version counter, the layout's code version, who asks).
    """
    text = "\x1f".join(str(part) for part in parts)
    return "r" + hashlib.sha256(text.encode()).hexdigest()


def stored_paper(key: str) -> bytes | None:
    """The PDF stored under `key` (from `record_key` or `paper_key`), or None."""
    found = _stored(key)
    if found is not None:
        stats.stored += 1
    return found


def store_paper(key: str, pdf: bytes) -> None:
    """Keep `pdf` under `key` for the next request (atomic; a cache, never backed up)."""
    _store(key, pdf)


def _store_dir() -> Path | None:
    folder = str(_setting("PDF_STORE_DIR", "")).strip()
    return Path(folder) if folder else None


def _stored(key: str) -> bytes | None:
    folder = _store_dir()
    if folder is None:
        return None
    path = folder / key[:2] / f"{key}.pdf"
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(b"%PDF"):
        return None
    os.utime(path)  # last use, for the sweep of papers nobody asked for in a long time
    return data


def _store(key: str, pdf: bytes) -> None:
    """Write to a temporary name, then rename: a reader never sees half a PDF."""
    folder = _store_dir()
    if folder is None:
        return
    target = folder / key[:2] / f"{key}.pdf"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False, suffix=".tmp") as tmp:
            tmp.write(pdf)
        os.replace(tmp.name, target)
    except OSError as exc:  # a full or read-only disk must not stop the paper itself
        logger.warning("Could not store paper %s: %s", key, exc)


WRITER_PDF = "writer_pdf_Export"
# A spreadsheet (the tracking book, cchc.dossiers.book_sheet) is printed by Calc: its page setup
# (print titles, fit to width, footer) is Calc's, and Calc lays out a 1,000-row book in about a
# second where Writer takes eight for the same table.
CALC_PDF = "calc_pdf_Export"


def _warm(
    docx: bytes, address: tuple[str, int], timeout: float, filtername: str = WRITER_PDF
) -> bytes | None:
    """The PDF from the warm converter; None when none is listening (use the cold path).

    unoserver loads the file by its content (Writer for a DOCX, Calc for an XLSX); `filtername`
    is the PDF export of that component."""
    host, port = address
    transport = _TimeoutTransport(timeout)
    proxy = xmlrpc.client.ServerProxy(f"http://{host}:{port}", allow_none=True, transport=transport)
    try:
        # unoserver's info() answers a struct (XML-RPC gives it back as a dict).
        info = cast(dict[str, Any], proxy.info())
        if str(info.get("api")) != _API_VERSION:
            logger.warning("Unexpected unoserver API %s; using the cold path", info.get("api"))
            return None
        result = proxy.convert(
            None,
            xmlrpc.client.Binary(docx),
            None,
            "pdf",
            filtername,
            [],
            False,
            None,
            None,
        )
    except (ConnectionRefusedError, ConnectionResetError, FileNotFoundError):
        return None
    except TimeoutError:
        raise ConverterTimeout(
            f"Máy chuyển PDF không trả lời trong {timeout:g} giây; vui lòng thử lại."
        ) from None
    except (OSError, xmlrpc.client.Error) as exc:
        # A fault is a LibreOffice that just died (a disposed bridge) as often as a bad file: the
        # cold path either makes the paper or gives the definitive error.
        logger.warning("Warm PDF converter failed (%s); using the cold path", exc)
        return None
    data = result.data if isinstance(result, xmlrpc.client.Binary) else None
    if not data or not data.startswith(b"%PDF"):
        raise OfficialDocError("Máy chuyển PDF trả về một tệp không phải PDF.")
    return data


class _TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host: object) -> object:  # type: ignore[override]
        connection = super().make_connection(host)  # type: ignore[arg-type]
        connection.timeout = self._timeout
        return connection


def convert(docx: bytes, *, timeout: float, cold: object, filtername: str = WRITER_PDF) -> bytes:
    """Stored paper, else the warm converter, else `cold(docx, timeout=...)`; stores the result.

    The warm converter gets at most PDF_WARM_TIMEOUT of the `timeout` (it makes a receipt in
    0.15 s and the longest paper it is given in a few seconds): a paper it has not made by then
    is made by the cold path with the time left, and for WARM_PAUSE_S this process does not
    wait for the warm converter at all. Without that, a hung LibreOffice held every request that
    asked for a paper for the whole timeout, and with two threads per worker those were all the
    threads: the public look-up waited a minute behind them (QA, session 9).

    `docx` may be any Office Open XML package the warm LibreOffice can load (an XLSX with
    `filtername=CALC_PDF`)."""
    key = paper_key(docx)
    stored = _stored(key)
    if stored is not None:
        stats.stored += 1
        return stored
    slots = _queue()
    if not slots.acquire(timeout=min(timeout, QUEUE_WAIT_S)):
        raise OfficialDocError("Máy chuyển PDF đang bận, vui lòng thử lại sau ít giây.")
    try:
        pdf, cold_timeout = _warm_or_none(docx, timeout, filtername)
        if pdf is not None:
            stats.warm += 1
        else:
            pdf = cold(docx, timeout=cold_timeout)  # type: ignore[operator]
            stats.cold += 1
    finally:
        slots.release()
    _store(key, pdf)
    return pdf


def warm_paused() -> bool:
    """Whether this process skips the warm converter for now (it timed out a moment ago)."""
    return time.monotonic() < _warm_paused_until


def _pause_warm() -> None:
    global _warm_paused_until
    _warm_paused_until = time.monotonic() + WARM_PAUSE_S


def _warm_or_none(docx: bytes, timeout: float, filtername: str) -> tuple[bytes | None, float]:
    """The warm converter's PDF, or None and the seconds the cold path gets (the whole `timeout`
    when the warm one was not asked: none listens, a long paper, a pause; what is left of it when
    the warm one timed out). Raises the timeout's message when nothing is left."""
    address = server_address()
    if address is None or warm_paused() or _too_long_for_warm(docx, filtername):
        return None, timeout
    wait = min(timeout, float(_setting("PDF_WARM_TIMEOUT", 15)))
    began = time.monotonic()
    try:
        return _warm(docx, address, wait, filtername), timeout
    except ConverterTimeout:
        _pause_warm()
        left = timeout - (time.monotonic() - began)
        logger.warning(
            "The warm PDF converter did not answer in %g s: papers are made by their own "
            "LibreOffice for %g s",
            wait,
            WARM_PAUSE_S,
        )
        if left < 1:
            raise
        return None, left


def _text_size(document: bytes) -> int:
    """The size of the body XML of a Word document or of a workbook's first sheet (the zip's own
    figure, nothing is unpacked); 0 for anything else (the converter says what is wrong)."""
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        for part in (_WORD_BODY, _SHEET_BODY):
            try:
                return archive.getinfo(part).file_size
            except KeyError:
                continue
    return 0


def _too_long_for_warm(document: bytes, filtername: str) -> bool:
    limit = _OWN_PROCESS_ABOVE_SHEET_BYTES if filtername == CALC_PDF else _OWN_PROCESS_ABOVE_BYTES
    return _text_size(document) > limit


def server_is_up(address: tuple[str, int] | None = None, timeout: float = 2) -> bool:
    """Whether a warm converter answers on `address` (the supervisor, `pdf_server --check`)."""
    address = address or server_address()
    if address is None:
        return False
    proxy = xmlrpc.client.ServerProxy(
        f"http://{address[0]}:{address[1]}", transport=_TimeoutTransport(timeout)
    )
    try:
        return str(cast(dict[str, Any], proxy.info()).get("api")) == _API_VERSION
    except (OSError, xmlrpc.client.Error):
        return False
