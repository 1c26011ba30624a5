"""The installation itself: demo data, admin coverage, deploy checks, public page, static assets."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command

from cchc.accounts.models import Role, User
from cchc.organizations.models import Group, Staff, Unit

ROOT = Path(__file__).resolve().parent.parent
SEED_PEOPLE = {
    "Nguyễn Thị Thanh Trang": Role.PRINCIPAL,
    "Dương Thị Huyền Trân": Role.VICE_PRINCIPAL,
    "La Nguyễn Hoàng Anh": Role.VICE_PRINCIPAL,
    "Lê Thị Thanh Thủy": Role.CLERK,
    "Trần Thị Thoa": Role.INSPECTION_HEAD,
    "Nguyễn Tấn Vinh": Role.IT_LEAD,
}


@pytest.mark.django_db
def test_seed_demo_creates_the_plan_people_and_is_safe_twice(capsys) -> None:
    call_command("seed_demo")
    call_command("seed_demo", "--quiet")

    school = Unit.objects.get(name="Trường Trung học cơ sở Nguyễn Thái Bình")
    assert school.parent.name == "Ủy ban nhân dân xã Bình Hưng"
    assert Unit.objects.filter(parent=school.parent).count() == 3
    for name, role in SEED_PEOPLE.items():
        staff = Staff.objects.get(unit=school, full_name=name)
        assert staff.role_assignments.filter(role=role).exists()
        assert staff.user is not None
    assert Staff.objects.filter(unit=school).count() == 13
    vinh_group = Group.objects.get(unit=school, name="Tổ Tin học, Lịch sử - Địa lý")
    assert vinh_group.head.full_name == "Nguyễn Tấn Vinh"
    assert "trangntt" in capsys.readouterr().out
    _assert_book_follows_reception(school)
    _assert_periods_completed_on_working_days(school)


def _assert_periods_completed_on_working_days(school) -> None:
    """Demo data obeys the same rules as real data: no completion on a Sunday or a day off."""
    from cchc.plans.models import TaskOccurrence
    from cchc.workdays.services import calendar_for_unit

    calendar = calendar_for_unit(school)
    days = TaskOccurrence.objects.filter(
        task__plan__unit=school, completed_on__isnull=False
    ).values_list("completed_on", flat=True)
    assert days
    assert [d for d in days if not calendar.is_working_day(d)] == []


def _assert_book_follows_reception(school) -> None:
    """domain.md: the tracking book is numbered continuously in reception order in the year."""
    from django.utils import timezone

    from cchc.dossiers.models import Dossier

    rows = Dossier.objects.filter(unit=school, book_entry__isnull=False).order_by("received_at")
    by_year: dict[int, list[int]] = {}
    for received_at, entry in rows.values_list("received_at", "book_entry"):
        by_year.setdefault(timezone.localtime(received_at).year, []).append(entry)
    assert by_year
    for entries in by_year.values():
        assert entries == sorted(entries)


@pytest.mark.django_db
def test_seed_demo_bulk_generates_units_and_staff() -> None:
    call_command("seed_demo", "--units", "5", "--staff-per-unit", "7", "--quiet")

    bench = Unit.objects.filter(code__startswith="BENCH.")
    assert bench.count() == 5
    assert Staff.objects.filter(unit__in=bench).count() == 35
    assert all(u.path.startswith(u.parent.path) for u in bench.select_related("parent"))
    call_command("audit", "verify")


@pytest.mark.django_db
def test_seed_demo_rejects_absurd_sizes() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--units"):
        call_command("seed_demo", "--units", "-1", "--quiet")


def test_every_model_is_in_the_admin() -> None:
    ours = [m for m in apps.get_models() if m.__module__.startswith("cchc.")]

    missing = [m.__name__ for m in ours if m not in admin.site._registry]

    assert ours
    assert missing == []


def test_admin_is_in_vietnamese(admin_client) -> None:
    body = admin_client.get("/quan-tri/").content.decode()

    assert "Quản trị hệ thống CCHC" in body
    assert "Đơn vị và nhân sự" in body


@pytest.mark.django_db
def test_admin_changes_are_audited(admin_client, school) -> None:
    from cchc.core.models import AuditEvent

    response = admin_client.post(
        f"/quan-tri/organizations/unit/{school.pk}/change/",
        {
            "kind": school.kind,
            "name": "Tên mới",
            "code": school.code,
            "deadline_mode": "date_rule",
            "receipt_cutoff": "15:00",
        },
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(verb="admin.change", unit=school)
    assert event.before["name"] != "Tên mới"
    assert event.after["name"] == "Tên mới"
    assert isinstance(User.objects.get(pk=event.actor_id), User)


def test_deploy_check_reports_nothing_with_production_settings(tmp_path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "0",
        "HTTPS": "1",
        "SECRET_KEY": "x" * 20 + "-production-like-secret-key-with-enough-entropy-5f7a9c",
        "ALLOWED_HOSTS": "cchc.truong.example",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env["CCHC_VAR_DIR"] = str(tmp_path / "var")  # the test's own, not the repository's var/

    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "ERROR"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    reported = set(re.findall(r"\((\w+\.[EW]\d+)\)", result.stdout + result.stderr))
    documented = set(re.findall(r"`(\w+\.[EW]\d+)`", (ROOT / "docs/deployment.md").read_text()))
    assert result.returncode == 0, result.stdout + result.stderr
    assert reported <= documented, result.stdout + result.stderr
    assert reported == {"security.W021"}  # HSTS preload: the school's own decision, documented


def test_settings_refuse_to_start_without_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "SECRET_KEY_FILE")}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.base", "DEBUG": "0"})

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_public_home_shows_contact_details_without_personal_data(citizen) -> None:
    call_command("seed_demo", "--quiet")

    body = citizen.get("/").content.decode()

    assert "Trường Trung học cơ sở Nguyễn Thái Bình" in body
    assert "028 3758 4141" in body
    assert "0903 111 201" not in body  # the principal's phone


@pytest.mark.django_db
def test_public_unit_page_unknown_code_is_404(citizen) -> None:
    response = citizen.get("/don-vi/khong-ton-tai/")

    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_no_asset_is_loaded_from_another_host() -> None:
    templates = list((ROOT / "templates").rglob("*.html")) + list((ROOT / "cchc").rglob("*.html"))

    offenders = [
        str(t) for t in templates if 'src="http' in t.read_text() or 'href="http' in t.read_text()
    ]

    assert offenders == []
    assert (ROOT / "static/cchc/js/htmx.min.js").stat().st_size > 10_000


@pytest.mark.django_db
def test_seed_demo_builds_plan_and_dossiers() -> None:
    from cchc.dossiers.models import Dossier
    from cchc.plans.models import Plan

    call_command("seed_demo", "--quiet", "--dossiers", "40")

    school = Unit.objects.get(code="000.31.41.H29")
    plan = Plan.objects.get(unit=school, year=2026)
    assert plan.targets.count() == 9
    assert plan.assignments.filter(staff__isnull=False).count() == 6
    assert 0 < Dossier.objects.filter(unit=school).count() <= 40
    call_command("audit", "verify")
    # Surveys (issue 13): target 3 binds to the satisfaction rate and shows a live figure.
    from cchc.plans.selectors import target_statuses
    from cchc.surveys.models import Campaign

    satisfaction = next(
        s for s in target_statuses(plan) if s.target.kpi_code == "satisfaction_rate"
    )
    assert satisfaction.measure.is_measurable
    assert "khoảng tin cậy 95%" in satisfaction.measure.display()
    survey = Campaign.objects.get(unit=school, kind="survey")
    assert survey.results_published
    assert survey.responses.count() == 160
    # Procedure fees (issue 15 item 5): billed at reception, mostly paid by transfer, so 766
    # indicator 3.6 shows a live figure; demo payments only on working days.
    from django.utils import timezone

    from cchc.kpi.registry import Period, measure
    from cchc.payments.models import Bill, Payment

    bills = Bill.objects.filter(unit=school, kind="procedure")
    fee_dossiers = Dossier.objects.filter(unit=school, procedure__fee_vnd__gt=0)
    assert bills.count() == fee_dossiers.exclude(received_at=None).count() > 3
    paid = Payment.objects.filter(bill__in=bills)
    assert paid.filter(method="transfer").count() > paid.filter(method="cash").count()
    assert all(p.paid_on.weekday() < 6 for p in paid)
    units = Unit.objects.filter(pk=school.pk)
    fee_rate = measure("procedure_fee_online_rate", units, Period.year(timezone.localdate().year))
    assert fee_rate.is_measurable
    assert 0 < fee_rate.value < 100
