"""Reads: reviews scoped to the actor's units, and the measured facts a review rests on.

The facts come from the system's own dossiers of the procedure (every version of it in the unit,
matched by name) received in the 12 months before a moment:

* actual time per step, from the hand-over events (`DossierEvent`): a step runs from the event
  that started it to the next event; measured in working days of the unit's calendar
  (`working_days_between`: finished the same day = 0, the next working day = 1), beside the
  step's budget;
* supplement frequency per document, from the supplement requests (`DossierPause.items`);
* visits per dossier: the citizen's trips to the counter, counted as the submission when the
  dossier came in person, one more per supplement request of an in-person dossier, and the
  collection of a result handed over in person.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cchc.accounts import permissions
from cchc.dossiers.deadlines import VN
from cchc.dossiers.models import (
    Channel,
    Dossier,
    DossierEvent,
    DossierPause,
    Procedure,
    ResultDelivery,
)
from cchc.dossiers.workflow import DossierStatus
from cchc.organizations.models import Unit
from cchc.simplification.models import ProcessVersion, Review, ReviewStatus
from cchc.workdays.services import calendar_for_unit

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser

S = DossierStatus
STEP_LABELS: dict[str, str] = {
    "reception": "Tiếp nhận, chuyển xử lý",
    "appraisal": "Thẩm định",
    "signature": "Trình ký",
    "return": "Chờ trả kết quả",
}


def reviews_for(user: AnyUser) -> QuerySet[Review]:
    return permissions.scope_to_units(
        Review.objects.select_related("procedure", "unit"), user
    ).order_by("-year", "-created_at")


def procedures_of(unit: Unit) -> QuerySet[Procedure]:
    """The versions in force today, one per procedure name."""
    today = timezone.localdate()
    return Procedure.objects.filter(unit=unit, valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )


def _window(until: datetime) -> tuple[datetime, datetime]:
    return until - timedelta(days=365), until


def dossiers_of(procedure: Procedure, until: datetime | None = None) -> QuerySet[Dossier]:
    """Accepted dossiers of the procedure (any version, same unit) in the 12 months to `until`."""
    start, end = _window(until or timezone.now())
    return Dossier.objects.filter(
        unit_id=procedure.unit_id,
        procedure__name=procedure.name,
        received_at__gte=start,
        received_at__lt=end,
    )


def yearly_volume(procedure: Procedure, until: datetime | None = None) -> tuple[int, str]:
    """The yearly volume and the words that say where it comes from."""
    end = until or timezone.now()
    start, _ = _window(end)
    count = dossiers_of(procedure, end).count()
    basis = (
        f"{count} hồ sơ tiếp nhận trong hệ thống từ {start.astimezone(VN):%d/%m/%Y} "
        f"đến {end.astimezone(VN):%d/%m/%Y}"
    )
    return count, basis


def most_frequent_procedure(unit: Unit, until: datetime | None = None) -> Procedure | None:
    start, end = _window(until or timezone.now())
    row = (
        Dossier.objects.filter(unit=unit, received_at__gte=start, received_at__lt=end)
        .values("procedure__name")
        .annotate(n=Count("id"))
        .order_by("-n", "procedure__name")
        .first()
    )
    if row is None:
        return None
    return procedures_of(unit).filter(name=row["procedure__name"]).first()


@dataclass
class StepTime:
    code: str
    label: str
    budget_days: Decimal | None
    durations: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.durations)

    @property
    def mean_days(self) -> Decimal:
        if not self.durations:
            return Decimal(0)
        mean = Decimal(sum(self.durations)) / len(self.durations)
        return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def max_days(self) -> int:
        return max(self.durations, default=0)

    @property
    def over_budget(self) -> int:
        if self.budget_days is None:
            return 0
        return sum(1 for d in self.durations if d > self.budget_days)


@dataclass
class Facts:
    dossiers: int
    steps: list[StepTime]
    supplements: list[tuple[str, int]]
    supplemented_dossiers: int
    visits_total: int

    @property
    def visits_per_dossier(self) -> Decimal:
        if not self.dossiers:
            return Decimal(0)
        mean = Decimal(self.visits_total) / self.dossiers
        return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def supplement_rate(self) -> Decimal:
        if not self.dossiers:
            return Decimal(0)
        rate = Decimal(self.supplemented_dossiers) * 100 / self.dossiers
        return rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _segment_code(to_status: str, step: str) -> str | None:
    """The step that runs after an event, or None when the clock is the citizen's/ended."""
    if to_status == S.ACCEPTED:
        return "reception"
    if to_status == S.PROCESSING:
        return step or "appraisal"
    if to_status == S.DONE:
        return "return"
    return None


