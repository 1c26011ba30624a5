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


@pytest.mark.django_db
def test_staff_form_names_a_communes_roles_as_the_commune_does(commune, school, principal):
    """The role checkboxes on a commune's staff form say its chair, never "Hiệu trưởng"; a
    school's keep the school's titles; the chosen role is saved under the same code."""
    import re

    from cchc.accounts.models import Role
    from tests.factories import StaffFactory

    chair = StaffFactory(
        unit=commune, full_name="Nguyễn Văn Hùng", position="Chủ tịch", roles=[Role.PRINCIPAL]
    )
    # The commune's head manages its people (the commune officer only sees them).
    client = client_for(chair)
    url = reverse("organizations:staff_edit", args=[chair.pk])
    body = client.get(url).content.decode()

    labels = re.findall(r'<label for="id_roles_\d+">\s*<input[^>]*>\s*([^<]+?)\s*</label>', body)
    assert "Chủ tịch UBND xã (thủ trưởng đơn vị)" in labels, labels
    assert "Phó Chủ tịch UBND xã" in labels
    assert "Hiệu trưởng" not in body
    assert "Phó hiệu trưởng" not in body
    checked = re.search(r'<input[^>]*value="principal"[^>]*>', body)
    assert checked is not None
    assert "checked" in checked.group(0)

    school_body = (
        client_for(principal)
        .get(reverse("organizations:staff_edit", args=[principal.pk]))
        .content.decode()
    )
    assert "Hiệu trưởng" in school_body
    assert "Chủ tịch UBND xã" not in school_body
