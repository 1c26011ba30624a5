"""The filters of the dossier lists (queue, tracking book), checked before they are applied.

A filter the list cannot apply (`?thu_tuc=abc`, a procedure of another unit, an unknown status,
a date that is not one) is named to the user in Vietnamese and answered with 400, and the list
says it shows everything for that filter: never a silent full list that looks filtered.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Final

from cchc.core.numbers import parse_id

# (filter key, its name in the message, what the list shows instead)
_NAMES: Final[Mapping[str, tuple[str, str]]] = {
    "status": ("Trạng thái", "mọi trạng thái"),
    "procedure_id": ("Thủ tục", "mọi thủ tục"),
    "handler_id": ("Người xử lý", "mọi người xử lý"),
    "unit_id": ("Đơn vị", "mọi đơn vị"),
}


def unknown_choice(key: str, raw: str, *, shown: bool = True) -> str:
    """The message for a filter value that is not one of the list's choices; `shown`: the list
    is shown without it (an export is refused instead, and must not say it went ahead)."""
    name, instead = _NAMES[key]
    problem = f"{name} «{raw[:20]}» không có trong danh sách để lọc (hãy chọn trong ô {name})"
    return f"{problem}; đang hiển thị {instead}." if shown else f"{problem}."


def check_choices(
    filters: Mapping[str, str],
    *,
    statuses: Collection[str] = (),
    allowed_ids: Mapping[str, Collection[int]],
    shown: bool = True,
) -> dict[str, str]:
    """{filter key: message} for each non-empty filter that is not a choice the user has: a
    status of `statuses`, or an id among `allowed_ids[key]` (the options the page lists)."""
    errors: dict[str, str] = {}
    for key, raw in filters.items():
        if not raw:
            continue
        known = raw in statuses if key == "status" else parse_id(raw) in allowed_ids.get(key, ())
        if not known:
            errors[key] = unknown_choice(key, raw, shown=shown)
    return errors


def parse_day(raw: str | None, label: str, *, shown: bool = True) -> tuple[date | None, str]:
    """(the day written yyyy-mm-dd, "") or (None, a Vietnamese message) for one that is not;
    `shown` as in `unknown_choice`."""
    if not raw:
        return None, ""
    try:
        return date.fromisoformat(raw), ""
    except ValueError:
        problem = f"{label} «{raw[:20]}» không phải là ngày (dd/mm/yyyy)"
        return None, f"{problem}; bỏ qua điều kiện này." if shown else f"{problem}."
