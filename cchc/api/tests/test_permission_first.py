"""Every write of the API answers who may act before what was sent (cchc.api.guards):
401 without credentials, 403 for a caller without the permission whatever the body, and only
for a caller who may act the schema's 422, in Vietnamese.

django-ninja validates the body before the view runs; without the guards a teacher posting an
empty body to the clerk's register got 422 with the register's fields listed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from unittest import mock

import pytest
from django.test import Client

from cchc.accounts.models import Role
from cchc.api.api import _FIELD_MESSAGES, api
from cchc.core.timezones import VN
from cchc.documents import services as document_services
from cchc.dossiers import procedures
from cchc.dossiers import services as dossier_services
from cchc.feedback import services as feedback_services
from cchc.feedback.tests.conftest import SENDER
from cchc.kpi import assessments
from cchc.payments.tests.factories import BillFactory
from cchc.plans.models import Plan, Task
from cchc.simplification import services as simplification_services
from tests.factories import StaffFactory
from tests.fixtures import client_for

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
VIETNAMESE = set(_FIELD_MESSAGES.values())


@dataclass(frozen=True)
class Write:
    method: str
    url: str
    refused: object  # a staff member who may not take this action
    allowed: object  # one who may
    bad_body: dict


@pytest.fixture
def writes(school, principal, clerk, colleague, commune_officer) -> dict[str, Write]:
    """One case per staff write of the API (the public ones have no permission to check)."""
    vice = StaffFactory(unit=school, full_name="Đỗ Thị Hạnh", roles=[Role.VICE_PRINCIPAL])
    transfer = next(
        p
        for p in procedures.procedure_seed_defaults(actor=clerk.user, unit=school)
        if p.name.startswith("Chuyển trường")
    )
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 3, 2, 9, tzinfo=VN)):
        dossier = dossier_services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={"applicant_name": "Nguyễn Văn An"},
            provided_documents=[d["name"] for d in transfer.documents],
        )
    item = feedback_services.feedback_receive(
        actor=clerk.user, unit=school, channel="letter", data=dict(SENDER)
    )
    outgoing = document_services.outgoing_create(
        actor=clerk.user,
        unit=school,
        signer=principal,
        data={"type_code": "TB", "summary": "Thông báo", "recipients": "Lưu: VT."},
    )
    assessment = assessments.assessment_start(actor=principal.user, unit=school, year=2026)
    school.bank_bin, school.bank_account = "970415", "113000041410"
    school.bank_account_holder = "TRUONG THCS THU NGHIEM A"
    school.save()
    bill = BillFactory(unit=school, amount_vnd=100000, issued_on=date(2026, 9, 7))
    plan = Plan.objects.create(unit=school, title="Kế hoạch CCHC năm 2026", year=2026)
    task = Task.objects.create(plan=plan, number="1.1", title="Rà soát thủ tục", owner=clerk)
    review = simplification_services.review_open(
        actor=clerk.user, procedure=transfer, wage_per_hour_vnd=25_000
    )
    no_unit = StaffFactory(unit=school, full_name="Vũ Văn Nghỉ")
    no_unit.is_active = False  # left the school: an account, no unit to act in
    no_unit.save()
    return {
        "incoming": Write("post", "/api/v1/documents/incoming", colleague, clerk, {}),
        "number": Write(
            "post",
            f"/api/v1/documents/outgoing/{outgoing.pk}/number",
            principal,
            clerk,
            {"version": "x"},
        ),
        "dossier": Write("post", "/api/v1/dossiers", colleague, clerk, {}),
        "transition": Write(
            "post", f"/api/v1/dossiers/{dossier.code}/transition", commune_officer, clerk, {}
        ),
        "feedback": Write("post", "/api/v1/feedback", colleague, clerk, {}),
        "feedback action": Write(
            "post", f"/api/v1/feedback/{item.pk}/actions", commune_officer, clerk, {}
        ),
        "assessment": Write(
            "post",
            f"/api/v1/kpi/assessments/{assessment.pk}/submit",
            clerk,
            principal,
            {"revision": "x"},
        ),
        "cash": Write("post", f"/api/v1/payments/bills/{bill.pk}/cash", vice, clerk, {}),
        "task": Write("patch", f"/api/v1/tasks/{task.pk}", colleague, principal, {"progress": "x"}),
        "activity": Write("post", "/api/v1/activities", no_unit, clerk, {}),
        "review action": Write(
            "post", f"/api/v1/simplification/reviews/{review.pk}/actions", colleague, clerk, {}
        ),
    }


def _send(client: Client, write: Write):
    return getattr(client, write.method)(
        write.url, json.dumps(write.bad_body), content_type="application/json"
    )


@pytest.mark.django_db
def test_every_staff_write_checks_the_permission_before_the_body(writes) -> None:
    for name, write in writes.items():
        anonymous = _send(Client(), write)
        refused = _send(client_for(write.refused), write)
        invalid = _send(client_for(write.allowed), write)

        assert anonymous.status_code == 401, name
        assert refused.status_code == 403, (name, refused.json())
        assert "errors" not in refused.json(), name  # nothing about the fields
        assert invalid.status_code == 422, (name, invalid.json())
        body = invalid.json()
        assert body["detail"] == "Dữ liệu gửi lên không hợp lệ.", name
        assert body["errors"], name
        assert {e["message"] for e in body["errors"]} <= VIETNAMESE, (name, body)


@pytest.mark.django_db
def test_a_bearer_token_without_the_permission_is_refused_before_the_body(writes) -> None:
    from cchc.accounts.services import api_token_create

    write = writes["dossier"]
    _, raw = api_token_create(user=write.refused.user, name="Tích hợp", second_factor_passed=True)

    refused = Client().post(
        write.url, "{}", content_type="application/json", headers={"Authorization": f"Bearer {raw}"}
    )

    assert refused.status_code == 403


def test_every_staff_write_of_the_api_is_guarded() -> None:
    """A new write without `auth=permitted(...)` would check its permission after the body."""
    api.urls  # noqa: B018 (binds the routers: each operation then holds the API's auth)
    unguarded, writes = [], 0
    for router in api._get_bound_routers():
        for path, view in router.path_operations.items():
            for operation in view.operations:
                if not WRITES & set(operation.methods) or not operation.auth_callbacks:
                    continue
                writes += 1
                if not all(getattr(c, "guard", None) for c in operation.auth_callbacks):
                    unguarded.append(f"{operation.methods} {path}")
    assert writes >= 11
    assert unguarded == []
