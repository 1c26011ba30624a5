"""Demo: the demo school's self-assessment of this year, scored with evidence and submitted.

Run after every other app's demo (organizations.demo.seed_other_apps calls it last), so the
formula criteria read the demo year's real figures. It stays "awaiting appraisal" so the
commune officer can try the appraisal.

Demo data obeys the rules of real data: each manual criterion is scored by the principal's
reading of what the system holds, and its evidence names those records (the plan's own number
and date, the periodic reports made or missing, the activities held), never a document the
system does not have.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from cchc.accounts.models import User
from cchc.core.timezones import VN
from cchc.kpi import assessments, registry
from cchc.kpi.assessments import Entry
from cchc.kpi.models import Assessment
from cchc.kpi.registry import Period
from cchc.organizations.models import Unit
from cchc.workdays.services import calendar_for_unit

SCHOOL_CODE = "000.31.41.H29"


def _working_moment(unit: Unit) -> datetime:
    """The last working day before today, 10:15 local: never a Sunday, never midnight."""
    calendar = calendar_for_unit(unit)
    day = timezone.localdate() - timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return datetime.combine(day, time(10, 15), tzinfo=VN)


def _points(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _plan_entry(unit: Unit, year: int) -> Entry:
    """1.1 (4 points): the year's plan as imported, with its own number and date."""
    from cchc.plans.models import Plan

    plan = Plan.objects.filter(unit=unit, year=year).order_by("-pk").first()
    if plan is None:
        return Entry("0", f"Chưa có kế hoạch CCHC năm {year} trên hệ thống.")
    reference = f"số {plan.number}/{plan.symbol}" if plan.number and plan.symbol else "(chưa số)"
    day = f" ngày {plan.issued_on:%d/%m/%Y}" if plan.issued_on else ""
    targets, tasks = plan.targets.count(), plan.tasks.filter(parent__isnull=False).count()
    whole = targets > 0 and tasks > 0
    return Entry(
        "4" if whole else "2",
        f"Kế hoạch {reference}{day} thực hiện công tác CCHC năm {year}: "
        f"{targets} mục tiêu, {tasks} nhiệm vụ.",
    )


def _reports_entry(unit: Unit, year: int, today: date) -> Entry:
    """1.3 (3 points): the periodic reports due so far by the unit's reporting calendar, in
    proportion to those made on time in the system; each named with its date or as missing."""
    from cchc.reports.builder import period_name
    from cchc.reports.calendar import owed, unit_calendar

    dues = [d for d in unit_calendar(unit, year) if d.due_on < today and owed(d)]
    if not dues:
        return Entry("3", f"Đến nay chưa đến hạn báo cáo định kỳ nào của năm {year}.")
    lines = []
    for due in dues:
        if due.made_on is None:
            state = "chưa lập trên hệ thống"
        else:
            late = " (trễ hạn)" if due.made_on > due.due_on else ""
            state = f"lập ngày {due.made_on:%d/%m/%Y}{late}"
        lines.append(f"Báo cáo {period_name(due.period)} (hạn {due.due_on:%d/%m/%Y}): {state}")
    on_time = sum(1 for d in dues if d.made_on is not None and d.made_on <= d.due_on)
    return Entry(_points(Decimal(3) * on_time / len(dues)), "; ".join(lines) + ".")


def _activities_entry(unit: Unit, year: int) -> Entry:
    """1.4 (3 points): 1.5 for communication held in the year, 1.5 for an initiative adopted."""
    from cchc.plans.models import Activity, ActivityKind, InitiativeStatus

    held = Activity.objects.filter(unit=unit, held_on__year=year).order_by("held_on")
    told = [
        a for a in held if a.kind in (ActivityKind.COMMUNICATION, ActivityKind.LEGAL_DISSEMINATION)
    ]
    ideas = [a for a in held if a.kind == ActivityKind.INITIATIVE]
    adopted = [a for a in ideas if a.initiative_status == InitiativeStatus.ADOPTED]
    parts = [f"{a.title} ({a.held_on:%d/%m/%Y})" for a in told]
    parts += [f"Sáng kiến «{a.title}»: {a.get_initiative_status_display().lower()}" for a in ideas]
    points = (Decimal("1.5") if told else 0) + (Decimal("1.5") if adopted else 0)
    evidence = "; ".join(parts) + "." if parts else f"Chưa có hoạt động nào trong năm {year}."
    return Entry(_points(Decimal(points)), evidence)


def _one_stop_entry(unit: Unit, year: int) -> Entry:
    """2.3 (4 points): the tracking book the system keeps earns half; the decision setting up
    the one-stop desk is not a record of the system, so the demo does not claim it."""
    measure = registry.measure(
        "dossier_on_time_rate", Unit.objects.filter(pk=unit.pk), Period.year(year)
    )
    if not measure.denominator:
        return Entry("0", f"Chưa có hồ sơ nào trong sổ theo dõi năm {year} trên hệ thống.")
    count = f"{int(measure.denominator):,}".replace(",", ".")
    return Entry(
        "2",
        f"Sổ theo dõi hồ sơ trên hệ thống: {count} hồ sơ năm {year}, đúng hạn "
        f"{measure.display()}; quyết định thành lập bộ phận một cửa chưa đưa lên hệ thống.",
    )


def _publication_entry(unit: Unit) -> Entry:
    """2.4 (4 points): electronic publication on the system's procedure pages; the posted
    notice at the school is not in the system (index 6: one of the two = half)."""
    from cchc.dossiers.selectors import procedures_current

    published = procedures_current(unit).filter(is_published=True).count()
    if not published:
        return Entry("0", "Chưa công khai thủ tục hành chính nào trên trang của hệ thống.")
    return Entry(
        "2",
        f"Công khai {published} thủ tục hành chính trên trang tra cứu của hệ thống; "
        "ảnh niêm yết tại trụ sở chưa đưa lên hệ thống.",
    )


def demo_entries(unit: Unit, year: int, today: date) -> dict[str, Entry]:
    """The manual criteria as the demo principal scores them from the system's records."""
    return {
        "1.1": _plan_entry(unit, year),
        "1.3": _reports_entry(unit, year, today),
        "1.4": _activities_entry(unit, year),
        "2.3": _one_stop_entry(unit, year),
        "2.4": _publication_entry(unit),
    }


def seed_demo_assessment(**_options: object) -> list[str]:
    school = Unit.objects.filter(code=SCHOOL_CODE).first()
    year = timezone.localdate().year
    if school is None or Assessment.objects.filter(unit=school, year=year).exists():
        return []
    principal = User.objects.filter(
        staff__unit=school, staff__role_assignments__role="principal"
    ).first()
    if principal is None:
        return []
    moment = _working_moment(school)
    original = timezone.now
    timezone.now = lambda: moment
    try:
        entries = demo_entries(school, year, moment.date())  # as the formulas: at that moment
        started = assessments.assessment_start(actor=principal, unit=school, year=year)
        done = assessments.assessment_save(
            actor=principal, assessment=started, entries=entries, revision=None, submit=True
        )
    finally:
        timezone.now = original
    return [
        f"Đã tạo bản tự đánh giá Chỉ số CCHC năm {year} của {school.short_name}: "
        f"{done.self_points}/{done.max_points} điểm, {done.self_rating} (chờ xã thẩm định)."
    ]
