"""Report benchmark: one unit-year reform report (DOCX + PDF + XLSX) as the worker builds it.

Usage (from the repository root, after `make install`; needs LibreOffice and python3-uno):
    .venv/bin/python bench/reports.py [--dossiers 10000] [--repeat 3]
    DATABASE_URL=postgres://... .venv/bin/python bench/reports.py

It builds its own database (a temporary SQLite file unless DATABASE_URL is set: that database is
flushed first) with the demo school and its demo year of dossiers, starts `cchc pdf_server` on a
free port, and times the parts of `cchc.reports.services.render` for the demo school's year and
for the commune's consolidated report: figures (with their query count), DOCX, XLSX, the PDF
with a LibreOffice process of its own (cold) and with the warm converter, and the whole job
both ways. It prints seconds (median of the repeats); it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))

from papers import free_port, setup_env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--period", default="2026")
    parser.add_argument(
        "--var-dir", help="reuse the SQLite database of an earlier run in this folder (no seeding)"
    )
    args = parser.parse_args()
    tmp = Path(args.var_dir) if args.var_dir else Path(tempfile.mkdtemp(prefix="cchc-bench-rep-"))
    setup_env(tmp)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    from cchc.core.official_docs import build_docx, converter, docx_to_pdf
    from cchc.dossiers.models import Dossier
    from cchc.organizations import demo
    from cchc.organizations.models import Unit
    from cchc.reports import builder, consolidated, services
    from cchc.reports.models import Report, ReportKind

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if not (args.var_dir and Unit.objects.filter(kind="school").exists()):
        if connection.vendor == "postgresql":
            call_command("flush", "--noinput", verbosity=0)
        demo.seed_base()
        list(demo.seed_other_apps(dossiers=args.dossiers))
    school = Unit.objects.filter(kind="school").order_by("pk").first()
    commune = school.parent
    print(
        f"{connection.vendor}: demo school with "
        f"{Dossier.objects.filter(unit=school).count()} dossiers seeded in "
        f"{time.perf_counter() - started:.1f} s; report period {args.period}"
    )

    listen = f"127.0.0.1:{free_port()}"
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "cchc.cli", "pdf_server", "--listen", listen],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    host, _, port = listen.rpartition(":")
    while not converter.server_is_up((host, int(port)), 1):
        time.sleep(0.5)

    def timed(fn, *fn_args):
        begin = time.perf_counter()
        value = fn(*fn_args)
        return time.perf_counter() - begin, value

    def parts(unit: Unit, kind: str) -> None:
        req = builder.ReportRequest(unit, args.period)
        module = consolidated if kind == ReportKind.CONSOLIDATED else builder
        rows: dict[str, list[float]] = {}
        queries = 0
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                t, data = timed(module.collect, req)
            queries = len(captured)
            rows.setdefault("figures (collect)", []).append(t)
            t, docx = timed(build_docx, module.report_document(data))
            rows.setdefault("DOCX", []).append(t)
            t, _ = timed(module.report_xlsx, data)
            rows.setdefault("XLSX annex", []).append(t)
            with override_settings(PDF_SERVER="", PDF_STORE_DIR=""):
                t, _ = timed(docx_to_pdf, docx)
            rows.setdefault("PDF, cold LibreOffice", []).append(t)
            with override_settings(PDF_SERVER=listen, PDF_STORE_DIR=""):
                t, _ = timed(docx_to_pdf, docx)
            rows.setdefault("PDF, warm converter", []).append(t)
            report = Report(unit=unit, period=args.period, kind=kind)
            with override_settings(PDF_SERVER="", PDF_STORE_DIR=""):
                t, _ = timed(services.render, report)
            rows.setdefault("whole job (3 files), cold", []).append(t)
            with override_settings(PDF_SERVER=listen, PDF_STORE_DIR=""):
                t, _ = timed(services.render, report)
            rows.setdefault("whole job (3 files), warm", []).append(t)
        print(f"\n{unit.name} — {kind} ({queries} queries for the figures)")
        for name, values in rows.items():
            print(f"  {name:32} {median(values):8.3f} s")

    try:
        parts(school, ReportKind.UNIT)
        parts(commune, ReportKind.CONSOLIDATED)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)
    print(f"\npaths taken: {converter.stats}")


if __name__ == "__main__":
    main()
