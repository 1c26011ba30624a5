"""The warm converter: same paper as the cold path, restarted when it dies, stored papers.

These run against a real `cchc pdf_server` (unoserver + LibreOffice) started for the session.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cchc.core.official_docs import OfficialDocError, build_docx, converter, docx_to_pdf
from cchc.core.official_docs.pdf import cold_docx_to_pdf
from cchc.core.tests.test_official_docs import plan_document, require_tools


def text_of(pdf: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(pdf)
    return subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout


@pytest.fixture
def warm(settings, pdf_server: str) -> str:
    settings.PDF_SERVER = pdf_server
    settings.PDF_STORE_DIR = ""
    return pdf_server


def soffice_pid(listen: str) -> int:
    """The LibreOffice behind the converter on `listen` (its UNO port is the port minus one)."""
    uno_port = int(listen.rpartition(":")[2]) - 1
    out = subprocess.run(  # noqa: S603
        # "port=N," exactly: another worker's LibreOffice may listen on port N1 or N12.
        ["pgrep", "-f", f"soffice.bin.*port={uno_port},"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    assert out, "no LibreOffice found behind the converter"
    return int(out[0])


def test_warm_paper_reads_exactly_as_the_cold_one(warm: str, tmp_path: Path) -> None:
    require_tools()
    docx = build_docx(plan_document(tasks=4))
    before = converter.stats.warm

    warm_pdf = docx_to_pdf(docx)
    cold_pdf = cold_docx_to_pdf(docx)

    assert converter.stats.warm == before + 1
    assert text_of(warm_pdf, tmp_path, "warm") == text_of(cold_pdf, tmp_path, "cold")
    assert "KẾ HOẠCH" in text_of(warm_pdf, tmp_path, "again")


def test_dead_libreoffice_is_restarted_and_papers_still_come(warm: str) -> None:
    require_tools()
    docx = build_docx(plan_document())
    docx_to_pdf(docx)
    old = soffice_pid(warm)

    os.kill(old, signal.SIGKILL)
    pdf = docx_to_pdf(docx)  # while it restarts: the cold path answers
    deadline = time.monotonic() + 90
    host, _, port = warm.rpartition(":")
    while not converter.server_is_up((host, int(port)), 1):
        assert time.monotonic() < deadline, "the supervisor did not restart the converter"
        time.sleep(0.5)
    before = converter.stats.warm
    again = docx_to_pdf(docx)

    assert pdf.startswith(b"%PDF")
    assert again.startswith(b"%PDF")
    assert converter.stats.warm == before + 1
    assert soffice_pid(warm) != old


def test_no_converter_listening_falls_back_to_a_cold_libreoffice(settings) -> None:
    require_tools()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]
    settings.PDF_SERVER = f"127.0.0.1:{closed_port}"
    settings.PDF_STORE_DIR = ""
    before = converter.stats.cold

    pdf = docx_to_pdf(build_docx(plan_document()))

    assert pdf.startswith(b"%PDF")
    assert converter.stats.cold == before + 1


class SilentServer(str):
    """HOST:PORT of a silent converter; `held` are the connections it accepted."""

    held: list[socket.socket]


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    """A converter that accepts the connection and never answers (a hung LibreOffice)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    address = SilentServer(f"127.0.0.1:{server.getsockname()[1]}")
    address.held = held
    yield address
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_a_hung_converter_fails_with_a_clear_message_within_the_timeout(
    settings, silent_server: str
) -> None:
    settings.PDF_SERVER = silent_server
    settings.PDF_STORE_DIR = ""
    started = time.monotonic()

    with pytest.raises(OfficialDocError, match="không trả lời trong 1 giây"):
        docx_to_pdf(build_docx(plan_document()), timeout=1)

    assert time.monotonic() - started < 10


