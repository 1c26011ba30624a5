"""Papers benchmark: receipt (Mẫu 01), apology (Mẫu 04), plan PDF and the tracking book.

Usage (from the repository root, after `make install`; needs LibreOffice and python3-uno):
    .venv/bin/python bench/papers.py [--dossiers 1400]
    DATABASE_URL=postgres://... .venv/bin/python bench/papers.py [--reuse]

It builds its own database (a temporary SQLite file unless DATABASE_URL is set: that database is
flushed first) with the demo school and its demo year of dossiers, starts `cchc pdf_server` on a
free port, and requests each paper through the real views (Django's test client, in process, so
the time printed is server time) in three ways, in one run:
  cold   — the old path: a LibreOffice process started for each paper (PDF_SERVER empty);
  warm   — the warm converter, first request of that paper (nothing stored); a paper too long
           for it (converter._OWN_PROCESS_ABOVE_BYTES; the old Writer book was) gets a
           LibreOffice of its own there, as in production, so receipts never queue behind it;
  stored — the same request again (the paper served from storage).
The tracking book is since issue 11 an XLSX printed by LibreOffice Calc; its old path (the same
rows as a Word table laid out by Writer, `old_book_pdf` below, the code of commit 8675328) is run
in the same process on the same rows for the comparison: first request, nothing stored.
It prints seconds (median of the repeats), ratios, and where the warm first request spent its
time: building the DOCX, converting it, and the rest (queries, hashing, storage, the view); the
load average (1 min) beside each line, since the machine may be shared. As wall time on a shared
machine says little, it also prints CPU seconds: the app's own (this process: queries, DOCX,
hashing, storage) and LibreOffice's (the warm soffice.bin, or the per-paper ones we start). On a
quiet machine a paper takes about their sum. It asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def setup_env(tmp: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.update(
        {"DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "testserver", "LOG_LEVEL": "WARNING"}
    )
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-" + "x" * 40)
    os.environ.setdefault("CCHC_VAR_DIR", str(tmp))
    sys.path.insert(0, str(ROOT))


def old_book_pdf(unit, dossiers) -> bytes:  # type: ignore[no-untyped-def]
    """The tracking book as it was made before issue 11: a Writer DOCX table (12 columns, dates
    on two lines) through `docx_to_pdf` (the warm converter, or a LibreOffice of its own for a
    book this long). Kept here only as the benchmark's baseline."""
    from django.utils import timezone

    from cchc.core.official_docs import Table, build_docx, docx_to_pdf
    from cchc.core.timezones import VN
    from cchc.dossiers import book_sheet, exports, papers
    from cchc.dossiers.papers_service import unit_info

    def two_lines(value):  # type: ignore[no-untyped-def]
        if value is None:
            return ""
        local = value.astimezone(VN)
        return f"{local:%d/%m/%Y}\n{local.hour:02d} giờ {local.minute:02d} phút"

    rows = exports._rows(dossiers, show_personal=True)
    table = Table(
        columns=list(book_sheet.BOOK_COLUMNS),
        rows=[
            [f"{r.entry or 0:02d}", r.code, r.procedure_name, r.applicant_name,
             r.applicant_contact, r.lead_body, two_lines(r.received_at), two_lines(r.due_at),
             two_lines(r.returned_at), r.delivery, "", r.note]
            for r in rows
        ],
        widths_cm=[0.9, 3.0, 3.6, 2.6, 3.0, 2.4, 2.1, 2.1, 2.1, 1.8, 1.6, 2.0],
    )  # fmt: skip
    document = papers._paper(
        unit_info(unit), "07", issued_on=timezone.localdate(), body=[table],
        summary=f"Năm {timezone.localdate().year}", table_pt=9,
    )  # fmt: skip
    document.page_size = "A4"
    document.landscape = True
    document.compact = False
    return docx_to_pdf(build_docx(document))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    # Drawn over the year so far, weekends dropped: 1,400 give a book of about 1,000 rows.
    parser.add_argument("--dossiers", type=int, default=1400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--old-repeat", type=int, default=1, help="runs of the old book path")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the dossiers already in DATABASE_URL's database (PostgreSQL seeds slowly)",
    )
    parser.add_argument(
        "--only", default="", help="run only the papers whose name contains this (e.g. Mẫu)"
    )
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cchc-bench-papers-"))
    setup_env(tmp)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from cchc.accounts.models import User
    from cchc.dossiers.models import Dossier
    from cchc.organizations import demo
    from cchc.plans.models import Plan

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if args.reuse and Dossier.objects.exists():
        print(f"{connection.vendor}: demo school with {Dossier.objects.count()} dossiers, reused")
    else:
        if connection.vendor == "postgresql":
            call_command("flush", "--noinput", verbosity=0)
        demo.seed_base()
        list(demo.seed_other_apps(dossiers=args.dossiers))
        print(
            f"{connection.vendor}: demo school with {Dossier.objects.count()} dossiers seeded in "
            f"{time.perf_counter() - started:.1f} s"
        )

    listen = f"127.0.0.1:{free_port()}"
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "cchc.cli", "pdf_server", "--listen", listen],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    from cchc.core.official_docs import converter

    host, _, port = listen.rpartition(":")
    while not converter.server_is_up((host, int(port)), 1):
        time.sleep(0.5)

    client = Client()
    client.force_login(User.objects.get(username="thuyltt"))
    # A receipt nobody signed: a signed one is served as the stored signed file, never built.
    receipt = (
        Dossier.objects.filter(received_at__isnull=False, due_at__isnull=False)
        .exclude(signed_papers__kind="tiep-nhan")
        .order_by("-received_at")
        .first()
    )
    apology = Dossier.objects.filter(apology__isnull=False).order_by("-received_at").first()
    plan = Plan.objects.order_by("pk").first()
    papers = {
        "receipt (Mẫu 01) PDF": reverse("dossiers:paper", args=[receipt.pk, "tiep-nhan", "pdf"]),
        "plan PDF": reverse("plans:export", args=[plan.pk, "pdf"]),
    }
    if apology is not None:
        papers["apology (Mẫu 04) PDF"] = reverse(
            "dossiers:paper", args=[apology.pk, "xin-loi", "pdf"]
        )
    book_rows = Dossier.objects.filter(unit=receipt.unit).count()
    papers[f"tracking book PDF ({book_rows} rows)"] = reverse("dossiers:book") + "?xuat=pdf"

    papers = {name: url for name, url in papers.items() if args.only in name}
    from cchc.core.official_docs import pdf as pdf_module
    from cchc.dossiers import book_sheet
    from cchc.dossiers import papers as dossier_papers
    from cchc.plans import exporting

    spent = {"build": 0.0, "convert": 0.0}

    def clocked(part: str, function):  # type: ignore[no-untyped-def]
        def wrapper(*a, **k):  # type: ignore[no-untyped-def]
            begin = time.perf_counter()
            try:
                return function(*a, **k)
            finally:
                spent[part] += time.perf_counter() - begin

        return wrapper

    for module in (dossier_papers, exporting):
        module.build_docx = clocked("build", module.build_docx)  # type: ignore[attr-defined]
    book_sheet.workbook = clocked("build", book_sheet.workbook)  # type: ignore[assignment]
    converter._warm = clocked("convert", converter._warm)  # type: ignore[assignment]
    pdf_module.cold_docx_to_pdf = clocked("convert", pdf_module.cold_docx_to_pdf)
    pdf_module.cold_xlsx_to_pdf = clocked("convert", pdf_module.cold_xlsx_to_pdf)

    uno_port = int(port) - 1

    def office_cpu() -> float:
        """CPU seconds of the warm LibreOffice and of every per-paper one that has ended."""
        found = subprocess.run(  # noqa: S603
            ["pgrep", "-f", f"soffice.bin.*port={uno_port}"],  # noqa: S607
            capture_output=True, text=True, check=False,
        ).stdout.split()  # fmt: skip
        warm_cpu = 0.0
        for pid in found:
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                warm_cpu += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return warm_cpu + children.ru_utime + children.ru_stime

    def app_cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        return own.ru_utime + own.ru_stime

    cpu = {"app": 0.0, "office": 0.0}

    def timed(url: str) -> float:
        app, office = app_cpu(), office_cpu()
        begin = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - begin
        cpu.update(app=app_cpu() - app, office=office_cpu() - office)
        body = b"".join(response) if response.streaming else response.content
        if response.status_code != 200 or not body.startswith(b"%PDF"):
            raise SystemExit(f"{url}: {response.status_code} {body[:200]!r}")
        return elapsed

    print(
        f"{'wall seconds':38} {'cold':>8} {'warm 1st':>9} {'stored':>8} {'cold/warm':>10}"
        f"   warm 1st = {'build':>6} + {'convert':>7} + {'rest':>6}   load"
    )
    cpu_lines = []
    try:
        for name, url in papers.items():
            repeats = args.repeat
            cold_runs, cold_cpu = [], []
            with override_settings(PDF_SERVER="", PDF_STORE_DIR=""):
                for _ in range(repeats):
                    cold_runs.append(timed(url))
                    cold_cpu.append((cpu["app"], cpu["office"]))
            cold = median(cold_runs)
            warm_runs, stored_runs, parts, warm_cpu, stored_cpu = [], [], [], [], []
            for i in range(repeats):
                store = tmp / f"store-{name[:6]}-{i}"
                with override_settings(PDF_SERVER=listen, PDF_STORE_DIR=str(store)):
                    spent.update(build=0.0, convert=0.0)
                    warm_runs.append(timed(url))
                    warm_cpu.append((cpu["app"], cpu["office"]))
                    parts.append((warm_runs[-1], spent["build"], spent["convert"]))
                    stored_runs.append(timed(url))
                    stored_cpu.append((cpu["app"], cpu["office"]))
            cpu_lines.append(
                f"{name:38} "
                + "   ".join(
                    f"{median(a for a, _ in runs):6.3f} + {median(o for _, o in runs):6.3f}"
                    for runs in (cold_cpu, warm_cpu, stored_cpu)
                )
            )
            warm, stored = median(warm_runs), median(stored_runs)
            total, build, convert = sorted(parts)[len(parts) // 2]
            print(
                f"{name:38} {cold:8.3f} {warm:9.3f} {stored:8.3f} {cold / warm:9.1f}x"
                f"   {total:8.3f} = {build:6.3f} + {convert:7.3f} + {total - build - convert:6.3f}"
                f"   {os.getloadavg()[0]:.2f}",
                flush=True,
            )
        print(f"\n{'CPU seconds (app + LibreOffice)':38} " + "   ".join(
            f"{title:>15}" for title in ("cold", "warm 1st", "stored")
        ))  # fmt: skip
        print("\n".join(cpu_lines))
        if args.only not in "tracking book PDF":  # the old book only when the book is run
            return
        # The book's old path on the same rows, warm converter up, nothing stored (first request).
        from cchc.accounts import permissions
        from cchc.dossiers import selectors

        clerk = User.objects.get(username="thuyltt")
        unit = permissions.acting_unit_or_404(clerk)
        book_dossiers = selectors.dossier_list_for_user(user=clerk)
        old_runs = []
        for _ in range(args.old_repeat):
            with override_settings(PDF_SERVER=listen, PDF_STORE_DIR=""):
                app, office = app_cpu(), office_cpu()
                begin = time.perf_counter()
                old_book_pdf(unit, book_dossiers)
                old_runs.append(
                    (time.perf_counter() - begin, app_cpu() - app, office_cpu() - office)
                )
        wall, app_s, office_s = sorted(old_runs)[len(old_runs) // 2]
        print(
            f"\n{'tracking book, OLD path (Writer DOCX)':38} first request {wall:6.3f} s wall,"
            f" CPU {app_s:6.3f} + {office_s:6.3f}   load {os.getloadavg()[0]:.2f}"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)
    print(f"paths taken: {converter.stats}  (settings.PDF_TIMEOUT={settings.PDF_TIMEOUT}s)")


if __name__ == "__main__":
    main()