def measured_facts(procedure: Procedure, until: datetime | None = None) -> Facts:
    """Three queries over the year's dossiers (events, pauses, dossiers); grouping in Python
    because a step's length needs the next event of the same dossier."""
    dossiers = dossiers_of(procedure, until)
    calendar = calendar_for_unit(procedure.unit)
    budgets = step_budgets_of(procedure)
    steps: dict[str, StepTime] = {}
    by_dossier: dict[int, list[tuple[datetime, str, str]]] = defaultdict(list)
    events = (
        DossierEvent.objects.filter(dossier__in=dossiers)
        .order_by("dossier_id", "at", "id")
        .values_list("dossier_id", "at", "to_status", "step")
    )
    for dossier_id, at, to_status, step in events:
        by_dossier[dossier_id].append((at.astimezone(VN), to_status, step))
    for chain in by_dossier.values():
        for (started, to_status, step), (ended, _, _) in pairwise(chain):
            code = _segment_code(to_status, step)
            if code is None:
                continue
            if code not in steps:
                raw = budgets.get(code)
                steps[code] = StepTime(
                    code,
                    STEP_LABELS.get(code, code),
                    Decimal(str(raw)) if raw is not None else None,
                )
            days = calendar.working_days_between(started.date(), ended.date())
            steps[code].durations.append(max(days, 0))
    documents: Counter[str] = Counter()
    supplemented: set[int] = set()
    pauses = DossierPause.objects.filter(dossier__in=dossiers).values_list("dossier_id", "items")
    for dossier_id, items in pauses:
        supplemented.add(dossier_id)
        for item in items or []:
            documents[str(item)] += 1
    rows = list(dossiers.values("channel", "supplement_count", "result_delivery", "returned_at"))
    visits = 0
    for row in rows:
        in_person = row["channel"] == Channel.IN_PERSON
        visits += (1 + row["supplement_count"]) if in_person else 0
        delivery = row["result_delivery"] or (ResultDelivery.IN_PERSON if in_person else "")
        if row["returned_at"] is not None and delivery == ResultDelivery.IN_PERSON:
            visits += 1
    order = list(STEP_LABELS)
    return Facts(
        dossiers=len(rows),
        steps=sorted(steps.values(), key=lambda s: order.index(s.code) if s.code in order else 99),
        supplements=documents.most_common(),
        supplemented_dossiers=len(supplemented),
        visits_total=visits,
    )


# ---------------------------------------------------------------- versioned internal process


def process_versions(procedure: Procedure) -> QuerySet[ProcessVersion]:
    return ProcessVersion.objects.filter(
        procedure__unit_id=procedure.unit_id, procedure__name=procedure.name
    ).order_by("-effective_from", "-number")


def process_in_force(procedure: Procedure, day: date) -> ProcessVersion | None:
    return process_versions(procedure).filter(effective_from__lte=day).first()


def step_budgets_of(procedure: Procedure, day: date | None = None) -> dict[str, Any]:
    """The step budgets in force on `day` (today by default): the newest internal process
    effective by then, else the procedure's own `step_budgets`."""
    version = process_in_force(procedure, day or timezone.localdate())
    return version.budgets if version is not None else dict(procedure.step_budgets or {})


def step_budgets_for(dossier: Dossier) -> dict[str, Any]:
    """What `cchc.dossiers.deadlines.step_due` reads: the process in force on the day the
    dossier was received (submitted, if not yet received). A dossier received before a new
    process's effective date keeps the old one to the end."""
    moment = dossier.received_at or dossier.submitted_at or timezone.now()
    return step_budgets_of(dossier.procedure, moment.astimezone(VN).date())


def accepted_for_public(procedure: Procedure) -> QuerySet[Review]:
    """Accepted reviews of the procedure, for its public page."""
    return (
        Review.objects.filter(
            unit_id=procedure.unit_id,
            procedure__name=procedure.name,
            status=ReviewStatus.ACCEPTED,
        )
        .prefetch_related("findings")
        .order_by("-effective_on", "-decided_at")
    )
