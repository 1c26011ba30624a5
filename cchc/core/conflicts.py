"""Unique values two people race for: the loser gets a Vietnamese 409, never a 500.

A pre-check ("is this code taken?") cannot stop two transactions that both look before either
writes; only the database's unique index decides. Services wrap the write in `unique_or_conflict`
so the IntegrityError of the loser becomes a `Conflict` (a ValidationError, so forms show it next
to the field), which the API answers with 409 and the web safety net with a 409 page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

CONFLICT_MESSAGE = "Dữ liệu này vừa được người khác ghi trước bạn. Hãy tải lại trang và kiểm tra."


class Conflict(ValidationError):
    """A unique value taken by a concurrent write (HTTP 409)."""

    status_code = 409


@contextmanager
def unique_or_conflict(message: Any = CONFLICT_MESSAGE) -> Iterator[None]:
    """Run the block in a savepoint; a unique-key violation inside it raises Conflict(message).

    The savepoint keeps the caller's transaction usable on PostgreSQL, which aborts a transaction
    after any failed statement; the caller usually lets Conflict roll everything back anyway.
    """
    try:
        with transaction.atomic():
            yield
    except IntegrityError as error:
        raise Conflict(message) from error
