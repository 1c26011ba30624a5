"""Real servers for the multi-process tests: a free port, the suite's database as a URL, and
waiting until a started server answers its health check."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request

from django.db import connection


def free_port() -> int:
    """A TCP port nobody listens on now, on the loopback address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The test database as DATABASE_URL, so that a server process shares the suite's data."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def wait_until_serving(port: int, process: subprocess.Popen) -> None:
    """Return once /healthz answers on `port`; raise with the server's error if it exits."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode() if process.stderr else "exited")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"server on {port} did not start")
