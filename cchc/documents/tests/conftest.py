"""Documents test fixtures: a demo CA, certificates for the principal and the unit's seal."""

from __future__ import annotations

import pytest

from cchc.documents import democa
from cchc.documents.tests import pki


@pytest.fixture(scope="session")
def ca() -> democa.Issued:
    return democa.make_ca()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def certificates(ca, school, principal):
    """The principal's PKCS#12 and the school's seal key, stored as the services store them."""
    person = pki.p12_record(ca, principal.full_name)
    person.unit, person.staff = school, principal
    person.save()
    seal = pki.p12_record(ca, school.name, image=democa.seal_png())
    seal.unit = school
    seal.save()
    return person, seal
