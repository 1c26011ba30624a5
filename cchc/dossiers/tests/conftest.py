from __future__ import annotations

import pytest

from cchc.dossiers import procedures


@pytest.fixture
def catalogue(school, clerk):
    """The packaged catalogue loaded for the test school, by name."""
    return {p.name: p for p in procedures.procedure_seed_defaults(actor=clerk.user, unit=school)}


@pytest.fixture
def transfer(catalogue):
    return next(p for name, p in catalogue.items() if name.startswith("Chuyển trường"))


@pytest.fixture
def copy_from_register(catalogue):
    return next(p for name, p in catalogue.items() if "bản sao" in name.lower())
