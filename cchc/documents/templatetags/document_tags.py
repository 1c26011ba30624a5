"""Document pieces shown on other apps' pages (the person's own "Việc của tôi")."""

from __future__ import annotations

from typing import Any

from django import template

from cchc.documents import selectors
from cchc.documents.workflow import outgoing_status_label

register = template.Library()


@register.inclusion_tag("documents/_my_documents.html", takes_context=True)
def my_documents(context: dict[str, Any]) -> dict[str, Any]:
    """Outgoing documents waiting for the signed-in person's review, approval, number or
    signature: a leader learns here that an apology letter waits for her (domain.md 1.4)."""
    return {"rows": selectors.outgoing_waiting_for(user=context["request"].user)}


@register.inclusion_tag("documents/_my_documents_notice.html", takes_context=True)
def my_documents_notice(context: dict[str, Any]) -> dict[str, Any]:
    """The count of those documents on the landing page ("Tổng quan"), linking to them."""
    return {"count": len(selectors.outgoing_waiting_for(user=context["request"].user))}


@register.filter
def outgoing_label(doc: Any) -> str:
    """A register row's state by its one name (`workflow.outgoing_status_label`); the row
    carries `was_returned` from `selectors.with_returned_flag`."""
    return outgoing_status_label(doc.status, returned=bool(getattr(doc, "was_returned", False)))
