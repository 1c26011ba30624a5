"""The unit with hand-computed scorecard figures, shared by the scorecard and API tests."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from cchc.dossiers.models import Dossier, DossierEvent, Procedure
from cchc.plans.models import Activity, Plan, Task, TaskStatus

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, month: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=VN)


def _dossier(
    unit,
    procedure,
    code,
    handler,
    *,
    received,
    due,
    result=None,
    supplements=0,
    channel="1",
    steps=(),
):
    dossier = Dossier.objects.create(
        unit=unit,
        procedure=procedure,
        code=f"{unit.code}-{code}",
        channel=channel,
        status="done" if result else "processing",
        applicant_name="Trần Thị Phụ Huynh",
        received_at=received,
        due_at=due,
        result_at=result,
        supplement_count=supplements,
        assignee=handler,
    )
    for when, outcome in steps:
        DossierEvent.objects.create(
            dossier=dossier,
            at=when,
            from_status="accepted",
            to_status="processing",
            step="appraisal",
            result=outcome,
        )
    return dossier


@pytest.fixture
def figures(school, principal, clerk, colleague):
    """The colleague handled four dossiers, the clerk one, the principal owns three tasks.

    Colleague (Q1), per index 1 / 2 / 3 / 4 / 7:
      D1 result 09/01, due 12/01, online, no supplement, step early  → 2 / 2 / 2 / 2 / 2
      D2 result 13/01 on the due day, desk, 1 supplement, early+on time → 1 / 1 / 1 / 1 / 1
      D3 result 16/01, due 14/01, post, 2 supplements, early+late     → 0 / 0 / 0 / 2 / 0
      D4 received 25/03, due 08/04, still open at the end of Q1      → not scored
      means 1.0 / 1.0 / 1.0 / 5÷3 = 1.7 / 1.0 → 5.7 of 10; on time 3 of 4 (D1, D2, D4).
    Clerk: D5 late, desk, no supplement, no budgeted step → 0 / – / 2 / 1 / 0 = 3 of 8.
    """
    procedure = Procedure.objects.create(
        unit=school, name="Chuyển trường đối với học sinh THCS", valid_from=date(2025, 1, 1)
    )
    _dossier(
        school,
        procedure,
        "260105-0001",
        colleague,
        received=at(5, 1),
        due=at(12, 1, 17),
        result=at(9, 1),
        channel="2",
        steps=[(at(7, 1), "early")],
    )
    _dossier(
        school,
        procedure,
        "260106-0001",
        colleague,
        received=at(6, 1),
        due=at(13, 1, 17),
        result=at(13, 1, 10),
        supplements=1,
        steps=[(at(7, 1), "early"), (at(12, 1), "on_time")],
    )
    _dossier(
        school,
        procedure,
        "260107-0001",
        colleague,
        received=at(7, 1),
        due=at(14, 1, 17),
        result=at(16, 1),
        channel="3",
        supplements=2,
        steps=[(at(8, 1), "early"), (at(15, 1), "late")],
    )
    _dossier(school, procedure, "260325-0001", colleague, received=at(25, 3), due=at(8, 4, 17))
    _dossier(
        school,
        procedure,
        "260202-0001",
        clerk,
        received=at(2, 2),
        due=at(9, 2, 17),
        result=at(10, 2),
    )
    plan = Plan.objects.create(unit=school, title="Kế hoạch CCHC năm 2026", year=2026)
    group = Task.objects.create(plan=plan, number="1", title="Nhóm nhiệm vụ")
    for number, due, status, done in [
        ("1.1", date(2026, 2, 16), TaskStatus.DONE, date(2026, 2, 13)),  # on time
        ("1.2", date(2026, 3, 20), TaskStatus.DONE, date(2026, 3, 25)),  # late
        ("1.3", date(2026, 3, 10), TaskStatus.IN_PROGRESS, None),  # overdue
        ("1.4", date(2026, 5, 11), TaskStatus.DONE, date(2026, 3, 2)),  # due after Q1
    ]:
        Task.objects.create(
            plan=plan,
            parent=group,
            number=number,
            title=f"Nhiệm vụ {number}",
            owner=principal,
            due_on=due,
            status=status,
            completed_on=done,
        )
    training = Activity.objects.create(
        unit=school, kind="training", title="Tập huấn CCHC", held_on=date(2026, 2, 10)
    )
    training.participants.add(colleague)
    return school
