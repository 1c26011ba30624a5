"""The banks that take VietQR transfers: BIN (NAPAS acquirer id), short and full name.

Data, not code (domain.md section 9: "load BINs from NAPAS's list, not a hard-coded table"):
`data/banks.json`, updated by replacing the file when NAPAS publishes a change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "banks.json"


@dataclass(frozen=True)
class Bank:
    bin: str
    short_name: str
    name: str

    def __str__(self) -> str:
        return f"{self.short_name} ({self.bin})"


@cache
def all_banks() -> tuple[Bank, ...]:
    rows = json.loads(DATA.read_text(encoding="utf-8"))
    return tuple(sorted((Bank(**row) for row in rows), key=lambda b: b.short_name.lower()))


def bank_by_bin(bin_: str) -> Bank | None:
    return next((b for b in all_banks() if b.bin == bin_), None)
