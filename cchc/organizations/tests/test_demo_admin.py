"""The demo's administrator is named in Vietnamese order wherever a name is shown (QA walk: the
audit log read "hệ thống Quản trị", the name split into given and family parts backwards)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.accounts.models import User
from cchc.core.audit import audit_record
from cchc.core.audit_verbs import AuditVerb
from cchc.organizations.demo import seed_base


@pytest.mark.django_db
def test_the_demo_admin_reads_quan_tri_he_thong_in_the_audit_log() -> None:
    seed_base()
    admin = User.objects.get(username="quantri")

    assert admin.get_full_name() == "Quản trị hệ thống"
    event = audit_record(
        actor=admin, verb=AuditVerb.TASK_PROGRESS, object_type="kiểm tra", object_id="1"
    )
    assert event.actor_name == "Quản trị hệ thống"


@pytest.mark.django_db
def test_an_earlier_demos_admin_is_put_right() -> None:
    User.objects.create(username="quantri", first_name="Quản trị", last_name="hệ thống")

    seed_base()

    assert User.objects.get(username="quantri").get_full_name() == "Quản trị hệ thống"


@pytest.mark.django_db
def test_the_account_list_shows_each_full_name_in_one_column(client, principal) -> None:
    admin = User.objects.create_superuser("quantri2", "qt@example.vn", "MatKhau@2026")
    client.force_login(admin)

    body = client.get(reverse("admin:accounts_user_changelist")).content.decode()

    assert "Họ và tên" in body
    assert principal.full_name in body


@pytest.mark.django_db
def test_the_header_names_an_account_without_a_staff_record_in_full(client) -> None:
    """The demo admin has no staff record: the header showed the log-in name "quantri"."""
    seed_base()
    client.force_login(User.objects.get(username="quantri"))

    body = client.get(reverse("accounts:tokens"), follow=True).content.decode()

    assert 'title="Tài khoản của bạn: mã truy cập API">Quản trị hệ thống</a>' in body
