"""Dossier indicators, each one or two aggregate queries (design.md: SQL, not Python loops).

On-time is judged by the one definition of "late" in `DossierQuerySet`: against the legal due
date, never an apology's new date (domain.md 1.4). The 766 variant subtracts the citizen's
supplement time and counts any dossier with more than one supplement request as late
(domain.md 1.3, 2.2).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any, cast

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from cchc.core.timezones import VN
from cchc.dossiers.models import LATE, ON_TIME, Apology, Channel, Dossier, DossierPause
from cchc.dossiers.workflow import DossierStatus
from cchc.kpi.registry import Measure, Period, indicator, indicator_group
from cchc.organizations.models import Unit

S = DossierStatus


def _window(period: Period) -> tuple[datetime, datetime]:
    start = datetime.combine(period.start, time.min, tzinfo=VN)
    end = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=VN)
    return start, end


def _counted(units: QuerySet[Unit], period: Period) -> QuerySet[Dossier]:
    """Accepted dossiers received or processed in the period (domain.md 2.2): received before
    its end and not ended before its start, each measured by the one definition of "late"
    (`DossierQuerySet.with_measure`) at its end, or at the period end if still open then."""
    start, end = _window(period)
    at = min(timezone.now(), end)
    return (
        Dossier.objects.filter(unit__in=units, received_at__isnull=False, received_at__lt=end)
        .with_measure(at)
        .filter(Q(ended_moment__isnull=True) | Q(ended_moment__gte=start))
    )


def period_window(period: Period) -> tuple[datetime, datetime]:
    """The period as aware local instants [start, end), for other modules' indicators."""
    return _window(period)


def dossiers_handled(units: QuerySet[Unit], period: Period) -> QuerySet[Dossier]:
    """The dossiers the on-time rates count, for indicators that build on them (satisfaction)."""
    return _counted(units, period)


@indicator(
    "dossier_on_time_rate",
    name="Tỷ lệ hồ sơ TTHC giải quyết đúng hạn",
    source="Nghị định 118/2025/NĐ-CP; Quyết định 766/QĐ-TTg chỉ số 2.1; Kế hoạch CCHC mục tiêu 2",
)
def dossier_on_time_rate(units: QuerySet[Unit], period: Period) -> Measure:
    """Every accepted dossier of the period; on time when finished, stopped or still running
    within its legal due date. One without a due date cannot be on time (it must be dated)."""
    row = _counted(units, period).aggregate(n=Count("id", filter=ON_TIME), d=Count("id"))
    return Measure(row["n"], row["d"])


@indicator(
    "dossier_on_time_rate_766",
    name="Tỷ lệ đúng hạn theo cách tính Quyết định 766 (trừ thời gian bổ sung)",
    source="Quyết định 766/QĐ-TTg",
)
def dossier_on_time_rate_766(units: QuerySet[Unit], period: Period) -> Measure:
    """Indicator 2.1 as domain.md 2.2 describes it: the same dossiers and moments, less the
    citizen's supplement time, against the first appointment; more than one supplement request
    is overdue."""
    row = with_766_end(_counted(units, period), units).aggregate(
        n=Count("id", filter=ON_TIME_766), d=Count("id")
    )
    return Measure(row["n"], row["d"])


# Against the first due date: the restart/extension rules already moved `due_at`.
ON_TIME_766 = Q(supplement_count__lte=1, net_end__lte=Coalesce(F("initial_due_at"), F("due_at")))


def with_766_end(dossiers: QuerySet[Dossier], units: QuerySet[Unit]) -> QuerySet[Dossier]:
    """`dossiers` (from `_counted`) with `net_end`: the measured moment less the supplement time.

    The supplement time is summed only for dossiers that have a finished pause (an `IN` over the
    units' paused dossiers, hashed once); the sum runs per dossier only for those few instead of
    once for every dossier of the year.
    """
    lost = (
        # Only pauses after acceptance: a supplement asked at intake happened before the clock.
        DossierPause.objects.filter(
            dossier=OuterRef("pk"), ended_at__isnull=False, started_at__gte=OuterRef("received_at")
        )
        .values("dossier")
        .annotate(
            total=Sum(
                ExpressionWrapper(F("ended_at") - F("started_at"), output_field=DurationField())
            )
        )
        .values("total")
    )
    paused = DossierPause.objects.filter(ended_at__isnull=False, dossier__unit__in=units).values(
        "dossier_id"
    )
    return dossiers.annotate(
        lost=Case(
            When(
                pk__in=paused,
                then=Coalesce(Subquery(lost, output_field=DurationField()), Value(timedelta(0))),
            ),
            default=Value(timedelta(0)),
            output_field=DurationField(),
        )
    ).annotate(
        net_end=ExpressionWrapper(F("measured_at") - F("lost"), output_field=DateTimeField())
    )


#: An apology counts once it reached the citizen: its letter released (sent), or, for one made
#: before apologies became letters, as soon as it was made (Decree 61 Art. 19(9), domain.md 1.4:
#: the written apology is *sent*; a draft, or a draft the head returned, is not).
SENT_APOLOGY = Q(outgoing__isnull=True) | Q(outgoing__released_at__isnull=False)


