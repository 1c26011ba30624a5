"""The indicator registry: the contract between modules (design.md section 1).

Each domain app declares its indicators in its own `kpis.py` with `@indicator(...)`; plans,
dashboards and reports read values only through `measure(code, units, period)`. A `Measure` keeps
numerator and denominator so figures roll up across units by summing parts, never by averaging
percentages, and is "not measurable" when the denominator is zero.
"""

from __future__ import annotations

import calendar
import functools
import importlib
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from django.apps import apps

from cchc.kpi.definitions import DEFINITIONS
from cchc.kpi.intervals import wilson_interval

_PERIOD = re.compile(r"(?P<year>\d{4})(?:-(?P<kind>Q|H|)(?P<number>\d{1,2}))?")


@dataclass(frozen=True)
class Period:
    """A closed range of local dates, e.g. one calendar year."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def parse(cls, text: str) -> Period:
        """A reporting period from "2026", "2026-Q1" … "2026-Q4", "2026-H1"/"H2" or "2026-11".

        Raises ValueError with a Vietnamese message, so commands and pages can show it.
        """
        match = _PERIOD.fullmatch(text.strip().upper())
        if match is None:
            raise ValueError(
                f"Kỳ «{text}» không hợp lệ: dùng 2026, 2026-Q1…Q4, 2026-H1, 2026-H2 hoặc 2026-11."
            )
        year = int(match["year"])
        if not 2000 <= year <= 2100:
            raise ValueError(f"Năm {year} nằm ngoài khoảng 2000–2100.")
        kind, number = match["kind"], int(match["number"] or 0)
        if kind is None:
            return cls.year(year)
        first_month, months = {"Q": (3 * number - 2, 3), "H": (6 * number - 5, 6)}.get(
            kind, (number, 1)
        )
        if (kind == "Q" and not 1 <= number <= 4) or (kind == "H" and not 1 <= number <= 2):
            raise ValueError(f"Kỳ «{text}» không có: quý 1–4, nửa năm H1 hoặc H2.")
        if kind == "" and not 1 <= number <= 12:
            raise ValueError(f"Tháng {number} không có.")
        last_month = first_month + months - 1
        last_day = calendar.monthrange(year, last_month)[1]
        return cls(date(year, first_month, 1), date(year, last_month, last_day))

    @property
    def snapshot_key(self) -> str | None:
        """The `Snapshot.period` of this period's rows: "" for a calendar year, "2026-Q4" for a
        quarter, "2026-11" for a month; None for any other range (never snapshotted)."""
        start, end = self.start, self.end
        if start.day != 1 or start.year != end.year:
            return None
        if end.day != calendar.monthrange(end.year, end.month)[1]:
            return None
        months = end.month - start.month + 1
        if months == 12:
            return ""
        if months == 3 and start.month % 3 == 1:
            return f"{start.year}-Q{(start.month + 2) // 3}"
        if months == 1:
            return f"{start.year}-{start.month:02d}"
        return None

    @classmethod
    def snapshotted(cls, day: date) -> list[Period]:
        """The periods a night's snapshot of `day` measures: its year, quarter and month."""
        quarter = (day.month + 2) // 3
        return [
            cls.year(day.year),
            cls.parse(f"{day.year}-Q{quarter}"),
            cls.parse(f"{day.year}-{day.month:02d}"),
        ]

    def up_to(self, day: date) -> Period:
        """The part of the period up to and including `day` (a snapshot taken that day)."""
        return Period(self.start, min(self.end, max(day, self.start)))

    def __str__(self) -> str:
        return f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


def _comma(value: Decimal) -> str:
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    return f"{rounded:f}".replace(".", ",")


def _count(value: int | Decimal) -> str:
    """A numerator or denominator as Vietnamese write it: "32.027.860", "44", "12,5"."""
    if Decimal(value) == Decimal(value).to_integral_value():
        return f"{int(value):,}".replace(",", ".")
    return _comma(Decimal(value))


