"""Text folding for matching Vietnamese words and names typed in different ways.

Pure (no Django import), so the plan parser can use it too.
"""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics (đ → d) and collapse spaces, for keyword matching.

    Keyword tests on folded text survive the usual variants of the same word: "Uỷ"/"Ủy",
    "hoà"/"hòa", upper/lower case, NFD input, a missing diacritic typed in a hurry.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.lower().split())
