"""Generated input on the public pages never gives a server error (issue 10, "Done when").

Hypothesis sends arbitrary text (control characters, NUL, huge numbers, any script) to every
public page a citizen reaches without an account: the procedure search, a unit's page, the
look-up by query string and by path, a procedure's page and the online submission form. Each
answer must be below 500; the number of examples is small so the run stays short.
"""

from __future__ import annotations

import os
from urllib.parse import quote

import pytest
from django.core.cache import caches
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.dossiers import procedures

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12")) * 3
TEXT = st.text(max_size=80) | st.sampled_from(["\x00", "%00", "0" * 30, "-1", "../", "🙂", ""])
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def online_procedure(clerk, school):
    catalogue = procedures.procedure_seed_defaults(actor=clerk.user, unit=school)
    return next(p for p in catalogue if p.accepts_online)


def _ok(response, what: str) -> None:
    assert response.status_code < 500, f"{what} -> {response.status_code}"


@pytest.mark.django_db
def test_public_pages_never_answer_5xx(online_procedure, school) -> None:
    client = Client(raise_request_exception=False)
    tried = {"n": 0}

    @SETTINGS
    @given(q=TEXT, code=TEXT, phone=TEXT, number=st.integers(min_value=-1, max_value=10**30))
    def run(q: str, code: str, phone: str, number: int) -> None:
        caches["ratelimit"].clear()
        tried["n"] += 1
        _ok(client.get("/thu-tuc/", {"q": q, "trang": str(number)}), f"search {q!r}")
        _ok(client.get(f"/don-vi/{quote(code, safe='')}/"), f"unit {code!r}")
        _ok(client.get("/tra-cuu/", {"code": code, "phone_last4": phone}), f"lookup {code!r}")
        if code.strip("/"):
            _ok(client.get(f"/tra-cuu/{quote(code, safe='')}/"), f"lookup path {code!r}")
        _ok(client.get(f"/thu-tuc/{abs(number) % 10**12}/"), f"procedure {number}")

    @SETTINGS
    @given(
        fields=st.fixed_dictionaries(
            {
                "applicant_name": TEXT,
                "applicant_id_number": TEXT,
                "applicant_phone": TEXT,
                "applicant_email": TEXT,
                "applicant_address": TEXT,
                "subject": TEXT,
            }
        )
    )
    def submit(fields: dict[str, str]) -> None:
        caches["ratelimit"].clear()
        tried["n"] += 1
        url = f"/thu-tuc/{online_procedure.pk}/nop-ho-so/"
        _ok(client.post(url, fields), f"submit {fields!r}")

    run()
    submit()
    print(f"public pages: {tried['n']} generated cases, no 5xx")  # shown with -s
