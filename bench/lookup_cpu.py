"""The look-up's CPU per request in one thread, against /healthz, robust to a busy machine.

Usage (from the repository root, after `make install`):
    .venv/bin/python bench/lookup_cpu.py [--dossiers 100000] [--baseline REV]
    DATABASE_URL=postgres://... .venv/bin/python bench/lookup_cpu.py --baseline REV

`bench/dossiers.py` measures throughput through granian and wrk, which on a shared 2-core machine
moves with everyone else's load. This one calls the WSGI application (`config.wsgi`, the same
chains a server runs) directly in one thread: 12 rounds of 500 /healthz requests and 500
look-ups of codes never asked before, each from its own address through the real shared limit,
and prints the least CPU time per request of each (the round least disturbed by others). With
--baseline REV the code of that revision is measured the same way on the same database, in its
own process, before the working tree. It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 12
PER_ROUND = 500


def measure(codes_file: Path) -> None:
    """In a process whose sys.path starts with the tree to measure: print one JSON line."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("createcachetable", verbosity=0)  # where this revision keeps the limit
    from config.wsgi import application

    codes = json.loads(codes_file.read_text())
    sample = random.Random(3).sample(codes, min(len(codes), 300 + ROUNDS * PER_ROUND))
    status: list[str] = []

    def start_response(line: str, headers: list, exc_info: object = None) -> None:
        status.append(line)

    def call(path: str, n: int) -> None:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "REMOTE_ADDR": "127.0.0.1",  # the trusted proxy: the address below is the client
            "HTTP_X_FORWARDED_FOR": f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.url_scheme": "http",
        }
        b"".join(application(environ, start_response))

    for n in range(300):  # imports, compiled templates, connections
        call("/healthz", n)
        call(f"/tra-cuu/{sample[n]}/", 10**6 + n)
    status.clear()
    healthz, lookup = [], []
    for r in range(ROUNDS):
        began = time.process_time()
        for n in range(PER_ROUND):
            call("/healthz", n)
        healthz.append((time.process_time() - began) * 1000 / PER_ROUND)
        began = time.process_time()
        for n in range(PER_ROUND):
            index = 300 + r * PER_ROUND + n
            call(f"/tra-cuu/{sample[index]}/", 2 * 10**6 + index)
        lookup.append((time.process_time() - began) * 1000 / PER_ROUND)
    ok = sum(line.startswith("200") for line in status)
    print(json.dumps({"healthz": min(healthz), "lookup": min(lookup), "ok": ok}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--baseline", metavar="REV")
    parser.add_argument("--measure", metavar="CODES", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(Path(args.measure))
        return
    sys.path.insert(0, str(ROOT))
    from bench.dossiers import baseline_tree, build, setup_env

    tmp = Path(tempfile.mkdtemp(prefix="cchc-bench-cpu-"))
    setup_env(tmp)
    import django

    django.setup()
    from django.db import connection, connections

    codes = build(args.dossiers, args.units)
    vendor = connection.vendor
    connections.close_all()
    codes_file = tmp / "codes.json"
    codes_file.write_text(json.dumps(codes))
    runs = [("sau", ROOT)]
    if args.baseline:
        runs.insert(0, (f"trước ({args.baseline})", baseline_tree(args.baseline)))
    print(
        f"{vendor}, {len(codes):,} hồ sơ; một luồng, CPU ít nhất mỗi yêu cầu qua {ROUNDS} vòng "
        f"x {PER_ROUND} (mỗi tra cứu một mã chưa hỏi, từ một địa chỉ khác, qua giới hạn dùng chung)"
    )
    for label, source in runs:
        env = {**os.environ, "PYTHONPATH": str(source)}
        result = subprocess.run(  # noqa: S603 - this script, on a tree of this repository
            [sys.executable, str(Path(__file__).resolve()), "--measure", str(codes_file)],
            cwd=source,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        print(
            f"  {label} (tải máy {os.getloadavg()[0]:.1f}): /healthz {figures['healthz']:.3f} ms; "
            f"tra cứu {figures['lookup']:.3f} ms = {figures['healthz'] / figures['lookup']:.2f} x "
            f"({figures['ok']:,} trả lời 200)"
        )


if __name__ == "__main__":
    main()
