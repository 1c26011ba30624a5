"""Text folding for search without diacritics (domain-free)."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case, no Vietnamese diacritics (đ → d), single spaces: "Học phí" → "hoc phi"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.lower().split())