def _sent_apology() -> Exists:
    return Exists(Apology.objects.filter(SENT_APOLOGY, dossier=OuterRef("pk")))


def late_in_period(units: QuerySet[Unit], period: Period) -> QuerySet[Dossier]:
    """The late dossiers of the period, measured as the on-time rate measures them: the
    apology rate's denominator, and the list a roll-up's "late without apology" opens."""
    return _counted(units, period).filter(LATE)


@indicator(
    "late_apology_rate",
    name="Tỷ lệ hồ sơ trễ hạn có văn bản xin lỗi",
    source="Nghị định 61/2018 Điều 19 khoản 9; Kế hoạch CCHC nhiệm vụ 3.4",
)
def late_apology_rate(units: QuerySet[Unit], period: Period) -> Measure:
    row = (
        late_in_period(units, period)
        # Exists, not `pk IN (every apology)`: that read the whole city's apologies per school.
        .alias(apologised=_sent_apology())
        .aggregate(n=Count("id", filter=Q(apologised=True)), d=Count("id"))
    )
    return Measure(row["n"], row["d"])


HANDLED_CODES = ("dossier_on_time_rate", "dossier_on_time_rate_766", "late_apology_rate")


def handled_parts(
    units: QuerySet[Unit], period: Period, **extra: Count
) -> dict[int, dict[str, int]]:
    """The counts behind the three handled-dossier indicators, per unit, in one grouped query
    over the dossiers `_counted` selects (and any `extra` counts over the same rows, e.g. the
    satisfaction proxy's dislikes): the same filters as `dossier_on_time_rate`,
    `dossier_on_time_rate_766` and `late_apology_rate`, evaluated once per dossier."""
    apologised = _sent_apology()
    rows = (
        with_766_end(_counted(units, period), units)
        .order_by()
        .values("unit_id")
        .annotate(
            handled=Count("id"),
            on_time=Count("id", filter=ON_TIME),
            on_time_766=Count("id", filter=ON_TIME_766),
            late=Count("id", filter=LATE),
            apologised=Count("id", filter=LATE & Q(apologised)),
            **extra,
        )
    )
    return {row.pop("unit_id"): row for row in cast("list[dict[str, Any]]", list(rows))}


def handled_measures(parts: dict[str, int]) -> dict[str, Measure]:
    """The three indicators from one unit's `handled_parts` (all zero when it has none)."""
    handled = parts.get("handled", 0)
    return {
        "dossier_on_time_rate": Measure(parts.get("on_time", 0), handled),
        "dossier_on_time_rate_766": Measure(parts.get("on_time_766", 0), handled),
        "late_apology_rate": Measure(parts.get("apologised", 0), parts.get("late", 0)),
    }


@indicator_group(*HANDLED_CODES, empty=lambda: handled_measures({}))
def handled_group(units: QuerySet[Unit], period: Period) -> dict[int, dict[str, Measure]]:
    """`dossier_on_time_rate`, `dossier_on_time_rate_766` and `late_apology_rate` of each unit
    in one query (the dashboard and the nightly snapshot ask for all three)."""
    return {pk: handled_measures(parts) for pk, parts in handled_parts(units, period).items()}


@indicator(
    "apology_on_time_rate",
    name="Tỷ lệ văn bản xin lỗi gửi kịp thời (chậm nhất 01 ngày làm việc trước hạn)",
    source="Nghị định 61/2018 Điều 19 khoản 9; Kế hoạch CCHC nhiệm vụ 3.4",
)
def apology_on_time_rate(units: QuerySet[Unit], period: Period) -> Measure:
    """Apologies sent in the period that were sent in time; a late one still counts in the
    denominator (it was owed and sent, but late). A letter is sent when released, and is in
    time when released by the apology deadline (one working day before the due date); one
    made before apologies became letters counts when made, with the lateness noted then."""
    from cchc.dossiers.deadlines import apology_deadline

    start, end = _window(period)
    mine = Apology.objects.filter(dossier__unit__in=units)
    row = mine.filter(outgoing__isnull=True, created_at__gte=start, created_at__lt=end).aggregate(
        n=Count("id", filter=Q(issued_late=False)), d=Count("id")
    )
    on_time, total = row["n"], row["d"]
    # Few apologies (one per late dossier): the working-day deadline is checked in Python.
    for apology in mine.filter(
        outgoing__released_at__gte=start, outgoing__released_at__lt=end
    ).select_related("dossier__unit", "outgoing"):
        total += 1
        deadline = apology_deadline(apology.dossier)
        released = apology.outgoing.released_at if apology.outgoing else None
        if deadline is None or (released is not None and released <= deadline):
            on_time += 1
    return Measure(on_time, total)


@indicator(
    "dossier_online_rate",
    name="Tỷ lệ hồ sơ nộp trực tuyến",
    source="Quyết định 766/QĐ-TTg (dịch vụ công trực tuyến)",
)
def dossier_online_rate(units: QuerySet[Unit], period: Period) -> Measure:
    start, end = _window(period)
    row = Dossier.objects.filter(
        unit__in=units, submitted_at__gte=start, submitted_at__lt=end
    ).aggregate(n=Count("id", filter=Q(channel=Channel.ONLINE)), d=Count("id"))
    return Measure(row["n"], row["d"])


