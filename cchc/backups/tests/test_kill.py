"""Kill test, short version (bench/crash.py repeats it with more kill moments).

The real server (granian, 2 workers) takes receipts with scans and plan progress updates; SIGKILL
hits its process group in the middle; after the restart procedure nothing is half-written.
"""

from __future__ import annotations

import os
import uuid

from django.db import connection

from cchc.backups.tests import killharness as kh
from cchc.backups.tests.conftest import pg_drop, pg_url_for


def test_sigkill_in_the_middle_of_a_burst_leaves_nothing_half_written(tmp_path) -> None:
    database_url = None
    if connection.vendor == "postgresql":
        name = f"cchc_kill_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        database_url = pg_url_for(name)
        kh.ensure_database(database_url)
    try:
        site = kh.prepare(tmp_path / "site", database_url)
        tally = kh.Tally()
        kh.start(site)
        try:
            clients = kh.make_clients(site, counters=2)
            kh.burst_and_kill(site, clients, kill_after=0.6, tally=tally)
            kh.restart(site)  # sweeps interrupted uploads, starts again
            before = kh.check_site(site, tally.receipts_ok)
            kh.warm_up(clients)
            after_restart = clients.clerks[0].receive("sau-khi-khoi-dong-lai")
        finally:
            kh.kill(site)
        result = kh.check_site(site, [*tally.receipts_ok, after_restart])
    finally:
        if database_url:
            pg_drop(name)

    assert tally.receipts_ok, "no receipt was acknowledged before the kill: the test proved nothing"
    assert tally.receipts_failed > 0, "the kill did not interrupt the burst"
    assert before["problems"] == {}
    assert after_restart is not None
    assert result["problems"] == {}
    assert result["dossiers"] == before["dossiers"] + 1
    assert "Toàn vẹn" in result["audit"]
