"""The six feedback indicators computed in one grouped query (`feedback_group`, used by the
dashboard, the nightly snapshot and the live roll-up) equal each indicator's own function: items
received in the period, one received the year before and answered in it (only the publication
rate counts it), one still open from the year before (only the open-items figure counts it),
late, disputed, published late, and a unit without any feedback ("0 phản ánh", not N/A)."""

from __future__ import annotations

import pytest

from cchc.feedback import services
from cchc.feedback.kpis import FEEDBACK_CODES
from cchc.feedback.tests.conftest import SENDER, answered, at, later
from cchc.kpi import registry
from cchc.kpi.registry import Period
from cchc.organizations.models import Unit


@pytest.mark.django_db
def test_grouped_feedback_figures_equal_each_indicators_own(
    clerk, principal, colleague, school, other_school
) -> None:
    with later(at(2025, 12, 29, 9, 0)):
        carried = services.feedback_submit_public(unit=school, data=dict(SENDER))
        services.feedback_receive(
            actor=clerk.user, unit=school, channel="letter", data=dict(SENDER)
        )  # never answered: open, late, from last year
    carried = answered(carried, clerk, principal, colleague, when=(2026, 1, 6, 9, 0))
    with later(at(2026, 1, 7, 9, 0)):
        question, answer = services.public_versions(carried)
        services.feedback_publish(
            actor=principal.user, item=carried, public_question=question, public_answer=answer
        )
    with later(at(2026, 3, 2, 9, 0)):
        online = services.feedback_submit_public(unit=school, data=dict(SENDER))
        letter = services.feedback_receive(
            actor=clerk.user, unit=school, channel="letter", data=dict(SENDER)
        )
        services.feedback_receive(
            actor=clerk.user, unit=school, channel="letter", data=dict(SENDER)
        )  # never answered
        disputed = services.feedback_receive(
            actor=clerk.user, unit=school, channel="letter", data=dict(SENDER)
        )
    online = answered(online, clerk, principal, colleague, when=(2026, 3, 3, 9, 0))
    answered(letter, clerk, principal, colleague, when=(2026, 3, 30, 9, 0))  # late
    disputed = answered(disputed, clerk, principal, colleague)
    with later(at(2026, 3, 5, 9, 0)):
        services.feedback_dispute(item=disputed, reason="Tôi không đồng ý với câu trả lời.")
    with later(at(2026, 3, 10, 9, 0)):  # published late
        question, answer = services.public_versions(online)
        services.feedback_publish(
            actor=principal.user, item=online, public_question=question, public_answer=answer
        )

    with later(at(2026, 11, 24, 9, 0)):
        fresh = services.feedback_submit_public(unit=school, data=dict(SENDER))
    answered(fresh, clerk, principal, colleague, when=(2026, 11, 26, 9, 0))  # not yet published

    units = Unit.objects.filter(pk__in=[school.pk, other_school.pk])
    for moment, period in (
        (at(2026, 11, 27, 9, 0), Period.year(2026)),  # its publication is not due yet
        (at(2026, 12, 15, 9, 0), Period.year(2026)),  # now it is, and it is late
        (at(2026, 3, 4, 9, 0), Period.year(2026)),
        (at(2026, 4, 1, 9, 0), Period.year(2026)),
        (at(2026, 4, 1, 9, 0), Period.parse("2026-Q1")),
        (at(2026, 4, 1, 9, 0), Period.parse("2026-02")),
    ):
        with later(moment):
            grouped = registry.measure_by_unit(FEEDBACK_CODES, units, period)
            own = {
                unit.pk: {
                    code: registry.measure(code, Unit.objects.filter(pk=unit.pk), period)
                    for code in FEEDBACK_CODES
                }
                for unit in units
            }
        assert grouped == own, (moment, period)

    with later(at(2026, 4, 1, 9, 0)):
        mine = registry.measure_by_unit(FEEDBACK_CODES, units, Period.year(2026))[school.pk]
    assert mine["feedback_received_count"].display() == "5 phản ánh, kiến nghị"
    assert (
        mine["feedback_published_rate"].numerator,
        mine["feedback_published_rate"].denominator,
    ) == (1, 2)
    assert mine["feedback_open_late_rate"].denominator == 3  # two never answered, one disputed
    assert own[other_school.pk]["feedback_received_count"].display() == "0 phản ánh, kiến nghị"
