"""Named personas (style.md 2.5): principal, clerk, colleague, outsider, commune officer."""

from __future__ import annotations

import pytest
from django.test import Client

from cchc.accounts.models import Role
from cchc.organizations.models import UnitKind
from tests.factories import StaffFactory, UnitFactory

PASSWORD = "MatKhau@2026"


@pytest.fixture
def commune(db):
    return UnitFactory(kind=UnitKind.COMMUNE, name="UBND xã Thử nghiệm", code="000.00.01.H29")


@pytest.fixture
def school(commune):
    return UnitFactory(parent=commune, name="Trường THCS Thử nghiệm A", code="000.01.01.H29")


@pytest.fixture
def other_school(commune):
    return UnitFactory(parent=commune, name="Trường THCS Thử nghiệm B", code="000.01.02.H29")


@pytest.fixture
def principal(school):
    return StaffFactory(
        unit=school,
        full_name="Nguyễn Thị Thanh Trang",
        position="Hiệu trưởng",
        user__username="hieutruong",
        roles=[Role.PRINCIPAL],
    )


@pytest.fixture
def clerk(school):
    return StaffFactory(
        unit=school,
        full_name="Lê Thị Thanh Thủy",
        position="Văn thư",
        user__username="vanthu",
        roles=[Role.CLERK],
    )


@pytest.fixture
def colleague(school):
    return StaffFactory(
        unit=school, full_name="Phan Văn Lợi", position="Giáo viên", user__username="giaovien"
    )


@pytest.fixture
def outsider(other_school):
    return StaffFactory(
        unit=other_school,
        full_name="Trần Văn Ngoài",
        position="Hiệu trưởng",
        user__username="nguoingoai",
        roles=[Role.PRINCIPAL],
    )


@pytest.fixture
def commune_officer(commune):
    return StaffFactory(
        unit=commune,
        full_name="Phạm Minh Tuấn",
        position="Công chức phụ trách CCHC",
        user__username="canboxa",
        roles=[Role.COMMUNE_OFFICER],
    )


@pytest.fixture
def citizen() -> Client:
    """An anonymous visitor of the public pages."""
    return Client()


def client_for(staff) -> Client:
    client = Client()
    client.force_login(staff.user)
    return client
