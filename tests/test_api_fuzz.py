"""Schemathesis over the whole API, in-process, on the suite's database (issue 10 item 3).

Every operation of /api/v1/openapi.json gets generated requests, valid and invalid, sent through
the real WSGI stack (middleware included) as a principal with a bearer token, over a school with
its procedure catalogue and a dossier. The checks: no 5xx, every status code and body documented
by the schema, content types as declared. The number of examples per operation is kept small
(FUZZ_EXAMPLES, default 12) so the run stays well under two minutes on the 2-core machine; raise
it locally for a deeper run: `FUZZ_EXAMPLES=200 pytest tests/test_api_fuzz.py`.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from cchc.accounts.services import api_token_create
from cchc.dossiers import procedures, services

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
TRIED: dict[str, int] = {"cases": 0, "server_errors": 0}
# ignored_auth replays requests with made-up credentials, but ours are fixed by `headers` (the 401
# answers are tested in cchc/api/tests/test_errors.py). positive_data_acceptance expects every
# schema-valid request to succeed, which business rules JSON Schema cannot state forbid: an id
# that does not exist or is not the caller's, a status name the workflow does not know, a due
# date past the calendar's last year. Every other check runs, 5xx included.
EXCLUDED = [ignored_auth, positive_data_acceptance]


@pytest.fixture
def _in_test_transaction():
    """Keep the test's connection open across requests, as Django's own test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, _in_test_transaction, principal, clerk, school):
    catalogue = procedures.procedure_seed_defaults(actor=clerk.user, unit=school)
    transfer = next(p for p in catalogue if p.name.startswith("Chuyển trường"))
    services.dossier_receive(
        actor=clerk.user,
        unit=school,
        procedure=transfer,
        applicant={"applicant_name": "Phạm Văn Cường", "applicant_phone": "0909000111"},
        provided_documents=[d["name"] for d in transfer.documents],
    )
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def bearer(principal) -> dict[str, str]:
    _, raw = api_token_create(user=principal.user, name="Kiểm thử fuzz", second_factor_passed=True)
    return {"Authorization": f"Bearer {raw}"}


def _fuzz_operation(operation, mode: GenerationMode, headers: dict[str, str]) -> list[str]:
    """Run EXAMPLES generated cases of one operation; the failures, one line each."""
    failures: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        TRIED["cases"] += 1
        response = case.call(headers=headers)
        if response.status_code >= 500:
            TRIED["server_errors"] += 1
        try:
            case.validate_response(response, excluded_checks=EXCLUDED)
        except (AssertionError, FailureGroup) as error:
            text = str(error).strip()
            if isinstance(error, FailureGroup):
                text = "; ".join(
                    " ".join(str(e).strip().splitlines()[:3]) for e in error.exceptions
                )
            if os.environ.get("FUZZ_VERBOSE"):
                sent = f"{case.method} {case.formatted_path} q={case.query} b={case.body!r:.200}"
                text += f" || {sent}"
                text += f" -> {response.text[:200]}"
            failures.append(f"{operation.label} [{mode}] {response.status_code}: {text[:300]}")

    run()
    return failures


def test_api_conforms_to_its_schema_and_never_500s(api_schema, bearer) -> None:
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures.extend(_fuzz_operation(operation, mode, bearer))
    print(  # the figures the issue asks for; shown with -s
        f"schemathesis: {len(operations)} operations, {TRIED['cases']} cases, "
        f"{TRIED['server_errors']} server errors, {len(failures)} failures"
    )
    assert len(operations) >= 15
    assert TRIED["server_errors"] == 0
    assert failures == [], "\n".join(failures)
