"""Crash test, repeated: SIGKILL the real server at different moments of a burst, restart, check.

Usage (from the repository root, after `make install`):
    .venv/bin/python bench/crash.py [--runs 3] [--seconds 0.2,1.1,2.3]
    DATABASE_URL=postgres://postgres@127.0.0.1:54329/cchc_crash .venv/bin/python bench/crash.py

Each run builds a fresh installation in a temporary folder (SQLite unless DATABASE_URL is set:
that database is dropped and created again), starts granian (2 WSGI workers), lets 4 clerks post
receipts with a scan and 4 planners update task progress through the API, kills the server's
process group with SIGKILL the given number of seconds after the burst's first acknowledged
receipt (so the kill lands mid-work even on a slow machine), restarts it (`cchc uploads sweep
--grace 0`, then granian), and repeats; after each kill it checks: every dossier whole (its scan,
its event, its audit record), codes without gap or duplicate, every acknowledged receipt kept,
no orphaned, pending or missing file, task versions matching their audited updates, and
`cchc audit verify`. It prints one line per kill and a summary; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cchc.backups.tests import killharness as kh  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--seconds", default="0.2,1.1,2.3", help="seconds after the first acknowledged receipt"
    )
    args = parser.parse_args()
    moments = [float(s) for s in args.seconds.split(",")]
    database_url = os.environ.get("DATABASE_URL") or None
    failures = 0
    print(f"engine: {'PostgreSQL' if database_url else 'SQLite'}; kill moments {moments} s")
    for run in range(1, args.runs + 1):
        if database_url:
            kh.ensure_database(database_url)
        with tempfile.TemporaryDirectory(prefix="cchc-crash-") as tmp:
            site = kh.prepare(Path(tmp), database_url)
            tally = kh.Tally()
            kh.start(site)
            clients = kh.make_clients(site)
            for kill_no, moment in enumerate(moments, 1):
                # Shift the moment a little each run so kills land in different statements.
                when = moment + 0.37 * (run - 1)
                started = time.monotonic()
                at = kh.burst_and_kill(site, clients, kill_after=when, tally=tally)
                swept = kh.restart(site).strip()
                kh.warm_up(clients)
                result = kh.check_site(site, tally.receipts_ok)
                failures += bool(result["problems"])
                print(
                    f"run {run} kill {kill_no}: {when:.2f}s after the first receipt, {at:.1f}s into"
                    f" the burst ({time.monotonic() - started:.1f}s with restart and check):"
                    f" {result['dossiers']} dossiers, {result['task_updates']} task updates,"
                    f" acknowledged {len(tally.receipts_ok)}, failed requests"
                    f" {tally.receipts_failed + tally.updates_failed}; sweep: {swept};"
                    f" audit: {result['audit']}; problems: {result['problems'] or 'none'}"
                )
            kh.kill(site)
    print(f"{failures} kill(s) with problems out of {args.runs * len(moments)}")


if __name__ == "__main__":
    main()
