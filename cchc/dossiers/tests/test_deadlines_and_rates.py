"""Deadlines and on-time figures: no dossier without a legal limit, half days, the cut-off,
the legal and the 766 rates (supplements, pauses), and the two bugs of issue 18."""

from __future__ import annotations

import json
from datetime import date, time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cchc.dossiers import procedures, selectors, services
from cchc.dossiers.models import Dossier, Procedure
from cchc.dossiers.tests.factories import APPLICANT, VN, at, frozen_at, receive_dossier
from cchc.kpi.registry import Period, measure
from cchc.organizations.models import DeadlineMode, Unit
from tests.fixtures import client_for


@pytest.fixture
def readmission(catalogue) -> Procedure:
    return next(p for name, p in catalogue.items() if name.startswith("Xin học lại"))


# ---------------------------------------------------------------- 1. no dossier without a deadline


@pytest.mark.django_db
def test_procedure_without_a_legal_time_limit_is_not_published_and_receives_nothing(
    clerk, school, readmission, citizen
) -> None:
    assert not readmission.is_published
    with pytest.raises(ValidationError, match="chưa có thời hạn giải quyết"):
        receive_dossier(clerk, readmission, at(2026, 3, 2, 9, 0))
    assert not Dossier.objects.exists()

    public = citizen.get(reverse("portal:procedures")).content.decode()
    assert "Xin học lại" not in public
    assert "Chưa xác định" not in public
    staff_page = client_for(clerk).get(reverse("dossiers:procedures")).content.decode()
    assert "Chưa xác định" in staff_page  # the internal note stays on staff pages


@pytest.mark.django_db
def test_the_catalogue_publishes_a_procedure_once_it_has_a_confirmed_limit(
    clerk, school, readmission
) -> None:
    record = procedures.procedure_record(readmission)
    record.update(
        time_limit_value="5",
        unconfirmed=[
            k for k in record["unconfirmed"] if k not in ("time_limit_value", "time_limit_unit")
        ],
    )
    procedure = procedures.procedure_upsert(actor=clerk.user, unit=school, record=record)

    assert procedure.is_published
    assert receive_dossier(clerk, procedure, at(2026, 3, 2, 9, 0)).due_at == at(2026, 3, 9, 17)


@pytest.mark.django_db
def test_clerk_dates_the_dossiers_received_without_a_due_date(clerk, school, transfer) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 11, 2, 9, 0))
    Dossier.objects.filter(pk=dossier.pk).update(due_at=None, initial_due_at=None)
    client = client_for(clerk)
    url = reverse("dossiers:undated")

    page = client.get(url).content.decode()
    assert dossier.code in page
    slip = reverse("dossiers:paper", args=[dossier.pk, "tiep-nhan", "docx"])
    assert client.get(slip).status_code == 302  # no receipt until it has an appointment
    sunday = client.post(url, {"dossier": dossier.pk, "version": 1, "due_on": "2026-11-08"})
    assert sunday.status_code == 422
    assert "08/11/2026 không phải ngày làm việc" in sunday.content.decode()
    done = client.post(url, {"dossier": dossier.pk, "version": 1, "due_on": "2026-11-09"})

    assert done.status_code == 302
    dossier.refresh_from_db()
    assert dossier.due_at == dossier.initial_due_at == at(2026, 11, 9, 17, 0)
    assert "Mọi hồ sơ đã có hạn trả kết quả" in client.get(url).content.decode()


# ---------------------------------------------------------------- 2. half days


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("limit", "due"),
    [
        ("0.5", at(2026, 3, 2, 14, 30)),  # 4 working hours from Mon 09:00
        ("1.5", at(2026, 3, 3, 14, 30)),  # 12 hours
        ("2.5", at(2026, 3, 4, 14, 30)),  # 20 hours, not rounded to 2 days
    ],
)
def test_half_days_are_working_hours_never_rounded(clerk, school, transfer, limit, due) -> None:
    transfer.time_limit_value = Decimal(limit)
    transfer.save()

    assert receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0)).due_at == due


@pytest.mark.django_db
def test_half_day_in_the_units_hour_mode_is_four_hours_not_the_receipt_moment(
    clerk, school, transfer
) -> None:
    Unit.objects.filter(pk=school.pk).update(deadline_mode=DeadlineMode.WORKING_HOURS)
    school.refresh_from_db()
    transfer.time_limit_value = Decimal("0.5")
    transfer.save()

    assert receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0)).due_at == at(2026, 3, 2, 14, 30)


# ---------------------------------------------------------------- 3. the 15:00 cut-off, explained


@pytest.mark.django_db
def test_dossier_page_says_whether_the_cutoff_applies(clerk, school, transfer) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 16, 0))

    page = client_for(clerk).get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()

    assert "không áp dụng giờ chốt 15:00" in page


