"""Issue 18 part 1: one action table. What the dossier page offers is exactly what the services
accept, for every status and every kind of person; the page and the API refuse alike."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from cchc.accounts.models import Role
from cchc.core.refusals import REFUSALS
from cchc.dossiers import actions, services
from cchc.dossiers import forms as dossier_forms
from cchc.dossiers.models import Dossier
from cchc.dossiers.workflow import (
    ACTIONS,
    ALLOWED_TRANSITIONS,
    DossierStatus,
    offered_actions,
)
from tests.factories import StaffFactory
from tests.fixtures import client_for

VN = ZoneInfo("Asia/Ho_Chi_Minh")
S = DossierStatus
RECEIVED = datetime(2026, 3, 2, 9, 0, tzinfo=VN)  # Monday; due Monday 09/03 17:00
NOW = datetime(2026, 3, 3, 9, 0, tzinfo=VN)  # the next day: every window still open


class _Undo(Exception):
    """Raised to roll a successful attempt back."""


def _arguments(name: str, dossier: Dossier, colleague: Any) -> dict[str, Any]:
    """Valid input for each action, so that only the guard can refuse it."""
    return {
        "hand_over": {"to_staff": colleague, "step": "appraisal"},
        "decide": {"granted": True},
        "supplement": {"items": ["Học bạ"], "reason": "Thiếu học bạ"},
        "apologize": {
            "reason": "Chờ ý kiến trường nơi đến",
            "new_due_at": datetime(2026, 3, 12, 17, 0, tzinfo=VN),
        },
        "refuse": {"reason": "Không thuộc thẩm quyền"},
        "stop": {"reason": "Công dân rút hồ sơ"},
        "attach": {"upload": SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n")},
        "applicant_address": {"address": "Số 5, tổ 2, ấp 3, xã Bình Hưng"},
    }.get(name, {})


def _attempt(service: Callable[..., Any], arguments: dict[str, Any]) -> Exception | None:
    """Run a service and undo it: None when it went through, else what refused it."""
    try:
        with transaction.atomic():
            service(**arguments)
            raise _Undo
    except _Undo:
        return None
    except REFUSALS as error:
        return error


@pytest.fixture
def people(principal, clerk, colleague, commune_officer, outsider, school) -> dict[str, Any]:
    """Every kind of person who may open a dossier page, and the handler it was passed to."""
    return {
        "principal": principal,
        "vice principal": StaffFactory(unit=school, roles=[Role.VICE_PRINCIPAL]),
        "clerk": clerk,
        "inspection head": StaffFactory(unit=school, roles=[Role.INSPECTION_HEAD]),
        "IT lead": StaffFactory(unit=school, roles=[Role.IT_LEAD]),
        "teacher": colleague,
        "assigned handler": StaffFactory(unit=school, full_name="Đỗ Thị Hoa"),
        "commune officer": commune_officer,
        "other school's principal": outsider,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("status", S.values)
def test_offered_is_exactly_what_the_services_accept(
    status, people, clerk, colleague, school, transfer, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    with mock.patch("django.utils.timezone.now", return_value=RECEIVED):
        dossier = services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={"applicant_name": "Nguyễn Văn An", "applicant_phone": "0912345678"},
            provided_documents=[d["name"] for d in transfer.documents],
        )
    Dossier.objects.filter(pk=dossier.pk).update(status=status, assignee=people["assigned handler"])
    offered_somewhere: set[str] = set()
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        for who, staff in people.items():
            dossier = Dossier.objects.select_related("unit", "procedure").get(pk=dossier.pk)
            offered = {a.name for a in offered_actions(staff.user, dossier)}
            offered_somewhere |= offered
            for name, action in ACTIONS.items():
                arguments = _arguments(name, dossier, colleague)
                error = _attempt(
                    partial(actions.service_of(action), actor=staff.user, dossier=dossier),
                    arguments,
                )
                if name in offered:
                    assert error is None, f"{who} offered {name} in {status}, refused: {error}"
                else:
                    assert error is not None, f"{who} not offered {name} in {status}, accepted"

    # The matrix is not vacuous: the desk can act on every dossier still in its hands.
    assert offered_somewhere >= {"attach"}
    if status in (S.ACCEPTED, S.PROCESSING):
        assert {"hand_over", "decide", "supplement", "apologize", "stop"} <= offered_somewhere


@pytest.mark.django_db
def test_who_is_offered_what_on_an_accepted_dossier(people, clerk, school, transfer) -> None:
    with mock.patch("django.utils.timezone.now", return_value=RECEIVED):
        dossier = services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={"applicant_name": "Nguyễn Văn An"},
            provided_documents=[d["name"] for d in transfer.documents],
            assignee=people["assigned handler"],
        )
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        offered = {
            who: [a.name for a in offered_actions(staff.user, dossier)]
            for who, staff in people.items()
        }

    desk = ["hand_over", "decide", "supplement", "apologize", "stop", "applicant_address", "attach"]
    assert offered == {
        "principal": desk,
        "vice principal": desk,
        "clerk": desk,
        "inspection head": [],
        "IT lead": [],
        "teacher": [],
        "assigned handler": ["hand_over", "supplement"],  # Decree 61 Art. 19: appraise, ask
        "commune officer": [],  # reads every school below the commune, acts in none
        "other school's principal": [],
    }


def test_the_table_agrees_with_the_transitions_and_its_forms_with_its_services() -> None:
    for name, action in ACTIONS.items():
        assert action.name == name
        assert action.label
        assert action.title or not action.form
        if action.to_status:
            for status in action.statuses:
                moves = ALLOWED_TRANSITIONS[status] | {status}
                assert action.to_status in moves, (name, status)
        parameters = inspect.signature(actions.service_of(action)).parameters
        assert {"actor", "dossier"} <= set(parameters)
        assert ("expected_version" in parameters) == action.versioned, name
        if action.form:
            form_class = getattr(dossier_forms, action.form)
            assert issubclass(form_class, dossier_forms.ActionForm), name
            assert form_class.id_prefix != "id", f"{name}: its form needs ids of its own"


@pytest.mark.django_db
def test_the_commune_officer_is_offered_nothing_and_refused_alike(
    commune_officer, clerk, school, transfer
) -> None:
    """Issue 16 point 7 for the dossier page: he reads the school's dossier, with no action."""
    with mock.patch("django.utils.timezone.now", return_value=RECEIVED):
        dossier = services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={"applicant_name": "Nguyễn Văn An"},
            provided_documents=[d["name"] for d in transfer.documents],
        )
    client = client_for(commune_officer)

    page = client.get(reverse("dossiers:detail", args=[dossier.pk]))
    posted = client.post(
        reverse("dossiers:act", args=[dossier.pk]),
        {"action": "decide", "version": dossier.version, "granted": "1"},
    )
    api = client.post(
        f"/api/v1/dossiers/{dossier.code}/transition",
        json.dumps({"action": "decide", "version": dossier.version}),
        content_type="application/json",
    )

    assert page.status_code == 200
    assert dossier.code in page.content.decode()
    assert 'name="action"' not in page.content.decode()
    assert posted.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này." in posted.content.decode()
    assert api.status_code == 403
    assert api.json() == {"detail": "Bạn không có quyền thực hiện thao tác này."}
    assert Dossier.objects.get(pk=dossier.pk).status == S.ACCEPTED
    # QA: an invalid form from someone who may not act is refused as such, not "corrected".
    invalid = client.post(
        reverse("dossiers:act", args=[dossier.pk]),
        {"action": "refuse", "version": dossier.version, "reason": ""},
    )
    assert invalid.status_code == 403
    assert "Bạn không có quyền thực hiện thao tác này." in invalid.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("posted", "status", "message"),
    [
        ({"action": "fly"}, 422, "Thao tác không hợp lệ."),
        ({"action": "accept"}, 409, "Không thể chuyển hồ sơ từ “Được tiếp nhận” sang"),
        ({"action": "decide", "version": 0, "granted": "1"}, 409, "Hồ sơ vừa được người"),
        ({"action": "decide", "granted": "0"}, 422, "Từ chối phải có lý do bằng văn bản."),
    ],
)
def test_the_page_and_the_api_refuse_with_one_status_and_message(
    principal, clerk, school, transfer, posted, status, message
) -> None:
    with mock.patch("django.utils.timezone.now", return_value=RECEIVED):
        dossier = services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={"applicant_name": "Nguyễn Văn An"},
            provided_documents=[d["name"] for d in transfer.documents],
        )
    body = {"version": dossier.version, **posted}
    client = client_for(principal)

    page = client.post(reverse("dossiers:act", args=[dossier.pk]), body)
    api = client.post(
        f"/api/v1/dossiers/{dossier.code}/transition",
        json.dumps({**body, "granted": body.get("granted") != "0"}),
        content_type="application/json",
    )

    assert (page.status_code, api.status_code) == (status, status)
    assert message in page.content.decode()
    assert api.json()["detail"].startswith(message)
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version
