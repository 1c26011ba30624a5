"""Writes to a unit's calendar overrides, audited, and the per-unit calendar they produce."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max

from cchc.accounts import permissions
from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb
from cchc.organizations.models import DeadlineMode, Unit
from cchc.workdays.calendar import (
    MAX_YEAR,
    MIN_YEAR,
    DayEntry,
    DayKind,
    WorkCalendar,
    default_calendar,
)
from cchc.workdays.models import CalendarOverride

if TYPE_CHECKING:
    from cchc.accounts.models import User

_cache: dict[tuple[int, ...], WorkCalendar] = {}
_CACHE_LIMIT = 256


def _ancestor_ids(unit: Unit) -> list[int]:
    """Root first: '000001.000004.' -> [1, 4]."""
    return [int(part) for part in unit.path.split(".") if part]


def calendar_for_unit(unit: Unit | None) -> WorkCalendar:
    """The official calendar with the overrides of `unit` and the units above it, and the
    unit's own receipt cut-off hour.

    Built once per distinct set of overrides and cut-off and reused, so a call costs one small
    query.
    """
    base = default_calendar()
    if unit is None:
        return base
    cutoff = unit.receipt_cutoff
    chain = _ancestor_ids(unit) or [unit.pk]
    stamp = CalendarOverride.objects.filter(unit_id__in=chain).aggregate(
        n=Count("id"), last=Max("updated_at")
    )
    if not stamp["n"] and cutoff == base.cutoff:
        return base
    last = int(stamp["last"].timestamp() * 1_000_000) if stamp["n"] else 0
    key = (*chain, stamp["n"], last, cutoff.hour * 3600 + cutoff.minute * 60 + cutoff.second)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    depth = {unit_id: i for i, unit_id in enumerate(chain)}
    overrides = sorted(
        CalendarOverride.objects.filter(unit_id__in=chain).select_related("unit"),
        key=lambda o: depth.get(o.unit_id, 0),  # nearer units come later and win
    )
    entries = [
        DayEntry(
            date=o.date,
            kind=DayKind.OVERRIDE_WORK if o.is_working else DayKind.OVERRIDE_OFF,
            name=o.reason,
            reference=f"Điều chỉnh của {o.unit.display_name}",
        )
        for o in overrides
    ]
    calendar = base.with_overrides(entries) if entries else base
    if cutoff != base.cutoff:
        calendar = calendar.with_cutoff(cutoff)
    if len(_cache) >= _CACHE_LIMIT:
        _cache.clear()
    _cache[key] = calendar
    return calendar


def due_for_unit(*, unit: Unit | None, received_at: datetime, days: int) -> datetime | date:
    """The due date of a limit of `days` working days received at `received_at`.

    Default rule: the day of receipt is not counted and a receipt after the cut-off or on a day
    off counts from the next working day. Units set to the working-hours rule get N x 8 working
    hours from the receipt time instead (some provinces count that way).
    """
    calendar = calendar_for_unit(unit)
    if unit is not None and unit.deadline_mode == DeadlineMode.WORKING_HOURS:
        return calendar.add_working_hours(received_at, days * 8)
    return calendar.due_date(received_at, days)


def _check(unit: Unit, on: date, reason: str) -> None:
    errors = {}
    if not MIN_YEAR <= on.year <= MAX_YEAR:
        errors["date"] = f"Ngày phải trong các năm {MIN_YEAR}–{MAX_YEAR}."
    if not reason.strip():
        errors["reason"] = "Hãy ghi lý do hoặc căn cứ (ví dụ số văn bản của UBND)."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def override_set(*, actor: User, unit: Unit, on: date, is_working: bool, reason: str) -> Any:
    """Make `on` a working day or a day off for `unit` and the units below it."""
    permissions.require(actor, permissions.MANAGE_WORKDAYS, unit)
    _check(unit, on, reason)
    existing = CalendarOverride.objects.select_for_update().filter(unit=unit, date=on).first()
    if existing is None:
        # A double-click sends two "new date" requests: both find no row, one insert wins the
        # unique (unit, date) key and the other becomes an update of the row it lost to.
        try:
            with transaction.atomic():
                override = CalendarOverride.objects.create(
                    unit=unit,
                    date=on,
                    is_working=is_working,
                    reason=reason.strip(),
                    created_by=actor,
                )
        except IntegrityError:
            existing = CalendarOverride.objects.select_for_update().get(unit=unit, date=on)
        else:
            audit_record(
                actor=actor,
                verb=AuditVerb.WORKDAYS_OVERRIDE_SET,
                obj=override,
                unit=unit,
                after=snapshot(override),
            )
            return override
    before = snapshot(existing)
    override = existing
    override.is_working, override.reason = is_working, reason.strip()
    override.created_by = actor
    override.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.WORKDAYS_OVERRIDE_SET,
        obj=override,
        unit=unit,
        before=before,
        after=snapshot(override),
    )
    return override


@transaction.atomic
def override_delete(*, actor: User, override: CalendarOverride) -> None:
    permissions.require(actor, permissions.MANAGE_WORKDAYS, override.unit)
    audit_record(
        actor=actor,
        verb=AuditVerb.WORKDAYS_OVERRIDE_DELETE,
        obj=override,
        unit=override.unit,
        before=snapshot(override),
    )
    override.delete()


RULE_FIELDS = ("deadline_mode", "receipt_cutoff", "cutoff_all_procedures")


def rules_stamp(unit: Unit) -> str:
    """What the form was filled from: a save over someone else's newer change is refused."""
    return "|".join(
        [unit.deadline_mode, unit.receipt_cutoff.strftime("%H:%M"), str(unit.cutoff_all_procedures)]
    )


class StaleRules(ValidationError):
    """Another user changed the unit's rules since the form was opened."""


@transaction.atomic
def rules_set(
    *,
    actor: User,
    unit: Unit,
    deadline_mode: str,
    receipt_cutoff: time,
    cutoff_all_procedures: bool,
    seen: str,
) -> Unit:
    """The unit's way of counting due dates and its receipt cut-off hour.

    They change every future due date (existing dossiers keep theirs: a due date once given to a
    citizen is a promise), so the change is audited with the values before and after.
    """
    permissions.require(actor, permissions.MANAGE_WORKDAYS, unit)
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    if rules_stamp(locked) != seen:
        raise StaleRules("Cách tính hạn vừa được người khác thay đổi; hãy tải lại trang.")
    errors = {}
    if deadline_mode not in DeadlineMode.values:
        errors["deadline_mode"] = "Hãy chọn cách tính hạn."
    hours = default_calendar().hours
    first, last = hours.sessions[0][0], hours.day_end
    if not first <= receipt_cutoff <= last:
        errors["receipt_cutoff"] = (
            f"Giờ chốt phải trong giờ làm việc, từ {first:%H:%M} đến {last:%H:%M}."
        )
    if errors:
        raise ValidationError(errors)
    before = snapshot(locked, list(RULE_FIELDS))
    locked.deadline_mode = deadline_mode
    locked.receipt_cutoff = receipt_cutoff.replace(second=0, microsecond=0)
    locked.cutoff_all_procedures = cutoff_all_procedures
    locked.save(update_fields=[*RULE_FIELDS, "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.WORKDAYS_RULES_SET,
        obj=locked,
        unit=locked,
        before=before,
        after=snapshot(locked, list(RULE_FIELDS)),
    )
    return locked
