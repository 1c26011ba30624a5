"""The Decision 766 service-quality index for a school and period (domain.md section 2).

The groups, maxima, thresholds and which indicators a school cannot have are data
(`rules/index766-v1.json`, versioned), so a corrected rule set is a new file, not new code.

Scoring (domain.md 2.2): points = max when the rate reaches the threshold, else rate × max ÷
threshold, rates rounded to 2 decimals first. An indicator that cannot apply to a school, that
this system does not measure, or whose denominator is 0 in the period is N/A: its points leave
the maximum, and the total is rescaled to 100 as earned × 100 ÷ applicable maximum.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from cchc.kpi import registry
from cchc.kpi.registry import Measure, Period
from cchc.kpi.rubric import DEFAULT_BANDS, RubricError, parse_bands, rating_for
from cchc.organizations.models import Unit

RULES = Path(__file__).parent / "rules" / "index766-v1.json"
_CENT = Decimal("0.01")

NA_LABELS = {
    "not_applicable": "Không áp dụng với trường",
    "not_measured": "Hệ thống chưa đo",
    "monitoring": "Chỉ theo dõi",
    "no_data": "Kỳ này không có số liệu",
}


# The points cell of an indicator left out of the total (domain.md 2: "không áp dụng"); the
# reason is its status_label. The API keeps the machine value (status, points null).
NOT_COUNTED = "Không áp dụng"


def _round(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def threshold_points(rate: Decimal, maximum: Decimal, target: Decimal) -> Decimal:
    """The 766 threshold rule: full points at or above `target` (%), else in proportion."""
    rate = _round(rate)
    if rate >= target:
        return maximum
    return _round(rate * maximum / target)


@dataclass(frozen=True)
class Item:
    code: str
    title: str
    max_points: Decimal
    kpi: str = ""
    target: Decimal | None = None
    status: str = "scored"  # scored / not_applicable / not_measured / monitoring / no_data
    reason: str = ""
    measure: Measure | None = None
    points: Decimal | None = None

    @property
    def counted(self) -> bool:
        return self.status == "scored"

    @property
    def status_label(self) -> str:
        return NA_LABELS.get(self.status, "")


@dataclass(frozen=True)
class Group:
    code: str
    title: str
    max_points: Decimal
    items: tuple[Item, ...]

    @property
    def applicable_max(self) -> Decimal:
        return sum((i.max_points for i in self.items if i.counted), Decimal(0))

    @property
    def points(self) -> Decimal:
        return sum((i.points or Decimal(0) for i in self.items if i.counted), Decimal(0))


@dataclass(frozen=True)
class Index766:
    unit: Unit
    period: Period
    version: str
    rule: str
    groups: tuple[Group, ...]
    bands: tuple[tuple[str, Decimal], ...]

    @property
    def earned(self) -> Decimal:
        return sum((g.points for g in self.groups), Decimal(0))

    @property
    def applicable_max(self) -> Decimal:
        return sum((g.applicable_max for g in self.groups), Decimal(0))

    @property
    def nominal_max(self) -> Decimal:
        return sum((g.max_points for g in self.groups), Decimal(0))

    @property
    def total(self) -> Decimal | None:
        """Earned points rescaled to 100; None when nothing applies (N/A, never 0)."""
        if not self.applicable_max:
            return None
        return _round(self.earned * 100 / self.applicable_max)

    @property
    def rating(self) -> str:
        return rating_for(self.earned, self.applicable_max, self.bands)

    def rescale_text(self) -> str:
        if self.total is None:
            return "Không có chỉ số nào đo được trong kỳ: chưa tính được điểm 766"
        return (
            f"{_num(self.earned)} điểm đạt ÷ {_num(self.applicable_max)} điểm tối đa áp dụng "
            f"(trên {_num(self.nominal_max)}) × 100 = {_num(self.total)}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": {"code": self.unit.code, "name": self.unit.name},
            "period": {"start": self.period.start.isoformat(), "end": self.period.end.isoformat()},
            "rules_version": self.version,
            "rule": self.rule,
            "earned": float(self.earned),
            "applicable_max": float(self.applicable_max),
            "nominal_max": float(self.nominal_max),
            "total": None if self.total is None else float(self.total),
            "rescale": self.rescale_text(),
            "rating": self.rating or None,
            "groups": [
                {
                    "code": g.code,
                    "title": g.title,
                    "max_points": float(g.max_points),
                    "applicable_max": float(g.applicable_max),
                    "points": float(g.points),
                    "indicators": [
                        {
                            "code": i.code,
                            "title": i.title,
                            "max_points": float(i.max_points),
                            "kpi": i.kpi or None,
                            "target": None if i.target is None else float(i.target),
                            "status": i.status,
                            "reason": i.reason or None,
                            "value": None
                            if i.measure is None or i.measure.value is None
                            else float(_round(i.measure.value)),
                            "display": i.measure.display() if i.measure else None,
                            "points": None if i.points is None else float(i.points),
                        }
                        for i in g.items
                    ],
                }
                for g in self.groups
            ],
        }


def _num(value: Decimal) -> str:
    return f"{_round(value).normalize():f}".replace(".", ",")


def parse_rules(data: Any) -> dict[str, Any]:
    """Check a rule set: group maxima add up, scored indicators name known KPIs and a target."""
    if not isinstance(data, dict) or not data.get("groups"):
        raise RubricError("Bộ chỉ số 766 phải có các nhóm (groups).")
    for group in data["groups"]:
        total = sum(
            (Decimal(str(i.get("max_points", 0))) for i in group.get("indicators", [])),
            Decimal(0),
        )
        if total != Decimal(str(group.get("max_points"))):
            raise RubricError(
                f"Nhóm {group.get('code')}: điểm tối đa {group.get('max_points')} khác tổng điểm "
                f"các chỉ số ({_num(total)})."
            )
        for item in group["indicators"]:
            if item.get("status"):
                continue
            if registry.get(item.get("kpi", "")) is None:
                raise RubricError(
                    f"Chỉ số {item.get('code')}: công thức dùng chỉ số «{item.get('kpi')}» "
                    "không có trong hệ thống."
                )
            if not Decimal(str(item.get("target", 0))) > 0:
                raise RubricError(f"Chỉ số {item.get('code')}: ngưỡng phải lớn hơn 0.")
    parse_bands(data.get("bands") or [{"label": "—", "min": 0}])
    return data


@cache
def rules() -> dict[str, Any]:
    return parse_rules(json.loads(RULES.read_text(encoding="utf-8")))


def kpi_codes(data: dict[str, Any] | None = None) -> list[str]:
    """The indicator codes the rule set scores (what a roll-up must read to score it)."""
    data = data or rules()
    return [raw["kpi"] for group in data["groups"] for raw in group["indicators"] if raw.get("kpi")]


def compute(
    unit: Unit,
    period: Period,
    data: dict[str, Any] | None = None,
    *,
    measures: Mapping[str, Measure] | None = None,
) -> Index766:
    """The 766 index of `unit` over `period` under the rule set (the shipped one by default).

    `measures` (code → figure) scores figures already read, e.g. from the daily snapshots of the
    commune's roll-up, instead of measuring each indicator again; a code missing from it is N/A.
    """
    data = data or rules()
    units = Unit.objects.filter(pk=unit.pk)
    groups = []
    for group in data["groups"]:
        items = []
        for raw in group["indicators"]:
            base = {
                "code": str(raw["code"]),
                "title": raw["title"],
                "max_points": Decimal(str(raw["max_points"])),
                "reason": raw.get("reason", ""),
            }
            if raw.get("status"):
                items.append(Item(**base, status=raw["status"]))
                continue
            target = Decimal(str(raw["target"]))
            measure = (
                registry.measure(raw["kpi"], units, period)
                if measures is None
                else measures.get(raw["kpi"], Measure())
            )
            value = measure.value
            if value is None:
                items.append(
                    Item(**base, kpi=raw["kpi"], target=target, status="no_data", measure=measure)
                )
                continue
            points = threshold_points(value, base["max_points"], target)
            items.append(
                Item(**base, kpi=raw["kpi"], target=target, measure=measure, points=points)
            )
        groups.append(
            Group(
                str(group["code"]), group["title"], Decimal(str(group["max_points"])), tuple(items)
            )
        )
    bands = parse_bands(data["bands"]) if data.get("bands") else DEFAULT_BANDS
    return Index766(
        unit, period, str(data.get("version", "")), data.get("rule", ""), tuple(groups), bands
    )
