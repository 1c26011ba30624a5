from __future__ import annotations

from pathlib import Path

import pytest

from cchc.accounts.models import Role
from tests.factories import StaffFactory

SEED = Path(__file__).resolve().parents[1] / "demo_data" / "ke-hoach-cchc-2026.txt"

SEED_PEOPLE = [
    ("Nguyễn Thị Thanh Trang", Role.PRINCIPAL),
    ("Dương Thị Huyền Trân", Role.VICE_PRINCIPAL),
    ("La Nguyễn Hoàng Anh", Role.VICE_PRINCIPAL),
    ("Lê Thị Thanh Thủy", Role.CLERK),
    ("Trần Thị Thoa", Role.INSPECTION_HEAD),
    ("Nguyễn Tấn Vinh", Role.IT_LEAD),
]


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture
def seed_staff(school, principal):
    """The six people of the seed plan in the test school (the principal persona is the first)."""
    people = {principal.full_name: principal}
    for name, role in SEED_PEOPLE[1:]:
        people[name] = StaffFactory(unit=school, full_name=name, roles=[role])
    return people
