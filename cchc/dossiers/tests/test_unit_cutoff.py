"""A unit's own receipt cut-off (Decree 61 Art. 18; domain-2025.md 3.1: the hour is the unit's):
applied to every procedure or only where it is the rule, its hour, the page that sets it, and
the due dates it moves."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.dossiers.deadlines import compute_due
from cchc.dossiers.tests.factories import at, receive_dossier
from cchc.organizations.models import Unit
from cchc.workdays import services
from tests.fixtures import client_for


def _rules(unit: Unit, **change) -> dict:
    unit.refresh_from_db()
    return {
        "don_vi": unit.pk,
        "deadline_mode": unit.deadline_mode,
        "receipt_cutoff": unit.receipt_cutoff.strftime("%H:%M"),
        "cutoff_all_procedures": "on" if unit.cutoff_all_procedures else "",
        "seen": services.rules_stamp(unit),
        **change,
    }


@pytest.mark.django_db
def test_cutoff_for_every_procedure_moves_a_late_receipt_to_the_next_day(
    clerk, school, transfer
) -> None:
    """Monday 16:00, five working days: from Monday by default, from Tuesday under the rule."""
    assert compute_due(school, transfer, at(2026, 3, 2, 16, 0)) == at(2026, 3, 9, 17, 0)

    school.cutoff_all_procedures = True
    school.save()

    assert compute_due(school, transfer, at(2026, 3, 2, 16, 0)) == at(2026, 3, 10, 17, 0)
    assert compute_due(school, transfer, at(2026, 3, 2, 14, 59)) == at(2026, 3, 9, 17, 0)
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 16, 0))
    page = client_for(clerk).get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Thủ tục áp dụng giờ chốt 15:00" in page


@pytest.mark.django_db
def test_a_later_cutoff_hour_applies_to_same_day_procedures(school, copy_from_register) -> None:
    """The unit's hour applies where the procedure's decision gives none; its own hour wins."""
    assert copy_from_register.cutoff == time(15, 0)  # the circular's "sau 15 giờ"
    school.receipt_cutoff = time(16, 30)
    school.save()
    assert compute_due(school, copy_from_register, at(2026, 3, 2, 15, 30)) == at(2026, 3, 3, 17, 0)

    copy_from_register.cutoff = None
    copy_from_register.save()
    school.receipt_cutoff = time(15, 0)
    school.save()
    assert compute_due(school, copy_from_register, at(2026, 3, 2, 15, 30)) == at(2026, 3, 3, 17, 0)

    school.receipt_cutoff = time(16, 30)
    school.save()

    assert compute_due(school, copy_from_register, at(2026, 3, 2, 15, 30)) == at(2026, 3, 2, 17, 0)
    assert compute_due(school, copy_from_register, at(2026, 3, 2, 16, 45)) == at(2026, 3, 3, 17, 0)


@pytest.mark.django_db
def test_principal_sets_the_rule_on_the_calendar_page_audited(
    principal, school, transfer, citizen
) -> None:
    client = client_for(principal)

    response = client.post(
        reverse("workdays:rules"),
        _rules(school, receipt_cutoff="16:00", cutoff_all_procedures="on"),
    )

    assert response.status_code == 302
    school.refresh_from_db()
    assert (school.receipt_cutoff, school.cutoff_all_procedures) == (time(16, 0), True)
    event = AuditEvent.objects.filter(verb="workdays.rules_set").get()
    assert event.before["cutoff_all_procedures"] is False
    assert event.after["cutoff_all_procedures"] is True
    page = client.get(reverse("workdays:year") + f"?don_vi={school.pk}").content.decode()
    assert "Giờ chốt 16:00" in page
    assert "áp dụng cho mọi thủ tục" in page
    public = citizen.get(reverse("portal:procedure_detail", args=[transfer.pk])).content.decode()
    assert "hồ sơ nhận sau 16:00 được tính từ ngày làm việc tiếp theo" in public


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"receipt_cutoff": "20:00"}, 422, "Giờ chốt phải trong giờ làm việc"),
        ({"receipt_cutoff": "ba giờ"}, 422, "không đúng dạng"),
        ({"deadline_mode": "moon"}, 422, "Hãy chọn cách tính hạn"),
        ({"seen": "date_rule|14:00|False"}, 409, "vừa được người khác thay đổi"),
    ],
)
def test_bad_or_stale_rules_are_refused_and_change_nothing(
    principal, school, change, status, message
) -> None:
    response = client_for(principal).post(reverse("workdays:rules"), _rules(school, **change))

    assert response.status_code == status
    assert message in response.content.decode()
    school.refresh_from_db()
    assert (school.receipt_cutoff, school.cutoff_all_procedures) == (time(15, 0), False)
    assert not AuditEvent.objects.filter(verb="workdays.rules_set").exists()


@pytest.mark.django_db
def test_a_teacher_cannot_change_the_rule_and_is_not_offered_the_form(colleague, school) -> None:
    client = client_for(colleague)

    page = client.get(reverse("workdays:year") + f"?don_vi={school.pk}").content.decode()
    response = client.post(reverse("workdays:rules"), _rules(school, receipt_cutoff="16:00"))

    assert 'id="rules-form"' not in page
    assert "Giờ chốt 15:00" in page
    assert response.status_code == 403
    school.refresh_from_db()
    assert school.receipt_cutoff == time(15, 0)