@pytest.mark.django_db
def test_catalogue_page_shows_the_cutoff_and_no_english_field_names(clerk, readmission) -> None:
    page = client_for(clerk).get(reverse("dossiers:procedures")).content.decode()

    assert "Giờ chốt" in page
    assert "Không áp dụng" in page
    for name in ("fee_vnd", "supplement_rule", "time_limit_value", "max_supplements"):
        assert name not in page
    assert "Lệ phí (đồng)" in page


# ---------------------------------------------------------------- 4. the two on-time rates


def _decide(principal, dossier, when):
    with frozen_at(when):
        services.dossier_decide(actor=principal.user, dossier=dossier, granted=True)


def _supplement(principal, clerk, dossier, asked, back=None):
    with frozen_at(asked):
        services.dossier_request_supplement(
            actor=principal.user, dossier=dossier, items=["Học bạ"], reason="thiếu"
        )
    if back is not None:
        with frozen_at(back):
            services.dossier_supplement_received(actor=clerk.user, dossier=dossier)


@pytest.mark.django_db
def test_legal_and_766_rates_match_the_hand_computed_figures(
    clerk, principal, school, transfer
) -> None:
    """Transfer: 5 working days, restart after a supplement. Period 2026 measured on 27/11.

    A received 02/03, due 09/03, done 06/03: on time / on time.
    B received 02/03, done 10/03: late / late.
    C received 02/03, papers asked 03/03, back 16/03 (due restarts: 23/03), done 20/03: on time;
      766: 13 days waiting subtracted, 07/03 <= first due 09/03: on time.
    D received 16/11, due 23/11, still open on 27/11: late / late.
    E received 25/11, due 02/12, still open: on time / on time (still running within).
    F received 02/03, stopped 04/03: on time / on time (measured at the stop).
    G submitted online and refused at intake: never accepted, not counted.
    H received 22/12/2025, due 29/12/2025, done 05/01/2026: processed in 2026, late / late.
    I received and done in December 2025: not in 2026.
    J two supplements (03/03 and 05/03), done 09/03 within the restarted due 13/03: on time;
      766: more than one supplement request is overdue.
    K received 16/11, papers asked 17/11 and still awaited: measured at 17/11, on time / on time.
    Legal 6/9, 766 5/9.
    """
    a = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))
    _decide(principal, a, at(2026, 3, 6, 10, 0))
    b = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 5))
    _decide(principal, b, at(2026, 3, 10, 9, 0))
    c = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 10))
    _supplement(principal, clerk, c, at(2026, 3, 3, 9, 0), at(2026, 3, 16, 9, 0))
    _decide(principal, c, at(2026, 3, 20, 10, 0))
    receive_dossier(clerk, transfer, at(2026, 11, 16, 9, 0))  # D
    receive_dossier(clerk, transfer, at(2026, 11, 25, 9, 0))  # E
    f = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 15))
    with frozen_at(at(2026, 3, 4, 9, 0)):
        services.dossier_stop(actor=principal.user, dossier=f, reason="Công dân rút hồ sơ")
    transfer.online_level, transfer.channels = "full", ["in_person", "online"]
    transfer.max_supplements = 2
    transfer.save()
    with frozen_at(at(2026, 3, 2, 8, 0)):
        g = services.dossier_submit_online(unit=school, procedure=transfer, applicant=APPLICANT)
        services.dossier_refuse_at_intake(actor=clerk.user, dossier=g, reason="Sai thẩm quyền")
    h = receive_dossier(clerk, transfer, at(2025, 12, 22, 9, 0))
    _decide(principal, h, at(2026, 1, 5, 9, 0))
    i = receive_dossier(clerk, transfer, at(2025, 12, 1, 9, 0))
    _decide(principal, i, at(2025, 12, 3, 9, 0))
    j = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 20))
    _supplement(principal, clerk, j, at(2026, 3, 3, 9, 0), at(2026, 3, 4, 9, 0))
    _supplement(principal, clerk, j, at(2026, 3, 5, 9, 0), at(2026, 3, 6, 9, 0))
    _decide(principal, j, at(2026, 3, 9, 10, 0))
    k = receive_dossier(clerk, transfer, at(2026, 11, 16, 9, 5))
    _supplement(principal, clerk, k, at(2026, 11, 17, 9, 0))

    units = Unit.objects.filter(pk=school.pk)
    with frozen_at(at(2026, 11, 27, 12, 0)):
        legal = measure("dossier_on_time_rate", units, Period.year(2026))
        strict = measure("dossier_on_time_rate_766", units, Period.year(2026))

    assert (legal.numerator, legal.denominator) == (6, 9)
    assert (strict.numerator, strict.denominator) == (5, 9)


# ---------------------------------------------------------------- issue 18: the two bugs


