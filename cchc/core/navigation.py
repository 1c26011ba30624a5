"""The staff navigation: each app registers its entries in AppConfig.ready().

Keeping the list here (domain-free) means the menu shows exactly the modules that are installed,
filtered by the permission each entry needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 100
    # Called with the user; None means "every signed-in staff member".
    allowed: Callable[[Any], bool] | None = None


_ITEMS: list[NavItem] = []


def register_nav(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _ITEMS):
        _ITEMS.append(item)
        _ITEMS.sort(key=lambda i: (i.order, i.label))


def nav_for(user: Any) -> list[NavItem]:
    if user is None or not user.is_authenticated:
        return []
    return [i for i in _ITEMS if i.allowed is None or i.allowed(user)]
