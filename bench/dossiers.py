"""Dossier benchmark: public look-up throughput against a trivial view, and KPI timings.

Usage (from the repository root, after `make install`; needs Debian's `wrk`):
    .venv/bin/python bench/dossiers.py [--dossiers 100000] [--units 100]
    DATABASE_URL=postgres://... .venv/bin/python bench/dossiers.py

It builds its own database (a temporary SQLite file unless DATABASE_URL is set: that database
is flushed first), inserts the dossiers with bulk inserts, measures the KPIs in-process, then
starts granian (2 WSGI workers) on 127.0.0.1 and runs wrk for a few seconds against
/healthz (no database) and against /tra-cuu/<code>/ (a real public look-up). It prints
figures and ratios; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from statistics import median
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def setup_env(tmp: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.update(
        {
            "DEBUG": "0",
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "CCHC_PUBLIC_RATE_PER_MINUTE": "100000000",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-" + "x" * 40)
    os.environ.setdefault("CCHC_VAR_DIR", str(tmp))
    sys.path.insert(0, str(ROOT))


def build(n_dossiers: int, n_units: int) -> list[str]:
    from django.core.management import call_command
    from django.db import connection, transaction

    from cchc.dossiers import procedures
    from cchc.dossiers.models import Channel, Dossier
    from cchc.organizations import demo
    from cchc.organizations.models import Unit

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", "--noinput", verbosity=0)
    demo.seed_base()
    demo.seed_bulk(units=n_units - 1, staff_per_unit=5)
    units = list(Unit.objects.filter(kind="school").order_by("path")[:n_units])
    rng = random.Random(7)
    codes = []
    per_unit = n_dossiers // len(units)
    start = datetime(2026, 1, 5, 8, 0, tzinfo=VN)
    for unit in units:
        procedure = procedures.procedure_seed_defaults(actor=None, unit=unit)[0]
        rows = []
        for i in range(per_unit):
            received = start + timedelta(days=rng.randint(0, 320), minutes=rng.randint(0, 480))
            due = received + timedelta(days=7)
            done = received + timedelta(days=rng.choice([2, 3, 5, 6, 8]))
            finished = done < datetime(2026, 11, 20, tzinfo=VN)
            code = f"{unit.code}-{received:%y%m%d}-{i:05d}"
            codes.append(code)
            rows.append(
                Dossier(
                    unit=unit,
                    procedure=procedure,
                    code=code,
                    channel=Channel.IN_PERSON,
                    status="returned" if finished else "processing",
                    applicant_name="Nguyễn Văn An",
                    applicant_phone="0912345678",
                    submitted_at=received,
                    received_at=received,
                    due_at=due,
                    result_at=done if finished else None,
                    returned_at=done if finished else None,
                    book_entry=i + 1,
                )
            )
        with transaction.atomic():
            Dossier.objects.bulk_create(rows, batch_size=2000)
    return codes


def time_kpis(n_units: int) -> dict[str, float]:
    from cchc.kpi.registry import Period, measure
    from cchc.organizations.models import Unit

    one = Unit.objects.filter(code="000.31.41.H29")
    many = Unit.objects.filter(kind="school").order_by("path")[:n_units]
    codes = [
        "dossier_on_time_rate",
        "dossier_on_time_rate_766",
        "late_apology_rate",
        "dossier_online_rate",
    ]
    out = {}
    for label, units in (("1 đơn vị", one), (f"{n_units} đơn vị", many)):
        runs = []
        for _ in range(5):
            began = time.perf_counter()
            for code in codes:
                measure(code, units, Period.year(2026))
            runs.append(time.perf_counter() - began)
        out[label] = median(runs)
    return out


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wrk(url: str, seconds: int, script: Path | None = None) -> float:
    extra = ["-s", str(script)] if script else []
    result = subprocess.run(  # noqa: S603
        [shutil.which("wrk") or "wrk", "-t2", "-c32", f"-d{seconds}s", *extra, url],
        capture_output=True,
        text=True,
        check=True,
    )
    match = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if non2xx:
        print(f"  cảnh báo: {non2xx.group(1)} phản hồi lỗi từ {url}")
    return float(match.group(1)) if match else 0.0


def serve_and_measure(codes: list[str], seconds: int) -> tuple[float, float, float]:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "granian"),
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "2",
            "--blocking-threads",
            "4",
            "--log-level",
            "warning",
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        start_new_session=True,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        base = f"http://127.0.0.1:{port}"
        wrk(f"{base}/healthz", 1)  # warm up both workers
        trivial = wrk(f"{base}/healthz", seconds)
        lookup = wrk(f"{base}/tra-cuu/{codes[len(codes) // 2]}/", seconds)
        # Many citizens: 1,000 different codes in random order (first hits are not cached).
        sample = random.Random(3).sample(codes, 1000)
        script = Path(tempfile.mkdtemp()) / "codes.lua"
        paths = ",".join(f'"/tra-cuu/{code}/"' for code in sample)
        script.write_text(
            f"local paths = {{{paths}}}\n"
            "request = function()\n"
            "  return wrk.format(nil, paths[math.random(#paths)])\n"
            "end\n"
        )
        spread = wrk(base, seconds, script)
        return trivial, lookup, spread
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cchc-bench-"))
    setup_env(tmp)
    import django

    django.setup()
    from django.db import connection

    began = time.perf_counter()
    codes = build(args.dossiers, args.units)
    print(
        f"Cơ sở dữ liệu: {connection.vendor}; {len(codes):,} hồ sơ, {args.units} đơn vị "
        f"(tạo trong {time.perf_counter() - began:.1f} s)"
    )
    for label, seconds in time_kpis(args.units).items():
        print(f"KPI hồ sơ (4 chỉ số, 1 năm) cho {label}: {seconds * 1000:.1f} ms")
    connection.close()
    if not shutil.which("wrk"):
        print("Không có wrk (apt-get install wrk): bỏ qua phần đo tra cứu.")
        return
    trivial, lookup, spread = serve_and_measure(codes, args.seconds)
    print(
        f"granian 2 worker: /healthz {trivial:,.0f} req/s; tra cứu một mã {lookup:,.0f} req/s "
        f"(tỷ lệ {lookup / trivial:.2f}, mục tiêu >= 0,6); 1.000 mã ngẫu nhiên "
        f"{spread:,.0f} req/s (tỷ lệ {spread / trivial:.2f})"
    )
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
