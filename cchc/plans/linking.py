"""Linking a plan's people to staff, and guessing who owns each target and task.

A plan's "Tổ chức thực hiện" names people ("Bà Dương Thị Huyền Trân, Phó hiệu trưởng") and the
duties each one carries. On import we

* match each named person to the unit's staff: diacritics, case and spacing ignored, so
  "Nguyen Thi Thanh Trang" and "NGUYỄN THỊ THANH TRANG" match; when two staff share the folded
  name, the one whose roles fit the title wins; a bare title ("Hiệu trưởng: …") matches the
  only holder of that role;
* guess the role a person not yet on file should get from their title, so the review can offer
  "create this person with this role";
* guess target owners: the principal owns the whole plan; a vice principal owns the targets
  their duties name (a duty measuring the same KPI as the target);
* guess task owners from duty themes ("báo cáo", "tuyên truyền", "khảo sát", "thanh toán" …):
  the person whose duties (or title) share the task's themes most specifically; the principal
  when nothing matches.

Every guess is only a proposal shown in the review, where it can be changed before saving.
The guessing functions are pure (plain dicts in, indices out) so they are tested without a
database.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Final

from cchc.accounts.models import Role
from cchc.plans.parsing import fold, match_kpi
from cchc.plans.parsing.figures import kpi_family

# Themes of duties and tasks, on folded text (no diacritics, lower case).
THEMES: Final[dict[str, str]] = {
    "report": r"\bbao cao\b",
    "communication": r"tuyen truyen|truyen thong",
    "satisfaction": r"hai long|khao sat",
    "cashless": r"thanh toan",
    "digital": (
        r"chuyen doi so|cong nghe thong tin|an toan thong tin|an ninh mang|truc tuyen|"
        r"so hoa|phan mem|co so du lieu"
    ),
    "oversight": r"khieu nai|to cao|phan anh|kiem tra|giam sat|sai pham|tieu cuc|thanh tra",
    "dossier": r"\bho so\b|tiep nhan|mot cua|van ban den|van ban di|luu tru",
    "civil_service": r"che do cong vu|vi tri viec lam|ky luat|ky cuong",
    "leadership": r"nguoi dung dau|dieu hanh",
    "legal": r"phap luat",
    "training": r"boi duong|tap huan",
    "initiative": r"sang kien|mo hinh|cach lam hay",
}
# What a title alone says a person does, whatever their duty lines say.
TITLE_THEMES: Final[list[tuple[str, frozenset[str]]]] = [
    (r"^hieu truong|^thu truong|^giam doc|^chu tich", frozenset({"leadership"})),
    (r"van thu", frozenset({"dossier", "report"})),
    (r"thanh tra", frozenset({"oversight"})),
    (r"tin hoc|cong nghe thong tin", frozenset({"digital"})),
    (r"ke toan", frozenset({"cashless"})),
]
# Title (folded) -> role, most specific first: "Phó hiệu trưởng" before "Hiệu trưởng".
TITLE_ROLES: Final[list[tuple[str, str]]] = [
    (r"pho hieu truong|pho giam doc|pho chu tich", Role.VICE_PRINCIPAL),
    (r"hieu truong|giam doc|thu truong", Role.PRINCIPAL),
    (r"van thu|mot cua", Role.CLERK),
    (r"thanh tra nhan dan", Role.INSPECTION_HEAD),
    (r"tin hoc|cong nghe thong tin", Role.IT_LEAD),
    (r"ke toan", Role.ACCOUNTANT),
]
_GROUP_HEAD = re.compile(r"^\s*tổ trưởng\s+(?:tổ\s+)?(?P<group>.+)$", re.IGNORECASE)


def name_key(name: str) -> str:
    """Folded full name: what two spellings of the same person have in common."""
    return fold(name)


def role_for_title(title: str) -> str:
    """The role a person with this title holds in the system (STAFF when none fits)."""
    folded = fold(title)
    for pattern, role in TITLE_ROLES:
        if re.search(pattern, folded):
            return role
    return Role.STAFF


def group_for_title(title: str) -> str:
    """ "Tổ trưởng tổ Tin học, Lịch sử - Địa lý" -> "Tin học, Lịch sử - Địa lý"; else ""."""
    match = _GROUP_HEAD.match(title.strip())
    return match.group("group").strip(" .,;") if match else ""


def themes_of(text: str) -> dict[str, int]:
    """Themes found in `text`, each with the position of its first mention."""
    folded = fold(text)
    found = {}
    for theme, pattern in THEMES.items():
        match = re.search(pattern, folded)
        if match:
            found[theme] = match.start()
    return found


def person_themes(assignment: dict[str, Any]) -> set[str]:
    themes: set[str] = set()
    for duty in assignment.get("duties", []):
        themes |= set(themes_of(duty))
    folded_title = fold(assignment.get("title", ""))
    for pattern, implied in TITLE_THEMES:
        if re.search(pattern, folded_title):
            themes |= implied
    return themes


def principal_index(assignments: Sequence[dict[str, Any]]) -> int | None:
    for i, item in enumerate(assignments):
        if role_for_title(item.get("title", "")) == Role.PRINCIPAL:
            return i
    return None


def guess_target_owners(
    assignments: Sequence[dict[str, Any]], targets: Sequence[dict[str, Any]]
) -> list[int | None]:
    """For each target, the index of the assignment that owns it (None: no one named)."""
    head = principal_index(assignments)
    vice = [
        i
        for i, item in enumerate(assignments)
        if role_for_title(item.get("title", "")) == Role.VICE_PRINCIPAL
    ]
    duty_kpis = {
        i: {kpi_family(match_kpi(d)) for d in assignments[i].get("duties", [])} - {None}
        for i in vice
    }
    owners: list[int | None] = []
    for target in targets:
        code = kpi_family(target.get("kpi"))
        named = [i for i in vice if code and code in duty_kpis[i]]
        owners.append(named[0] if named else head)
    return owners


def guess_task_owners(
    assignments: Sequence[dict[str, Any]], tasks: Sequence[dict[str, Any]]
) -> list[int | None]:
    """For each task, the index of the assignment whose duties share its themes most
    specifically; the principal when none does (None when the plan names no principal)."""
    people = [person_themes(item) for item in assignments]
    holders: dict[str, int] = {}
    for themes in people:
        for theme in themes:
            holders[theme] = holders.get(theme, 0) + 1
    head = principal_index(assignments)
    load = [0] * len(assignments)
    owners: list[int | None] = []
    for task in tasks:
        found = themes_of(task.get("text") or task.get("title", ""))
        first = min(found, key=lambda theme: found[theme]) if found else ""
        best: tuple[float, ...] | None = None
        chosen = head
        for i, themes in enumerate(people):
            shared = themes & set(found)
            if not shared:
                continue
            score = sum(1 / holders[t] for t in shared) + (0.5 if first in shared else 0)
            # Ties: the principal owns the whole plan, so a tie goes to whoever does the work;
            # then to the one with fewer tasks so far, the more specialised (fewer duties),
            # and the first listed.
            key = (score, -(i == head), -load[i], -len(assignments[i].get("duties", [])), -i)
            if best is None or key > best:
                best, chosen = key, i
        if chosen is not None:
            load[chosen] += 1
        owners.append(chosen)
    return owners


def reason(assignment: dict[str, Any], task_or_target: dict[str, Any]) -> str:
    """Why a guess was made, for the review: the duty line sharing the most themes."""
    wanted = set(themes_of(task_or_target.get("text") or task_or_target.get("title", "")))
    code = task_or_target.get("kpi")
    for duty in assignment.get("duties", []):
        if (code and match_kpi(duty) == code) or wanted & set(themes_of(duty)):
            return duty
    return ""