def counts_by_status(units: QuerySet[Unit], period: Period) -> dict[str, int]:
    start, end = _window(period)
    rows = (
        Dossier.objects.filter(unit__in=units, submitted_at__gte=start, submitted_at__lt=end)
        .values("status")
        .annotate(n=Count("id"))
    )
    return {row["status"]: row["n"] for row in rows}


@indicator_group("dossier_online_rate", empty=lambda: {"dossier_online_rate": Measure()})
def online_group(units: QuerySet[Unit], period: Period) -> dict[int, dict[str, Measure]]:
    """`dossier_online_rate` of each unit in one grouped query."""
    start, end = _window(period)
    rows = (
        Dossier.objects.filter(unit__in=units, submitted_at__gte=start, submitted_at__lt=end)
        .order_by()
        .values("unit_id")
        .annotate(n=Count("id", filter=Q(channel=Channel.ONLINE)), d=Count("id"))
    )
    return {row["unit_id"]: {"dossier_online_rate": Measure(row["n"], row["d"])} for row in rows}


# ---------------------------------------------------------------- one-stop papers signed

PAPERS_SIGNED = "one_stop_paper_signed_rate"


def _signed(kind: str, dossier: str = "pk", subject: Any = "") -> Q:
    """The paper of the outer row carries the officer's digital signature (`SignedPaper` is
    stored only once `sign_paper` has signed it with a certificate valid at that moment)."""
    from cchc.dossiers.models import SignedPaper

    papers = SignedPaper.objects.filter(dossier=OuterRef(dossier), kind=kind, subject=subject)
    return Q(Exists(papers))


def papers_signed_by_unit(units: QuerySet[Unit], period: Period) -> dict[int, list[int]]:
    """Each unit's one-stop papers issued in the period, [signed, issued]: the receipt and
    appointment (Mẫu 01) of each dossier received, the supplement request (Mẫu 02) of each
    request made, the refusal (Mẫu 03) of each dossier refused at intake or after appraisal;
    in three grouped queries for all the units."""
    start, end = _window(period)
    found: dict[int, list[int]] = {}

    def add(rows: Any, unit: str) -> None:
        for row in rows:
            parts = found.setdefault(row[unit], [0, 0])
            parts[0] += row["n"]
            parts[1] += row["d"]

    # As `papers_service.available`: a receipt exists once the dossier has its due date.
    receipts = Dossier.objects.filter(
        unit__in=units, received_at__gte=start, received_at__lt=end, due_at__isnull=False
    )
    add(
        receipts.order_by()
        .values("unit_id")
        .annotate(n=Count("id", filter=_signed("tiep-nhan")), d=Count("id")),
        "unit_id",
    )
    # Each request of supplements is its own paper, signed as "pause:<id>".
    subject = Concat(Value("pause:"), Cast(OuterRef("pk"), CharField()), output_field=CharField())
    requests = DossierPause.objects.filter(
        dossier__unit__in=units, started_at__gte=start, started_at__lt=end
    )
    add(
        requests.order_by()
        .values("dossier__unit_id")
        .annotate(
            n=Count("id", filter=_signed("bo-sung", dossier="dossier_id", subject=subject)),
            d=Count("id"),
        ),
        "dossier__unit_id",
    )
    refused = Dossier.objects.filter(unit__in=units).filter(
        Q(status=S.REJECTED, stopped_at__gte=start, stopped_at__lt=end)
        | Q(result_kind="refused", result_at__gte=start, result_at__lt=end)
    )
    add(
        refused.order_by()
        .values("unit_id")
        .annotate(n=Count("id", filter=_signed("tu-choi")), d=Count("id")),
        "unit_id",
    )
    return found


@indicator(
    PAPERS_SIGNED,
    name="Tỷ lệ giấy tờ một cửa (Mẫu 01, 02, 03) được ký số",
    source=(
        "Thông tư 01/2018/TT-VPCP Điều 9–10 (biểu mẫu ký số); Kế hoạch CCHC mục tiêu 8 "
        "(ký số trong giải quyết TTHC)"
    ),
)
def one_stop_paper_signed_rate(units: QuerySet[Unit], period: Period) -> Measure:
    """Forms 01–03 are signed only when the officer asks (his PIN): a paper handed over unsigned
    is counted here, which the staff-based signature rate of target 8 cannot see."""
    parts = papers_signed_by_unit(units, period).values()
    return Measure(sum(n for n, _ in parts), sum(d for _, d in parts))


@indicator_group(PAPERS_SIGNED, empty=lambda: {PAPERS_SIGNED: Measure()})
def papers_signed_group(units: QuerySet[Unit], period: Period) -> dict[int, dict[str, Measure]]:
    return {
        unit_id: {PAPERS_SIGNED: Measure(n, d)}
        for unit_id, (n, d) in papers_signed_by_unit(units, period).items()
    }
