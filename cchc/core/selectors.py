"""Reads of the audit log, scoped to the units the user may audit."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from cchc.accounts import permissions
from cchc.core.models import AuditEvent


def audit_event_list_for_user(
    *,
    user: Any,
    unit_id: str | None = None,
    verb: str = "",
    object_type: str = "",
    actor: str = "",
) -> QuerySet[AuditEvent]:
    permissions.require(user, permissions.VIEW_AUDIT)
    events = permissions.scope_to_units(AuditEvent.objects.select_related("unit"), user)
    if unit_id and str(unit_id).isdigit():
        events = events.filter(unit_id=int(unit_id))
    if verb:
        events = events.filter(verb__icontains=verb)
    if object_type:
        events = events.filter(object_type__icontains=object_type)
    if actor:
        events = events.filter(Q(actor_name__icontains=actor) | Q(actor__username__icontains=actor))
    return events.order_by("-at", "-id")
