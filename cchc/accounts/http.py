"""The typed request of staff views (django-stubs' recommended pattern).

`HttpRequest.user` is `User | AnonymousUser`; behind `login_required` it is always our `User`.
Staff views annotate `request: AuthedHttpRequest` so mypy knows that, and services can take
`actor: User` instead of `Any`. It is an annotation only: Django still passes its own request.
"""

from __future__ import annotations

from django.http import HttpRequest

from cchc.accounts.models import User


class AuthedHttpRequest(HttpRequest):
    """A request whose user has logged in (views under `login_required`, the staff API)."""

    user: User
