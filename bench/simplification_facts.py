"""Simplification benchmark: cost of the measured facts (step times, supplements, visits) that
every review page and a procedure's page compute, over a large year of one procedure.

Usage (from the repository root, after `make install`):
    .venv/bin/python bench/simplification_facts.py [--dossiers 5000] [--repeat 5]
    DATABASE_URL=postgres://... .venv/bin/python bench/simplification_facts.py

It builds its own database (a temporary SQLite file unless DATABASE_URL is set: that database is
flushed first), loads the demo units and the procedure catalogue, bulk-inserts `--dossiers`
dossiers of one procedure over the last year on working days with four hand-over events each
(accepted, appraisal, done, returned) and a supplement request for one in ten, then times
`selectors.measured_facts` and `services.review_saving`. It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent


def setup_env(tmp: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.update({"DEBUG": "0", "HTTPS": "0", "LOG_LEVEL": "WARNING"})
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-" + "x" * 40)
    os.environ.setdefault("CCHC_VAR_DIR", str(tmp))
    sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cchc-bench-simplification-"))
    setup_env(tmp)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from cchc.accounts.models import User
    from cchc.dossiers import procedures
    from cchc.dossiers.deadlines import VN
    from cchc.dossiers.models import Dossier, DossierEvent, DossierPause
    from cchc.organizations import demo
    from cchc.organizations.models import Unit
    from cchc.simplification import selectors, services
    from cchc.workdays.services import calendar_for_unit

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
    demo.seed_base()
    school = Unit.objects.get(code="000.31.41.H29")
    procedure = procedures.procedure_seed_defaults(actor=None, unit=school)[0]
    calendar = calendar_for_unit(school)
    now = timezone.now().astimezone(VN)
    days = [
        now.date() - timedelta(days=n)
        for n in range(1, 360)
        if calendar.is_working_day(now.date() - timedelta(days=n))
    ]
    dossiers = []
    for i in range(args.dossiers):
        day = days[i % len(days)]
        received = now.replace(year=day.year, month=day.month, day=day.day, hour=8, minute=30)
        dossiers.append(
            Dossier(
                unit=school,
                procedure=procedure,
                code=f"BENCH-{i:06d}",
                channel="1" if i % 4 else "3",
                status="returned",
                applicant_name="Người thử",
                received_at=received,
                returned_at=received + timedelta(days=3),
                supplement_count=1 if i % 10 == 0 else 0,
            )
        )
    Dossier.objects.bulk_create(dossiers, batch_size=1000)
    events, pauses = [], []
    for dossier in Dossier.objects.filter(code__startswith="BENCH-"):
        start = dossier.received_at
        for hours, status, step in (
            (0, "accepted", ""),
            (2, "processing", "appraisal"),
            (50, "done", ""),
            (72, "returned", ""),
        ):
            events.append(
                DossierEvent(
                    dossier=dossier,
                    at=start + timedelta(hours=hours),
                    to_status=status,
                    step=step,
                )
            )
        if dossier.supplement_count:
            pauses.append(
                DossierPause(
                    dossier=dossier,
                    started_at=start + timedelta(hours=20),
                    ended_at=start + timedelta(hours=44),
                    reason="Thiếu giấy tờ",
                    items=["Học bạ"],
                )
            )
    DossierEvent.objects.bulk_create(events, batch_size=2000)
    DossierPause.objects.bulk_create(pauses, batch_size=2000)

    timings = []
    facts = None
    for _ in range(args.repeat):
        started = time.perf_counter()
        facts = selectors.measured_facts(procedure)
        timings.append(time.perf_counter() - started)
    if facts is None:
        return
    print(f"database: {connection.vendor}; dossiers: {facts.dossiers}; events: {len(events)}")
    print(
        f"measured_facts: median {median(timings) * 1000:.0f} ms, "
        f"max {max(timings) * 1000:.0f} ms over {args.repeat} runs"
    )
    for step in facts.steps:
        print(f"  {step.label}: {step.count} lượt, trung bình {step.mean_days} ngày làm việc")
    print(f"  lượt đến/hồ sơ: {facts.visits_per_dossier}; bổ sung: {facts.supplements}")
    review = services.review_open(
        actor=User.objects.get(username="thuyltt"),
        procedure=procedure,
        wage_per_hour_vnd=34_091,
    )
    started = time.perf_counter()
    for _ in range(100):
        services.review_saving(review)
    print(f"review_saving: {(time.perf_counter() - started) * 10:.2f} ms per call")


if __name__ == "__main__":
    main()
