"""Audit verbs are a registry: services record registered verbs only, the page filters by them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from cchc.core.audit import audit_record
from cchc.core.audit_verbs import AuditVerb, UnknownAuditVerb, verb_groups
from cchc.core.models import AuditChainHead, AuditEvent
from cchc.organizations import services
from tests.fixtures import client_for

APP = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_an_unregistered_verb_is_refused_before_anything_is_written(school) -> None:
    audit_record(actor=None, verb=AuditVerb.UNIT_UPDATE, unit=school, object_type="x")
    head = AuditChainHead.objects.get(chain_key=school.pk)

    with pytest.raises(UnknownAuditVerb, match=r"dossier\.recieve"):
        audit_record(actor=None, verb="dossier.recieve", unit=school, object_type="x")  # type: ignore[arg-type]

    assert AuditEvent.objects.filter(unit=school).count() == 1
    head.refresh_from_db()
    assert head.seq == 1


def test_services_name_their_verbs_from_the_registry_not_free_strings() -> None:
    """A string literal passed as a verb would bypass the registry's names (and its labels)."""
    literal = re.compile(r"\bverb\s*=\s*f?\"|_move_\w+\([^)]*\"[a-z_]+\.[a-z_.]+\"")
    offenders = [
        str(path.relative_to(APP.parent))
        for path in sorted(APP.rglob("*.py"))
        if "tests" not in path.parts
        and "migrations" not in path.parts
        and literal.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_every_verb_has_a_vietnamese_label_and_an_area() -> None:
    labels = [str(verb.label) for verb in AuditVerb]
    assert len(set(labels)) == len(labels)
    assert all(label and label != verb.value for label, verb in zip(labels, AuditVerb, strict=True))
    grouped = {value for _, verbs in verb_groups() for value, _ in verbs}
    assert grouped == set(AuditVerb.values)
    assert all("." not in area for area, _ in verb_groups())  # every area has a Vietnamese name


@pytest.mark.django_db
def test_the_audit_page_filters_by_a_verb_chosen_from_the_dropdown(principal, school) -> None:
    services.staff_update(actor=principal.user, staff=principal, position="Hiệu trưởng (mới)")
    services.group_create(actor=principal.user, unit=school, name="Tổ Toán - Tin")
    client = client_for(principal)

    page = client.get(reverse("audit:audit_list")).content.decode()
    assert '<option value="staff.update">Sửa thông tin viên chức</option>' in page
    assert '<optgroup label="Hồ sơ thủ tục hành chính">' in page

    filtered = client.get(reverse("audit:audit_list"), {"hanh_dong": "staff.update"})
    rows = re.findall(r"<tr><td>.*?</tr>", filtered.content.decode())
    assert len(rows) == 1
    assert "Sửa thông tin viên chức" in rows[0]
    assert "Tạo tổ" not in rows[0]
    assert 'value="staff.update" selected' in filtered.content.decode()
