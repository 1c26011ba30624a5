"""Dossier pieces shown on other apps' pages (the person's own "Việc của tôi")."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import F

from cchc.accounts import permissions
from cchc.dossiers import supplement_notes
from cchc.dossiers.models import Dossier
from cchc.dossiers.workflow import FINAL, HAS_RESULT

register = template.Library()


@register.inclusion_tag("dossiers/_my_dossiers.html", takes_context=True)
def my_dossiers(context: dict[str, Any]) -> dict[str, Any]:
    """Open dossiers handed to the signed-in person, overdue first, then the nearest due."""
    staff = permissions.acting_staff(context["request"].user)
    if staff is None:
        return {"rows": None}
    rows = (
        Dossier.objects.filter(assignee=staff)
        .exclude(status__in=FINAL | HAS_RESULT)
        .select_related("procedure")
        .with_late_flag()
        .order_by(F("is_overdue").desc(), "due_at", "received_at")[:100]
    )
    return {"rows": list(rows)}


@register.filter
def paused_note(dossier: Dossier) -> str:
    """In place of the due date while the citizen's papers are awaited ("" otherwise): the
    time is stopped (domain.md 1.3), as on the dossier page and the queue."""
    return supplement_notes.staff_note(dossier)
