"""Print the demo school's on-time rates (legal and 766) for the current year and the counts
of dossiers that break the demo rules (undated open, apology date on a Sunday, result at 00:00).

    DATABASE_URL=sqlite:////tmp/dossiers-demo.sqlite3 SECRET_KEY=x \
        .venv/bin/python bench/dossier_on_time_rates.py
"""

from __future__ import annotations

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django.setup()

from django.utils import timezone  # noqa: E402

from cchc.dossiers import kpis  # noqa: E402
from cchc.dossiers.deadlines import VN  # noqa: E402
from cchc.dossiers.models import Apology, Dossier  # noqa: E402
from cchc.dossiers.workflow import FINAL  # noqa: E402
from cchc.kpi.registry import Period  # noqa: E402
from cchc.organizations.models import Unit  # noqa: E402

units = Unit.objects.filter(code="000.31.41.H29")
period = Period.year(timezone.localdate().year)
for code in ("dossier_on_time_rate", "dossier_on_time_rate_766"):
    measure = getattr(kpis, code)(units, period)
    rate = 100 * measure.numerator / measure.denominator if measure.denominator else None
    print(f"{code}: {measure.numerator}/{measure.denominator} = {rate:.2f}%")
dossiers = Dossier.objects.filter(unit__in=units)
print("dossiers:", dossiers.count())
print("open without due date:", dossiers.exclude(status__in=FINAL).filter(due_at=None).count())
sundays = [
    a
    for a in Apology.objects.filter(dossier__unit__in=units)
    if a.new_due_at.astimezone(VN).weekday() == 6
]
print("apology dates on a Sunday:", len(sundays))
midnight = [
    d
    for d in dossiers.exclude(returned_at=None)
    if d.returned_at.astimezone(VN).time().replace(second=0, microsecond=0).hour == 0
    and d.returned_at.astimezone(VN).minute == 0
]
print("results returned at 00:00:", len(midnight))
