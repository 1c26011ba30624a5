"""Survey benchmark: cost of recording one response through the service, and of computing the
results and the satisfaction KPI over many responses.

Usage (from the repository root, after `make install`):
    .venv/bin/python bench/surveys.py [--submit 300] [--responses 20000]
    DATABASE_URL=postgres://... .venv/bin/python bench/surveys.py

It builds its own database (a temporary SQLite file unless DATABASE_URL is set: that database is
flushed first), submits `--submit` responses one by one through `response_submit` (locks, checks,
audit record), bulk-inserts `--responses` more, then times `results.compute` (every question,
group and breakdown) and `measure("satisfaction_rate")`. It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
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
    parser.add_argument("--submit", type=int, default=300)
    parser.add_argument("--responses", type=int, default=20000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cchc-bench-surveys-"))
    setup_env(tmp)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from cchc.kpi.registry import Period, measure
    from cchc.organizations import demo
    from cchc.organizations.models import Unit
    from cchc.surveys import results, services
    from cchc.surveys.models import Answer, Campaign, Response

    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
    demo.seed_base()
    school = Unit.objects.get(code="000.31.41.H29")
    template = next(
        t
        for t in services.templates_install_defaults(actor=None, unit=school)
        if t.key == "dich-vu-giao-duc"
    )
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        unit=school,
        title="Bench",
        template=template,
        version=template.current_version(),
        audience="all_parents",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=30),
        status="open",
    )
    rng = random.Random(1)
    scale = [q for q in campaign.version.questions.all() if q.kind == "scale"]

    def answers() -> dict[str, str]:
        out = {"respondent": "Cha mẹ học sinh"}
        for q in scale:
            out[q.code] = rng.choice("0123455554")[0] if q.code != "overall" else "4"
        return {k: v for k, v in out.items() if v != "0" or k == "respondent"}

    timings = []
    for n in range(args.submit):
        start = time.perf_counter()
        services.response_submit(
            campaign=campaign, answers=answers(), channel="link", device_id=f"bench-{n}"
        )
        timings.append(time.perf_counter() - start)
    print(
        f"[{connection.vendor}] response_submit: median {median(timings) * 1000:.1f} ms, "
        f"p95 {sorted(timings)[int(len(timings) * 0.95)] * 1000:.1f} ms over {args.submit}"
    )
    start = time.perf_counter()
    with transaction.atomic():
        version = campaign.version
        batch = 2000
        for offset in range(0, args.responses, batch):
            made = Response.objects.bulk_create(
                Response(
                    campaign=campaign,
                    version=version,
                    channel="link",
                    segment=rng.choice(["6A", "7B", "8C", "9D", ""]),
                    submitted_at=timezone.now() - timedelta(days=rng.randint(0, 25)),
                )
                for _ in range(min(batch, args.responses - offset))
            )
            Answer.objects.bulk_create(
                Answer(response=r, question=q, scale=rng.randint(1, 5)) for r in made for q in scale
            )
    if connection.vendor == "postgresql":
        # Autovacuum would do this a little later; without fresh statistics the planner takes
        # the freshly filled tables for empty ones and results take 15 times longer.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = Response.objects.filter(campaign=campaign).count()
    answers_n = Answer.objects.filter(response__campaign=campaign).count()
    print(f"bulk insert of {args.responses} responses: {time.perf_counter() - start:.1f} s")
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        computed = results.compute(Response.objects.filter(campaign=campaign))
        results.by_month(Response.objects.filter(campaign=campaign))
        results.by_segment(Response.objects.filter(campaign=campaign))
        runs.append(time.perf_counter() - start)
    print(
        f"results.compute + month/class breakdowns over {total} responses, {answers_n} answers: "
        f"median {median(runs) * 1000:.0f} ms (overall {computed.overall.rate_text()})"
    )
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        value = measure("education_satisfaction_rate", Unit.objects.filter(pk=school.pk),
                        Period.year(today.year))  # fmt: skip
        runs.append(time.perf_counter() - start)
    print(
        f"KPI education_satisfaction_rate: median {median(runs) * 1000:.0f} ms -> {value.display()}"
    )


if __name__ == "__main__":
    main()
