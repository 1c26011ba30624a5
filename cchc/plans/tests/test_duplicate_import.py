"""The same plan imported twice (issue 10, item 14): refused, or updated with --replace keeping
the progress recorded; a directory is named as a directory."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.plans import importing
from cchc.plans.models import Evidence, Plan, PlanImport, TaskStatus
from cchc.plans.tests.conftest import SEED
from tests.fixtures import client_for

pytestmark = pytest.mark.django_db


def _import(school, **options) -> None:
    call_command(
        "plan", "import", str(SEED), "--unit", school.code, stdout=io.StringIO(), **options
    )


def test_cli_refuses_the_same_plan_twice(school, principal, seed_staff) -> None:
    _import(school)

    with pytest.raises(CommandError, match=r"đã có kế hoạch .* Thêm --replace") as raised:
        _import(school)

    assert raised.value.returncode == 2
    assert Plan.objects.filter(unit=school).count() == 1


def test_cli_replace_updates_and_keeps_progress(school, principal, seed_staff) -> None:
    _import(school)
    old = Plan.objects.get(unit=school)
    task = old.tasks.get(number="3.6")
    task.status, task.progress = TaskStatus.IN_PROGRESS, 40
    task.save()
    Evidence.objects.create(task=task, title="Báo cáo quý I", url="/bao-cao/q1")

    _import(school, replace=True)

    plan = Plan.objects.get(unit=school)
    assert plan.pk != old.pk
    again = plan.tasks.get(number="3.6")
    assert (again.status, again.progress) == (TaskStatus.IN_PROGRESS, 40)
    assert again.evidence.get().title == "Báo cáo quý I"
    assert plan.targets.count() == 9
    assert AuditEvent.objects.filter(verb="plan.replace", object_id=str(plan.pk)).exists()


def test_cli_says_a_directory_is_a_directory(tmp_path) -> None:
    with pytest.raises(CommandError, match="là một thư mục") as raised:
        call_command("plan", "import", str(tmp_path))

    assert raised.value.returncode == 2


def test_review_refuses_the_same_plan_twice(school, principal, seed_staff) -> None:
    _import(school)
    client = client_for(principal)
    upload = client.post(
        reverse("plans:import"), {"file": SimpleUploadedFile("kh.txt", SEED.read_bytes())}
    )
    pending = PlanImport.objects.filter(plan__isnull=True).get()
    form = client.get(upload["Location"]).context["form"]
    data = {name: form.get_initial_for_field(f, name) for name, f in form.fields.items()}

    response = client.post(upload["Location"], {k: v for k, v in data.items() if v is not None})

    assert response.status_code == 422
    assert "Đơn vị đã có kế hoạch" in response.content.decode()
    assert Plan.objects.filter(unit=school).count() == 1
    assert importing.same_plan(
        school, number="", symbol="", year=2026, title=pending.parsed["title"].upper()
    )
