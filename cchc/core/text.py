"""Text folding for matching Vietnamese words and names typed in different ways.

The one place that knows how to take Vietnamese apart (đ → d, tone and vowel marks dropped):
search keys, header matching of imported spreadsheets, bank transfer notes, file names. Pure (no
Django import), so the plan parser can use it too.
"""

from __future__ import annotations

import re
import unicodedata


def strip_diacritics(text: str) -> str:
    """`text` without Vietnamese diacritics (đ → d, "Ủy ban" → "Uy ban"), case kept."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def fold(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics (đ → d) and collapse spaces, for keyword matching.

    Keyword tests on folded text survive the usual variants of the same word: "Uỷ"/"Ủy",
    "hoà"/"hòa", upper/lower case, NFD input, a missing diacritic typed in a hurry.
    """
    return " ".join(strip_diacritics(text).lower().split())


def ascii_slug(text: str, *, max_length: int, fallback: str) -> str:
    """ASCII letters and digits joined by "-", for a download's file name ("Kế hoạch" → "Ke-hoach").

    Browsers and mail clients mangle non-ASCII file names, so files are named without diacritics.
    """
    plain = strip_diacritics(text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-")[:max_length] or fallback
