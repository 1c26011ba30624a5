"""The commune's roll-up: every school below the commune side by side, ranked, flagged.

Where the figures come from. Measuring every indicator of a hundred schools live costs seconds
to minutes (each is an aggregate over a school's year of dossiers, feedback, ratings …), so the
roll-up of a year reads the daily snapshots (`Snapshot`, taken each night by `cchc kpi
snapshot`) of the last day before today, and says so: "Số liệu đến hết ngày dd/mm/yyyy".

Why a stamp, not "yesterday's snapshot + today live": the parts of an indicator do not add up
day by day. A dossier still open yesterday and within its due date counted as on time; today it
may be finished late, or simply have passed its due date while open; a task turns overdue; a
staff-week counts once whatever the number of days worked. A "today's delta" would have to be
defined per indicator and would be wrong for exactly those state-dependent ones. A figure stamped
"up to the end of yesterday" is exact for that day; a school's own pages read the same snapshot
(the same figure on every page) and measure live, to the minute, on request ("Tính trực tiếp").

A quarter or a month reads its own snapshot rows the same way (each night's snapshot measures
the year, the quarter and the month to that day; `PeriodSnapshot`): a past quarter reads the
snapshot of its last day, if it was taken (`cchc kpi snapshot --day` takes it again). A half-year,
or a period without a snapshot, is measured live, with the indicators that read the same table
in one grouped query for all the schools (`registry.measure_by_unit`); so is a school that has no
snapshot for that day yet (new).

Flags. A school without a plan for the year is flagged here; other apps add their own flags by
registering a provider (`register_flag_provider`) in their AppConfig.ready, e.g. the reporting
calendar's "overdue reports": a function (schools, period, today) → {school id: [Flag, …]}.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Q
from django.urls import reverse

from cchc.kpi import index766, registry
from cchc.kpi.companions import companion_codes
from cchc.kpi.models import Assessment
from cchc.kpi.registry import Measure, Period
from cchc.kpi.selectors import (
    TARGET_CODES,
    Figure,
    goal_of,
    snapshot_day,
    snapshots_of,
    whole_number,
)
from cchc.kpi.totals import total_of
from cchc.organizations.models import Unit
from cchc.plans.models import Plan, Target, Task, TaskOccurrence, TaskStatus
from cchc.plans.selectors import OPEN, target_status

# Column headings of the nine targets (the indicator's full name and definition are the title).
SHORT_NAMES = {
    "cchc_self_score": "MT1 Xếp loại Chỉ số CCHC",
    "dossier_on_time_rate": "MT2 Hồ sơ đúng hạn",
    "satisfaction_rate": "MT3 Hài lòng về TTHC",
    "feedback_on_time_rate": "MT4 Phản ánh xử lý đúng hạn, công khai",
    "e_payment_staff_rate": "MT5 Viên chức thanh toán điện tử",
    "e_workplace_rate": "MT6 Làm việc trên môi trường điện tử",
    "e_document_rate": "MT7 Văn bản điện tử",
    "digital_signature_rate": "MT8 Chữ ký số",
    "official_email_rate": "MT9 Thư điện tử công vụ",
    # Target 8's companions (`cchc.kpi.companions`), in the column after target 8's own.
    "one_stop_paper_signed_rate": "MT8 đi kèm: Giấy tờ một cửa ký số",
    "outgoing_signed_rate": "MT8 đi kèm: Văn bản đi ký số",
}
LATE_CODE = "late_apology_rate"  # late dossiers (denominator) and those apologised for
TASK_CODE = "task_on_time_rate"


@dataclass(frozen=True)
class Flag:
    """A warning shown next to a school's name (and counted above the table)."""

    code: str
    label: str
    tone: str = "warn"
    url: str = ""
    summary: str = ""  # the label above the table, for every school carrying it (no count)


FlagProvider = Callable[[Sequence[Unit], Period, date], Mapping[int, list[Flag]]]
_FLAG_PROVIDERS: list[FlagProvider] = []


def register_flag_provider(provider: FlagProvider) -> FlagProvider:
    """Add a source of flags to the roll-up (idempotent; usable as a decorator).

    The provider gets the schools, the period and today, and returns flags by school id; it
    should cost one or two queries for all schools together (the page shows a hundred).
    """
    if provider not in _FLAG_PROVIDERS:
        _FLAG_PROVIDERS.append(provider)
    return provider


