"""A refused request (403) is one line in the server log, not a traceback; a 500 keeps it."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from tests.fixtures import client_for


@pytest.mark.django_db
def test_a_403_is_logged_as_one_line_without_its_traceback(colleague, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="django.request"):
        answer = client_for(colleague).get(url := reverse("dossiers:intake"))

    forbidden = [r for r in caplog.records if r.name == "django.request"]
    assert answer.status_code == 403
    assert [r.getMessage() for r in forbidden] == [f"Forbidden (Permission denied): {url}"]
    assert forbidden[0].exc_info is None
    assert "Traceback" not in caplog.text


def test_other_errors_keep_their_traceback() -> None:
    from cchc.core.log_filters import PermissionDeniedWithoutTraceback

    try:
        raise ValueError("hỏng")
    except ValueError as error:
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error",
            None,
            (type(error), error, error.__traceback__),
        )

    assert PermissionDeniedWithoutTraceback().filter(record)
    assert record.exc_info is not None
