"""Dossiers for tests, received the way the counter receives them (through the service).

A dossier is never built field by field: `receive_dossier` calls `services.dossier_receive`,
so every test dossier has its code, due date, book entry, event and audit record, and the
other apps' hooks (the fee's bill) run as they do in production. The clock is set with
`frozen_at` because the legal deadlines depend on the day and hour of receipt.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from unittest import mock

from cchc.core.timezones import VN
from cchc.dossiers import services
from cchc.dossiers.models import Dossier, Procedure
from cchc.organizations.models import Staff

#: The applicant most tests use: every field filled, short values.
APPLICANT: dict[str, str] = {
    "applicant_name": "Nguyễn Văn An",
    "applicant_phone": "0912345678",
    "applicant_id_number": "079123456789",
    "applicant_email": "an@nguoidan.example",
    "applicant_address": "12 Lê Lợi",
}
#: The longest realistic applicant: what a paper must still fit on its page.
FULL_APPLICANT: dict[str, str] = {
    "applicant_name": "Nguyễn Thị Hoàng Phương Thảo",
    "applicant_phone": "0912345678",
    "applicant_id_number": "079123456789",
    "applicant_email": "phuongthao.nguyen@nguoidan.example",
    "applicant_address": "Số 123/45 đường Nguyễn Văn Linh, ấp 4, xã Bình Hưng, TP. Hồ Chí Minh",
}
#: The Monday of the first working week of March 2026, 09:00: the default moment of receipt.
MONDAY_MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=VN)


def at(*args: int) -> datetime:
    """A moment in Vietnam time: at(2026, 3, 2, 9, 0)."""
    return datetime(*args, tzinfo=VN)  # type: ignore[misc]


@contextmanager
def frozen_at(when: datetime) -> Iterator[None]:
    """Django's clock reads `when` inside the block (deadlines count from the receipt)."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


def receive_dossier(
    clerk: Staff,
    procedure: Procedure,
    when: datetime | None = MONDAY_MORNING,
    *,
    applicant: dict[str, str] | None = None,
    documents: Iterable[str] | None = None,
    **extra: Any,
) -> Dossier:
    """A dossier received by `clerk` at the counter of the procedure's unit.

    `documents` are the papers handed in (all the procedure's by default); `when` None keeps
    the real clock; `extra` goes to the service (subject, channel, assignee, ...).
    """
    provided = [d["name"] for d in procedure.documents] if documents is None else list(documents)
    kwargs: dict[str, Any] = {
        "actor": clerk.user,
        "unit": procedure.unit,
        "procedure": procedure,
        "applicant": dict(APPLICANT if applicant is None else applicant),
        "provided_documents": provided,
        **extra,
    }
    if when is None:
        return services.dossier_receive(**kwargs)
    with frozen_at(when):
        return services.dossier_receive(**kwargs)


def required_documents(procedure: Procedure) -> list[str]:
    """The names of the papers the procedure requires (the optional ones left out)."""
    return [d["name"] for d in procedure.documents if d.get("required")]
