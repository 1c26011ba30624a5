"""Bill codes: short, unambiguous, and found again in whatever a bank writes in a transfer note.

A code is a prefix (HP: a school fee, LP: a procedure fee), the year's two digits and six
characters of Crockford's base 32 (no I, L, O, U), e.g. "HP26K7M3Q9". Parents type it or the
VietQR note carries it; banks then add prefixes, spaces, dots and change case ("MBVCB.3312.
hp26 k7m3q9.NGUYEN VAN A"), so matching folds the note to upper-case letters and digits only and
reads I/L as 1 and O as 0, as Crockford's decoding rules do.
"""

from __future__ import annotations

import re
import secrets
from typing import Final

from cchc.core.text import strip_diacritics

ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PREFIX_FEE: Final = "HP"
PREFIX_PROCEDURE: Final = "LP"
_CANDIDATE = re.compile(r"(HP|LP)([0-9OIL]{2})([0-9A-Z]{6})")
_TYPO = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code(prefix: str, year: int) -> str:
    tail = "".join(secrets.choice(ALPHABET) for _ in range(6))
    return f"{prefix}{year % 100:02d}{tail}"


def squash(text: str) -> str:
    """Upper-case ASCII letters and digits only: "hp26 k7m3-q9" → "HP26K7M3Q9"."""
    return re.sub(r"[^A-Z0-9]", "", strip_diacritics(text or "").upper())


def normalise_code(text: str) -> str:
    """A code as typed by a person (spaces, lower case, O for 0) in its stored form."""
    squashed = squash(text)
    found = find_codes(squashed)
    return found[0] if found else squashed


def find_codes(description: str) -> list[str]:
    """Every well-formed bill code in a transfer note, in order, without repeats."""
    squashed = squash(description)
    codes: list[str] = []
    for start in range(len(squashed)):
        match = _CANDIDATE.match(squashed, start)
        if not match:
            continue
        prefix, year, tail = match.groups()
        tail = tail.translate(_TYPO)
        code = prefix + year.translate(_TYPO) + tail
        if all(ch in ALPHABET for ch in tail) and code not in codes:
            codes.append(code)
    return codes
