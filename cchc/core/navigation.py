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
    # The page works on the user's own unit: hidden from an account with no staff record (the
    # system administrator), for whom it and its buttons would only answer 404.
    needs_unit: bool = False


_ITEMS: list[NavItem] = []


def register_nav(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _ITEMS):
        _ITEMS.append(item)
        _ITEMS.sort(key=lambda i: (i.order, i.label))


def nav_for(user: Any) -> list[NavItem]:
    if user is None or not user.is_authenticated:
        return []
    # The staff record by its related name: core imports no other app of ours.
    has_unit = getattr(user, "staff", None) is not None
    return [
        i
        for i in _ITEMS
        if (has_unit or not i.needs_unit) and (i.allowed is None or i.allowed(user))
    ]
