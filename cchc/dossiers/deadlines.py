"""Due moments of dossiers from the procedure's limit and the unit's working-day calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from cchc.core.timezones import VN
from cchc.dossiers import intake_windows
from cchc.dossiers.models import Dossier, HandOverResult, Procedure, TimeLimitUnit
from cchc.organizations.models import DeadlineMode, Unit
from cchc.workdays.calendar import WorkCalendar
from cchc.workdays.services import calendar_for_unit


def _aware(moment: datetime) -> datetime:
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=VN)


def end_of_day(calendar: WorkCalendar, day) -> datetime:
    """The appointment hour on a due date: the end of the last working session."""
    return datetime.combine(day, calendar.hours.day_end, tzinfo=VN)


def cutoff_applies(procedure: Procedure, unit: Unit) -> bool:
    """The 15:00 cut-off (Decree 61 Art. 18; domain.md 1.2-1.3; domain-2025.md 3.1) is the rule
    for same-day procedures; a procedure counted in days follows it only where its published
    decision or the unit's rule says so: then the catalogue gives it a cut-off time (`cutoff`,
    empty by default), or the unit applies its cut-off to every procedure."""
    return (
        procedure.time_limit_unit == TimeLimitUnit.SAME_DAY
        or procedure.cutoff is not None
        or unit.cutoff_all_procedures
    )


def cutoff_hour(calendar: WorkCalendar, procedure: Procedure) -> time:
    """The procedure's own hour where its decision sets one, else the unit's (`calendar`)."""
    return procedure.cutoff or calendar.cutoff


def counting_start(
    calendar: WorkCalendar, procedure: Procedure, received_at: datetime, unit: Unit
) -> datetime:
    """The moment the legal clock counts from: the receipt itself on a working day (before the
    cut-off where it applies), else the first session of the next working day."""
    local = _aware(received_at).astimezone(VN)
    late = cutoff_applies(procedure, unit) and local.time() > cutoff_hour(calendar, procedure)
    if calendar.is_working_day(local.date()) and not late:
        return local
    next_day = calendar.next_working_day(local.date())
    return datetime.combine(next_day, calendar.hours.sessions[0][0], tzinfo=VN)


def supplement_deadline(dossier: Dossier) -> datetime:
    """The last moment to ask for papers after acceptance (Decree 61 Art. 19(4): 3 working
    days unless the procedure says otherwise)."""
    if dossier.received_at is None:
        raise ValueError("A dossier is asked for papers only after it was received.")
    calendar = calendar_for_unit(dossier.unit)
    start = counting_start(calendar, dossier.procedure, dossier.received_at, dossier.unit).date()
    day = calendar.add_working_days(start, dossier.procedure.supplement_within_days)
    return end_of_day(calendar, day)


def compute_due(unit: Unit, procedure: Procedure, received_at: datetime) -> datetime | None:
    """The legal due moment of a dossier received (accepted) at `received_at`; None only for a
    procedure without a legal time limit, which may not receive dossiers (`start_clock`).

    Whole working days follow the unit's rule (default: the day of receipt is not counted, the
    due moment is the end of the last working day). A half day is 4 working hours and is never
    rounded: 0,5 day = 4 hours, 1,5 days = 12 hours counted from the receipt (the N x 8-hour
    rule). "Trong ngày" ends with that working day. Where the 15:00 cut-off applies
    (`cutoff_applies`) a later receipt counts from the next working day. A procedure "theo kế
    hoạch" is due on the results day of the approved plan's window the receipt falls in.
    """
    if procedure.time_limit_unit == TimeLimitUnit.PLAN:
        window = intake_windows.window_on(procedure, _aware(received_at).astimezone(VN).date())
        if window is None:
            return None
        return end_of_day(calendar_for_unit(unit), window.results_on)
    if procedure.time_limit_unit != TimeLimitUnit.SAME_DAY and (
        procedure.time_limit_value is None or procedure.time_limit_value <= 0
    ):
        return None
    calendar = calendar_for_unit(unit)
    start = counting_start(calendar, procedure, received_at, unit)
    if procedure.time_limit_unit == TimeLimitUnit.SAME_DAY:
        return end_of_day(calendar, start.date())
    if procedure.time_limit_value is None:  # ruled out above (only "same day" has none)
        return None
    limit = Decimal(procedure.time_limit_value)
    if procedure.time_limit_unit == TimeLimitUnit.WORKING_HOURS:
        return _aware(calendar.add_working_hours(start, limit))
    if limit != limit.to_integral_value() or unit.deadline_mode == DeadlineMode.WORKING_HOURS:
        return _aware(calendar.add_working_hours(start, limit * 8))
    return end_of_day(calendar, calendar.add_working_days(start.date(), int(limit)))


def explain_due(dossier: Dossier) -> list[str] | None:
    """How the due date of a dossier counted in whole working days was reached, with the
    cut-off choice said in words (shown on the dossier page)."""
    procedure = dossier.procedure
    if dossier.received_at is None or procedure.time_limit_unit != TimeLimitUnit.WORKING_DAYS:
        return None
    limit = procedure.time_limit_value
    if limit is None or limit != limit.to_integral_value():
        return None
    calendar = calendar_for_unit(dossier.unit)
    start = counting_start(calendar, procedure, dossier.received_at, dossier.unit)
    lines = calendar.explain(start.date(), int(limit)).lines()
    hour = cutoff_hour(calendar, procedure).strftime("%H:%M")
    if cutoff_applies(procedure, dossier.unit):
        rule = f"Thủ tục áp dụng giờ chốt {hour}: hồ sơ nhận sau giờ này tính từ ngày làm việc sau."
    else:
        rule = f"Thủ tục không áp dụng giờ chốt {hour}: hồ sơ tính từ ngày tiếp nhận."
    return [rule, *lines]


def extend_by_pause(dossier: Dossier, paused_from: datetime, resumed_at: datetime) -> datetime:
    """Under the "pause" rule the due date moves by the working days the citizen took."""
    if dossier.due_at is None:
        raise ValueError("Only a dossier with a due date has it moved by a pause.")
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
    """When the step that started at `started_at` should end, from the step budget in working
    days (half days allowed, counted as working hours) in force when the dossier was received
    (the procedure's own, or a newer internal process: cchc.simplification); None without."""
    from cchc.simplification.selectors import step_budgets_for  # the versioned process

    raw = step_budgets_for(dossier).get(step or "reception")
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
    """The last moment to issue an apology: one working day before the due date (Decree 61
    Art. 19(9), domain.md 1.4).

    A dossier due within a working day of its receipt (a same-day procedure) has no such day:
    the day before the due date lies before the dossier arrived. Its apology is then due by the
    due time itself, never at a moment the dossier had not yet reached the unit.
    """
    if dossier.due_at is None:
        return None
    calendar = calendar_for_unit(dossier.unit)
    day = dossier.due_at.astimezone(VN).date()
    previous = day - timedelta(days=1)
    while not calendar.is_working_day(previous):
        previous -= timedelta(days=1)
    started = dossier.received_at or dossier.submitted_at
    if started is not None and started.astimezone(VN).date() > previous:
        return dossier.due_at
    return datetime.combine(previous, time(23, 59, 59), tzinfo=VN)


#: The shortest extension an apology may give (one working week), for the procedures done in
#: a day or a few hours, which may still wait for a paper from another body.
MIN_EXTENSION_WORKING_DAYS = 5


@dataclass(frozen=True)
class NewDueBound:
    """The latest new appointment an apology may give (`latest`): `extra` working days after
    `counted_from` (the original due day, or today for an apology made after it); `own_time`
    says whether `extra` is the procedure's own processing time (else the one-week floor)."""

    latest: date
    extra: int
    counted_from: date
    own_time: bool


def latest_new_due_day(
    dossier: Dossier, due_day: date, now: datetime, *, calendar: WorkCalendar | None = None
) -> NewDueBound:
    """The latest new appointment an apology may give.

    Decree 61 Art. 19(9) (domain.md 1.4) lets the unit reset the return date once only, with
    the reason and "the proposed new return date"; time limits count in working days (1.3).
    The law sets no ceiling, but a date the citizen cannot have moved again must be a real
    promise, not an open one: at most the procedure's own processing time again (the working
    days from the receipt to the original due date `due_day`), at least one working week, counted
    from the original due date, or from today for an apology made after it.
    """
    calendar = calendar or calendar_for_unit(dossier.unit)
    received = dossier.received_at.astimezone(VN).date() if dossier.received_at else due_day
    own = calendar.working_days_between(received, due_day)
    extra = max(own, MIN_EXTENSION_WORKING_DAYS)
    start = max(due_day, now.astimezone(VN).date())
    return NewDueBound(calendar.add_working_days(start, extra), extra, start, own >= extra)


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


@dataclass(frozen=True)
class Remaining:
    """What a list shows of a dossier's deadline: the "Quá hạn" badge and the "Còn lại" text,
    decided together so they never disagree (QA: "Quá hạn" beside "hạn hôm nay")."""

    overdue: bool  # the badge: late by the one definition (`DossierQuerySet.with_late_flag`)
    text: str  # "còn 2 ngày làm việc", "hạn hôm nay", "quá 1 ngày làm việc", "xong đúng hạn" …
    tone: str  # "warn" (due today), "bad" (overdue), "" otherwise


def remaining(
    dossier: Dossier,
    overdue: bool,
    now: datetime | None = None,
    *,
    calendar: WorkCalendar | None = None,
) -> Remaining:
    """The badge and the text of one dossier. `overdue` is its `is_overdue` flag (late against
    the legal due date, at the result when there is one); the text never contradicts it: a
    dossier late by the hour of its due day says so, one decided on time is not "quá N ngày"."""
    due = dossier.due_at
    if due is None or dossier.status == "supplement":
        return Remaining(overdue, "quá hạn" if overdue else "—", "bad" if overdue else "")
    if dossier.result_at is not None or dossier.status in ("done", "returned"):
        return (
            Remaining(True, "xong sau hạn", "bad")
            if overdue
            else Remaining(False, "xong đúng hạn", "")
        )
    calendar = calendar or calendar_for_unit(dossier.unit)
    today = (now or timezone.now()).astimezone(VN).date()
    if overdue:
        past = -calendar.working_days_between(today, due.astimezone(VN).date())
        text = f"quá {past} ngày làm việc" if past > 0 else f"quá hạn từ {due.astimezone(VN):%H:%M}"
        if dossier.new_due_at is not None:
            left = calendar.working_days_between(today, dossier.new_due_at.astimezone(VN).date())
            if left >= 0:
                text += "; hẹn lại " + ("hôm nay" if left == 0 else f"còn {left} ngày làm việc")
        return Remaining(True, text, "bad")
    left = calendar.working_days_between(today, dossier.effective_due_at.astimezone(VN).date())
    if left <= 0:
        return Remaining(False, "hạn hôm nay", "warn")
    return Remaining(False, f"còn {left} ngày làm việc", "")
