"""The one mapping of what a service raises when it refuses a request to an HTTP status, shared
by the staff pages (a Vietnamese message on the page) and the API (JSON).

403: no permission. 404: not found (or not visible). 409: the record changed meanwhile, or its
state does not allow the action (an exception says so with `status_code = 409`). 422: bad input
or a rule of the law or the procedure (a ValidationError). Anything else is a bug: a 500.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404

NO_PERMISSION: Final = "Bạn không có quyền thực hiện thao tác này."
NOT_FOUND: Final = "Không tìm thấy dữ liệu."


class Refused(Exception):
    """Base of a domain refusal that is not a ValidationError (e.g. a transition the workflow
    does not allow); `status_code` is its HTTP status, `field` the input it is about, if any."""

    status_code: int = 409
    field: str = ""


# Everything a service raises for a request it refuses.
REFUSALS: Final = (PermissionDenied, Http404, ObjectDoesNotExist, ValidationError, Refused)


@dataclass(frozen=True)
class Refusal:
    """A refused request as a page or the API shows it."""

    status: int  # 403, 404, 409 or 422
    message: str  # Vietnamese: the page's message, the API's "detail"
    fields: dict[str, list[str]] = field(default_factory=dict)  # errors per input field


def refusal_of(error: Exception) -> Refusal:
    """The status, message and field errors of one of REFUSALS."""
    if isinstance(error, PermissionDenied):
        return Refusal(403, str(error) or NO_PERMISSION)
    if isinstance(error, Http404 | ObjectDoesNotExist):
        return Refusal(404, NOT_FOUND)
    if isinstance(error, ValidationError):
        fields = error.message_dict if hasattr(error, "error_dict") else {}
        status = getattr(error, "status_code", 422)  # a stale version or a taken value: 409
        return Refusal(status, " ".join(error.messages), fields)
    if isinstance(error, Refused):
        fields = {error.field: [str(error)]} if error.field else {}
        return Refusal(error.status_code, str(error), fields)
    raise TypeError(f"not a refusal: {error!r}")
