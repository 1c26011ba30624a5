"""Payment indicators: definitions, roll-up by unit, and target 5 bound on plan import."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from cchc.kpi.registry import Period, measure
from cchc.organizations.models import Unit
from cchc.payments.models import Payment
from cchc.payments.tests.factories import BillFactory
from cchc.plans.parsing.figures import match_kpi
from tests.factories import GroupFactory, StaffFactory

YEAR = Period.year(2026)


def _pay(unit, method: str, amount: int, collector=None, on=date(2026, 9, 8), **bill) -> Payment:
    bill_row = BillFactory(unit=unit, amount_vnd=amount, collector=collector, **bill)
    return Payment.objects.create(
        unit=unit,
        bill=bill_row,
        amount_vnd=amount,
        method=method,
        paid_on=on,
        cash_reason="Tiền mặt" if method == "cash" else "",
        collector=collector,
    )


@pytest.mark.django_db
def test_cashless_by_count_and_by_value(school, other_school) -> None:
    _pay(school, "transfer", 100)
    _pay(school, "transfer", 100)
    _pay(school, "cash", 800)
    _pay(school, "cash", 5, on=date(2025, 12, 31))  # another year
    _pay(other_school, "cash", 1)

    units = Unit.objects.filter(pk=school.pk)

    assert measure("cashless_rate", units, YEAR).display() == "66,67% (2/3)"
    assert measure("cashless_value_rate", units, YEAR).display() == "20% (200/1.000)"
    both = Unit.objects.filter(pk__in=[school.pk, other_school.pk])
    assert measure("cashless_rate", both, YEAR).display() == "50% (2/4)"


@pytest.mark.django_db
def test_staff_applying_e_payment_counts_staff_who_took_no_cash(school) -> None:
    group = GroupFactory(unit=school)
    clean, mixed = StaffFactory(unit=school, group=group), StaffFactory(unit=school, group=group)
    _pay(school, "transfer", 10, collector=clean)
    _pay(school, "transfer", 10, collector=mixed)
    _pay(school, "cash", 10, collector=mixed)

    assert measure("e_payment_staff_rate", Unit.objects.filter(pk=school.pk), YEAR).display() == (
        "50% (1/2)"
    )


@pytest.mark.django_db
def test_overdue_bills(school) -> None:
    BillFactory(unit=school, due_on=date(2026, 1, 10))
    BillFactory(unit=school, due_on=date(2026, 1, 10), status="paid", paid_vnd=884520)
    BillFactory(unit=school, due_on=date(2026, 1, 10), status="cancelled")

    assert measure("bill_overdue_rate", Unit.objects.filter(pk=school.pk), YEAR).display() == (
        "50% (1/2)"
    )


def test_target_5_of_the_seed_plan_binds_to_the_staff_who_collect_cashless() -> None:
    # The words count staff ("100% viên chức ứng dụng…"), not payments: the cashless rate of
    # payments is shown beside it on the KPI page.
    text = "5. 100% viên chức ứng dụng thanh toán điện tử trong cung ứng dịch vụ."

    assert match_kpi(text) == "e_payment_staff_rate"
    assert match_kpi("Thanh toán không dùng tiền mặt đạt 100%") == "cashless_rate"


@pytest.mark.django_db
def test_demo_plan_shows_a_live_cashless_figure() -> None:
    from cchc.plans.models import Plan
    from cchc.plans.selectors import target_statuses

    call_command("seed_demo", "--quiet", "--dossiers", "0")

    plan = Plan.objects.get(unit__code="000.31.41.H29", year=2026)
    status = next(s for s in target_statuses(plan) if s.target.number == "5")
    assert status.target.kpi_code == "e_payment_staff_rate"
    assert status.measure.is_measurable
    units = Unit.objects.filter(pk=plan.unit_id)
    assert 80 < measure("cashless_rate", units, Period.year(2026)).value < 100
    call_command("audit", "verify")
