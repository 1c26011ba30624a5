"""Compliance cost of a procedure (chi phí tuân thủ TTHC), by the Ministry of Justice's method.

Source: Circular 07/2014/TT-BTP of 24/02/2014 guiding the assessment of the impact of
administrative procedures and the review and assessment of administrative procedures, its
appendix on calculating compliance costs (cách thức tính chi phí tuân thủ TTHC). The method as
the circular frames it (wording summarised: the official text could not be retrieved in this
session, see docs/simplification.md for what was and was not checked):

    Chi phí tuân thủ TTHC = Chi phí thực hiện 01 lần TTHC × Số lần thực hiện/năm
    Chi phí thực hiện 01 lần  = Chi phí thời gian + Phí, lệ phí + Chi phí khác
    Chi phí thời gian         = Σ (Thời gian thực hiện từng công việc, giờ
                                   × Thu nhập bình quân 01 giờ làm việc)

Inputs, one line per activity the citizen performs (prepare the papers, travel and wait at the
counter, come back with a supplement, collect the result …):

* time spent, in hours (never negative);
* the wage basis per hour: the average income of one working hour (thu nhập bình quân/giờ,
  from the average monthly income ÷ working hours of a month); one figure per review, > 0;
* fees and charges (phí, lệ phí) paid, in đồng;
* other costs (travel, copies and certification, hired services), in đồng.

The yearly volume (số lần thực hiện/năm) comes from the system's own dossiers, so the figure is
measured, not guessed; the saving is before − after, as money and as a share of "before".
Hours are summed in Decimal; the time cost is rounded once to whole đồng (half up), and every
other figure is built from rounded figures, so the table adds up as a reader checks it: per
dossier = time cost + fees + other, per year = per dossier × volume (the hand-computed example
in the tests matches to the đồng).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from django.core.exceptions import ValidationError


class CostInput(Protocol):
    hours: Decimal
    fee_vnd: int
    other_vnd: int


@dataclass(frozen=True)
class LineCost:
    time_vnd: Decimal
    fee_vnd: int
    other_vnd: int

    @property
    def total(self) -> Decimal:
        return self.time_vnd + self.fee_vnd + self.other_vnd


@dataclass(frozen=True)
class ScenarioCost:
    """One scenario (before or after): per dossier and per year, with its parts."""

    hours: Decimal
    time_vnd: int
    fee_vnd: int
    other_vnd: int
    per_dossier_vnd: int
    per_year_vnd: int
    lines: int = 0


@dataclass(frozen=True)
class Saving:
    before: ScenarioCost
    after: ScenarioCost

    @property
    def complete(self) -> bool:
        """Both scenarios have cost lines: only then is there a saving to show (a draft with no
        "after" lines would otherwise read as a 100% saving)."""
        return bool(self.before.lines and self.after.lines)

    @property
    def per_dossier_vnd(self) -> int:
        return self.before.per_dossier_vnd - self.after.per_dossier_vnd

    @property
    def per_year_vnd(self) -> int:
        return self.before.per_year_vnd - self.after.per_year_vnd

    @property
    def percent(self) -> Decimal | None:
        """Share of the yearly cost saved, in percent (2 decimals); None when "before" is 0."""
        if not self.before.per_year_vnd:
            return None
        share = Decimal(self.per_year_vnd) * 100 / Decimal(self.before.per_year_vnd)
        return share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _whole(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def check_inputs(*, hours: Decimal | None = None, wage_per_hour: int | None = None) -> None:
    """The range rules of the method's inputs, with the message the user reads."""
    if hours is not None and (not Decimal(hours).is_finite() or Decimal(hours) < 0):
        raise ValidationError({"hours": "Thời gian thực hiện không được âm."})
    if hours is not None and Decimal(hours) > 2000:
        raise ValidationError({"hours": "Thời gian một công việc quá lớn (tối đa 2.000 giờ)."})
    if wage_per_hour is not None and wage_per_hour <= 0:
        raise ValidationError(
            {"wage_per_hour_vnd": "Thu nhập bình quân 01 giờ làm việc phải lớn hơn 0 đồng."}
        )


def scenario_cost(lines: Iterable[CostInput], *, wage_per_hour: int, volume: int) -> ScenarioCost:
    """Σ(hours × wage) + fees + other costs per dossier; × the yearly volume per year."""
    check_inputs(wage_per_hour=wage_per_hour)
    hours = Decimal(0)
    fees = other = count = 0
    for line in lines:
        count += 1
        check_inputs(hours=line.hours)
        hours += Decimal(line.hours)
        fees += int(line.fee_vnd)
        other += int(line.other_vnd)
    time_cost = _whole(hours * wage_per_hour)
    per_dossier = time_cost + fees + other
    return ScenarioCost(
        hours=hours,
        time_vnd=time_cost,
        fee_vnd=fees,
        other_vnd=other,
        per_dossier_vnd=per_dossier,
        per_year_vnd=per_dossier * volume,
        lines=count,
    )


def saving(
    before: Iterable[CostInput], after: Iterable[CostInput], *, wage_per_hour: int, volume: int
) -> Saving:
    return Saving(
        scenario_cost(before, wage_per_hour=wage_per_hour, volume=volume),
        scenario_cost(after, wage_per_hour=wage_per_hour, volume=volume),
    )


def vnd(amount: int | Decimal) -> str:
    """120000 -> "120.000 đ" (dot thousands separators, minus sign kept)."""
    value = _whole(Decimal(amount))
    text = f"{abs(value):,}".replace(",", ".")
    return f"{'-' if value < 0 else ''}{text} đ"


def percent(value: Decimal | None) -> str:
    """12.5 -> "12,5%"; None -> "—"."""
    if value is None:
        return "—"
    return f"{value.normalize():f}".replace(".", ",") + "%"


def hours_text(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}".replace(".", ",")