def test_a_hung_converter_costs_one_short_wait_then_papers_come_from_their_own_libreoffice(
    settings, silent_server: SilentServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A hung LibreOffice must not hold every request that asks for a paper for the whole
    timeout (with two threads per worker that stalled the public look-up for a minute): the
    paper waits PDF_WARM_TIMEOUT, is made by a LibreOffice of its own, and the next papers of
    this process do not wait for the hung converter at all."""
    require_tools()
    settings.PDF_SERVER = silent_server
    settings.PDF_STORE_DIR = ""
    settings.PDF_WARM_TIMEOUT = 1
    cold = converter.stats.cold

    first = docx_to_pdf(build_docx(plan_document(tasks=2)))
    asked = len(silent_server.held)
    second = docx_to_pdf(build_docx(plan_document(tasks=3)))

    assert "KẾ HOẠCH" in text_of(first, tmp_path, "first")
    assert "3." in text_of(second, tmp_path, "second")
    assert converter.stats.cold == cold + 2
    assert asked == 1
    assert len(silent_server.held) == asked, "the second paper waited for the hung converter"
    assert converter.warm_paused()
    assert "did not answer in 1 s" in caplog.text


def test_the_warm_converter_is_tried_again_after_the_pause(
    settings, warm: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_tools()
    monkeypatch.setattr(converter, "WARM_PAUSE_S", 3)
    papers = [build_docx(plan_document(tasks=n)) for n in (2, 3)]
    converter._pause_warm()
    before = converter.stats.warm

    docx_to_pdf(papers[0])
    assert converter.stats.warm == before
    while converter.warm_paused():
        time.sleep(0.1)
    docx_to_pdf(papers[1])

    assert converter.stats.warm == before + 1


def test_a_full_queue_says_so(settings, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.PDF_STORE_DIR = ""
    full = threading.BoundedSemaphore(1)
    full.acquire()
    monkeypatch.setattr(converter, "_slots", full)

    with pytest.raises(OfficialDocError, match="đang bận"):
        docx_to_pdf(build_docx(plan_document()), timeout=0.2)


def test_a_paper_behind_a_stuck_one_is_refused_quickly_to_keep_a_thread_free(
    settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With two threads per worker, one paper at a time is made per process: a second one waits
    QUEUE_WAIT_S for its turn, not the whole timeout, so the other thread stays for the look-up
    (QA: look-ups waited 18 s behind two papers of a hung converter)."""
    settings.PDF_STORE_DIR = ""
    one = threading.BoundedSemaphore(1)
    one.acquire()  # the paper being made, stuck
    monkeypatch.setattr(converter, "_slots", one)
    monkeypatch.setattr(converter, "QUEUE_WAIT_S", 0.5)
    started = time.monotonic()

    with pytest.raises(OfficialDocError, match="đang bận, vui lòng thử lại sau ít giây"):
        docx_to_pdf(build_docx(plan_document()), timeout=60)

    assert time.monotonic() - started < 5


def test_a_web_process_makes_papers_on_all_its_threads_but_one() -> None:
    from config.settings import base

    waiting, threads = base.PDF_MAX_WAITING, base.WEB_THREADS
    assert waiting == max(1, threads - 1)


def test_an_unchanged_paper_is_converted_once_and_a_changed_one_anew(
    settings, warm: str, tmp_path: Path
) -> None:
    require_tools()
    settings.PDF_STORE_DIR = str(tmp_path / "papers")
    first = build_docx(plan_document(tasks=2))
    rebuilt = build_docx(plan_document(tasks=2))  # same content, new zip timestamps
    changed = build_docx(plan_document(tasks=3))
    stored, made = converter.stats.stored, converter.stats.warm

    one = docx_to_pdf(first)
    two = docx_to_pdf(rebuilt)
    three = docx_to_pdf(changed)

    assert one == two
    assert converter.stats.stored == stored + 1
    assert converter.stats.warm == made + 2
    assert three != one
    assert "3." in text_of(three, tmp_path, "changed")
    assert len(list((tmp_path / "papers").rglob("*.pdf"))) == 2


def test_the_paper_key_ignores_zip_dates_but_not_content() -> None:
    a = build_docx(plan_document(tasks=2))
    time.sleep(1.1)
    b = build_docx(plan_document(tasks=2))

    assert converter.paper_key(a) == converter.paper_key(b)
    assert converter.paper_key(a) != converter.paper_key(build_docx(plan_document(tasks=3)))


def test_pdf_server_names_a_port_something_else_holds() -> None:
    """An old unoserver left behind holds the ports: the supervisor says so instead of starting
    one LibreOffice after another that cannot listen."""
    from cchc.core.management.commands.pdf_server import _taken_port

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        held = holder.getsockname()[1]
        assert _taken_port("127.0.0.1", held) == held
        assert _taken_port("127.0.0.1", held + 1) == held
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        free = sock.getsockname()[1]
    assert _taken_port("127.0.0.1", free) in (None, free - 1)


def test_pdf_server_refuses_a_bad_address() -> None:
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="HOST:PORT"):
        call_command("pdf_server", "--listen", "127.0.0.1:abc")


