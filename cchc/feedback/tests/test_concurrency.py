"""Races: concurrent receipts get consecutive register numbers; the same national portal code
entered twice at once is one item and one 409; two approvals of one draft, one wins."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from cchc.feedback import services
from cchc.feedback.models import Feedback
from cchc.feedback.tests.conftest import SENDER
from cchc.feedback.workflow import InvalidTransition


def _run(workers) -> None:
    threads = [threading.Thread(target=w) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


@pytest.mark.django_db(transaction=True)
def test_concurrent_receipts_get_consecutive_register_numbers(school) -> None:
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            services.feedback_submit_public(unit=school, data=dict(SENDER))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    _run([worker] * 12)

    assert errors == []
    numbers = sorted(Feedback.objects.values_list("register_number", flat=True))
    assert numbers == list(range(1, 13))


@pytest.mark.django_db(transaction=True)
def test_same_portal_code_at_once_is_one_item_and_one_conflict(clerk, school) -> None:
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            barrier.wait()
            services.feedback_receive(
                actor=clerk.user,
                unit=school,
                channel="national_portal",
                data=dict(SENDER),
                external_code="PAKN-2026-7777",
            )
            outcomes.append("ok")
        except services.Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    _run([worker, worker])

    assert sorted(outcomes) == ["conflict", "ok"]
    assert Feedback.objects.filter(external_code="PAKN-2026-7777").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_approvals_of_one_draft_one_wins(clerk, principal, colleague, school) -> None:
    item = services.feedback_receive(
        actor=clerk.user, unit=school, channel="letter", data=dict(SENDER)
    )
    item = services.feedback_classify(
        actor=clerk.user, item=item, classification="competent", assignee=colleague
    )
    item = services.feedback_draft(actor=colleague.user, item=item, answer="Trả lời.")
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            barrier.wait()
            services.feedback_approve(
                actor=principal.user, item=item, expected_version=item.version
            )
            outcomes.append("ok")
        except (services.StaleFeedback, InvalidTransition):
            outcomes.append("refused")
        finally:
            connections.close_all()

    _run([worker, worker])

    assert sorted(outcomes) == ["ok", "refused"]
    assert item.events.filter(to_status="approved").count() == 1
