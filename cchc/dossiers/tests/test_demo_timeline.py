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
