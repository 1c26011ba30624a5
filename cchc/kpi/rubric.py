"""The reform-index rubric and its rating bands, read from data (domain.md section 3).

Provinces (or the Sở GD&ĐT) set their own criteria, points and bands, so none of it is code: a
JSON file holds the criteria tree, each leaf either scored by hand with evidence or computed from
a KPI by thresholds. `CCHC_REFORM_RUBRIC` (a path) replaces the shipped school default, and
`CCHC_RATING_BANDS` (a list of {"label", "min"}) replaces only the bands.

Scoring over a period where a formula's KPI has no data (empty denominator) leaves that criterion
out: its points leave the maximum, and the rating reads the share of the applicable maximum.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from cchc.kpi import registry

DEFAULT_RUBRIC = Path(__file__).parent / "rules" / "rubric-school-default.json"

# The usual provincial bands (domain.md section 3), in % of the applicable maximum.
DEFAULT_BANDS: tuple[tuple[str, Decimal], ...] = (
    ("Xuất sắc", Decimal(90)),
    ("Tốt", Decimal(80)),
    ("Khá", Decimal(70)),
    ("Trung bình", Decimal(50)),
    ("Yếu", Decimal(0)),
)


class RubricError(ValueError):
    """The rubric data is inconsistent; the message (Vietnamese) names the criterion."""


@dataclass(frozen=True)
class Threshold:
    min_rate: Decimal
    points: Decimal


@dataclass(frozen=True)
class Criterion:
    code: str
    title: str
    max_points: Decimal
    kind: str = "group"  # group / manual / formula
    evidence: str = ""
    kpi: str = ""
    thresholds: tuple[Threshold, ...] = ()
    children: tuple[Criterion, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def points_for(self, rate: Decimal) -> Decimal:
        """The points of the highest threshold `rate` (a percentage) reaches, else 0."""
        for threshold in self.thresholds:
            if rate >= threshold.min_rate:
                return threshold.points
        return Decimal(0)

    def rule_text(self) -> str:
        if self.kind != "formula":
            return "Chấm tay, kèm minh chứng" + (f": {self.evidence}" if self.evidence else "")
        steps = "; ".join(f"≥ {_num(t.min_rate)}% → {_num(t.points)} điểm" for t in self.thresholds)
        return f"Tự tính từ «{registry.name_of(self.kpi)}»: {steps}; thấp hơn → 0 điểm"


@dataclass(frozen=True)
class Rubric:
    code: str
    version: str
    name: str
    source: str
    max_points: Decimal
    criteria: tuple[Criterion, ...]
    bands: tuple[tuple[str, Decimal], ...] = field(default=DEFAULT_BANDS)

    def leaves(self) -> list[tuple[Criterion, int]]:
        """Every leaf criterion with its depth, in order (groups appear as depth-0 rows)."""
        out: list[tuple[Criterion, int]] = []

        def walk(items: tuple[Criterion, ...], depth: int) -> None:
            for item in items:
                if item.is_leaf:
                    out.append((item, depth))
                else:
                    walk(item.children, depth + 1)

        walk(self.criteria, 0)
        return out

    def rows(self) -> list[tuple[Criterion, int]]:
        """Groups and leaves, depth-first, for tables."""
        out: list[tuple[Criterion, int]] = []

        def walk(items: tuple[Criterion, ...], depth: int) -> None:
            for item in items:
                out.append((item, depth))
                walk(item.children, depth + 1)

        walk(self.criteria, 0)
        return out

    def leaf(self, code: str) -> Criterion | None:
        return next((c for c, _ in self.leaves() if c.code == code), None)

    def rating(self, points: Decimal, maximum: Decimal) -> str:
        """The band of `points` out of `maximum` (as a share of 100); "" when nothing applies."""
        return rating_for(points, maximum, self.bands)


def _num(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def percent_of(points: Decimal, maximum: Decimal) -> Decimal | None:
    if not maximum:
        return None
    return (Decimal(points) * 100 / Decimal(maximum)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def rating_for(
    points: Decimal, maximum: Decimal, bands: tuple[tuple[str, Decimal], ...] = DEFAULT_BANDS
) -> str:
    share = percent_of(points, maximum)
    if share is None:
        return ""
    for label, minimum in bands:
        if share >= minimum:
            return label
    return bands[-1][0]


def _decimal(value: Any, where: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except Exception:
        raise RubricError(f"{where}: «{value}» không phải là số.") from None
    if not number.is_finite() or number < 0:
        raise RubricError(f"{where}: điểm phải là số không âm.")
    return number


def parse_bands(data: Any) -> tuple[tuple[str, Decimal], ...]:
    """Bands from [{"label", "min"}…]: distinct labels, thresholds falling, the last at 0."""
    if not isinstance(data, list) or not data:
        raise RubricError("Thang xếp loại phải là danh sách các mức {label, min}.")
    bands = []
    for item in data:
        if not isinstance(item, dict) or not str(item.get("label", "")).strip():
            raise RubricError("Mỗi mức xếp loại cần tên (label) và ngưỡng (min).")
        label = str(item["label"]).strip()
        bands.append((label, _decimal(item.get("min"), f"Mức «{label}»")))
    for (upper, high), (lower, low) in itertools.pairwise(bands):
        if low >= high:
            raise RubricError(
                f"Thang xếp loại: ngưỡng của «{lower}» ({_num(low)}) phải thấp hơn "
                f"ngưỡng của «{upper}» ({_num(high)})."
            )
    if bands[-1][1] != 0:
        raise RubricError("Thang xếp loại: mức thấp nhất phải bắt đầu từ 0.")
    if bands[0][1] > 100:
        raise RubricError("Thang xếp loại: ngưỡng tính theo % tổng điểm, không quá 100.")
    return tuple(bands)


def _criterion(data: Any, seen: set[str]) -> Criterion:
    if not isinstance(data, dict):
        raise RubricError("Mỗi tiêu chí phải là một đối tượng có code, title, max_points.")
    code = str(data.get("code", "")).strip()
    if not code:
        raise RubricError("Có tiêu chí thiếu mã (code).")
    if code in seen:
        raise RubricError(f"Mã tiêu chí «{code}» bị trùng.")
    seen.add(code)
    where = f"Tiêu chí {code}"
    title = str(data.get("title", "")).strip()
    if not title:
        raise RubricError(f"{where} thiếu tên.")
    maximum = _decimal(data.get("max_points"), where)
    children = tuple(_criterion(item, seen) for item in data.get("children") or [])
    if children:
        total = sum((child.max_points for child in children), Decimal(0))
        if total != maximum:
            raise RubricError(
                f"{where}: điểm tối đa {_num(maximum)} khác tổng điểm các tiêu chí con "
                f"({_num(total)})."
            )
        return Criterion(code, title, maximum, "group", children=children)
    kind = data.get("kind", "manual")
    if kind == "manual":
        return Criterion(code, title, maximum, "manual", str(data.get("evidence", "")))
    if kind != "formula":
        raise RubricError(f"{where}: cách chấm «{kind}» không có (manual hoặc formula).")
    kpi = str(data.get("kpi", "")).strip()
    if registry.get(kpi) is None:
        raise RubricError(f"{where}: công thức dùng chỉ số «{kpi}» không có trong hệ thống.")
    thresholds = []
    for item in data.get("thresholds") or []:
        points = _decimal(item.get("points"), where)
        if points > maximum:
            raise RubricError(f"{where}: mức {_num(points)} điểm vượt điểm tối đa {_num(maximum)}.")
        thresholds.append(Threshold(_decimal(item.get("min"), where), points))
    if not thresholds:
        raise RubricError(f"{where}: công thức cần ít nhất một ngưỡng.")
    thresholds.sort(key=lambda t: t.min_rate, reverse=True)
    if any(a.points < b.points for a, b in itertools.pairwise(thresholds)):
        raise RubricError(f"{where}: ngưỡng cao hơn không được ít điểm hơn ngưỡng thấp hơn.")
    return Criterion(
        code, title, maximum, "formula", str(data.get("evidence", "")), kpi, tuple(thresholds)
    )


def parse_rubric(data: Any) -> Rubric:
    """A rubric from its JSON form, checked: points add up, formulas name known KPIs."""
    if not isinstance(data, dict):
        raise RubricError("Bộ tiêu chí phải là một đối tượng JSON.")
    seen: set[str] = set()
    criteria = tuple(_criterion(item, seen) for item in data.get("criteria") or [])
    if not criteria:
        raise RubricError("Bộ tiêu chí không có tiêu chí nào.")
    maximum = _decimal(data.get("max_points"), "Bộ tiêu chí")
    total = sum((c.max_points for c in criteria), Decimal(0))
    if total != maximum:
        raise RubricError(
            f"Bộ tiêu chí: tổng điểm tối đa {_num(maximum)} khác tổng điểm các nhóm "
            f"({_num(total)})."
        )
    bands = parse_bands(data["bands"]) if data.get("bands") else DEFAULT_BANDS
    return Rubric(
        code=str(data.get("code", "")) or "rubric",
        version=str(data.get("version", "")) or "1",
        name=str(data.get("name", "")),
        source=str(data.get("source", "")),
        max_points=maximum,
        criteria=criteria,
        bands=bands,
    )


@cache
def _load(path: str, bands_json: str) -> Rubric:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise RubricError(f"Không đọc được bộ tiêu chí {path}: {error}") from None
    if bands_json:
        data["bands"] = json.loads(bands_json)
    return parse_rubric(data)


def current_rubric() -> Rubric:
    """The rubric in force: the province's (settings) or the shipped school default."""
    path = str(getattr(settings, "CCHC_REFORM_RUBRIC", "") or DEFAULT_RUBRIC)
    bands = getattr(settings, "CCHC_RATING_BANDS", None)
    return _load(path, json.dumps(bands) if bands else "")
