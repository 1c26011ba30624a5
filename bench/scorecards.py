"""Time the per-person scorecards of the demo school: the ranked list (every card of the unit),
one person's card, the XLSX list and one year-end summary as DOCX. Prints the median of N runs.

    DATABASE_URL=sqlite:////tmp/sc-demo.sqlite3 SECRET_KEY=x .venv/bin/cchc migrate
    DATABASE_URL=sqlite:////tmp/sc-demo.sqlite3 SECRET_KEY=x .venv/bin/cchc seed_demo
    DATABASE_URL=sqlite:////tmp/sc-demo.sqlite3 SECRET_KEY=x .venv/bin/python bench/scorecards.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from cchc.core.official_docs import build_docx  # noqa: E402
from cchc.dossiers.models import Dossier  # noqa: E402
from cchc.kpi import scorecards  # noqa: E402
from cchc.kpi.registry import Period  # noqa: E402
from cchc.kpi.scorecard_papers import ranked_xlsx, scorecard_document  # noqa: E402
from cchc.organizations.models import Unit  # noqa: E402

RUNS = int(os.environ.get("RUNS", "5"))


def timed(label: str, work: Callable[[], object]) -> None:
    work()  # warm caches (rules file, calendars)
    samples = []
    for _ in range(RUNS):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            work()
            samples.append((time.perf_counter() - started) * 1000)
    print(f"{label}: median {statistics.median(samples):.0f} ms, {len(queries)} queries")


unit = Unit.objects.get(code="000.31.41.H29")
period = Period.year(timezone.localdate().year)
cards = scorecards.unit_scorecards(unit, period)
print(
    f"engine {connection.vendor}; {unit.name}; {len(cards)} staff in post; "
    f"{Dossier.objects.filter(unit=unit).count()} dossiers; period {period}"
)
timed("ranked list (every card)", lambda: scorecards.unit_scorecards(unit, period))
timed("one card", lambda: scorecards.staff_scorecard(cards[0].staff, period))
timed("XLSX list", lambda: ranked_xlsx(unit, scorecards.unit_scorecards(unit, period)))
timed(
    "year-end summary DOCX",
    lambda: build_docx(scorecard_document(cards[0], today=timezone.localdate())),
)
