"""Sections that apps add to the one daily digest e-mail per person (domain-free registry).

The dossiers digest (`cchc dossiers digest`) sends the mail. Another app registers a section in
its AppConfig.ready() with `register_section(name, build)`; `build(now)` returns {staff id: text
block}. A person who only has items of such a section gets the mail too, so each person still
receives one mail a day, never one per module or per item.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

Build = Callable[[datetime], dict[int, str]]
_SECTIONS: dict[str, Build] = {}


def register_section(name: str, build: Build) -> None:
    _SECTIONS[name] = build


def sections(now: datetime) -> dict[int, list[str]]:
    """Every registered section's blocks, by staff id, in registration order."""
    blocks: dict[int, list[str]] = defaultdict(list)
    for build in _SECTIONS.values():
        for staff_id, text in build(now).items():
            if text.strip():
                blocks[staff_id].append(text.strip())
    return dict(blocks)
