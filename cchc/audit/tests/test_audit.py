from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from cchc.core.audit import audit_record, audit_verify
from cchc.core.audit_verbs import AuditVerb
from cchc.core.models import AuditEvent
from cchc.organizations import services
from cchc.organizations.demo import seed_base


@pytest.mark.django_db
def test_services_write_chained_events(school, principal) -> None:
    services.staff_update(actor=principal.user, staff=principal, position="Hiệu trưởng (mới)")
    services.staff_update(actor=principal.user, staff=principal, position="Hiệu trưởng")

    events = list(AuditEvent.objects.filter(unit=school).order_by("seq"))
    assert [e.seq for e in events] == [1, 2]
    assert events[1].prev_hash == events[0].hash
    assert events[0].before["position"] == "Hiệu trưởng"
    assert events[0].after["position"] == "Hiệu trưởng (mới)"
    assert events[0].actor_id == principal.user_id
    assert audit_verify().ok


@pytest.mark.django_db
def test_verify_passes_on_demo_data(capsys) -> None:
    seed_base()

    call_command("audit", "verify")

    assert "đều khớp" in capsys.readouterr().out


@pytest.mark.django_db
def test_verify_names_the_event_edited_in_the_database(capsys) -> None:
    seed_base()
    victim = AuditEvent.objects.filter(verb="staff.create").order_by("id")[3]
    with connection.cursor() as cursor:
        table = AuditEvent._meta.db_table
        cursor.execute(f"UPDATE {table} SET verb = %s WHERE id = %s", ["staff.delete", victim.pk])  # noqa: S608

    with pytest.raises(CommandError):
        call_command("audit", "verify")

    assert f"sự kiện #{victim.pk}" in capsys.readouterr().err


@pytest.mark.django_db
def test_verify_detects_a_deleted_event(school, principal) -> None:
    for n in range(3):
        services.staff_update(actor=None, staff=principal, position=f"Chức vụ {n}")
    middle = AuditEvent.objects.get(unit=school, seq=2)
    AuditEvent.objects.filter(pk=middle.pk)._raw_delete(using="default")

    result = audit_verify()

    assert not result.ok
    assert "thiếu sự kiện số 2" in str(result.problems[0])


@pytest.mark.django_db
def test_verify_detects_deleted_tail(school, principal) -> None:
    services.staff_update(actor=None, staff=principal, position="A")
    services.staff_update(actor=None, staff=principal, position="B")
    last = AuditEvent.objects.get(unit=school, seq=2)
    AuditEvent.objects.filter(pk=last.pk)._raw_delete(using="default")

    assert not audit_verify().ok


@pytest.mark.django_db
def test_events_cannot_be_updated_or_deleted_through_the_orm(school) -> None:
    event = audit_record(
        actor=None, verb=AuditVerb.UNIT_UPDATE, unit=school, object_type="x", object_id="1"
    )

    with pytest.raises(ValueError, match="chỉ được ghi thêm"):
        event.save()
    with pytest.raises(ValueError, match="không được xóa"):
        event.delete()


@pytest.mark.django_db
def test_audit_page_lists_own_unit_events_only(principal, outsider, school) -> None:
    from django.urls import reverse

    from tests.fixtures import client_for

    services.staff_update(actor=principal.user, staff=principal, position="Hiệu trưởng trường A")
    services.staff_update(actor=outsider.user, staff=outsider, position="Hiệu trưởng trường B")

    body = client_for(principal).get(reverse("audit:audit_list")).content.decode()

    # The event's row (the verb also appears in the filter's dropdown, so look for the row's code).
    assert '<code class="muted">staff.update</code>' in body
    assert outsider.full_name not in body
    assert principal.full_name in body


@pytest.mark.django_db
def test_teacher_may_not_read_audit_log(colleague) -> None:
    from django.urls import reverse

    from tests.fixtures import client_for

    response = client_for(colleague).get(reverse("audit:audit_list"))

    assert response.status_code == 403
    assert "không có quyền" in response.content.decode()


def test_cannot_fail_open_on_invalid_command() -> None:
    with pytest.raises(CommandError):
        call_command("audit")
