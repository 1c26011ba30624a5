"""Writes to a unit's calendar overrides, audited, and the per-unit calendar they produce."""

from __future__ import annotations

from collections.abc import Iterable
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


def _seconds(cutoff: time) -> int:
    return cutoff.hour * 3600 + cutoff.minute * 60 + cutoff.second


def _with_cutoff(calendar: WorkCalendar, cutoff: time) -> WorkCalendar:
    """`calendar` with a unit's own receipt cut-off hour, built once per hour."""
    if cutoff == calendar.cutoff:
        return calendar
    key = (-1, _seconds(cutoff))
    cached = _cache.get(key)
    if cached is None:
        cached = calendar.with_cutoff(cutoff)
        if len(_cache) >= _CACHE_LIMIT:
            _cache.clear()
        _cache[key] = cached
    return cached


def calendar_for_unit(unit: Unit | None) -> WorkCalendar:
    """The official calendar with the overrides of `unit` and the units above it, and the
    unit's own receipt cut-off hour.

    Built once per distinct set of overrides and cut-off and reused, so a call costs one small
    query.
    """
    base = default_calendar()
    if unit is None:
        return base
    chain = _ancestor_ids(unit) or [unit.pk]
    stamp = CalendarOverride.objects.filter(unit_id__in=chain).aggregate(
        n=Count("id"), last=Max("updated_at")
    )
    if not stamp["n"]:
        return _with_cutoff(base, unit.receipt_cutoff)
    key = (
        *chain,
        stamp["n"],
        int(stamp["last"].timestamp() * 1_000_000),
        _seconds(unit.receipt_cutoff),
    )
    cached = _cache.get(key)
    if cached is not None:
        return cached
    overrides = CalendarOverride.objects.filter(unit_id__in=chain).select_related("unit")
    return _built(key, chain, list(overrides), unit.receipt_cutoff)


def calendars_for_units(units: Iterable[Unit]) -> dict[int, WorkCalendar]:
    """`calendar_for_unit` of each of `units` (by id), reading the overrides of them all and
    the units above them in one query (a commune's page lists a hundred schools)."""
    units = list(units)
    chains = {unit.pk: _ancestor_ids(unit) or [unit.pk] for unit in units}
    wanted = {pk for chain in chains.values() for pk in chain}
    by_unit: dict[int, list[CalendarOverride]] = {}
    for override in CalendarOverride.objects.filter(unit_id__in=wanted).select_related("unit"):
        by_unit.setdefault(override.unit_id, []).append(override)
    found: dict[int, WorkCalendar] = {}
    for unit in units:
        chain = chains[unit.pk]
        mine = [o for pk in chain for o in by_unit.get(pk, [])]
        if not mine:
            found[unit.pk] = _with_cutoff(default_calendar(), unit.receipt_cutoff)
            continue
        last = max(o.updated_at for o in mine)
        key = (*chain, len(mine), int(last.timestamp() * 1_000_000), _seconds(unit.receipt_cutoff))
        cached = _cache.get(key)
        found[unit.pk] = (
            cached if cached is not None else _built(key, chain, mine, unit.receipt_cutoff)
        )
    return found


def _built(
    key: tuple[int, ...], chain: list[int], overrides: list[CalendarOverride], cutoff: time
) -> WorkCalendar:
    """The default calendar with `overrides` of the units of `chain` (nearer units win) and the
    unit's cut-off, kept under `key` (the chain, the number of overrides, the last change and
    the cut-off)."""
    depth = {unit_id: i for i, unit_id in enumerate(chain)}
    overrides = sorted(overrides, key=lambda o: depth.get(o.unit_id, 0))
    entries = [
        DayEntry(
            date=o.date,
            kind=DayKind.OVERRIDE_WORK if o.is_working else DayKind.OVERRIDE_OFF,
            name=o.reason,
            reference=f"Điều chỉnh của {o.unit.display_name}",
        )
        for o in overrides
    ]
    calendar = default_calendar().with_overrides(entries)
    if cutoff != calendar.cutoff:
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
