"""Permission before the body: the API's writes check who may act before reading what was sent.

django-ninja reads and validates an operation's body, path and query before the view runs, so a
permission checked in the view (or its service) came after the schema's 422: a caller without
the right who sent a bad body learnt what the operation takes, field by field, instead of being
refused. An operation declared with `auth=permitted(guard)` authenticates as every other (the
bearer token, or the session with its CSRF token) and then runs `guard` in the same step, which
ninja runs before reading anything (`Operation.run`: `_run_checks`, then `_get_values`). What the
guard raises is answered by the API's handlers, so the order is: 401 unauthenticated, 403 not
permitted, 404 hidden or missing, and only then 422 for bad input.

The service still checks (it holds the rule, on the locked row); the guard only answers first.
A guard reads the path as sent (text): an id that cannot be one is a 404 here.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja.errors import HttpError
from ninja.security.base import AuthBase

from cchc.accounts import permissions
from cchc.api.auth import Guard, StaffSessionAuth, TokenAuth
from cchc.core.numbers import parse_id

NO_UNIT = "Tài khoản chưa gắn với đơn vị nào."


def permitted(guard: Guard) -> list[AuthBase]:
    """The API's authentications (as `cchc.api.api.api`'s `auth`), each followed by `guard`."""
    return [TokenAuth(guard), StaffSessionAuth(guard)]


def path_text(request: HttpRequest, name: str) -> str:
    """A value of the operation's path, as sent (the URL resolver has matched it already)."""
    match = request.resolver_match
    return str(match.kwargs.get(name, "")) if match is not None else ""


def path_id(request: HttpRequest, name: str) -> int:
    """An id of the operation's path; 404 when the text cannot be one (nothing has that id)."""
    value = parse_id(path_text(request, name))
    if value is None:
        raise Http404("Không tìm thấy dữ liệu.")
    return value


def in_own_unit(permission: str) -> Guard:
    """The caller must hold `permission` in the unit they work in (where the write lands)."""

    def guard(request: HttpRequest, user: Any) -> None:
        staff = permissions.acting_staff(user)
        if staff is None:
            raise HttpError(403, NO_UNIT)
        permissions.require(user, permission, staff.unit)

    return guard
