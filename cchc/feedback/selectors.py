"""Reads of feedback, scoped to the acting user; the public list of published answers."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from cchc.accounts import permissions
from cchc.core.numbers import MAX_ID
from cchc.core.text import fold
from cchc.feedback.models import Feedback
from cchc.feedback.workflow import Classification
from cchc.organizations.models import Unit

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser

TRACKING_CODE = re.compile(r"^[A-Za-z0-9\-]{4,20}$")


def _inspection_q() -> Q:
    return Q(classification=Classification.CONDUCT) | Q(dispute_count__gt=0)


def feedback_list_for_user(
    *,
    user: AnyUser,
    status: str = "",
    channel: str = "",
    query: str = "",
    received_from: date | None = None,
    received_to: date | None = None,
    late_only: bool = False,
) -> QuerySet[Feedback]:
    """Items the user may see: the desk and leaders all of their units'; the inspection board
    head conduct complaints and disputes; a teacher only what is assigned to them, never a
    complaint about staff conduct."""
    items = Feedback.objects.select_related("unit", "assignee")
    if permissions.can(user, permissions.VIEW_FEEDBACK):
        items = permissions.scope_to_units(items, user)
    elif permissions.can(user, permissions.INSPECT_FEEDBACK):
        staff = permissions.acting_staff(user)
        items = permissions.scope_to_units(items, user).filter(_inspection_q() | Q(assignee=staff))
    else:
        staff = permissions.acting_staff(user)
        if staff is None:
            return Feedback.objects.none()
        items = items.filter(assignee=staff, unit=staff.unit).exclude(
            classification=Classification.CONDUCT
        )
    if status:
        items = items.filter(status=status)
    if channel:
        items = items.filter(channel=channel)
    if query:
        query = query.replace("\x00", "")
        folded = fold(query)
        items = items.filter(
            Q(tracking_code__iexact=query.strip())
            | Q(external_code__iexact=query.strip())
            | Q(search_text__contains=folded)
            | Q(sender_name__icontains=query)
        )
    if received_from:
        items = items.filter(received_at__date__gte=received_from)
    if received_to:
        items = items.filter(received_at__date__lte=received_to)
    if late_only:
        items = items.late()
    return items


def feedback_get_for_user(*, user: AnyUser, pk: int) -> Feedback:
    if not 0 < pk <= MAX_ID:  # beyond the database's integers: cannot exist
        raise Http404("Không tìm thấy phản ánh, kiến nghị.")
    item = feedback_list_for_user(user=user).filter(pk=pk).first()
    if item is None:
        raise Http404("Không tìm thấy phản ánh, kiến nghị.")
    return item


def inspection_list(*, user: AnyUser) -> QuerySet[Feedback]:
    """Every conduct complaint and every disputed item across the inspection head's unit."""
    if not permissions.can(user, permissions.INSPECT_FEEDBACK):
        return Feedback.objects.none()
    return (
        permissions.scope_to_units(Feedback.objects.select_related("unit", "assignee"), user)
        .filter(_inspection_q())
        .prefetch_related("findings")
        .order_by("-received_at")
    )


def register(
    *, user: AnyUser, year: int, received_from: date | None = None, received_to: date | None = None
) -> QuerySet[Feedback]:
    """The register (sổ tiếp nhận) in number order for a year or a period."""
    items = feedback_list_for_user(
        user=user, received_from=received_from, received_to=received_to
    ).filter(year=year)
    return items.order_by("unit", "year", "register_number")


def public_list(unit: Unit, query: str = "") -> QuerySet[Feedback]:
    """Published answers of a unit, newest first; searchable without diacritics."""
    items = Feedback.objects.filter(unit=unit, published_at__isnull=False).order_by("-published_at")
    for word in fold(query.replace("\x00", "")).split()[:8]:
        items = items.filter(public_search__contains=word)
    return items


def public_get(unit: Unit, code: str) -> Feedback:
    item = None
    if TRACKING_CODE.match(code):
        item = public_list(unit).filter(tracking_code=code.upper()).first()
    if item is None:
        raise Http404("Không tìm thấy câu trả lời đã công khai.")
    return item