@dataclass(frozen=True)
class Measure:
    numerator: int | Decimal = 0
    denominator: int | Decimal = 0
    # For indicators that are a rating rather than a ratio ("Tốt", "Khá" …).
    label: str = ""
    # Counted on a sample (survey answers), not on every case: shown with its 95% interval.
    sampled: bool = False

    @property
    def is_measurable(self) -> bool:
        return bool(self.label) or self.denominator > 0

    @property
    def value(self) -> Decimal | None:
        """Percentage with full precision; None when not measurable (N/A)."""
        if not self.denominator:
            return None
        return Decimal(self.numerator) * 100 / Decimal(self.denominator)

    def display(self) -> str:
        if self.label:
            return self.label
        value = self.value
        if value is None:
            return "chưa đo được"
        rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
        text = f"{rounded:f}".replace(".", ",")
        shown = f"{text}% ({_count(self.numerator)}/{_count(self.denominator)})"
        interval = self.interval
        if interval is not None:
            low, high = (_comma(b * 100) for b in interval)
            shown += f"; khoảng tin cậy 95%: {low}–{high}%"
        return shown

    @property
    def interval(self) -> tuple[Decimal, Decimal] | None:
        """95% Wilson interval (fractions) of a sampled rate; None for a census or no data."""
        if not self.sampled or not self.denominator:
            return None
        bounds = wilson_interval(int(self.numerator), int(self.denominator))
        return None if bounds is None else (Decimal(str(bounds[0])), Decimal(str(bounds[1])))

    def __add__(self, other: Measure) -> Measure:
        return Measure(
            self.numerator + other.numerator,
            self.denominator + other.denominator,
            sampled=self.sampled or other.sampled,
        )


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    better: Literal["higher", "lower"]
    source: str
    compute: Callable[[Any, Period], Measure]
    # What is counted, in Vietnamese, shown beside every figure (numerator ÷ denominator).
    definition: str = ""
    # The app that computes it (e.g. "dossiers"), so a missing module can be named.
    module: str = ""
    # Counted on a sample (its Measure is `sampled`): a figure read back from a snapshot is
    # shown with its interval too.
    sampled: bool = False


_REGISTRY: dict[str, Indicator] = {}

# Every code the plan's targets may bind to, with a Vietnamese name, even before a module
# measures it: the dashboard shows "chưa đo được" for those instead of hiding the target.
KNOWN_CODES: dict[str, str] = {
    "cchc_self_score": "Xếp loại Chỉ số CCHC (tự đánh giá)",
    "dossier_on_time_rate": "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn",
    "late_apology_rate": "Tỷ lệ hồ sơ trễ hạn có văn bản xin lỗi",
    "satisfaction_rate": "Mức độ hài lòng của người dân, tổ chức",
    "feedback_on_time_rate": "Tỷ lệ phản ánh, kiến nghị được xử lý, phản hồi đúng hạn",
    "feedback_published_rate": "Tỷ lệ kết quả xử lý phản ánh, kiến nghị được công khai",
    "cashless_rate": "Tỷ lệ khoản thu không dùng tiền mặt",
    "e_document_rate": "Tỷ lệ văn bản trao đổi trên môi trường điện tử",
    "digital_signature_rate": "Tỷ lệ viên chức có chữ ký số",
    "official_email_rate": "Tỷ lệ viên chức phụ trách có thư điện tử công vụ",
    "task_on_time_rate": "Tỷ lệ nhiệm vụ kế hoạch hoàn thành đúng hạn",
}


def indicator(
    code: str,
    *,
    name: str,
    unit: str = "%",
    better: Literal["higher", "lower"] = "higher",
    source: str = "",
    definition: str = "",
    sampled: bool = False,
) -> Callable[[Callable[[Any, Period], Measure]], Callable[[Any, Period], Measure]]:
    """Register an indicator; `definition` (Vietnamese) says what is counted over what;
    `sampled` when its figure is counted on a sample (shown with its 95% interval)."""

    def register(func: Callable[[Any, Period], Measure]) -> Callable[[Any, Period], Measure]:
        module = func.__module__.removeprefix("cchc.").split(".")[0]
        compute = _memo_aware(code, func)
        _REGISTRY[code] = Indicator(
            code, name, unit, better, source, compute, definition, module, sampled
        )
        KNOWN_CODES[code] = name  # the measuring module's own wording wins over the placeholder
        return func

    return register


_MEMO: ContextVar[dict[tuple[Any, ...], Measure] | None] = ContextVar("kpi_memo", default=None)


@contextmanager
def memoized() -> Iterator[None]:
    """Within the block each indicator is computed once per (units, period).

    A report reads the same figure for its target table, the other indicators and the 766
    index (which binds several of its items to one indicator); without this it queries each
    time. Outside such a block nothing is cached, so pages always see fresh figures.
    """
    token = _MEMO.set({}) if _MEMO.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _MEMO.reset(token)


def _memo_aware(
    code: str, func: Callable[[Any, Period], Measure]
) -> Callable[[Any, Period], Measure]:
    @functools.wraps(func)
    def compute(units: Any, period: Period) -> Measure:
        memo = _MEMO.get()
        if memo is None:
            return func(units, period)
        try:
            scope = str(units.query) if hasattr(units, "query") else repr(units)
        except Exception:  # an empty queryset has no SQL: just compute
            return func(units, period)
        key = (code, scope, period.start, period.end)
        if key not in memo:
            memo[key] = func(units, period)
        return memo[key]

    return compute


def get(code: str) -> Indicator | None:
    return _REGISTRY.get(code)


def all_indicators() -> list[Indicator]:
    return sorted(_REGISTRY.values(), key=lambda i: i.code)


def measure(code: str | None, units: Any, period: Period) -> Measure:
    """The value of `code` over `units` (a Unit queryset) in `period`; N/A when unknown."""
    found = _REGISTRY.get(code or "")
    if found is None:
        return Measure()
    return found.compute(units, period)


