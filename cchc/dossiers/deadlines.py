"""Due moments of dossiers from the procedure's limit and the unit's working-day calendar."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from cchc.dossiers.models import Dossier, HandOverResult, Procedure, TimeLimitUnit
from cchc.organizations.models import Unit
from cchc.workdays.calendar import WorkCalendar
from cchc.workdays.services import calendar_for_unit, due_for_unit

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _aware(moment: datetime) -> datetime:
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=VN)


def end_of_day(calendar: WorkCalendar, day) -> datetime:
    """The appointment hour on a due date: the end of the last working session."""
    return datetime.combine(day, calendar.hours.day_end, tzinfo=VN)


def _apply_cutoff(calendar: WorkCalendar, procedure: Procedure, received_at: datetime) -> datetime:
    """A procedure may publish its own cut-off (e.g. 11:00): a receipt after it counts as made at
    the start of the next working day; the calendar's default 15:00 still applies otherwise."""
    if procedure.cutoff is None:
        return received_at
    local = received_at.astimezone(VN)
    if local.time() <= procedure.cutoff and calendar.is_working_day(local.date()):
        return received_at
    next_day = calendar.next_working_day(local.date())
    return datetime.combine(next_day, calendar.hours.sessions[0][0], tzinfo=VN)


def supplement_deadline(dossier: Dossier) -> datetime:
    """The last moment to ask for papers after acceptance (Decree 61 Art. 19(4): 3 working
    days unless the procedure says otherwise)."""
    calendar = calendar_for_unit(dossier.unit)
    start = calendar.effective_receipt_date(dossier.received_at.astimezone(VN))
    day = calendar.add_working_days(start, dossier.procedure.supplement_within_days)
    return end_of_day(calendar, day)


def compute_due(unit: Unit, procedure: Procedure, received_at: datetime) -> datetime | None:
    """The legal due moment of a dossier received (accepted) at `received_at`.

    Working days follow the unit's rule (default: the day of receipt is not counted, receipts
    after the 15:00 cut-off count from the next working day; domain.md 1.3). "Trong ngày" means
    before the end of that working day, or of the next one after the cut-off.
    """
    calendar = calendar_for_unit(unit)
    received_at = _apply_cutoff(calendar, procedure, _aware(received_at))
    limit = procedure.time_limit_value
    if procedure.time_limit_unit == TimeLimitUnit.PLAN:
        return None
    if procedure.time_limit_unit == TimeLimitUnit.SAME_DAY:
        return _aware(calendar.same_day_due(received_at))
    if limit is None:
        return None
    if procedure.time_limit_unit == TimeLimitUnit.WORKING_HOURS:
        return _aware(calendar.add_working_hours(received_at, Decimal(limit)))
    days = int(Decimal(limit).to_integral_value())
    due = due_for_unit(unit=unit, received_at=received_at.astimezone(VN), days=days)
    if isinstance(due, datetime):
        return _aware(due)
    return end_of_day(calendar, due)


def extend_by_pause(dossier: Dossier, paused_from: datetime, resumed_at: datetime) -> datetime:
    """Under the "pause" rule the due date moves by the working days the citizen took."""
    calendar = calendar_for_unit(dossier.unit)
    lost = calendar.working_days_between(
        paused_from.astimezone(VN).date(), resumed_at.astimezone(VN).date()
    )
    due_day = calendar.add_working_days(dossier.due_at.astimezone(VN).date(), max(lost, 0))
    return end_of_day(calendar, due_day)


def step_result(finished_at: datetime, due_at: datetime | None) -> str:
    """Trước hạn / Đúng hạn / Quá hạn (Mẫu 06): early if before the due day, late if after."""
    if due_at is None:
        return ""
    finished, due = finished_at.astimezone(VN), due_at.astimezone(VN)
    if finished > due:
        return HandOverResult.LATE
    if finished.date() < due.date():
        return HandOverResult.EARLY
    return HandOverResult.ON_TIME


def step_due(dossier: Dossier, step: str, started_at: datetime) -> datetime | None:
    """When the step that started at `started_at` should end, from the procedure's step budget
    in working days (half days allowed, counted as working hours); None without a budget."""
    raw = (dossier.procedure.step_budgets or {}).get(step or "reception")
    if raw is None:
        return None
    try:
        budget = Decimal(str(raw))
    except (ArithmeticError, ValueError):
        return None
    if not budget.is_finite() or budget <= 0:
        return None
    calendar = calendar_for_unit(dossier.unit)
    return _aware(calendar.add_working_hours(started_at.astimezone(VN), budget * 8))


def apology_deadline(dossier: Dossier) -> datetime | None:
    """The last moment to issue an apology: one working day before the due date."""
    if dossier.due_at is None:
        return None
    calendar = calendar_for_unit(dossier.unit)
    day = dossier.due_at.astimezone(VN).date()
    previous = day - timedelta(days=1)
    while not calendar.is_working_day(previous):
        previous -= timedelta(days=1)
    return datetime.combine(previous, time(23, 59, 59), tzinfo=VN)


def working_days_left(
    dossier: Dossier, now: datetime | None = None, *, calendar: WorkCalendar | None = None
) -> int | None:
    """Working days from today to the effective due date (negative when late). Lists pass the
    unit's `calendar` so that looking it up is not repeated for every row."""
    due = dossier.effective_due_at
    if due is None or dossier.status == "supplement":
        return None
    calendar = calendar or calendar_for_unit(dossier.unit)
    today = (now or timezone.now()).astimezone(VN).date()
    return calendar.working_days_between(today, due.astimezone(VN).date())
