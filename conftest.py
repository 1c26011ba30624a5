"""Shared test fixtures: personas, a real SMTP server on loopback, and Playwright on Chromium."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["tests.fixtures"]

CHROMIUM = os.environ.get("CCHC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium, never a downloaded browser (closed network)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "locale": "vi-VN", "timezone_id": "Asia/Ho_Chi_Minh"}


@dataclass
class SmtpServer:
    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    received: threading.Event = field(default_factory=threading.Event)


def _free_port() -> int:
    # aiosmtpd's Controller cannot take port 0 (it probes the port itself): find one first.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _free_port_pair() -> int:
    """A free port whose neighbour below is free too: the converter listens on PORT and its
    LibreOffice on PORT - 1, so two workers' converters (pytest-xdist) must not pick neighbours."""
    for _ in range(50):
        port = _free_port()
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as below:
            try:
                below.bind(("127.0.0.1", port - 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no two neighbouring free ports on the loopback address")


@pytest.fixture
def smtp_server(settings) -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on a free loopback port; Django's mail is pointed at it."""
    from aiosmtpd.controller import Controller

    server = SmtpServer(host="127.0.0.1", port=_free_port())

    class Handler:
        async def handle_DATA(self, smtp, session, envelope):
            message = message_from_bytes(envelope.content, policy=policy.default)
            server.messages.append(message)  # type: ignore[arg-type]
            server.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            server.received.set()
            return "250 OK"

    controller = Controller(Handler(), hostname=server.host, port=server.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate-limit counters live in the cache; each test starts with none. A pause of the warm
    PDF converter left by a test of a hung one does not outlive that test."""
    from django.core.cache import caches

    from cchc.core.official_docs import converter

    for alias in ("default", "ratelimit"):
        caches[alias].clear()
    converter._warm_paused_until = 0.0


@pytest.fixture(scope="session")
def pdf_server() -> Iterator[str]:
    """A warm converter (`cchc pdf_server`, unoserver + LibreOffice) on a free loopback port.

    Yields its HOST:PORT; skips nothing: a machine without python3-uno fails the tests that ask
    for it, since CI installs it.
    """
    import subprocess
    import sys
    import time

    from cchc.core.official_docs import converter

    address = ("127.0.0.1", _free_port_pair())
    listen = f"{address[0]}:{address[1]}"
    process = subprocess.Popen(  # noqa: S603 - fixed argument list
        [sys.executable, "-m", "cchc.cli", "pdf_server", "--listen", listen],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while not converter.server_is_up(address, 1):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("cchc pdf_server did not start (python3-uno and LibreOffice installed?)")
        time.sleep(0.5)
    try:
        yield listen
    finally:
        import signal

        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
