"""Vietnamese order of people's names in lists.

Lists of people in Vietnam (class lists, staff lists, ballots) are ordered by the given name,
the last word of the full name, then by the middle names and the family name; and letters follow
the Vietnamese alphabet, where ă and â come after a, đ after d, ê after e, ô and ơ after o, ư
after u, and a tone mark only decides between otherwise equal words (an < àn < ản < ãn < án <
ạn). Python's plain string order puts every accented capital after "Z", so "Ánh" would follow
"Yến".
"""

from __future__ import annotations

import unicodedata

# Letters of the Vietnamese alphabet with their rank; f, j, w, z (loanwords) between their
# Latin neighbours.
_ALPHABET = tuple("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
# The letter-forming marks stay with their letter; the five tones are set aside.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # ` ? ~ ' .


def _word_key(word: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    letters: list[int] = []
    tones: list[int] = []
    for char in word.casefold():
        if char == "đ":
            letters.append(_RANK["đ"])
            continue
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], list(decomposed[1:])
        letter = unicodedata.normalize(
            "NFC", base + "".join(m for m in marks if m in _LETTER_MARKS)
        )
        letters.append(_RANK.get(letter, 100 + ord(letter[0])))
        tones.append(max((_TONES.get(m, 0) for m in marks), default=0))
    return tuple(letters), tuple(tones)


def vietnamese_key(text: str) -> tuple:
    """Sort key for Vietnamese words in dictionary order (letters first, then tones)."""
    words = [_word_key(word) for word in text.split()]
    return tuple(w[0] for w in words), tuple(w[1] for w in words)


def given_name_key(full_name: str) -> tuple:
    """Sort key for a full name in the order of Vietnamese lists: given name first."""
    words = full_name.split()
    if not words:
        return ((), ())
    return vietnamese_key(words[-1]), vietnamese_key(" ".join(words[:-1]))
