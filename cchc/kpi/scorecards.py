"""Per-person scorecards (issue 16 item 6): what each staff member achieved over a period.

A card holds the Circular 01/2018 official indices (domain.md 1.8: indices 1, 2, 3, 4 and 7,
each the mean of the 2/1/0 points of the dossiers the person handled, rounded to one decimal; an
index with no data left out; the sum, out of 10, read as "≥ 5 = 100% of tasks done, 3.5 to
under 5 = 70% to under 100%, under 3.5 = under 70%"), the dossiers handled on time, the plan
tasks owned and done on time, and the reform activities (plan activities taken part in, papers
drafted and released, incoming papers led to completion, actions recorded in the audit log).

The seed plan (task 1.4: "gắn kết quả công tác cải cách hành chính với công tác thi đua, khen
thưởng") ties reform results to emulation and rewards, so the unit's cards are ranked.
Everything is computed per unit in a handful of grouped queries.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from cchc.accounts import permissions
from cchc.core.models import AuditEvent
from cchc.documents.models import IncomingDocument, OutgoingDocument
from cchc.dossiers.kpis import period_window
from cchc.dossiers.quality import OFFICIAL_INDICES, official_scores_by_handler
from cchc.kpi.registry import Measure, Period
from cchc.organizations.models import Staff, Unit
from cchc.plans.kpis import task_on_time_by_owner
from cchc.plans.models import Activity

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser

RULES_FILE = Path(__file__).parent / "rules" / "official-scorecard-v1.json"
TENTH = Decimal("0.1")
# A figure of an empty period (never 0%, never 0 points): the words Vietnamese users read; the
# API's machine values stay null.
NO_DATA = "Chưa có số liệu"
# The one definition of a person's "activities" (the ranking's column and tie-break, the card,
# the XLSX, the summary paper): `Activities.reform_count`.
ACTIVITY_LABEL = "Hoạt động CCHC"
ACTIVITY_DEFINITION = (
    "Hoạt động CCHC = số hoạt động của kế hoạch CCHC (tập huấn, tuyên truyền, sáng kiến) đã "
    "tham gia + văn bản soạn thảo đã phát hành + văn bản đến chủ trì giải quyết xong, trong kỳ; "
    "thao tác ghi nhận trên hệ thống được ghi riêng, không cộng vào."
)


@cache
def rules() -> dict[str, Any]:
    """The index titles and the reading bands, as data (domain.md 1.8 asks for a replaceable
    rubric: whether Circular 03/2025 keeps this scheme is not confirmed)."""
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    data["bands"] = sorted(data["bands"], key=lambda band: -Decimal(str(band["min"])))
    return data


def index_mean(total: int, count: int) -> Decimal | None:
    """Sum of the dossiers' points ÷ number of dossiers, rounded half up to 1 decimal; None
    (left out) when no dossier was scored."""
    if count <= 0:
        return None
    return (Decimal(total) / Decimal(count)).quantize(TENTH, rounding=ROUND_HALF_UP)


def reading(score: Decimal | None) -> str:
    """The Circular 01/2018 reading of an official's score (NO_DATA without any scored index)."""
    if score is None:
        return NO_DATA
    for band in rules()["bands"]:
        if score >= Decimal(str(band["min"])):
            return str(band["label"])
    return ""


@dataclass(frozen=True)
class IndexScore:
    number: int
    title: str
    total: int = 0
    count: int = 0

    @property
    def score(self) -> Decimal | None:
        return index_mean(self.total, self.count)


@dataclass(frozen=True)
class OfficialScore:
    """Indices 1, 2, 3, 4, 7 of one official; the score is the sum of the indices with data."""

    indices: tuple[IndexScore, ...]

    @property
    def counted(self) -> list[IndexScore]:
        return [index for index in self.indices if index.score is not None]

    @property
    def score(self) -> Decimal | None:
        counted = self.counted
        if not counted:
            return None
        return sum((index.score for index in counted if index.score is not None), Decimal(0))

    @property
    def max_points(self) -> int:
        return 2 * len(self.counted)

    @property
    def reading(self) -> str:
        return reading(self.score)

    @property
    def left_out(self) -> list[IndexScore]:
        return [index for index in self.indices if index.score is None]


@dataclass(frozen=True)
class Activities:
    plan_activities: int = 0
    documents_released: int = 0
    incoming_done: int = 0
    audit_actions: int = 0

    @property
    def reform_count(self) -> int:
        """The person's reform activities (ACTIVITY_DEFINITION), the one count every page, export
        and the ranking use; the audit log's actions are shown, not added: they count clicks."""
        return self.plan_activities + self.documents_released + self.incoming_done


