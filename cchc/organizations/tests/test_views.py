from __future__ import annotations

import pytest
from django.urls import reverse

from tests.fixtures import client_for


@pytest.mark.django_db
def test_unit_page_lists_groups_and_staff(principal, colleague, school) -> None:
    response = client_for(colleague).get(reverse("organizations:unit_detail", args=[school.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    assert principal.full_name in body
    assert colleague.full_name in body
    assert "Hiệu trưởng" in body


@pytest.mark.django_db
def test_phones_hidden_from_colleagues_shown_to_principal(principal, colleague, school) -> None:
    url = reverse("organizations:unit_detail", args=[school.pk])

    as_colleague = client_for(colleague).get(url).content.decode()
    as_principal = client_for(principal).get(url).content.decode()

    assert colleague.phone not in as_colleague
    assert colleague.phone in as_principal


@pytest.mark.django_db
def test_staff_search_filters_by_name(principal, colleague, school) -> None:
    url = reverse("organizations:unit_detail", args=[school.pk]) + "?q=Lợi"

    body = client_for(principal).get(url).content.decode()

    assert colleague.full_name in body
    assert "1 người" in body


@pytest.mark.django_db
def test_staff_page_query_count_does_not_grow_with_staff(
    principal, school, django_assert_max_num_queries
) -> None:
    from tests.factories import StaffFactory

    client = client_for(principal)
    url = reverse("organizations:unit_detail", args=[school.pk])
    client.get(url)
    StaffFactory.create_batch(15, unit=school)

    with django_assert_max_num_queries(14):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.django_db
def test_a_communes_head_is_listed_as_its_chair_not_as_a_principal(commune, commune_officer):
    from cchc.accounts.models import Role
    from tests.factories import StaffFactory

    StaffFactory(
        unit=commune,
        full_name="Nguyễn Văn Hùng",
        position="Chủ tịch Ủy ban nhân dân xã",
        roles=[Role.PRINCIPAL],
    )

    body = (
        client_for(commune_officer)
        .get(reverse("organizations:unit_detail", args=[commune.pk]))
        .content.decode()
    )

    assert "Nguyễn Văn Hùng" in body
    assert "Chủ tịch UBND xã (thủ trưởng đơn vị)" in body
    assert "Hiệu trưởng" not in body
