"""Indicators measured from the staff register (plan targets 8 and 9)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from cchc.accounts.models import Role
from cchc.kpi.registry import Measure, Period, indicator
from cchc.organizations.models import Staff, Unit


@indicator(
    "digital_signature_rate",
    name="Tỷ lệ viên chức có chữ ký số",
    source="Kế hoạch CCHC 2026, mục tiêu 8; Quyết định 766/QĐ-TTg",
)
def digital_signature_rate(units: QuerySet[Unit], period: Period) -> Measure:
    """Active staff holding a signing certificate, over all active staff (today's register)."""
    row = Staff.objects.filter(unit__in=units, is_active=True).aggregate(
        n=Count("id", filter=Q(has_signature_certificate=True)), d=Count("id")
    )
    return Measure(row["n"], row["d"])


@indicator(
    "official_email_rate",
    name="Tỷ lệ viên chức phụ trách có thư điện tử công vụ",
    source="Kế hoạch CCHC 2026, mục tiêu 9",
)
def official_email_rate(units: QuerySet[Unit], period: Period) -> Measure:
    """Staff in charge (any role beyond plain staff) with an official e-mail address on file."""
    in_charge = Staff.objects.filter(
        unit__in=units,
        is_active=True,
        role_assignments__role__in=[r for r in Role.values if r != Role.STAFF],
    ).distinct()
    row = Staff.objects.filter(pk__in=in_charge).aggregate(
        n=Count("id", filter=~Q(email="")), d=Count("id")
    )
    return Measure(row["n"], row["d"])