@dataclass(frozen=True)
class Scorecard:
    staff: Staff
    period: Period
    official: OfficialScore
    dossiers: Measure
    tasks: Measure
    activities: Activities
    rank: int = 0
    notes: list[str] = field(default_factory=list)

    def sort_key(self) -> tuple[Any, ...]:
        """Official score, then tasks on time, dossiers on time, activities (no data after any
        figure), then the name: the order is shown on the page (ranking_rule)."""

        def desc(value: Decimal | None) -> tuple[int, Decimal]:
            return (1, Decimal(0)) if value is None else (0, -value)

        return (
            desc(self.official.score),
            desc(self.tasks.value),
            desc(self.dossiers.value),
            -self.activities.reform_count,
            self.staff.full_name,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "staff_id": self.staff.pk,
            "full_name": self.staff.full_name,
            "position": self.staff.position,
            "unit_id": self.staff.unit_id,
            "rank": self.rank,
            "period": {"start": self.period.start, "end": self.period.end},
            "official": {
                "score": _float(self.official.score),
                "max_points": self.official.max_points,
                "reading": self.official.reading,
                "indices": [
                    {
                        "number": i.number,
                        "title": i.title,
                        "dossiers_scored": i.count,
                        "points": i.total,
                        "score": _float(i.score),
                    }
                    for i in self.official.indices
                ],
            },
            "dossiers": _measure_dict(self.dossiers),
            "tasks": _measure_dict(self.tasks),
            "activities": {
                "plan_activities": self.activities.plan_activities,
                "documents_released": self.activities.documents_released,
                "incoming_done": self.activities.incoming_done,
                "audit_actions": self.activities.audit_actions,
                "reform_count": self.activities.reform_count,
            },
        }


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _measure_dict(measure: Measure) -> dict[str, Any]:
    value = measure.value
    return {
        "on_time": int(measure.numerator),
        "total": int(measure.denominator),
        "rate": None if value is None else float(round(value, 2)),
        "display": rate_text(measure),
    }


def rate_text(measure: Measure) -> str:
    """ "95,5% (21/22)", or NO_DATA for an empty period (never 0%)."""
    if not measure.denominator:
        return NO_DATA
    rounded = measure.value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()  # type: ignore[union-attr]
    return f"{rounded:f}".replace(".", ",") + f"% ({measure.numerator}/{measure.denominator})"


RANKING_RULE = (
    "Xếp hạng theo: điểm chấm theo Thông tư 01/2018/TT-VPCP (người không xử lý hồ sơ xếp sau "
    "người có điểm), rồi tỷ lệ nhiệm vụ kế hoạch đúng hạn, tỷ lệ hồ sơ đúng hạn, số hoạt động "
    "CCHC; bằng nhau thì cùng hạng."
)


def period_label(period: Period) -> str:
    """ "năm 2026", "quý I năm 2026", "6 tháng đầu năm 2026", "tháng 11 năm 2026"."""
    start, end = period.start, period.end
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if start.day != 1 or start.year != end.year:
        return f"từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"
    if months == 12:
        return f"năm {start.year}"
    if months == 6:
        return f"6 tháng {'đầu' if start.month == 1 else 'cuối'} năm {start.year}"
    if months == 3:
        roman = {1: "I", 4: "II", 7: "III", 10: "IV"}[start.month]
        return f"quý {roman} năm {start.year}"
    if months == 1:
        return f"tháng {start.month} năm {start.year}"
    return f"từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"


def _counts(queryset: QuerySet, key: str) -> dict[int, int]:
    rows = queryset.filter(**{f"{key}__isnull": False}).values(key).annotate(n=Count("id"))
    return {row[key]: row["n"] for row in rows.order_by()}


def _activities(unit: Unit, period: Period, people: Iterable[Staff]) -> dict[int, Activities]:
    start, end = period_window(period)
    units = Unit.objects.filter(pk=unit.pk)
    in_plan = _counts(
        Activity.objects.filter(unit__in=units, held_on__gte=period.start, held_on__lte=period.end),
        "participants",
    )
    released = _counts(
        OutgoingDocument.objects.filter(
            unit__in=units, released_at__gte=start, released_at__lt=end
        ),
        "drafter",
    )
    led = _counts(
        IncomingDocument.objects.filter(unit__in=units, done_at__gte=start, done_at__lt=end),
        "lead_handler",
    )
    actions = _counts(AuditEvent.objects.filter(unit__in=units, at__gte=start, at__lt=end), "actor")
    return {
        person.pk: Activities(
            in_plan.get(person.pk, 0),
            released.get(person.pk, 0),
            led.get(person.pk, 0),
            actions.get(person.user_id, 0) if person.user_id else 0,
        )
        for person in people
    }


