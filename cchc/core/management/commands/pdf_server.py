"""`cchc pdf_server [--listen HOST:PORT]`: keep a LibreOffice warm for papers, restart it on death.

unoserver (a Python package run by the Python that has LibreOffice's `uno` module, Debian's
python3-uno) owns one LibreOffice and answers XML-RPC conversions. This command supervises it:
it starts unoserver, checks it answers, and starts a new one when LibreOffice dies, hangs past
the conversion timeout (unoserver then exits), or stops answering. Run it beside the app server
(`make demo` and `make serve` do; docs/deployment.md has the systemd unit).

unoserver answers one call at a time: while it converts a long paper (a 1,000-row tracking book
takes several seconds), a health check waits its turn. So a check fails only when no answer comes
within the conversion timeout and a margin, and it takes two such checks to restart; a conversion
that itself runs past the timeout is ended by unoserver, which then exits (seen at once here).
The timeout is the web's wait for the warm converter (PDF_WARM_TIMEOUT, 15 s): a paper it has not
made by then is made by a LibreOffice of its own, so a LibreOffice still busy with it is hung.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.core.official_docs import converter

# unoserver run so that documents load hidden (Calc needs it headless): see that file.
_HIDDEN_SERVER = Path(__file__).resolve().parents[2] / "official_docs" / "unoserver_hidden.py"
_HEALTH_EVERY_S = 10
_FAILED_CHECKS_BEFORE_RESTART = 2
_START_GRACE_S = 40
# Beyond the conversion timeout, how long a health check waits for its turn before it fails.
_CHECK_MARGIN_S = 5


def _unoserver_path(folder: Path) -> Path:
    """A folder holding only the unoserver package and our launcher of it, for a Python that is
    not this venv's."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = importlib.util.find_spec("unoserver")
    if spec is None or not spec.submodule_search_locations:
        raise CommandError("Thiếu gói unoserver (pip install -e . cài nó).")
    package = Path(next(iter(spec.submodule_search_locations)))
    for item in package.parent.iterdir():
        if item.name == "unoserver" or (
            item.name.startswith("unoserver-") and item.name.endswith(".dist-info")
        ):
            with contextlib.suppress(FileExistsError):
                (folder / item.name).symlink_to(item)
    with contextlib.suppress(FileExistsError):  # run as a module: its own folder stays off the path
        (folder / _HIDDEN_SERVER.name).symlink_to(_HIDDEN_SERVER)
    return folder


def uno_python() -> str:
    """The Python with LibreOffice's `uno` module (Debian: python3-uno for /usr/bin/python3)."""
    python = str(getattr(settings, "UNO_PYTHON", "/usr/bin/python3"))
    found = shutil.which(python)
    if found is None:
        raise CommandError(f"Không tìm thấy {python} (đặt UNO_PYTHON).")
    check = subprocess.run(  # noqa: S603 - fixed argument list
        [found, "-c", "import uno"], capture_output=True, check=False, timeout=30
    )
    if check.returncode != 0:
        raise CommandError(
            f"{found} không có mô-đun uno của LibreOffice: cài gói python3-uno "
            "(apt-get install python3-uno) hoặc đặt UNO_PYTHON."
        )
    return found