def flag_providers() -> list[FlagProvider]:
    return list(_FLAG_PROVIDERS)


@dataclass(frozen=True)
class Source:
    """Where the figures come from: a snapshot day, or measured live just now."""

    kind: str  # "snapshot" / "live"
    as_of: date
    live_units: int = 0
    whole_year: bool = True
    # A year, a quarter or a month: the nightly snapshot measures it (a half-year it does not).
    snapshotted: bool = True

    @property
    def stamp(self) -> str:
        return f"Số liệu đến hết ngày {self.as_of:%d/%m/%Y}"


@dataclass(frozen=True)
class Progress:
    """A plan's leaf tasks: done, all (cancelled left out), and open ones past their date."""

    done: int = 0
    total: int = 0
    overdue: int = 0

    @property
    def measure(self) -> Measure:
        return Measure(self.done, self.total)

    def __add__(self, other: Progress) -> Progress:
        return Progress(
            self.done + other.done, self.total + other.total, self.overdue + other.overdue
        )


@dataclass
class SchoolRow:
    """One school in the roll-up."""

    unit: Unit
    has_plan: bool
    figures: list[Figure]
    late: Measure  # apologised ÷ late dossiers
    tasks: Progress
    task_on_time: Measure
    index766: index766.Index766 | None
    assessment: Assessment | None
    flags: list[Flag] = field(default_factory=list)
    rank: int = 0
    # The figures shown beside a target without judging it, by the bound code (target 8's
    # one-stop papers and outgoing documents signed): columns of their own, never counted in
    # `met` or `missed`.
    companions: dict[str, list[Figure]] = field(default_factory=dict)

    @property
    def met(self) -> int:
        return sum(1 for figure in self.figures if figure.status == "met")

    @property
    def missed(self) -> int:
        return sum(1 for figure in self.figures if figure.status in ("missed", "at_risk"))

    @property
    def late_count(self) -> int:
        return int(self.late.denominator)

    @property
    def apologised(self) -> int:
        return int(self.late.numerator)

    @property
    def unapologised(self) -> int:
        """Late dossiers without the formal apology every late dossier needs (domain.md 1.4)."""
        return max(self.late_count - self.apologised, 0)

    def shown_flags(self, period: Period) -> list[Flag]:
        """The providers' flags, and the figures' own: late dossiers lacking an apology, with
        the drill-down to exactly those dossiers (the tracking book over the same period)."""
        if not self.unapologised:
            return list(self.flags)
        return [*self.flags, late_without_apology_flag(self.unit, period, self.unapologised)]


@dataclass
class Board:
    """The page: the schools ranked, the commune's totals, where the figures come from."""

    period: Period
    source: Source
    codes: list[str]
    rows: list[SchoolRow]
    totals: list[Figure]
    late: Measure
    tasks: Progress
    task_on_time: Measure
    # The commune's total of each companion figure, by the bound code (`SchoolRow.companions`).
    companion_totals: dict[str, list[Figure]] = field(default_factory=dict)

    @property
    def companion_figures(self) -> list[Figure]:
        """Every companion column's total, in the table's order: the definitions under it."""
        return [figure for code in self.codes for figure in self.companion_totals.get(code, [])]

    @property
    def flagged(self) -> list[tuple[Flag, list[Unit]]]:
        """Each kind of flag with the schools that carry it, for the summary above the table."""
        found: dict[str, tuple[Flag, list[Unit]]] = {}
        for row in self.rows:
            for flag in row.shown_flags(self.period):
                kind = Flag(flag.code, flag.summary or flag.label, flag.tone)
                found.setdefault(flag.code, (kind, []))[1].append(row.unit)
        return list(found.values())


def _is_whole_year(period: Period) -> bool:
    return period == Period.year(period.start.year)


def _live(units: Sequence[Unit], codes: Iterable[str], period: Period) -> dict[int, dict]:
    """Each school's figures measured now: indicators that read the same table in one grouped
    query for all the schools (registry.measure_by_unit), the others school by school."""
    if not units:
        return {}
    return registry.measure_by_unit(
        codes, Unit.objects.filter(pk__in=[unit.pk for unit in units]), period
    )


