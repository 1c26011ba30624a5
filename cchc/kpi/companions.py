"""Companion indicators: figures shown beside a plan target without being what it is judged by.

Target 8 ("viên chức sử dụng chữ ký số") binds to `digital_signature_rate`, whose words are about
staff signing; the share of outgoing documents signed (`outgoing_signed_rate`) and of one-stop
papers Mẫu 01–03 signed (`one_stop_paper_signed_rate`) measure the same subject from the papers'
side, so the plan page, the landing page and the indicators page show them under target 8, each
with its definition, while the target's status stays that of its bound indicator (QA walk: the
one-stop paper rate stood alone, its "Mục tiêu kế hoạch" column empty).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cchc.kpi import registry
from cchc.kpi.registry import Measure, Period

#: Bound indicator → the indicators shown beside it, in this order.
COMPANIONS: dict[str, tuple[str, ...]] = {
    "digital_signature_rate": ("one_stop_paper_signed_rate", "outgoing_signed_rate"),
}


@dataclass(frozen=True)
class Companion:
    """One companion figure: its code, name, definition and value over the target's period."""

    code: str
    name: str
    definition: str
    measure: Measure


def companion_codes(code: str | None) -> tuple[str, ...]:
    """The registered companions of the bound indicator `code` (none for most codes)."""
    return tuple(c for c in COMPANIONS.get(code or "", ()) if registry.get(c) is not None)


def accompanied(code: str) -> str | None:
    """The bound indicator `code` is shown beside, if it is a companion."""
    for bound, companions in COMPANIONS.items():
        if code in companions:
            return bound
    return None


def companions_of(
    code: str | None, units: Any, period: Period, measures: Mapping[str, Measure] | None = None
) -> tuple[Companion, ...]:
    """The companions of `code` measured over `units` and `period` (from `measures` when it
    holds them, so a page that measured every indicator measures none twice)."""
    measures = measures or {}
    return tuple(
        Companion(
            c,
            registry.name_of(c),
            registry.definition_of(c),
            measures.get(c) or registry.measure(c, units, period),
        )
        for c in companion_codes(code)
    )