# ------------------------------------------------------------------ grouped computation

PartsByUnit = dict[int, dict[str, Measure]]


@dataclass(frozen=True)
class Group:
    """Several indicators that read the same table, computed together in one grouped query.

    `compute(units, period)` returns each unit's measures (unit id → code → Measure) for every
    code of the group; each code's own `@indicator` function stays the reference definition and
    `tests` in each app check that the two agree. Only indicators whose parts add up across units
    (counts, sums) may be grouped: a commune's figure is the sum of its schools' parts.
    """

    codes: tuple[str, ...]
    compute: Callable[[Any, Period], PartsByUnit]
    # The measures of a unit the grouped query found no row for (e.g. "0 phản ánh" rather than
    # "chưa đo được" for a count): what each indicator's own function returns on no data.
    empty: Callable[[], dict[str, Measure]] | None = None


_GROUPS: list[Group] = []


def indicator_group(
    *codes: str, empty: Callable[[], dict[str, Measure]] | None = None
) -> Callable[[Callable[[Any, Period], PartsByUnit]], Callable[[Any, Period], PartsByUnit]]:
    """Register a grouped computation of `codes` (see `Group`); `empty` gives the measures of a
    unit without rows (default: "not measurable" for each code)."""

    def register(
        func: Callable[[Any, Period], PartsByUnit],
    ) -> Callable[[Any, Period], PartsByUnit]:
        key = (func.__module__, func.__qualname__)
        _GROUPS[:] = [g for g in _GROUPS if (g.compute.__module__, g.compute.__qualname__) != key]
        _GROUPS.append(Group(tuple(codes), func, empty))
        return func

    return register


def groups() -> list[Group]:
    return list(_GROUPS)


def measure_by_unit(codes: Iterable[str], units: Any, period: Period) -> PartsByUnit:
    """Each unit's value of every code in `codes` over `period` (unknown codes are left out).

    Codes of a registered `Group` cost one grouped query for all units together (for a single
    unit only when two or more of its codes are asked: for one, the indicator's own query is
    cheaper); the others are computed one unit at a time by their own function. The figures are
    the same either way.
    """
    from cchc.organizations.models import Unit  # the registry is imported by every app

    unit_ids = list(units.values_list("pk", flat=True))
    found: PartsByUnit = {pk: {} for pk in unit_ids}
    left = [code for code in dict.fromkeys(codes) if code in _REGISTRY]
    if not unit_ids:
        return found
    # The group covering most of what is asked goes first (one group may extend another's);
    # between two covering as much, the one computing less.
    for group in sorted(_GROUPS, key=lambda g: (-len(set(g.codes) & set(left)), len(g.codes))):
        wanted = [code for code in group.codes if code in left]
        # For one unit and one code of the group, the indicator's own query is the cheaper.
        if not wanted or (len(unit_ids) == 1 and len(wanted) == 1):
            continue
        parts = group.compute(units, period)
        for pk in unit_ids:
            mine = parts.get(pk)
            if mine is None:
                mine = group.empty() if group.empty is not None else {}
            for code in wanted:
                found[pk][code] = mine.get(code, Measure())
        left = [code for code in left if code not in wanted]
    for pk in unit_ids:
        single = Unit.objects.filter(pk=pk)
        for code in left:
            found[pk][code] = _REGISTRY[code].compute(single, period)
    return found


def measure_many(codes: Iterable[str], unit: Any, period: Period) -> dict[str, Measure]:
    """Every code of `codes` for one unit over `period`: `measure_by_unit` for that unit."""
    from cchc.organizations.models import Unit

    return measure_by_unit(codes, Unit.objects.filter(pk=unit.pk), period).get(unit.pk, {})


def from_parts(code: str, numerator: Any, denominator: Any, label: str = "") -> Measure:
    """A measure read back from stored parts (a snapshot), flagged `sampled` as its indicator
    measures it, so it is shown exactly as when measured live."""
    found = _REGISTRY.get(code)
    return Measure(numerator, denominator, label=label, sampled=found is not None and found.sampled)


def name_of(code: str | None) -> str:
    return KNOWN_CODES.get(code or "", code or "")


def definition_of(code: str | None) -> str:
    """What the indicator counts, or why it has no figure yet (the module that would measure it)."""
    found = _REGISTRY.get(code or "")
    if found is not None:
        return found.definition or DEFINITIONS.get(found.code, "")
    if code in MISSING_MODULES:
        return f"Chưa đo được: cần phân hệ {MISSING_MODULES[code]}."
    return ""


# Codes a plan may bind to whose measuring module is not built yet, with that module's name.
MISSING_MODULES: dict[str, str] = {}


def autodiscover() -> None:
    """Import `<app>.kpis` of every installed app so their indicators register."""
    for config in apps.get_app_configs():
        try:
            importlib.import_module(f"{config.name}.kpis")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.kpis":
                raise
