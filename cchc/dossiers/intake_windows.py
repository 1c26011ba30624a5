"""Procedures "theo kế hoạch" (THCS admission, Circular 30/2024): the plan's dates are the rule.

A school's admission is not counted in working days: the commune approves a plan with the days
dossiers are received and the day results are announced (domain.md 7, procedure 3). Entered
here, those dates publish the procedure, open and close the desk, and give every dossier received
in the window its due date (the results day), so the on-time figures and apologies work for
admission as for any other procedure.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cchc.accounts import permissions
from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb
from cchc.core.conflicts import Conflict, unique_or_conflict
from cchc.dossiers.models import Dossier, IntakeWindow, Procedure, TimeLimitUnit
from cchc.workdays.services import calendar_for_unit

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from cchc.accounts.models import User

_FIELDS = ["opens_on", "closes_on", "results_on", "basis"]
_LIMIT_KEYS = frozenset({"time_limit_unit", "time_limit_value"})


def window_on(procedure: Procedure, day: date) -> IntakeWindow | None:
    """The window whose receiving days include `day`."""
    return (
        IntakeWindow.objects.filter(procedure=procedure, opens_on__lte=day, closes_on__gte=day)
        .order_by("opens_on")
        .first()
    )


def windows_ahead(procedure: Procedure, today: date | None = None) -> QuerySet[IntakeWindow]:
    """The windows a parent can still use or wait for (today's and later), soonest first."""
    today = today or timezone.localdate()
    return IntakeWindow.objects.filter(procedure=procedure, closes_on__gte=today).order_by(
        "opens_on"
    )


def closed_message(procedure: Procedure, day: date) -> str:
    """Why the desk is closed on `day`, with the next window when there is one."""
    ahead = windows_ahead(procedure, day).first()
    text = f"Thủ tục “{procedure.name}” chỉ nhận hồ sơ trong thời gian của kế hoạch được duyệt"
    if ahead is None:
        return f"{text}; hiện chưa có kế hoạch nào còn thời gian tiếp nhận."
    return f"{text}: đợt tới từ {ahead.opens_on:%d/%m/%Y} đến {ahead.closes_on:%d/%m/%Y}."


def _check(procedure: Procedure, opens_on: date, closes_on: date, results_on: date, basis: str):
    errors: dict[str, str] = {}
    if procedure.time_limit_unit != TimeLimitUnit.PLAN:
        raise ValidationError(
            "Chỉ thủ tục có thời hạn “theo kế hoạch” mới cần thời gian tiếp nhận."
        )
    if not basis.strip():
        errors["basis"] = "Hãy ghi kế hoạch được phê duyệt (số, ngày, cơ quan phê duyệt)."
    if closes_on < opens_on:
        errors["closes_on"] = "Ngày cuối nhận hồ sơ phải từ ngày bắt đầu trở về sau."
    if results_on < closes_on:
        errors["results_on"] = "Ngày công bố kết quả phải từ ngày cuối nhận hồ sơ trở về sau."
    calendar = calendar_for_unit(procedure.unit)
    for name, day in (("opens_on", opens_on), ("closes_on", closes_on), ("results_on", results_on)):
        if name not in errors and not calendar.is_working_day(day):
            errors[name] = f"Ngày {day:%d/%m/%Y} là ngày nghỉ của đơn vị; hãy chọn ngày làm việc."
    overlapping = IntakeWindow.objects.filter(
        procedure=procedure, opens_on__lte=closes_on, closes_on__gte=opens_on
    ).first()
    if overlapping is not None and not errors:
        errors["opens_on"] = (
            f"Trùng với đợt tiếp nhận từ {overlapping.opens_on:%d/%m/%Y} đến "
            f"{overlapping.closes_on:%d/%m/%Y}."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def window_add(
    *,
    actor: User,
    procedure: Procedure,
    opens_on: date,
    closes_on: date,
    results_on: date,
    basis: str,
) -> IntakeWindow:
    """Enter the approved plan's dates; the procedure is published from then on."""
    permissions.require(actor, permissions.MANAGE_PROCEDURES, procedure.unit)
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    _check(procedure, opens_on, closes_on, results_on, basis)
    with unique_or_conflict({"opens_on": "Đợt tiếp nhận này vừa được người khác thêm."}):
        window = IntakeWindow.objects.create(
            procedure=procedure,
            opens_on=opens_on,
            closes_on=closes_on,
            results_on=results_on,
            basis=basis.strip(),
            created_by=actor,
        )
    # Entering the approved plan confirms that the plan is the procedure's time limit.
    confirmed = [k for k in procedure.unconfirmed or [] if k not in _LIMIT_KEYS]
    if confirmed != (procedure.unconfirmed or []):
        procedure.unconfirmed = confirmed
        procedure.save(update_fields=["unconfirmed", "updated_at"])
    _publish_as_the_rule_says(procedure)
    audit_record(
        actor=actor,
        verb=AuditVerb.PROCEDURE_WINDOW_ADD,
        obj=procedure,
        unit=procedure.unit,
        after=snapshot(window, _FIELDS),
    )
    return window


@transaction.atomic
def window_delete(*, actor: User, window: IntakeWindow) -> None:
    """Remove a window entered by mistake; one that received dossiers stays (they carry its
    results day as their due date)."""
    procedure = Procedure.objects.select_for_update().get(pk=window.procedure_id)
    permissions.require(actor, permissions.MANAGE_PROCEDURES, procedure.unit)
    received = Dossier.objects.filter(
        procedure=procedure,
        received_at__date__gte=window.opens_on,
        received_at__date__lte=window.closes_on,
    ).exists()
    if received:
        raise Conflict("Đợt này đã tiếp nhận hồ sơ nên không xóa được.")
    before = snapshot(window, _FIELDS)
    window.delete()
    _publish_as_the_rule_says(procedure)
    audit_record(
        actor=actor,
        verb=AuditVerb.PROCEDURE_WINDOW_DELETE,
        obj=procedure,
        unit=procedure.unit,
        before=before,
    )


def _publish_as_the_rule_says(procedure: Procedure) -> None:
    published = procedure.has_legal_time_limit
    if procedure.is_published != published:
        procedure.is_published = published
        procedure.save(update_fields=["is_published", "updated_at"])
