"""Rate limits are sliding windows kept in a cache every worker shares (issue 10 item 10,
issue 11 item 3).

The two-process test starts two real granian servers on the suite's database with the
production cache settings (the database cache) and sends the same client's look-ups to both in
turn: exactly the configured limit gets through, not once per process. On SQLite the windows live
in a file of their own (`cchc.core.db_routers`), which both servers share.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from cchc.core.ratelimit import take_slot
from tests.servers import database_url, free_port, wait_until_serving

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 7


def test_sliding_window_does_not_reset_at_a_boundary() -> None:
    key = f"test-sliding-{time.time_ns()}"
    start = time.monotonic()
    accepted = [take_slot(key, limit=5, window=2) for _ in range(8)]
    time.sleep(1.2)  # a fixed 2-second window would have started afresh by now or soon after
    still_refused = [take_slot(key, limit=5, window=2) for _ in range(3)]
    assert time.monotonic() - start < 2  # the first five slots are still inside their window
    time.sleep(2.1)
    freed = [take_slot(key, limit=5, window=2) for _ in range(6)]

    assert accepted == [True] * 5 + [False] * 3
    assert still_refused == [False] * 3
    assert freed == [True] * 5 + [False]


@pytest.mark.django_db
def test_public_lookup_limit_per_client(settings) -> None:
    settings.CCHC_PUBLIC_RATE_PER_MINUTE = LIMIT
    client = Client()

    statuses = [
        client.get("/api/v1/public/dossiers/KHONG-CO").status_code for _ in range(LIMIT + 3)
    ]

    assert statuses == [404] * LIMIT + [429] * 3


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db(transaction=True)
def test_two_server_processes_share_one_limit(tmp_path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CACHE"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SECRET_KEY": "two-process-test-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(),
        "CCHC_VAR_DIR": str(tmp_path),
        "CCHC_PUBLIC_RATE_PER_MINUTE": str(LIMIT),
        "AUDIT_KEY_FILE": str(tmp_path / "audit_key"),
    }
    bin_dir = Path(sys.executable).parent
    subprocess.run(  # noqa: S603
        [str(bin_dir / "cchc"), "createcachetable"], env=env, check=True, cwd=ROOT
    )
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(  # noqa: S603
            [
                str(bin_dir / "granian"),
                "--interface",
                "wsgi",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "1",
                "config.wsgi:application",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_until_serving(port, server)
        statuses = [
            _status(f"http://127.0.0.1:{ports[n % 2]}/api/v1/public/dossiers/KHONG-CO-{n}")
            for n in range(2 * LIMIT)
        ]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)

    assert statuses.count(404) == LIMIT, statuses  # 404: allowed through, no such dossier
    assert statuses.count(429) == LIMIT, statuses
    assert statuses[:LIMIT] == [404] * LIMIT
    if connection.vendor == "sqlite":  # the windows are in their own file, not the main one
        assert "cchc_ratelimit" not in connection.introspection.table_names()
        limits = sqlite3.connect(tmp_path / "ratelimit.sqlite3")
        try:
            tables = {row[0] for row in limits.execute("SELECT name FROM sqlite_master")}
            windows = limits.execute("SELECT cache_key FROM cchc_ratelimit").fetchall()
        finally:
            limits.close()
        assert tables >= {"cchc_ratelimit"}
        assert "cchc_cache" not in tables
        assert len(windows) == 1  # one client, one bucket: one row
