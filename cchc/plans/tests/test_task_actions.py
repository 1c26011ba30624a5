"""Issue 18 part 1 for plans, issue 16 point 7: the task page offers exactly the actions the
services accept; the commune officer reads every school's task and is offered none."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from cchc.accounts.models import Role
from cchc.core.refusals import REFUSALS
from cchc.plans import services
from cchc.plans.models import Plan, Task, TaskOccurrence
from cchc.plans.workflow import TASK_ACTIONS, offered_task_actions
from tests.factories import StaffFactory
from tests.fixtures import client_for


class _Undo(Exception):
    """Raised to roll a successful attempt back."""


def _attempt(call: Callable[[], Any]) -> Exception | None:
    try:
        with transaction.atomic():
            call()
            raise _Undo
    except _Undo:
        return None
    except REFUSALS as error:
        return error


@pytest.fixture
def task(school, principal, clerk, colleague) -> Task:
    plan = Plan.objects.create(unit=school, title="Kế hoạch CCHC năm 2026", year=2026)
    task = Task.objects.create(plan=plan, number="1.1", title="Rà soát thủ tục", owner=clerk)
    task.collaborators.add(colleague)
    TaskOccurrence.objects.create(
        task=task, period_label="Quý I", period_start=date(2026, 1, 1), due_on=date(2026, 3, 31)
    )
    return task


@pytest.fixture
def people(principal, clerk, colleague, commune_officer, outsider, school) -> dict[str, Any]:
    return {
        "principal (plan manager)": principal,
        "owner": clerk,
        "collaborator": colleague,
        "inspection head": StaffFactory(unit=school, roles=[Role.INSPECTION_HEAD]),
        "teacher": StaffFactory(unit=school),
        "commune officer": commune_officer,
        "other school's principal": outsider,
    }


def _calls(task: Task, actor: Any) -> dict[str, Callable[[], Any]]:
    """Each action with valid input, so that only the guard can refuse it."""
    return {
        "progress": lambda: services.task_update_progress(
            actor=actor, task=task, progress=40, status="in_progress"
        ),
        "plan": lambda: services.task_plan(
            actor=actor,
            task=task,
            owner=task.owner,
            collaborators=[],
            due_on=date(2026, 6, 30),
            recurrence=task.recurrence,
        ),
        "evidence": lambda: services.evidence_add(
            actor=actor, task=task, title="Bài viết", url="https://truong.example/tin/1"
        ),
        "comment": lambda: services.comment_add(actor=actor, task=task, text="Đã xong phần 1"),
        "occurrence": lambda: services.occurrence_complete(
            actor=actor, occurrence=task.occurrences.get(), done=True
        ),
    }


@pytest.mark.django_db
def test_offered_is_exactly_what_the_services_accept(task, people) -> None:
    offered_to = {}
    for who, staff in people.items():
        fresh = Task.objects.select_related("plan__unit").get(pk=task.pk)
        offered = {a.name for a in offered_task_actions(staff.user, fresh)}
        offered_to[who] = offered
        calls = _calls(fresh, staff.user)
        assert set(calls) == set(TASK_ACTIONS)
        for name, call in calls.items():
            error = _attempt(call)
            if name in offered:
                assert error is None, f"{who} offered {name}, refused: {error}"
            else:
                assert error is not None, f"{who} not offered {name}, accepted"

    everything = set(TASK_ACTIONS)
    assert offered_to == {
        "principal (plan manager)": everything,
        "owner": everything - {"plan"},
        "collaborator": everything - {"plan"},
        "inspection head": {"comment"},
        "teacher": {"comment"},
        "commune officer": set(),
        "other school's principal": set(),
    }


@pytest.mark.django_db
def test_the_commune_officer_reads_the_task_page_with_no_form(task, commune_officer) -> None:
    """Issue 16 point 7: no comment box (nor any other form) that would answer 403."""
    client = client_for(commune_officer)

    page = client.get(reverse("plans:task_detail", args=[task.pk]))
    refused = {
        name: client.post(reverse(f"plans:{name}", args=[task.pk]), body).status_code
        for name, body in [
            ("task_comment", {"text": "Ý kiến của xã"}),
            ("task_progress", {"status": "done", "progress": "100", "version": "1"}),
            ("task_evidence", {"title": "x", "url": "https://x.example/"}),
        ]
    }

    body = page.content.decode()
    assert page.status_code == 200
    assert task.title in body
    assert "<form" not in body.split('id="main"')[1]
    assert refused == {"task_comment": 403, "task_progress": 403, "task_evidence": 403}
    assert not task.comments.exists()


@pytest.mark.django_db
def test_a_refused_post_shows_the_page_with_its_message(task, colleague, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(colleague)  # the collaborator: may add evidence, not plan the task

    bad = client.post(
        reverse("plans:task_evidence", args=[task.pk]),
        {"title": "Tệp lạ", "file": SimpleUploadedFile("x.exe", b"MZ")},
    )
    planned = client.post(
        reverse("plans:task_plan", args=[task.pk]),
        {"recurrence": "once", "review_cadence": "quarterly", "version": "1"},
    )

    assert bad.status_code == 422
    assert "Chỉ nhận tệp PDF" in bad.content.decode()
    assert planned.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này." in planned.content.decode()


@pytest.mark.django_db
def test_progress_through_htmx_answers_with_the_progress_partial(task, clerk) -> None:
    """The progress form posted by htmx gets back its region only, updated, with the message;
    posted without JavaScript it gets the whole page after a redirect, as before."""
    client = client_for(clerk)
    url = reverse("plans:task_progress", args=[task.pk])
    htmx = {"HX-Request": "true", "HX-Target": "task-progress"}

    swapped = client.post(
        url, {"status": "in_progress", "progress": "40", "version": "1"}, headers=htmx, follow=True
    )
    stale = client.post(
        url, {"status": "done", "progress": "100", "version": "1"}, headers=htmx, follow=True
    )
    plain = client.post(url, {"status": "in_progress", "progress": "50", "version": "2"})

    body = swapped.content.decode()
    assert swapped.status_code == 200
    assert body.startswith('<div id="task-progress">')
    assert "<html" not in body
    assert "Đã cập nhật tiến độ." in body
    assert "Đang thực hiện · 40%" in body
    assert 'name="version" value="2"' in body  # the next save is not stale
    assert stale.status_code == 409
    assert stale.content.decode().startswith('<div id="task-progress">')
    assert "vừa được người khác cập nhật" in stale.content.decode()
    assert plain.status_code == 302
