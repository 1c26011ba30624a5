"""The internal process is data with versions: a new one starts on a day not in the past, and a
dossier keeps the version in force on the day it was received."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cchc.dossiers import deadlines
from cchc.dossiers.deadlines import VN
from cchc.simplification import selectors, services
from cchc.simplification.models import ProcessVersion
from tests.fixtures import client_for

pytestmark = pytest.mark.django_db
NEW = [
    {"code": "reception", "name": "Tiếp nhận", "days": "0,5"},
    {"code": "appraisal", "name": "Thẩm định", "days": 7},
]


def test_effective_date_in_the_past_is_refused(procedure, clerk) -> None:
    with pytest.raises(ValidationError) as caught:
        services.process_version_create(
            actor=clerk.user,
            procedure=procedure,
            steps=NEW,
            effective_from=timezone.localdate() - timedelta(days=1),
        )
    assert "quá khứ" in caught.value.message_dict["effective_from"][0]
    assert not ProcessVersion.objects.exists()


@pytest.mark.parametrize(
    "steps",
    [[], [{"code": "a", "name": "A", "days": 0}], [{"code": "a", "name": "", "days": 1}]],
)
def test_bad_steps_are_refused(procedure, clerk, steps) -> None:
    with pytest.raises(ValidationError):
        services.process_version_create(
            actor=clerk.user,
            procedure=procedure,
            steps=steps,
            effective_from=timezone.localdate() + timedelta(days=3),
        )
    assert not ProcessVersion.objects.exists()


def test_dossiers_before_the_effective_date_keep_the_old_process(procedure, dossiers, clerk):
    old = dossiers[0]
    effective = old.received_at.astimezone(VN).date() + timedelta(days=7)
    # Created "today" = the day of the first dossier, so the date is in the future then.
    original = timezone.now
    timezone.now = lambda: old.received_at  # type: ignore[assignment]
    try:
        version = services.process_version_create(
            actor=clerk.user, procedure=procedure, steps=NEW, effective_from=effective
        )
    finally:
        timezone.now = original  # type: ignore[assignment]
    assert version.number == 1
    assert version.budgets == {"reception": 0.5, "appraisal": 7.0}
    assert selectors.step_budgets_for(old) == dict(procedure.step_budgets or {})
    later = type(old)(
        unit=old.unit,
        procedure=procedure,
        received_at=datetime.combine(effective, datetime.min.time(), tzinfo=VN)
        + timedelta(hours=9),
    )
    assert selectors.step_budgets_for(later) == version.budgets
    # The dossier deadlines read the budget through the selector: 7 working days for appraisal.
    started = later.received_at
    due = deadlines.step_due(later, "appraisal", started)
    assert due is not None
    assert due.astimezone(VN).date() > (started + timedelta(days=7)).date()


def test_process_page_refuses_past_date_with_422(procedure, clerk) -> None:
    response = client_for(clerk).post(
        reverse("simplification:procedure", args=[procedure.pk]),
        {
            "effective_from": (timezone.localdate() - timedelta(days=2)).isoformat(),
            "steps": "reception; Tiếp nhận; 0,5",
        },
    )
    assert response.status_code == 422
    assert "quá khứ" in response.content.decode()
    ok = client_for(clerk).post(
        reverse("simplification:procedure", args=[procedure.pk]),
        {
            "effective_from": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "steps": "reception; Tiếp nhận; 0,5\nappraisal; Thẩm định; 2",
        },
    )
    assert ok.status_code == 302
    assert ProcessVersion.objects.get().steps[1] == {
        "code": "appraisal",
        "name": "Thẩm định",
        "days": 2.0,
    }


def test_second_version_on_the_same_day_is_a_conflict(procedure, clerk) -> None:
    day = timezone.localdate() + timedelta(days=5)
    services.process_version_create(
        actor=clerk.user, procedure=procedure, steps=NEW, effective_from=day
    )
    with pytest.raises(services.Conflict, match="Đã có quy trình áp dụng từ ngày này"):
        services.process_version_create(
            actor=clerk.user, procedure=procedure, steps=NEW, effective_from=day
        )
    assert ProcessVersion.objects.count() == 1