def read_measures(
    units: Sequence[Unit], period: Period, codes: Sequence[str], today: date
) -> tuple[dict[int, dict[str, Measure]], Source]:
    """Each school's figures for `codes`: from the period's last snapshot day (one query; a
    year, a quarter or a month is snapshotted each night), else measured live; a school missing
    from the snapshot is measured live up to that same day, so every figure on the page means
    the same thing."""
    day = snapshot_day(units, period, today)
    found: dict[int, dict[str, Measure]] = {unit.pk: {} for unit in units}
    if day is None:
        found.update(_live(units, codes, period))
        return found, Source(
            "live",
            min(period.end, today),
            live_units=len(units),
            whole_year=_is_whole_year(period),
            snapshotted=period.snapshot_key is not None,
        )
    rows = (
        snapshots_of(period.snapshot_key or "")
        .filter(unit__in=units, day=day, code__in=codes)
        .values_list("unit_id", "code", "numerator", "denominator", "label")
    )
    for unit_id, code, numerator, denominator, label in rows:
        found[unit_id][code] = registry.from_parts(
            code, whole_number(numerator), whole_number(denominator), label
        )
    missing = [unit for unit in units if not found[unit.pk]]
    found.update(_live(missing, codes, period.up_to(day)))
    return found, Source("snapshot", day, live_units=len(missing))


def _targets(units: Sequence[Unit], year: int) -> tuple[dict[int, dict[str, Target]], set[int]]:
    """The bound target of each code in each school's plan of `year` (its latest plan)."""
    plans = (
        Plan.objects.filter(unit__in=units, year=year).values("unit_id").annotate(latest=Max("pk"))
    )
    plan_ids = {row["latest"] for row in plans}
    bound: dict[int, dict[str, Target]] = {}
    for target in (
        Target.objects.filter(plan_id__in=plan_ids)
        .select_related("plan")
        .order_by("plan_id", "order", "pk")
    ):
        if target.kpi_code:
            bound.setdefault(target.plan.unit_id, {}).setdefault(target.kpi_code, target)
    return bound, {row["unit_id"] for row in plans}


def _progress(units: Sequence[Unit], year: int, today: date) -> dict[int, Progress]:
    """Leaf tasks of each school's plans of `year`: done, all, and overdue (a task, or any of a
    recurring task's periods, open past its date). Two grouped queries for every school."""
    tasks = (
        Task.objects.filter(plan__unit__in=units, plan__year=year, parent__isnull=False)
        .exclude(status=TaskStatus.CANCELLED)
        .values("plan__unit_id")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=TaskStatus.DONE)),
            overdue=Count("id", filter=Q(status__in=OPEN, due_on__lt=today)),
        )
    )
    late_periods = dict(
        TaskOccurrence.objects.filter(
            task__plan__unit__in=units,
            task__plan__year=year,
            status__in=OPEN,
            due_on__lt=today,
        )
        .values("task__plan__unit_id")
        .annotate(n=Count("task_id", distinct=True))
        .values_list("task__plan__unit_id", "n")
    )
    return {
        row["plan__unit_id"]: Progress(
            row["done"], row["total"], row["overdue"] + late_periods.get(row["plan__unit_id"], 0)
        )
        for row in tasks
    }


def _figure(
    code: str, measure: Measure, target: Target | None, *, today: date, period: Period
) -> Figure:
    found = registry.get(code)
    assert found is not None  # noqa: S101 - only registered codes reach here
    if target is None:
        return Figure(indicator=found, measure=measure)
    status, label, tone = target_status(target, measure, today=today, period=period)
    return Figure(
        indicator=found,
        measure=measure,
        target_number=target.number,
        target_text=target.text,
        goal=goal_of(target),
        status=status,
        status_label=label,
        tone=tone,
    )


def _flags(units: Sequence[Unit], period: Period, today: date, has_plan: set[int]) -> dict:
    flags: dict[int, list[Flag]] = {unit.pk: [] for unit in units}
    for unit in units:
        if unit.pk not in has_plan:
            flags[unit.pk].append(
                Flag("no_plan", f"Chưa có kế hoạch CCHC năm {period.start.year}", "warn")
            )
    for provider in _FLAG_PROVIDERS:
        for unit_id, extra in provider(units, period, today).items():
            if unit_id in flags:
                flags[unit_id].extend(extra)
    return flags


