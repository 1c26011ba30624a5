"""Changing a unit's reporting calendar: the unit's leaders replace its rules in one go.

A commune's rules are the calendar of every school below it without rules of its own; removing
a unit's rules (back to "follow the unit above") is the same call with no rows.
"""

from __future__ import annotations

import calendar as month_calendar
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from cchc.accounts import permissions
from cchc.core.audit import audit_record
from cchc.core.audit_verbs import AuditVerb
from cchc.organizations.models import Staff, Unit
from cchc.reports.models import ReportingRule, Slot

if TYPE_CHECKING:
    from cchc.accounts.models import User

_FIELDS = (
    "cutoff_from_day",
    "cutoff_from_month",
    "cutoff_to_day",
    "cutoff_to_month",
    "due_workdays",
    "due_day",
    "due_month",
    "remind_days_before",
)


def _check_day(label: str, day: int | None, month: int | None) -> None:
    if day is None or month is None:
        return
    if day > month_calendar.monthrange(2024, month)[1]:  # a leap year: 29/02 is allowed
        raise ValidationError(f"{label}: tháng {month} không có ngày {day}.")


def calendar_save(
    *, actor: User, unit: Unit, rows: dict[str, dict[str, Any]]
) -> list[ReportingRule]:
    """Replace `unit`'s rules by `rows` (slot → field values); ValidationError in Vietnamese."""
    if not permissions.can(actor, permissions.MANAGE_PLANS, unit):
        raise PermissionDenied("Chỉ lãnh đạo đơn vị sửa được lịch báo cáo của đơn vị mình.")
    clean: list[ReportingRule] = []
    for slot, values in rows.items():
        if slot not in Slot.values:
            raise ValidationError(f"Kỳ báo cáo «{slot}» không hợp lệ.")
        label = Slot(slot).label
        _check_day(
            f"{label}, ngày chốt đầu",
            values.get("cutoff_from_day"),
            values.get("cutoff_from_month"),
        )
        _check_day(
            f"{label}, ngày chốt cuối", values.get("cutoff_to_day"), values.get("cutoff_to_month")
        )
        _check_day(f"{label}, hạn nộp", values.get("due_day"), values.get("due_month"))
        if (values.get("due_day") is None) != (values.get("due_month") is None):
            raise ValidationError(
                f"{label}: hạn cố định cần cả ngày và tháng (hoặc để trống cả hai)."
            )
        responsible = values.get("responsible")
        if isinstance(responsible, Staff) and responsible.unit_id != unit.pk:
            raise ValidationError(f"{label}: người chịu trách nhiệm phải thuộc đơn vị.")
        clean.append(
            ReportingRule(
                unit=unit,
                slot=slot,
                responsible=responsible,
                basis="Lịch báo cáo do đơn vị cập nhật",
                **{field: values.get(field) for field in _FIELDS},
            )
        )
    try:
        return _replace(actor, unit, clean)
    except IntegrityError:  # two leaders saved at once: the other one's rules stand
        raise ValidationError("Lịch vừa được người khác cập nhật; hãy tải lại trang.") from None


def _replace(actor: User, unit: Unit, clean: list[ReportingRule]) -> list[ReportingRule]:
    with transaction.atomic():
        before = list(
            ReportingRule.objects.select_for_update()
            .filter(unit=unit)
            .values("slot", *_FIELDS, "responsible_id")
        )
        ReportingRule.objects.filter(unit=unit).delete()
        saved = ReportingRule.objects.bulk_create(clean)
        audit_record(
            actor=actor,
            verb=AuditVerb.REPORTS_CALENDAR_SAVE,
            unit=unit,
            object_type="reports.reportingrule",
            object_id=str(unit.pk),
            before={"rules": before},
            after={
                "rules": [
                    {
                        "slot": r.slot,
                        **{f: getattr(r, f) for f in _FIELDS},
                        "responsible_id": r.responsible_id,
                    }
                    for r in saved
                ]
            },
        )
    return saved
