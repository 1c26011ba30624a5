"""The grouped computation of the handled-dossier indicators (one query for several indicators and
every unit, used by the dashboard, the nightly snapshot and the live roll-up) gives exactly what
each indicator's own function gives, on a year with the edge cases: a dossier paused for papers
(the 766 rate subtracts the wait), one paused twice (766: overdue), one still waiting for papers,
late dossiers with and without an apology, a dislike, one carried over from the previous year,
and a unit with no dossier at all (every denominator empty)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from cchc.dossiers import services as dossier_services
from cchc.dossiers.tests.factories import at, frozen_at, receive_dossier
from cchc.kpi import registry
from cchc.kpi.registry import Measure, Period
from cchc.organizations.models import Unit
from cchc.surveys import services
from cchc.surveys.models import Channel
from cchc.surveys.tests.conftest import RATING

CODES = ("dossier_on_time_rate", "dossier_on_time_rate_766", "late_apology_rate")


def _decide(principal, dossier, when):
    with frozen_at(when):
        return dossier_services.dossier_decide(actor=principal.user, dossier=dossier, granted=True)


def _supplement(principal, clerk, dossier, asked, back=None):
    with frozen_at(asked):
        dossier_services.dossier_request_supplement(
            actor=principal.user, dossier=dossier, items=["Học bạ"], reason="thiếu"
        )
    if back is not None:
        with frozen_at(back):
            dossier_services.dossier_supplement_received(actor=clerk.user, dossier=dossier)


@pytest.fixture
def year_of_dossiers(clerk, principal, procedure):
    """The school's 2026, measured on 27/11 (transfer: 5 working days, restart after papers).

    A 02/03 → done 06/03: on time / on time; rated overall 1 (a dislike).
    B 02/03 → apology 05/03, done 10/03: late (the apology keeps the legal due date), apologised.
    C 02/03, papers 03/03–16/03 (due restarts), done 20/03: on time; 766: 13 days subtracted,
      07/03 <= first due 09/03: on time. Rated overall 5.
    D 16/11, still open on 27/11 past its due 23/11: late, no apology.
    E 02/03 → apology 05/03, done 06/03 after all: on time; its apology is not of a late one.
    J 02/03, papers twice, done 09/03: on time; 766: two requests, overdue.
    K 16/11, papers asked 17/11 and still awaited: measured at 17/11, on time / on time.
    H 22/12/2025 → done 05/01/2026: processed in 2026, late, no apology.
    Legal 5/8, 766 4/8, apologised 0 of 3 late (B's letter is drafted, not yet released: an
    apology counts once its letter is sent, Decree 61 Art. 19(9)), 766 satisfaction proxy
    (4 − 1 dislike)/8.
    """
    procedure.max_supplements = 2
    procedure.save()
    a = receive_dossier(clerk, procedure, at(2026, 3, 2, 9, 0))
    a = _decide(principal, a, at(2026, 3, 6, 10, 0))
    b = receive_dossier(clerk, procedure, at(2026, 3, 2, 9, 5))
    with frozen_at(at(2026, 3, 5, 9, 0)):
        dossier_services.dossier_apologize(
            actor=principal.user, dossier=b, reason="Chờ học bạ", new_due_at=at(2026, 3, 12, 16, 0)
        )
    b.refresh_from_db()
    _decide(principal, b, at(2026, 3, 10, 9, 0))
    e = receive_dossier(clerk, procedure, at(2026, 3, 2, 9, 7))
    with frozen_at(at(2026, 3, 5, 9, 0)):
        dossier_services.dossier_apologize(
            actor=principal.user, dossier=e, reason="Chờ học bạ", new_due_at=at(2026, 3, 12, 16, 0)
        )
    e.refresh_from_db()
    _decide(principal, e, at(2026, 3, 6, 9, 0))
    c = receive_dossier(clerk, procedure, at(2026, 3, 2, 9, 10))
    _supplement(principal, clerk, c, at(2026, 3, 3, 9, 0), at(2026, 3, 16, 9, 0))
    c.refresh_from_db()
    c = _decide(principal, c, at(2026, 3, 20, 10, 0))
    receive_dossier(clerk, procedure, at(2026, 11, 16, 9, 0))  # D
    j = receive_dossier(clerk, procedure, at(2026, 3, 2, 9, 20))
    _supplement(principal, clerk, j, at(2026, 3, 3, 9, 0), at(2026, 3, 4, 9, 0))
    j.refresh_from_db()
    _supplement(principal, clerk, j, at(2026, 3, 5, 9, 0), at(2026, 3, 6, 9, 0))
    j.refresh_from_db()
    _decide(principal, j, at(2026, 3, 9, 10, 0))
    k = receive_dossier(clerk, procedure, at(2026, 11, 16, 9, 5))
    _supplement(principal, clerk, k, at(2026, 11, 17, 9, 0))
    h = receive_dossier(clerk, procedure, at(2025, 12, 22, 9, 0))
    _decide(principal, h, at(2026, 1, 5, 9, 0))
    services.dossier_rating_submit(
        token=services.rating_token(a), answers={**RATING, "overall": "1"}
    )
    services.dossier_rating_submit(token=services.rating_token(c), answers=RATING)


@pytest.mark.django_db
def test_grouped_figures_equal_each_indicators_own(year_of_dossiers, school, other_school):
    units = Unit.objects.filter(pk__in=[school.pk, other_school.pk])
    period = Period.year(2026)
    codes = [*CODES, "satisfaction_766_rate"]
    with frozen_at(at(2026, 11, 27, 12, 0)):
        grouped = registry.measure_by_unit(codes, units, period)
        own = {
            unit.pk: {
                code: registry.measure(code, Unit.objects.filter(pk=unit.pk), period)
                for code in codes
            }
            for unit in units
        }

    assert grouped == own
    parts = {code: (m.numerator, m.denominator) for code, m in grouped[school.pk].items()}
    assert parts == {
        "dossier_on_time_rate": (5, 8),
        "dossier_on_time_rate_766": (4, 8),
        "late_apology_rate": (0, 3),
        "satisfaction_766_rate": (3, 8),
    }
    # No dossier: every figure "not measurable", not 0%.
    assert all(m == Measure() for m in grouped[other_school.pk].values())


@pytest.mark.django_db
def test_every_indicator_of_a_unit_at_once_equals_one_by_one(year_of_dossiers, school):
    """`measure_many` (the dashboard's one call) over every registered indicator."""
    period = Period.year(2026)
    codes = [found.code for found in registry.all_indicators()]
    single = Unit.objects.filter(pk=school.pk)
    with frozen_at(at(2026, 11, 27, 12, 0)):
        together = registry.measure_many(codes, school, period)
        alone = {code: registry.measure(code, single, period) for code in codes}

    assert together == alone
    # Each group was asked for a subset too: still the indicator's own figure.
    with frozen_at(at(2026, 11, 27, 12, 0)):
        for code in codes:
            assert registry.measure_many([code], school, period)[code] == alone[code], code


@pytest.mark.django_db
def test_grouped_satisfaction_equals_the_pooled_tally(make_dossier, campaign, school, other_school):
    """Dossier ratings (one with "Không ý kiến", one with a blank), education answers (one "Không
    ý kiến"), and a unit with none: both rates, grouped, equal each indicator's own."""
    first, second = make_dossier(), make_dossier()
    services.dossier_rating_submit(token=services.rating_token(first), answers=RATING)
    services.dossier_rating_submit(
        token=services.rating_token(second),
        answers={**RATING, "overall": "3", "attitude": "4", "publicity": "0"},
    )
    for n, value in enumerate(["5", "2", "0"]):
        services.response_submit(
            campaign=campaign,
            answers={"respondent": "Học sinh", "overall": value, "safety": "4"},
            channel=Channel.LINK,
            device_id=f"device-{n}",
        )
    units = Unit.objects.filter(pk__in=[school.pk, other_school.pk])
    year = Period.year(timezone.localdate().year)
    codes = ("satisfaction_rate", "education_satisfaction_rate")
    grouped = registry.measure_by_unit(codes, units, year)
    for unit in units:
        single = Unit.objects.filter(pk=unit.pk)
        assert grouped[unit.pk] == {code: registry.measure(code, single, year) for code in codes}
    mine = grouped[school.pk]
    assert (mine["satisfaction_rate"].numerator, mine["satisfaction_rate"].denominator) == (3, 4)
    assert mine["satisfaction_rate"].sampled
    # overall 5, 2 and "Không ý kiến"; safety 4 three times: satisfied 4 of 5 valid.
    school_rate = mine["education_satisfaction_rate"]
    assert (school_rate.numerator, school_rate.denominator) == (4, 5)
    last_year = Period.year(year.start.year - 1)
    assert registry.measure_by_unit(codes, units, last_year)[school.pk] == {
        code: registry.measure(code, Unit.objects.filter(pk=school.pk), last_year) for code in codes
    }
