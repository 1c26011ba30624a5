"""The demo's dossiers obey the rules of real data (BRIEF: demo data): each dossier's events are
in time order and follow the workflow's order (QA: in 33 of 227 demo dossiers the result was
recorded an hour before the hand-over, and the citizen's look-up showed "Đã xử lý xong" before
"Chuyển thẩm định"), no event on a Sunday, none at 00:00."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

import pytest
from django.core.management import call_command

from cchc.core.timezones import VN
from cchc.dossiers.models import Dossier, DossierEvent
from cchc.dossiers.workflow import DossierStatus as S
from cchc.dossiers.workflow import can_transition

SCHOOL = "000.31.41.H29"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo's people and the year of dossiers `seed_demo` makes, seeded once for this
    module (it is the slow part)."""
    from cchc.dossiers import demo as dossiers_demo
    from cchc.organizations.demo import seed_base

    with django_db_blocker.unblock():
        seed_base()
        dossiers_demo.seed_demo_data()
        yield
        call_command("flush", "--no-input")


def _events() -> dict[int, list[DossierEvent]]:
    by_dossier: dict[int, list[DossierEvent]] = defaultdict(list)
    for event in (
        DossierEvent.objects.filter(dossier__unit__code=SCHOOL)
        .select_related("dossier")
        .order_by("id")
    ):
        by_dossier[event.dossier_id].append(event)
    return by_dossier


@pytest.mark.django_db
def test_every_demo_dossier_moves_forward_in_time_and_in_the_workflows_order(demo) -> None:
    by_dossier = _events()
    assert len(by_dossier) > 150
    out_of_order, bad_moves, result_before_hand_over = [], [], []
    for events in by_dossier.values():
        code = events[0].dossier.code
        for before, after in pairwise(events):
            if after.at < before.at:
                out_of_order.append((code, before.to_status, before.at, after.to_status, after.at))
            if after.from_status and after.from_status != before.to_status:
                bad_moves.append((code, before.to_status, after.from_status))
            moved = after.from_status and after.from_status != after.to_status
            if moved and not can_transition(after.from_status, after.to_status):
                bad_moves.append((code, after.from_status, after.to_status))
        hand_overs = [e.at for e in events if e.to_status == S.PROCESSING and e.receiver]
        results = [e.at for e in events if e.to_status == S.DONE]
        if hand_overs and results and min(results) < max(hand_overs):
            result_before_hand_over.append(code)
    assert out_of_order == []
    assert bad_moves == []
    assert result_before_hand_over == []


@pytest.mark.django_db
def test_no_demo_dossier_moment_falls_on_a_sunday_or_at_midnight(demo) -> None:
    moments = list(
        DossierEvent.objects.filter(dossier__unit__code=SCHOOL).values_list("dossier__code", "at")
    )
    for field in ("received_at", "due_at", "result_at", "returned_at"):
        moments += [
            (code, at)
            for code, at in Dossier.objects.filter(unit__code=SCHOOL)
            .exclude(**{field: None})
            .values_list("code", field)
        ]
    sundays = [(c, at) for c, at in moments if at.astimezone(VN).weekday() == 6]
    midnights = [
        (c, at) for c, at in moments if (at.astimezone(VN).hour, at.astimezone(VN).minute) == (0, 0)
    ]
    assert sundays == []
    assert midnights == []


@pytest.mark.django_db
def test_the_demo_leaves_a_dossier_open_in_each_state_a_citizen_can_meet(demo) -> None:
    """QA: the demo had no open dossier received, waiting for papers or overdue, so neither the
    look-up nor the clerk's queue could be shown in those states. Each is received through the
    services, its due date the working-day calendar's, and reads as such on the look-up."""
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from cchc.dossiers.deadlines import compute_due

    now = timezone.now()
    school = Dossier.objects.filter(unit__code=SCHOOL, received_at__isnull=False)
    received = school.filter(status=S.ACCEPTED, result_at=None, due_at__gt=now)
    waiting = school.filter(status=S.SUPPLEMENT, result_at=None)
    overdue = school.late(now).filter(result_at=None, status__in=[S.ACCEPTED, S.PROCESSING])
    assert received.exists()
    assert waiting.exists()
    assert overdue.exists()
    for dossier in (received.first(), waiting.first(), overdue.first()):
        assert dossier is not None
        assert dossier.received_at is not None
        assert dossier.initial_due_at == compute_due(
            dossier.unit, dossier.procedure, dossier.received_at
        )
        assert dossier.received_at.astimezone(VN).weekday() < 6

    def look_up(dossier: Dossier | None) -> str:
        assert dossier is not None
        answer = Client().get(reverse("portal:lookup_code", args=[dossier.code]))
        assert answer.status_code == 200
        return answer.content.decode()

    assert "<dt>Hẹn trả kết quả</dt>" in look_up(received.first())
    assert 'id="lookup-waiting"' in look_up(waiting.first())
    assert 'id="lookup-overdue"' in look_up(overdue.first())
