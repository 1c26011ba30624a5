"""The demo review rests on the demo year's dossiers, obeys real rules, and the measured-facts
queries agree with the events, pauses and dossiers counted another way."""

from __future__ import annotations

from collections import Counter
from datetime import time

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from cchc.dossiers.deadlines import VN
from cchc.dossiers.models import Dossier, DossierEvent, DossierPause
from cchc.organizations.models import Unit
from cchc.plans.models import Evidence
from cchc.simplification import selectors, services
from cchc.simplification.models import ProcessVersion, Review, ReviewStatus
from cchc.workdays.services import calendar_for_unit


@pytest.mark.django_db
def test_demo_reviews_and_measured_facts() -> None:
    """One demo seed (slow) for both halves: the reviews, then the facts they rest on."""
    call_command("seed_demo", "--quiet", "--dossiers", "60")
    school = Unit.objects.get(code="000.31.41.H29")
    top = (
        Dossier.objects.filter(unit=school, received_at__isnull=False)
        .values("procedure__name")
        .annotate(n=Count("id"))
        .order_by("-n", "procedure__name")
        .first()
    )
    done = Review.objects.get(unit=school, status=ReviewStatus.ACCEPTED)
    assert done.procedure.name == top["procedure__name"]
    # Its volume is the year of dossiers before the review opened (`selectors.dossiers_of`),
    # not those received since (the demo's open dossiers of the last days, for one).
    assert done.yearly_volume == selectors.dossiers_of(done.procedure, done.created_at).count()
    assert 0 < done.yearly_volume <= top["n"]
    assert Review.objects.filter(unit=school, status=ReviewStatus.DRAFT).count() == 1
    saving = services.review_saving(done)
    assert saving.before.per_year_vnd > saving.after.per_year_vnd > 0
    assert 0 < saving.percent < 100
    today = timezone.localdate()
    assert done.effective_on > today
    calendar = calendar_for_unit(school)
    assert calendar.is_working_day(done.effective_on)
    for moment in (done.created_at, done.approved_at, done.submitted_at, done.decided_at):
        local = moment.astimezone(VN)
        assert calendar.is_working_day(local.date()), moment
        assert time(7, 0) <= local.time() <= time(17, 0), moment
    version = ProcessVersion.objects.get(review=done)
    assert version.effective_from == done.effective_on
    assert Evidence.objects.filter(task__plan__unit=school, task__number="3.5").exists()
    call_command("audit", "verify")
    _check_facts(done)


def _check_facts(done: Review) -> None:
    facts = selectors.measured_facts(done.procedure)
    dossiers = selectors.dossiers_of(done.procedure)
    assert facts.dossiers == dossiers.count() > 0
    # Every event but the last of each dossier starts a measured step unless it hands the clock
    # to the citizen (supplement) or ends the dossier.
    events = DossierEvent.objects.filter(dossier__in=dossiers).order_by("dossier_id", "at", "id")
    expected: Counter[str] = Counter()
    by_dossier: dict[int, list[DossierEvent]] = {}
    for event in events:
        by_dossier.setdefault(event.dossier_id, []).append(event)
    for chain in by_dossier.values():
        for event in chain[:-1]:
            code = {"accepted": "reception", "done": "return"}.get(event.to_status)
            if event.to_status == "processing":
                code = event.step or "appraisal"
            if code:
                expected[code] += 1
    assert {s.code: s.count for s in facts.steps} == dict(expected)
    assert all(d >= 0 for s in facts.steps for d in s.durations)
    items = Counter(
        item for pause in DossierPause.objects.filter(dossier__in=dossiers) for item in pause.items
    )
    assert dict(facts.supplements) == dict(items)
    in_person = dossiers.filter(channel="in_person")
    returned_in_person = in_person.filter(returned_at__isnull=False).exclude(
        result_delivery__in=["post", "online"]
    )
    supplements = sum(in_person.values_list("supplement_count", flat=True))
    assert facts.visits_total == in_person.count() + supplements + returned_in_person.count()
