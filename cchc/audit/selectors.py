"""Reads of the audit log, scoped to the units the user may audit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from cchc.accounts import permissions
from cchc.core.audit_verbs import is_known
from cchc.core.models import AuditEvent
from cchc.core.numbers import parse_id

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser


def audit_event_list_for_user(
    *,
    user: AnyUser,
    unit_id: str | None = None,
    verb: str = "",
    object_type: str = "",
    actor: str = "",
) -> QuerySet[AuditEvent]:
    """Events of the units the user may audit, narrowed by the page's filters.

    The filters come straight from the query string; one that cannot be a unit id ("²", a
    25-digit number) is ignored rather than answered with an error, like an empty filter.
    NUL characters are dropped from the text filters: PostgreSQL refuses them in a query.
    """
    permissions.require(user, permissions.VIEW_AUDIT)
    events = permissions.scope_to_units(AuditEvent.objects.select_related("unit"), user)
    unit_pk = parse_id(unit_id)
    if unit_pk is not None:
        events = events.filter(unit_id=unit_pk)
    verb, object_type, actor = (_without_nul(text) for text in (verb, object_type, actor))
    if verb and is_known(verb):
        events = events.filter(verb=verb)  # a verb picked from the registry's dropdown
    elif verb:  # a hand-written link such as ?hanh_dong=dossier: the whole area
        events = events.filter(verb__icontains=verb)
    if object_type:
        events = events.filter(object_type__icontains=object_type)
    if actor:
        events = events.filter(Q(actor_name__icontains=actor) | Q(actor__username__icontains=actor))
    return events.order_by("-at", "-id")


def _without_nul(text: str) -> str:
    return text.replace("\x00", "")
