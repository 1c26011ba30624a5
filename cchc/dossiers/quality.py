"""Circular 01/2018/TT-VPCP Art. 13–15: the quality indices scored per dossier (domain.md 1.8).

Indices 1, 2, 3, 4 and 7 are scored 2, 1 or 0 points on each dossier; an official's index is
the sum of the points of the dossiers they handled ÷ the number of those dossiers (rounded to one
decimal by the caller), and an index with no data is left out. Scored here, in SQL, per handler
(`Dossier.assignee`), on the dossiers the on-time rate counts (`dossiers_handled`) that have an
outcome to judge: a result by the end of the period, or already past their legal due date. A
dossier still running within its time, or stopped before its due date, is not scored yet.

How each index is read from what the system records:

1. Total time: 2 = result before the due day, 1 = on the due day, 0 = later (the same reading
   as the hand-over sheet's "trước hạn / đúng hạn / quá hạn", `deadlines.step_result`).
2. Each participant's share: the hand-over steps of the process control sheet (Mẫu 06) that
   had a time budget; the worst step decides (all early 2, none late 1, any late 0). A dossier
   with no budgeted step has no data for this index.
3. Contacts to complete the dossier: no supplement request 2, one 1, more 0.
4. Bodies the citizen had to contact: submitted online or by post 2 (none in person), at the
   desk 1 (only the one-stop desk).
7. Attitude: 2 = early, 1 = on time, 0 = late; a complaint would make it 0, but the system
   does not yet tie a conduct complaint to the dossier or the person (feedback items carry no
   dossier), so the timing part alone is scored (said on the scorecard).
"""

from __future__ import annotations

from typing import Final

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate

from cchc.dossiers.deadlines import VN
from cchc.dossiers.kpis import dossiers_handled
from cchc.dossiers.models import ON_TIME, Channel, DossierEvent, HandOverResult
from cchc.kpi.registry import Period
from cchc.organizations.models import Unit

# The per-dossier indices of an official (Circular 01/2018 Art. 14; domain.md 1.8).
OFFICIAL_INDICES: Final = (1, 2, 3, 4, 7)
_SCORED_IN_SQL: Final = (1, 2, 3, 4)

_LATE = Q(measured_at__gt=F("due_at"))
# Has its result, measured at it (not at the period's end).
_FINISHED = Q(finished_at__isnull=False, measured_at=F("ended_moment"))
_JUDGED = Q(due_at__isnull=False) & (_LATE | _FINISHED)


def _timing() -> Case:
    return Case(
        When(~_JUDGED, then=Value(None)),
        When(_LATE, then=Value(0)),
        When(measured_day__lt=F("due_day"), then=Value(2)),
        default=Value(1),
        output_field=IntegerField(),
    )


def _worst_step() -> Subquery:
    steps = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"))
        .exclude(result="")
        .annotate(
            points=Case(
                When(result=HandOverResult.LATE, then=Value(0)),
                When(result=HandOverResult.ON_TIME, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("points")
        .values("points")[:1]
    )
    return Subquery(steps, output_field=IntegerField())


def _only_judged(expression: Case | Subquery) -> Case:
    return Case(When(_JUDGED, then=expression), default=Value(None), output_field=IntegerField())


def _points() -> dict[int, Case | Subquery]:
    return {
        1: _timing(),
        2: _only_judged(_worst_step()),
        3: _only_judged(
            Case(
                When(supplement_count=0, then=Value(2)),
                When(supplement_count=1, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        ),
        4: _only_judged(
            Case(
                When(channel=Channel.IN_PERSON, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        ),
    }


def scored_dossiers(units: QuerySet[Unit], period: Period) -> QuerySet:
    """The handled dossiers of the period, each with its points `p1` … `p4` (None: not scored);
    index 7's points are index 1's (see the module docstring), so they are not computed twice."""
    dossiers = dossiers_handled(units, period).annotate(
        # Shadows the model's `finished_at` property on purpose: the same moment, in SQL.
        finished_at=Coalesce(F("result_at"), F("returned_at")),  # type: ignore[no-redef]
        measured_day=TruncDate("measured_at", tzinfo=VN),
        due_day=TruncDate("due_at", tzinfo=VN),
    )
    return dossiers.annotate(**{f"p{n}": expression for n, expression in _points().items()})


def official_scores_by_handler(units: QuerySet[Unit], period: Period) -> dict[int, dict[str, int]]:
    """Per handler (staff id): dossiers handled, those on time, and for each index the sum of
    points (`s1` …) and the number of dossiers scored (`c1` …). One grouped query."""
    aggregates: dict[str, Sum | Count] = {
        "handled": Count("id"),
        "on_time": Count("id", filter=ON_TIME),
    }
    for n in _SCORED_IN_SQL:
        aggregates[f"s{n}"] = Sum(f"p{n}")
        aggregates[f"c{n}"] = Count(f"p{n}")
    rows = (
        scored_dossiers(units, period)
        .filter(assignee__isnull=False)
        .values("assignee")
        .annotate(**aggregates)
        .order_by()
    )
    result = {}
    for row in rows:
        counts = {key: int(value or 0) for key, value in row.items() if key != "assignee"}
        # Index 7 without complaint data is the timing of index 1 (module docstring).
        counts["s7"], counts["c7"] = counts["s1"], counts["c1"]
        result[row["assignee"]] = counts
    return result