NOTE_INDEX7 = (
    "Chỉ số 7 (thái độ) chấm theo thời hạn: hệ thống chưa gắn phản ánh về thái độ với từng hồ "
    "sơ, người bị phản ánh xác minh đúng cần được trừ điểm khi xét thi đua."
)


def _official(row: dict[str, int] | None) -> OfficialScore:
    titles = rules()["indices"]
    row = row or {}
    return OfficialScore(
        tuple(
            IndexScore(n, titles[str(n)], row.get(f"s{n}", 0), row.get(f"c{n}", 0))
            for n in OFFICIAL_INDICES
        )
    )


def unit_scorecards(unit: Unit, period: Period) -> list[Scorecard]:
    """Every staff member in post of `unit`, ranked (competition ranking: ties share a rank)."""
    people = list(Staff.objects.filter(unit=unit, is_active=True).order_by("full_name"))
    units = Unit.objects.filter(pk=unit.pk)
    official = official_scores_by_handler(units, period)
    tasks = task_on_time_by_owner(units, period)
    activities = _activities(unit, period, people)
    cards = [
        Scorecard(
            staff=person,
            period=period,
            official=_official(official.get(person.pk)),
            dossiers=Measure(
                official.get(person.pk, {}).get("on_time", 0),
                official.get(person.pk, {}).get("handled", 0),
            ),
            tasks=tasks.get(person.pk, Measure()),
            activities=activities[person.pk],
            notes=[NOTE_INDEX7] if official.get(person.pk) else [],
        )
        for person in people
    ]
    cards.sort(key=Scorecard.sort_key)
    ranked: list[Scorecard] = []
    for position, card in enumerate(cards, start=1):
        previous = ranked[-1] if ranked else None
        same = previous is not None and previous.sort_key()[:-1] == card.sort_key()[:-1]
        ranked.append(_with_rank(card, previous.rank if same else position))  # type: ignore[union-attr]
    return ranked


def _with_rank(card: Scorecard, rank: int) -> Scorecard:
    return Scorecard(
        card.staff,
        card.period,
        card.official,
        card.dossiers,
        card.tasks,
        card.activities,
        rank,
        card.notes,
    )


def staff_scorecard(staff: Staff, period: Period) -> Scorecard:
    """One person's card, with their rank in the unit."""
    for card in unit_scorecards(staff.unit, period):
        if card.staff.pk == staff.pk:
            return card
    # Someone no longer in post: their own figures, without a rank.
    units = Unit.objects.filter(pk=staff.unit_id)
    row = official_scores_by_handler(units, period).get(staff.pk)
    return Scorecard(
        staff=staff,
        period=period,
        official=_official(row),
        dossiers=Measure((row or {}).get("on_time", 0), (row or {}).get("handled", 0)),
        tasks=task_on_time_by_owner(units, period).get(staff.pk, Measure()),
        activities=_activities(staff.unit, period, [staff])[staff.pk],
        notes=[NOTE_INDEX7] if row else [],
    )


# --- who may see which card -------------------------------------------------------------


def scorecard_units(user: AnyUser) -> QuerySet[Unit]:
    """Units whose every card `user` may read: a leader their unit, the commune its schools."""
    if permissions.VIEW_SCORECARDS not in permissions.permissions_of(user):
        return Unit.objects.none()
    return permissions.visible_units(user)


def scorecard_unit_for(user: AnyUser, chosen: str | None) -> Unit:
    """The unit of the ranked list (?don_vi=, default the user's own); 404 if not readable."""
    units = scorecard_units(user)
    if chosen:
        unit = units.filter(pk=chosen).first() if str(chosen).isdigit() else None
    else:
        staff = permissions.acting_staff(user)
        unit = units.filter(pk=staff.unit_id).first() if staff is not None else None
    if unit is None:
        raise Http404("Không tìm thấy đơn vị hoặc bạn không được xem kết quả của đơn vị này.")
    return unit


def scorecard_staff_for(user: AnyUser, pk: int | str) -> Staff:
    """A person whose card `user` may read: themself, or anyone of a unit they may list."""
    own = permissions.acting_staff(user)
    if own is not None and str(own.pk) == str(pk):
        return own
    if not str(pk).isdigit():
        raise Http404("Không tìm thấy người này.")
    found = (
        Staff.objects.select_related("unit")
        .filter(Q(pk=pk) & Q(unit__in=scorecard_units(user)))
        .first()
    )
    if found is None:
        raise Http404("Không tìm thấy người này hoặc bạn không được xem kết quả của họ.")
    return found