@pytest.fixture
def slow_server() -> Iterator[str]:
    """A converter that answers its health check after 1.5 s, as unoserver busy with a long book
    answers when its conversion ends (it serves one call at a time)."""
    import xmlrpc.server

    server = xmlrpc.server.SimpleXMLRPCServer(("127.0.0.1", 0), logRequests=False)

    def info() -> dict[str, str]:
        time.sleep(1.5)
        return {"api": converter._API_VERSION}

    server.register_function(info)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def watch(listen: str, *, check_timeout: float, seconds: float) -> str:
    """The supervisor's verdict on the converter at `listen` within `seconds`."""
    from cchc.core.management.commands import pdf_server as command

    host, _, port = listen.rpartition(":")
    process = subprocess.Popen(["sleep", "60"])  # noqa: S607 - stands for unoserver's process
    deadline = time.monotonic() + seconds
    try:
        return command.Command()._watch(
            process, (host, int(port)), 0, lambda: time.monotonic() > deadline, check_timeout
        )
    finally:
        process.kill()
        process.wait()


def test_a_busy_converter_is_not_restarted(
    slow_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cchc.core.management.commands import pdf_server as command

    monkeypatch.setattr(command, "_HEALTH_EVERY_S", 0.1)
    monkeypatch.setattr(command, "_START_GRACE_S", 0)

    assert watch(slow_server, check_timeout=3, seconds=5) == "được yêu cầu dừng"


def test_a_converter_that_never_answers_is_restarted(
    silent_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cchc.core.management.commands import pdf_server as command

    monkeypatch.setattr(command, "_HEALTH_EVERY_S", 0.1)
    monkeypatch.setattr(command, "_START_GRACE_S", 0)

    assert watch(silent_server, check_timeout=0.5, seconds=20) == "không trả lời"


def test_pdf_server_check_says_whether_the_converter_answers(
    pdf_server: str,
    silent_server: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.core.management import call_command

    from cchc.core.management.commands import pdf_server as command

    monkeypatch.setattr(command, "_CHECK_MARGIN_S", 0)

    call_command("pdf_server", "--check", "--listen", pdf_server)
    with pytest.raises(SystemExit) as stopped:
        call_command("pdf_server", "--check", "--listen", silent_server, "--timeout", "1")

    assert stopped.value.code == 1
    out, err = capsys.readouterr()
    assert "đang chạy" in out
    assert "không trả lời" in err


def test_a_long_paper_gets_its_own_libreoffice_so_receipts_do_not_wait_behind_it(
    warm: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    require_tools()
    small = build_docx(plan_document(tasks=1))
    long = build_docx(plan_document(tasks=4))
    size = converter._text_size(long)
    monkeypatch.setattr(converter, "_OWN_PROCESS_ABOVE_BYTES", converter._text_size(small))
    warm_before, cold_before = converter.stats.warm, converter.stats.cold

    docx_to_pdf(small)
    docx_to_pdf(long)

    assert size > converter._text_size(small)
    assert converter.stats.warm == warm_before + 1
    assert converter.stats.cold == cold_before + 1