class Command(BaseCommand):
    help = "Giữ LibreOffice chạy sẵn để in giấy tờ PDF nhanh; tự khởi động lại khi nó dừng."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--listen", default="", help="HOST:PORT (mặc định: PDF_SERVER, 127.0.0.1:2003)."
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=0,
            help="Giây tối đa cho một lần chuyển (mặc định PDF_WARM_TIMEOUT, 15).",
        )
        parser.add_argument(
            "--once", action="store_true", help="Không khởi động lại (dùng khi kiểm thử)."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Chỉ kiểm tra máy chuyển PDF có trả lời không (mã thoát 0 hoặc 1), rồi thoát.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        listen = options["listen"] or str(getattr(settings, "PDF_SERVER", "") or "127.0.0.1:2003")
        host, _, port_text = listen.rpartition(":")
        try:
            port = int(port_text)
        except ValueError:
            raise CommandError("--listen phải có dạng HOST:PORT, ví dụ 127.0.0.1:2003.") from None
        if not 1025 <= port <= 65535:
            raise CommandError("Cổng phải từ 1025 đến 65535.")
        host = host or "127.0.0.1"
        timeout = options["timeout"] or int(getattr(settings, "PDF_WARM_TIMEOUT", 15))
        if options["check"]:
            # A busy converter answers once its current paper is done: wait as long as that.
            if converter.server_is_up((host, port), timeout + _CHECK_MARGIN_S):
                self.stdout.write(f"Máy chuyển PDF trên {host}:{port} đang chạy.")
                return
            self.stderr.write(f"Máy chuyển PDF trên {host}:{port} không trả lời.")
            raise SystemExit(1)
        python = uno_python()
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        backoff = 1.0
        with tempfile.TemporaryDirectory(prefix="cchc-unoserver-") as tmp:
            path = _unoserver_path(Path(tmp) / "path")
            profile = Path(tmp) / "profile"
            command = [
                python, "-m", _HIDDEN_SERVER.stem,
                "--interface", host, "--port", str(port),
                "--uno-port", str(port - 1),
                "--conversion-timeout", str(timeout),
                "--user-installation", str(profile),
            ]  # fmt: skip
            env = {**os.environ, "PYTHONPATH": str(path)}
            while not stopping:
                taken = _taken_port(host, port)
                if taken:
                    # An old unoserver left behind (its supervisor killed with -9) still holds
                    # it: starting another would only fail the same way, unexplained.
                    self.stderr.write(
                        f"Cổng {host}:{taken} đang bị chương trình khác giữ (có thể là máy chuyển "
                        f"PDF cũ còn chạy: xem `ss -ltnp | grep {taken}`); thử lại sau "
                        f"{backoff:g} giây."
                    )
                    time.sleep(backoff)
                    backoff = min(backoff * 2, 30)
                    continue
                started = time.monotonic()
                self.stdout.write(f"Khởi động máy chuyển PDF trên {host}:{port}.")
                process = subprocess.Popen(command, env=env, start_new_session=True)  # noqa: S603
                reason = self._watch(
                    process, (host, port), started, lambda: stopping, timeout + _CHECK_MARGIN_S
                )
                _kill_group(process)
                if stopping or options["once"]:
                    break
                self.stderr.write(f"Máy chuyển PDF dừng ({reason}); khởi động lại.")
                # A converter that dies at once (no LibreOffice, port taken) must not spin.
                backoff = 1.0 if time.monotonic() - started > 60 else min(backoff * 2, 30)
                time.sleep(backoff)
        self.stdout.write("Đã dừng máy chuyển PDF.")

    def _watch(
        self,
        process: subprocess.Popen[bytes],
        address: tuple[str, int],
        started: float,
        stopping: Any,
        check_timeout: float,
    ) -> str:
        """Why the converter must be restarted (it exited, or it is hung), or that we stop."""
        failed = 0
        last_check = time.monotonic()
        warmed = False
        while not stopping():
            if process.poll() is not None:
                return f"mã thoát {process.returncode}"
            time.sleep(0.5)
            now = time.monotonic()
            if not warmed and now - started < _START_GRACE_S:
                warmed = _warm_up(address, check_timeout)
                continue
            if now - last_check < _HEALTH_EVERY_S:
                continue
            last_check = now
            if converter.server_is_up(address, check_timeout):
                failed = 0
                continue
            # LibreOffice takes a few seconds to start: silence then is not a hang.
            if now - started > _START_GRACE_S:
                failed += 1
            if failed >= _FAILED_CHECKS_BEFORE_RESTART:
                return "không trả lời"
        return "được yêu cầu dừng"


def _taken_port(host: str, port: int) -> int | None:
    """The first of unoserver's two ports (XML-RPC `port`, LibreOffice's `port - 1`) that
    something already listens on, or None."""
    for candidate in (port, port - 1):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, candidate))
            except OSError:
                return candidate
    return None


def _warm_up(address: tuple[str, int], timeout: float) -> bool:
    """Once the converter answers, convert one small paper, so that the first clerk's receipt
    does not also pay for LibreOffice loading its DOCX import, fonts and PDF export (~0.1 s)."""
    if not converter.server_is_up(address, 1):
        return False
    from cchc.core.official_docs import (
        OfficialDocError,
        Paragraph,
        SignatureBlock,
        Table,
        build_docx,
    )
    from cchc.core.official_docs.layout import OfficialDocument, OfficialHeader

    sample = OfficialDocument(
        header=OfficialHeader(
            parent_body="ỦY BAN NHÂN DÂN",
            issuer="ĐƠN VỊ",
            number=None,
            symbol="KH",
            place="Hà Nội",
            date=None,
        ),
        doc_type="Kế hoạch",
        summary="Khởi động máy chuyển PDF",
        body=[Paragraph("Văn bản mẫu."), Table(columns=["STT", "Nội dung"], rows=[["1", "Mẫu"]])],
        signature=SignatureBlock(title="Thủ trưởng", name="Nguyễn Văn A"),
        recipients=["Lưu: VT."],
    )
    with contextlib.suppress(OfficialDocError):
        converter._warm(build_docx(sample), address, timeout)
    return True


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """unoserver and its LibreOffice share the session we gave them: stop both."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