@pytest.mark.django_db
def test_supplement_received_at_intake_records_the_receiver(clerk, principal, school, transfer):
    transfer.online_level, transfer.channels = "full", ["in_person", "online"]
    transfer.save()
    with frozen_at(at(2026, 3, 2, 9, 0)):
        dossier = services.dossier_submit_online(
            unit=school, procedure=transfer, applicant=APPLICANT
        )
        services.dossier_request_supplement(
            actor=principal.user, dossier=dossier, items=["Học bạ"], reason="thiếu"
        )
    with frozen_at(at(2026, 3, 3, 9, 0)):
        services.dossier_supplement_received(actor=clerk.user, dossier=dossier)
    dossier.refresh_from_db()

    assert dossier.received_by == clerk.user
    assert dossier.received_at == at(2026, 3, 3, 9, 0)


@pytest.mark.django_db
def test_api_apology_for_a_dossier_waiting_for_papers_is_a_422_not_a_500(
    principal, school, transfer
):
    transfer.online_level, transfer.channels = "full", ["in_person", "online"]
    transfer.save()
    dossier = services.dossier_submit_online(unit=school, procedure=transfer, applicant=APPLICANT)
    services.dossier_request_supplement(
        actor=principal.user, dossier=dossier, items=["Học bạ"], reason="thiếu"
    )
    dossier.refresh_from_db()

    response = client_for(principal).post(
        f"/api/v1/dossiers/{dossier.code}/transition",
        json.dumps({"action": "apologize", "version": dossier.version, "reason": "Chậm"}),
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    assert not hasattr(Dossier.objects.get(pk=dossier.pk), "apology")


# ---------------------------------------------------------------- the 766 rate and the pauses


def rates(school) -> tuple:
    """(numerator, denominator) of the legal on-time rate and of the 766 one, in 2026."""
    units = Unit.objects.filter(pk=school.pk)
    period = Period.year(2026)
    legal = measure("dossier_on_time_rate", units, period)
    strict = measure("dossier_on_time_rate_766", units, period)
    return (legal.numerator, legal.denominator), (strict.numerator, strict.denominator)


@pytest.mark.django_db
def test_766_rate_is_not_more_lenient_than_the_legal_one(
    clerk, principal, school, transfer
) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))
    with frozen_at(at(2026, 3, 3, 9, 0)):
        services.dossier_request_supplement(
            actor=principal.user, dossier=dossier, items=["Học bạ"], reason="thiếu"
        )
    with frozen_at(at(2026, 3, 16, 9, 0)):
        services.dossier_supplement_received(actor=clerk.user, dossier=dossier)
    with frozen_at(at(2026, 3, 26, 10, 0)):
        services.dossier_decide(actor=principal.user, dossier=dossier, granted=True)

    assert rates(school) == ((0, 1), (0, 1))


@pytest.mark.django_db
def test_766_ignores_a_supplement_asked_before_acceptance(
    clerk, principal, school, transfer
) -> None:
    transfer.online_level, transfer.channels = "full", ["in_person", "online"]
    transfer.save()
    with frozen_at(at(2026, 3, 2, 9, 0)):
        dossier = services.dossier_submit_online(
            unit=school, procedure=transfer, applicant=APPLICANT
        )
    with frozen_at(at(2026, 3, 2, 10, 0)):
        services.dossier_request_supplement(
            actor=principal.user, dossier=dossier, items=["Học bạ"], reason="thiếu"
        )
    with frozen_at(at(2026, 4, 1, 9, 0)):
        services.dossier_supplement_received(actor=clerk.user, dossier=dossier)
    with frozen_at(at(2026, 4, 20, 10, 0)):
        services.dossier_decide(actor=principal.user, dossier=dossier, granted=True)

    assert rates(school) == ((0, 1), (0, 1))


@pytest.mark.django_db
def test_waiting_for_the_citizen_is_not_late(clerk, principal, school, transfer) -> None:
    dossier = receive_dossier(clerk, transfer, at(2026, 3, 2, 9, 0))
    with frozen_at(at(2026, 3, 3, 9, 0)):
        services.dossier_request_supplement(
            actor=principal.user, dossier=dossier, items=["Học bạ"], reason="thiếu"
        )
    dossier.refresh_from_db()

    with frozen_at(at(2026, 3, 20, 9, 0)):
        assert not dossier.is_late()
        assert list(selectors.late_without_apology(user=principal.user)) == []
        # Counted (received in the period), measured at the request: within its due date.
        assert rates(school) == ((1, 1), (1, 1))


@pytest.mark.django_db
def test_procedure_cutoff_is_applied(clerk, copy_from_register) -> None:
    copy_from_register.cutoff = time(11, 0)
    copy_from_register.save()

    before = receive_dossier(clerk, copy_from_register, at(2026, 3, 2, 10, 0))
    after = receive_dossier(clerk, copy_from_register, at(2026, 3, 2, 14, 0))

    assert before.due_at.astimezone(VN).date() == date(2026, 3, 2)
    assert after.due_at.astimezone(VN).date() == date(2026, 3, 3)