def board(units: Iterable[Unit], period: Period, *, today: date) -> Board:
    """Every school of `units` side by side over `period`: the nine targets against each plan's
    goals, late dossiers and apologies, plan progress, the 766 total and the self-assessment;
    ranked by targets met, then schools with a plan, then fewest at risk, then the 766 total."""
    schools = sorted(units, key=lambda u: u.name)
    codes = [code for code in TARGET_CODES if registry.get(code) is not None]
    beside = {code: companion_codes(code) for code in codes if companion_codes(code)}
    extra = [c for found in beside.values() for c in found]
    wanted = list(
        dict.fromkeys([*codes, *extra, LATE_CODE, TASK_CODE, *index766.kpi_codes()]).keys()
    )
    measures, source = read_measures(schools, period, wanted, today)
    bound, has_plan = _targets(schools, period.start.year)
    progress = _progress(schools, period.start.year, today)
    assessments = {
        a.unit_id: a for a in Assessment.objects.filter(unit__in=schools, year=period.start.year)
    }
    flags = _flags(schools, period, today, has_plan)
    rows = []
    for unit in schools:
        mine = measures[unit.pk]
        index = index766.compute(unit, period, measures=mine)
        rows.append(
            SchoolRow(
                unit=unit,
                has_plan=unit.pk in has_plan,
                figures=[
                    _figure(
                        code,
                        mine.get(code, Measure()),
                        bound.get(unit.pk, {}).get(code),
                        today=today,
                        period=period,
                    )
                    for code in codes
                ],
                late=mine.get(LATE_CODE, Measure()),
                tasks=progress.get(unit.pk, Progress()),
                task_on_time=mine.get(TASK_CODE, Measure()),
                index766=index,
                assessment=assessments.get(unit.pk),
                flags=flags[unit.pk],
                companions={
                    code: [_companion(c, mine.get(c, Measure())) for c in found]
                    for code, found in beside.items()
                },
            )
        )
    rows.sort(key=_rank_key)
    for position, row in enumerate(rows, start=1):
        row.rank = position
    totals = [
        Figure(
            indicator=registry.get(code),  # type: ignore[arg-type]
            measure=total_of(registry.get(code), (row.figures[i].measure for row in rows)),
        )
        for i, code in enumerate(codes)
    ]
    return Board(
        period=period,
        source=source,
        codes=codes,
        rows=rows,
        totals=totals,
        late=_sum(row.late for row in rows),
        tasks=sum((row.tasks for row in rows), Progress()),
        task_on_time=_sum(row.task_on_time for row in rows),
        companion_totals={
            code: [
                _companion(
                    c, total_of(registry.get(c), (row.companions[code][i].measure for row in rows))
                )
                for i, c in enumerate(found)
            ]
            for code, found in beside.items()
        },
    )


def _companion(code: str, measure: Measure) -> Figure:
    """A companion figure: no target, no status (it does not judge the target it sits beside)."""
    found = registry.get(code)
    assert found is not None  # noqa: S101 - companion_codes keeps registered codes only
    return Figure(indicator=found, measure=measure)


def _sum(measures: Iterable[Measure]) -> Measure:
    """Parts added over the schools (never an average of percentages; design.md section 1)."""
    total = Measure()
    for measure in measures:
        total = total + measure
    return total


def _rank_key(row: SchoolRow) -> tuple:
    total = row.index766.total if row.index766 is not None else None
    # A school without a plan has no goal to miss: it never ranks above one measured against its.
    return (
        -row.met,
        not row.has_plan,
        row.missed,
        -(total if total is not None else Decimal(-1)),
        row.unit.name,
    )


LATE_FLAG = "late_without_apology"


def period_code(period: Period) -> str:
    """The ?ky= text of a period ("2026", "2026-Q1", "2026-H2", "2026-11"), "" if none fits."""
    year = period.start.year
    for code in (
        str(year),
        *(f"{year}-Q{n}" for n in range(1, 5)),
        *(f"{year}-H{n}" for n in (1, 2)),
        *(f"{year}-{n:02d}" for n in range(1, 13)),
    ):
        if Period.parse(code) == period:
            return code
    return ""


def late_without_apology_flag(unit: Unit, period: Period, count: int) -> Flag:
    """ "N hồ sơ trễ hạn chưa xin lỗi", opening the tracking book on exactly those dossiers."""
    query = f"?don_vi={unit.pk}&tre_han=1&chua_xin_loi=1"
    code = period_code(period)
    if code:
        query += f"&ky={code}"
    return Flag(
        LATE_FLAG,
        f"{count} hồ sơ trễ hạn chưa có văn bản xin lỗi",
        "bad",
        reverse("dossiers:book") + query,
        summary="Có hồ sơ trễ hạn chưa có văn bản xin lỗi",
    )
