"""Feedback indicators and the plan binding of target 4."""

from __future__ import annotations

from pathlib import Path

import pytest

from cchc.feedback import services
from cchc.feedback.tests.conftest import SENDER, answered, at, later
from cchc.kpi import registry
from cchc.kpi.registry import Period
from cchc.organizations.models import Unit
from cchc.plans.parsing.figures import match_kpi

SEED = Path(__file__).resolve().parents[2] / "plans" / "demo_data" / "ke-hoach-cchc-2026.txt"


def test_seed_target_4_binds_to_the_indicator_measuring_both_halves() -> None:
    line = next(
        line for line in SEED.read_text(encoding="utf-8").splitlines() if line.startswith("4. ")
    )

    assert match_kpi(line) == "feedback_on_time_rate"
    name = registry.name_of("feedback_on_time_rate")
    assert "công khai kết quả" in name
    assert "15 ngày làm việc" in name


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (
            "100% kết quả giải quyết phản ánh, kiến nghị được công khai trên trang thông tin "
            "điện tử",
            "feedback_published_rate",
        ),
        ("Công khai 100% kết quả trả lời phản ánh, kiến nghị", "feedback_published_rate"),
        ("100% phản ánh, kiến nghị được xử lý, phản hồi", "feedback_on_time_rate"),
    ],
)
def test_publication_only_targets_bind_to_the_published_rate(text, code) -> None:
    assert match_kpi(text) == code


def _units(school):
    return Unit.objects.filter(pk=school.pk)


@pytest.mark.django_db
def test_on_time_and_published_rates(clerk, principal, colleague, school) -> None:
    with later(at(2026, 3, 2, 9, 0)):
        online = services.feedback_submit_public(unit=school, data=dict(SENDER))
        letter = services.feedback_receive(
            actor=clerk.user, unit=school, channel="letter", data=dict(SENDER)
        )
    online = answered(online, clerk, principal, colleague, when=(2026, 3, 3, 9, 0))
    answered(letter, clerk, principal, colleague, when=(2026, 3, 3, 9, 0))
    question, answer = services.public_versions(online)
    with later(at(2026, 3, 10, 9, 0)):  # 5 working days after approval: published late
        services.feedback_publish(
            actor=principal.user, item=online, public_question=question, public_answer=answer
        )

    with later(at(2026, 4, 1, 9, 0)):
        on_time = registry.measure("feedback_on_time_rate", _units(school), Period.year(2026))
        published = registry.measure("feedback_published_rate", _units(school), Period.year(2026))
        answered_rate = registry.measure(
            "feedback_answered_rate", _units(school), Period.year(2026)
        )

    assert (on_time.numerator, on_time.denominator) == (1, 2)  # the letter needs no publishing
    assert (published.numerator, published.denominator) == (0, 1)
    assert (answered_rate.numerator, answered_rate.denominator) == (2, 2)


@pytest.mark.django_db
def test_late_and_disputed_items_lower_satisfaction(clerk, principal, colleague, school) -> None:
    with later(at(2026, 3, 2, 9, 0)):
        first = services.feedback_receive(
            actor=clerk.user, unit=school, channel="letter", data=dict(SENDER)
        )
        services.feedback_receive(
            actor=clerk.user, unit=school, channel="letter", data=dict(SENDER)
        )  # never answered: overdue by April
        third = services.feedback_receive(
            actor=clerk.user, unit=school, channel="letter", data=dict(SENDER)
        )
    answered(first, clerk, principal, colleague)
    third = answered(third, clerk, principal, colleague)
    with later(at(2026, 3, 5, 9, 0)):  # reopened with a new due date, 26/03: late by April
        services.feedback_dispute(item=third, reason="Tôi không đồng ý với câu trả lời.")

    with later(at(2026, 4, 1, 9, 0)):
        satisfaction = registry.measure(
            "feedback_satisfaction_rate", _units(school), Period.year(2026)
        )
        open_late = registry.measure("feedback_open_late_rate", _units(school), Period.year(2026))

    assert (satisfaction.numerator, satisfaction.denominator) == (1, 3)
    assert open_late.numerator == 2  # the unanswered one and the reopened one are past due
    assert "đang mở" in open_late.display()


@pytest.mark.django_db
def test_a_dispute_does_not_turn_a_late_answer_into_an_on_time_one(
    clerk, principal, colleague, school
) -> None:
    with later(at(2026, 3, 2, 9, 0)):
        item = services.feedback_receive(
            actor=clerk.user, unit=school, channel="letter", data=dict(SENDER)
        )
    item = answered(item, clerk, principal, colleague, when=(2026, 3, 30, 9, 0))  # due 23/03
    with later(at(2026, 3, 31, 9, 0)):
        item = services.feedback_dispute(item=item, reason="Tôi chưa đồng ý với câu trả lời.")
        item = services.feedback_assign(actor=clerk.user, item=item, assignee=colleague)
        item = services.feedback_draft(actor=colleague.user, item=item, answer="Trả lời lại.")
        item = services.feedback_approve(actor=principal.user, item=item)

    with later(at(2026, 5, 4, 9, 0)):
        on_time = registry.measure("feedback_on_time_rate", _units(school), Period.year(2026))

    assert item.approved_at == at(2026, 3, 30, 9, 0)  # the first answer is what 766 judges
    assert item.due_at > item.initial_due_at
    assert (on_time.numerator, on_time.denominator) == (0, 1)
