"""Small hooks other apps' templates load: the procedure list's cell (staff) and the accepted
simplifications on the procedure's public page."""

from __future__ import annotations

from typing import Any

from django import template

from cchc.dossiers.models import Procedure
from cchc.simplification import selectors
from cchc.simplification.models import Review
from cchc.simplification.services import review_saving

register = template.Library()


@register.inclusion_tag("simplification/_procedure_cell.html")
def simplification_cell(procedure: Procedure) -> dict[str, Any]:
    """The latest review of the procedure and its yearly saving, linked to its page."""
    review = (
        Review.objects.filter(unit_id=procedure.unit_id, procedure__name=procedure.name)
        .prefetch_related("cost_lines")
        .order_by("-year", "-created_at")
        .first()
    )
    return {
        "procedure": procedure,
        "review": review,
        "saving": review_saving(review) if review is not None else None,
    }


@register.inclusion_tag("simplification/_public.html")
def published_simplifications(procedure: Procedure) -> dict[str, Any]:
    """Accepted simplifications with their effective date (no costs' working, no names)."""
    return {"reviews": list(selectors.accepted_for_public(procedure))}
