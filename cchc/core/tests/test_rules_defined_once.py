"""Rules that used to be copied from module to module are defined once (issue 18, part 2).

A copy drifts: these tests fail when app code (tests aside) defines the time zone, folds
Vietnamese text or asks the machine for "today" on its own instead of using the one definition.
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from cchc.core.text import ascii_slug, fold, strip_diacritics
from cchc.core.timezones import VN

APP = Path(__file__).resolve().parents[2]


def _app_sources() -> list[tuple[str, str]]:
    return [
        (str(path.relative_to(APP.parent)), path.read_text(encoding="utf-8"))
        for path in sorted(APP.rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
    ]


def _offenders(pattern: str, *, allowed: set[str]) -> list[str]:
    regex = re.compile(pattern)
    return [name for name, text in _app_sources() if regex.search(text) and name not in allowed]


def test_the_vietnam_time_zone_is_one_constant() -> None:
    assert _offenders(r"ZoneInfo\(|Ho_Chi_Minh\"", allowed={"cchc/core/timezones.py"}) == []
    assert VN.key == settings.TIME_ZONE
    assert timezone.get_default_timezone() == VN


def test_today_is_the_local_date_everywhere() -> None:
    assert _offenders(r"date\.today\(\)|datetime\.now\(\)|datetime\.utcnow\(", allowed=set()) == []


def test_vietnamese_text_is_folded_in_one_place() -> None:
    assert _offenders(r"unicodedata\.combining|\"NFKD\"", allowed={"cchc/core/text.py"}) == []


def test_folding_survives_the_usual_variants() -> None:
    assert (
        fold("  Ủy ban  NHÂN DÂN\u0301 xã Đông ")
        == fold("uỷ ban nhan dan xa dong")
        == ("uy ban nhan dan xa dong")
    )
    assert strip_diacritics("Đặng Thị Mỹ Linh") == "Dang Thi My Linh"
    assert ascii_slug("Kế hoạch CCHC năm 2026!", max_length=60, fallback="x") == (
        "Ke-hoach-CCHC-nam-2026"
    )
    assert ascii_slug("—", max_length=60, fallback="ke-hoach") == "ke-hoach"
