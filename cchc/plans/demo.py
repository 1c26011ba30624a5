"""The seed plan imported for the demo school, with believable progress to late November 2026."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources

from django.db import transaction

from cchc.accounts.models import User
from cchc.core.audit import audit_record
from cchc.core.audit_verbs import AuditVerb
from cchc.organizations.models import Staff, Unit
from cchc.plans import importing, services
from cchc.plans.models import ActivityKind, InitiativeStatus, Plan, Task, TaskStatus
from cchc.workdays.calendar import WorkCalendar
from cchc.workdays.services import calendar_for_unit

SCHOOL_CODE = "000.31.41.H29"
SEED_FILE = "ke-hoach-cchc-2026.txt"

# Task number -> (owner, due date or None for the year end, progress, status, completed on)
PROGRESS = {
    "1.1": ("Nguyễn Thị Thanh Trang", None, 80, TaskStatus.IN_PROGRESS, None),
    "1.2": ("La Nguyễn Hoàng Anh", None, 60, TaskStatus.IN_PROGRESS, None),
    "1.3": ("Dương Thị Huyền Trân", date(2026, 6, 30), 100, TaskStatus.DONE, date(2026, 6, 19)),
    "1.4": ("La Nguyễn Hoàng Anh", None, 70, TaskStatus.IN_PROGRESS, None),
    "2.1": ("Dương Thị Huyền Trân", None, 50, TaskStatus.IN_PROGRESS, None),
    "2.2": ("Trần Thị Thoa", None, 75, TaskStatus.IN_PROGRESS, None),
    "3.1": ("Nguyễn Thị Thanh Trang", None, 85, TaskStatus.IN_PROGRESS, None),
    "3.2": ("Lê Thị Thanh Thủy", None, 60, TaskStatus.IN_PROGRESS, None),
    "3.3": ("Lê Thị Thanh Thủy", date(2026, 3, 31), 100, TaskStatus.DONE, date(2026, 3, 27)),
    "3.4": ("Lê Thị Thanh Thủy", None, 90, TaskStatus.IN_PROGRESS, None),
    "3.5": ("Nguyễn Tấn Vinh", date(2026, 9, 30), 40, TaskStatus.IN_PROGRESS, None),
    "3.6": ("Dương Thị Huyền Trân", None, 75, TaskStatus.IN_PROGRESS, None),
}
# Recurring periods finished so far: quarter -> days after the period's due date (negative: early)
LATE_QUARTERS = {("3.6", "Quý II"): 6}


def seed_plan_text() -> bytes:
    """The school's 2026 reform plan packaged for the demo, as its file's bytes."""
    return resources.files("cchc.plans").joinpath("demo_data", SEED_FILE).read_bytes()


@transaction.atomic
def seed_demo_data(**_options: object) -> list[str]:
    school = Unit.objects.filter(code=SCHOOL_CODE).first()
    if school is None or Plan.objects.filter(unit=school, year=2026).exists():
        return []
    principal = User.objects.get(username="trangntt")
    pending = importing.plan_import_preview(
        actor=principal, unit=school, filename=SEED_FILE, data=seed_plan_text()
    )
    plan = importing.plan_import_confirm(
        actor=principal,
        pending=pending,
        corrections={"reference": "05/KH-THCSNTB", "issued_on": date(2026, 1, 26)},
    )
    plan.place = "Bình Hưng"
    plan.save(update_fields=["place"])
    staff = {s.full_name: s for s in Staff.objects.filter(unit=school)}
    calendar = calendar_for_unit(school)
    for number, (owner, due_on, progress, status, completed_on) in PROGRESS.items():
        task = Task.objects.get(plan=plan, number=number)
        services.task_plan(
            actor=principal,
            task=task,
            owner=staff[owner],
            collaborators=[],
            due_on=due_on or date(2026, 12, 31),
            recurrence=task.recurrence,
        )
        Task.objects.filter(pk=task.pk).update(
            progress=progress, status=status, completed_on=completed_on
        )
        for occurrence in task.occurrences.filter(due_on__lt=date(2026, 11, 28)):
            late = LATE_QUARTERS.get((number, occurrence.period_label), -3)
            occurrence.status = TaskStatus.DONE
            occurrence.completed_on = _working_day_on_or_before(
                calendar, occurrence.due_on + timedelta(days=late)
            )
            occurrence.save(update_fields=["status", "completed_on", "updated_at"])
    audit_record(
        actor=None,
        verb=AuditVerb.SEED_DEMO_PROGRESS,
        obj=plan,
        unit=school,
        after={"tasks": len(PROGRESS), "note": "tiến độ mẫu đến 28/11/2026"},
    )
    _activities(school, plan, principal, staff)
    summary = importing.imported_summary(plan)
    return [f"Đã nhập kế hoạch CCHC 2026 của {school.short_name}: {summary}."]


def _working_day_on_or_before(calendar: WorkCalendar, day: date) -> date:
    """Demo data obeys the real rules: a period is completed on a working day, never a Sunday."""
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def _activities(school: Unit, plan: Plan, principal: User, staff: dict[str, Staff]) -> None:
    task = {t.number: t for t in plan.tasks.all()}
    everyone = list(staff.values())
    rows = [
        (
            ActivityKind.TRAINING,
            "Bồi dưỡng nghiệp vụ CCHC và chuyển đổi số cho viên chức",
            date(2026, 3, 14),
            "1.3",
            everyone[:8],
            None,
        ),
        (
            ActivityKind.COMMUNICATION,
            "Bài viết “Nộp hồ sơ chuyển trường trực tuyến” trên trang thông tin của trường",
            date(2026, 5, 8),
            "1.4",
            [staff["La Nguyễn Hoàng Anh"]],
            None,
        ),
        (
            ActivityKind.LEGAL_DISSEMINATION,
            "Phổ biến Luật Giáo dục và quy định về dạy thêm, học thêm cho giáo viên",
            date(2026, 9, 12),
            "2.2",
            everyone,
            34,
        ),
        (
            ActivityKind.INITIATIVE,
            "Tra cứu kết quả hồ sơ bằng mã QR trên giấy hẹn",
            date(2026, 4, 2),
            "1.2",
            [staff["Nguyễn Tấn Vinh"]],
            None,
        ),
        (
            ActivityKind.INITIATIVE,
            "Biểu mẫu điện tử đăng ký học bạ bản sao",
            date(2026, 10, 20),
            "1.2",
            [staff["Huỳnh Minh Khoa"]],
            None,
        ),
    ]
    for kind, title, held_on, number, people, count in rows:
        activity = services.activity_create(
            actor=principal,
            unit=school,
            kind=kind,
            title=title,
            held_on=held_on,
            task=task[number],
            participants=people,
            participant_count=count,
        )
        if title.startswith("Tra cứu"):
            services.initiative_set_status(
                actor=principal, activity=activity, status=InitiativeStatus.EVALUATED
            )
            services.initiative_set_status(
                actor=principal, activity=activity, status=InitiativeStatus.ADOPTED
            )
