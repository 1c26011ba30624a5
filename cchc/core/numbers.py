"""Parse integers typed into query strings and forms without letting bad input become a 500.

`str.isdigit()` is not a safe guard before `int()`: it is true for "²" or "①", which `int()`
refuses (ValueError), and a 25-digit id passes both checks and then overflows the database
driver (SQLite raises OverflowError above 2**63 - 1; PostgreSQL bigint has the same limit).
Every view or selector that turns user text into a number goes through these two functions
instead, and decides itself whether `None` means "ignore the filter", 404 or 400.
"""

from __future__ import annotations

import re
from typing import Final

# Below the 64-bit signed limit of SQLite and PostgreSQL bigint, with room for arithmetic.
MAX_ID: Final = 2**62

# ASCII digits only (re.ASCII keeps \d from matching "²", "٣" or full-width digits), at most
# 19 of them: anything longer is out of range anyway, and int() on a huge string costs CPU.
_INTEGER: Final = re.compile(r"-?\d{1,19}", re.ASCII)


def parse_int_in_range(raw: str | None, *, minimum: int, maximum: int) -> int | None:
    """The integer written in `raw` if it lies in [minimum, maximum], else None.

    Accepts an optional leading minus and surrounding spaces; rejects signs like "+", digit
    separators, decimals and any non-ASCII digit.
    """
    if raw is None:
        return None
    text = str(raw).strip()
    if not _INTEGER.fullmatch(text):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def parse_id(raw: str | None, *, maximum: int = MAX_ID) -> int | None:
    """A primary key from user input (1 … maximum), or None when it cannot be one."""
    return parse_int_in_range(raw, minimum=1, maximum=maximum)
