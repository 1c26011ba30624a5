"""Writes while a plan is carried out: task progress, planning edits, occurrences, evidence,
comments and activities. Each is one transaction with one audit event."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from cchc.accounts import permissions
from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb
from cchc.organizations.models import Staff
from cchc.plans.models import (
    Activity,
    ActivityKind,
    Evidence,
    InitiativeStatus,
    Recurrence,
    Task,
    TaskComment,
    TaskOccurrence,
    TaskStatus,
)
from cchc.plans.workflow import check_task_action
from cchc.workdays.calendar import WorkCalendar
from cchc.workdays.services import calendar_for_unit

if TYPE_CHECKING:
    from cchc.accounts.models import User

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
# Extension -> accepted leading bytes: the file must be what its name says.
_ZIP, _OLE = (b"PK\x03\x04",), (b"\xd0\xcf\x11\xe0",)
EVIDENCE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".docx": _ZIP,
    ".xlsx": _ZIP,
    ".pptx": _ZIP,
    ".odt": _ZIP,
    ".doc": _OLE,
    ".xls": _OLE,
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".txt": (),
}


def check_link(url: str, *, field: str) -> None:
    """Only web links or paths of this site: a stored "javascript:" or "//other.host" link
    would run or phish in the browser of whoever opens the evidence (stored XSS)."""
    url = url.strip()
    if not url:
        return
    try:
        parsed = urlsplit(url)
    except ValueError:  # e.g. "http://[::1": not a link at all
        raise ValidationError({field: "Đường dẫn không hợp lệ."}) from None
    web = parsed.scheme in ("http", "https") and bool(parsed.netloc)
    local = not parsed.scheme and not parsed.netloc and url.startswith("/")
    if not (web or local) or url.startswith("//") or any(c in url for c in "\x00\n\r<>\"'` "):
        raise ValidationError(
            {field: "Đường dẫn phải bắt đầu bằng http://, https:// hoặc / (trang của hệ thống)."}
        )


class StaleEdit(ValidationError):
    """Someone saved the same task since this form was opened (HTTP 409)."""

    status_code = 409


def _today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------- occurrences


_PERIODS: dict[str, list[tuple[str, int, int]]] = {
    Recurrence.MONTHLY: [(f"Tháng {m}", m, m) for m in range(1, 13)],
    Recurrence.QUARTERLY: [
        ("Quý I", 1, 3),
        ("Quý II", 4, 6),
        ("Quý III", 7, 9),
        ("Quý IV", 10, 12),
    ],
    Recurrence.HALF_YEARLY: [("6 tháng đầu năm", 1, 6), ("6 tháng cuối năm", 7, 12)],
}


def _periods(task: Task, year: int) -> list[tuple[str, date, date]]:
    """(label, first day, last day) of each period of a recurring task in the plan year;
    "thường xuyên" (continuous) work gets one review period per its review cadence."""
    cadence = task.review_cadence if task.recurrence == Recurrence.CONTINUOUS else task.recurrence
    return [
        (label, date(year, first, 1), date(year, last, monthrange(year, last)[1]))
        for label, first, last in _PERIODS.get(cadence, [])
    ]


def _last_working_day_until(calendar: WorkCalendar, day: date) -> date:
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


@transaction.atomic
def task_sync_occurrences(*, task: Task) -> list[TaskOccurrence]:
    """Create the missing periods of a recurring task (idempotent); each is due on the last
    working day of its period, so deadlines never fall on a day off."""
    created: list[TaskOccurrence] = []
    wanted = _periods(task, task.plan.year)
    # A changed cadence replaces the open periods of the old one; finished ones stay as history.
    labels = {label for label, _, _ in wanted}
    task.occurrences.exclude(period_label__in=labels).exclude(status=TaskStatus.DONE).delete()
    existing = set(task.occurrences.values_list("period_label", "period_start"))
    if not wanted:
        return created
    calendar = calendar_for_unit(task.plan.unit)
    for label, start, end in wanted:
        if (label, start) in existing:
            continue
        try:
            with transaction.atomic():  # a concurrent sync may have just created this period
                occurrence = TaskOccurrence.objects.create(
                    task=task,
                    period_label=label,
                    period_start=start,
                    due_on=_last_working_day_until(calendar, end),
                )
        except IntegrityError:
            continue
        created.append(occurrence)
    return created


# ---------------------------------------------------------------- progress and planning


@transaction.atomic
def task_update_progress(
    *,
    actor: User,
    task: Task,
    progress: int,
    status: str,
    note: str = "",
    expected_version: int | None = None,
) -> Task:
    """Record progress; refuse silently overwriting a newer save (optimistic version check)."""
    task = Task.objects.select_for_update().select_related("plan__unit").get(pk=task.pk)
    check_task_action(actor, task, "progress")
    if expected_version is not None and expected_version != task.version:
        raise StaleEdit(
            "Nhiệm vụ vừa được người khác cập nhật. Hãy tải lại trang để xem thay đổi rồi nhập lại."
        )
    if status not in TaskStatus.values:
        raise ValidationError({"status": "Trạng thái không hợp lệ."})
    if not 0 <= progress <= 100:
        raise ValidationError({"progress": "Tiến độ phải từ 0 đến 100%."})
    if status == TaskStatus.DONE:
        progress = 100
    before = snapshot(task, ["status", "progress", "completed_on", "version"])
    task.status, task.progress = status, progress
    task.completed_on = _today() if status == TaskStatus.DONE else None
    task.version += 1
    task.save(update_fields=["status", "progress", "completed_on", "version", "updated_at"])
    if note.strip():
        _comment(actor, task, note.strip())
    audit_record(
        actor=actor,
        verb=AuditVerb.TASK_PROGRESS,
        obj=task,
        unit=task.plan.unit,
        before=before,
        after=snapshot(task, ["status", "progress", "completed_on", "version"]),
    )
    return task


@transaction.atomic
def task_plan(
    *,
    actor: User,
    task: Task,
    owner: Staff | None,
    collaborators: list[Staff],
    due_on: date | None,
    recurrence: str,
    review_cadence: str | None = None,
    expected_version: int | None = None,
) -> Task:
    """Set who does a task, by when and how often (plan managers only)."""
    task = Task.objects.select_for_update().select_related("plan__unit").get(pk=task.pk)
    unit = task.plan.unit
    check_task_action(actor, task, "plan")
    if expected_version is not None and expected_version != task.version:
        raise StaleEdit("Nhiệm vụ vừa được người khác cập nhật. Hãy tải lại trang.")
    people = [p for p in [owner, *collaborators] if p is not None]
    if any(p.unit_id != unit.pk for p in people):
        raise ValidationError("Người thực hiện phải thuộc đơn vị của kế hoạch.")
    if recurrence not in Recurrence.values:
        raise ValidationError({"recurrence": "Tần suất không hợp lệ."})
    if due_on is not None and due_on.year not in (task.plan.year, task.plan.year + 1):
        raise ValidationError({"due_on": f"Hạn phải trong năm {task.plan.year} của kế hoạch."})
    cadences = {Recurrence.MONTHLY, Recurrence.QUARTERLY, Recurrence.HALF_YEARLY}
    if review_cadence is not None and review_cadence not in cadences:
        raise ValidationError({"review_cadence": "Kỳ rà soát không hợp lệ."})
    fields = ["owner", "due_on", "recurrence", "review_cadence", "version"]
    before = snapshot(task, fields)
    before["collaborators"] = sorted(task.collaborators.values_list("pk", flat=True))
    task.owner, task.due_on, task.recurrence = owner, due_on, recurrence
    task.review_cadence = review_cadence or task.review_cadence
    task.version += 1
    task.save(update_fields=[*fields, "updated_at"])
    task.collaborators.set(collaborators)
    task_sync_occurrences(task=task)
    after = snapshot(task, fields)
    after["collaborators"] = sorted(p.pk for p in collaborators)
    audit_record(
        actor=actor, verb=AuditVerb.TASK_PLAN, obj=task, unit=unit, before=before, after=after
    )
    return task


@transaction.atomic
def occurrence_complete(*, actor: User, occurrence: TaskOccurrence, done: bool) -> TaskOccurrence:
    occurrence = (
        TaskOccurrence.objects.select_for_update()
        .select_related("task__plan__unit")
        .get(pk=occurrence.pk)
    )
    check_task_action(actor, occurrence.task, "occurrence")
    before = snapshot(occurrence, ["status", "completed_on"])
    occurrence.status = TaskStatus.DONE if done else TaskStatus.IN_PROGRESS
    occurrence.completed_on = _today() if done else None
    occurrence.save(update_fields=["status", "completed_on", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.TASK_OCCURRENCE,
        obj=occurrence,
        unit=occurrence.task.plan.unit,
        before=before,
        after=snapshot(occurrence, ["status", "completed_on"]),
    )
    return occurrence


# ---------------------------------------------------------------- evidence and comments


def _check_upload(upload: UploadedFile) -> None:
    name = (upload.name or "").lower()
    extension = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in EVIDENCE_SIGNATURES:
        raise ValidationError(
            {"file": "Chỉ nhận tệp PDF, Word, Excel, PowerPoint, ảnh JPG/PNG hoặc văn bản."}
        )
    if upload.size and upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError({"file": "Tệp quá lớn (tối đa 20 MB)."})
    head = upload.read(8)
    upload.seek(0)
    signatures = EVIDENCE_SIGNATURES[extension]
    if signatures and not head.startswith(signatures):
        raise ValidationError({"file": "Nội dung tệp không đúng với phần mở rộng của tên tệp."})
    if not signatures and b"\x00" in head:
        raise ValidationError({"file": "Tệp văn bản không hợp lệ."})


@transaction.atomic
def evidence_add(
    *,
    actor: User,
    task: Task,
    title: str,
    upload: UploadedFile | None = None,
    url: str = "",
    occurrence: TaskOccurrence | None = None,
) -> Evidence:
    """Attach a file or a link (e.g. a published feedback answer) as evidence of a task."""
    check_task_action(actor, task, "evidence")
    if not title.strip():
        raise ValidationError({"title": "Hãy đặt tên cho minh chứng."})
    if upload is None and not url.strip():
        raise ValidationError({"file": "Hãy chọn tệp hoặc nhập đường dẫn."})
    if upload is not None:
        _check_upload(upload)
    check_link(url, field="url")
    evidence = Evidence(task=task, occurrence=occurrence, title=title.strip(), url=url.strip())
    evidence.added_by = actor
    if upload is not None:
        evidence.file.save(upload.name or "minh-chung", upload, save=False)
    evidence.save()
    audit_record(
        actor=actor,
        verb=AuditVerb.TASK_EVIDENCE_ADD,
        obj=evidence,
        unit=task.plan.unit,
        after={
            "task": task.number,
            "title": evidence.title,
            "file": evidence.file.name,
            "url": url,
        },
    )
    return evidence


def _comment(actor: User, task: Task, text: str) -> TaskComment:
    staff = permissions.acting_staff(actor)
    name = staff.full_name if staff else (actor.get_full_name() or actor.get_username())
    return TaskComment.objects.create(task=task, author=actor, author_name=name, text=text)


@transaction.atomic
def comment_add(*, actor: User, task: Task, text: str) -> TaskComment:
    check_task_action(actor, task, "comment")
    if not text.strip():
        raise ValidationError({"text": "Hãy nhập nội dung trao đổi."})
    comment = _comment(actor, task, text.strip()[:5000])
    audit_record(
        actor=actor,
        verb=AuditVerb.TASK_COMMENT,
        obj=comment,
        unit=task.plan.unit,
        after={"task": task.number, "text": comment.text},
    )
    return comment


# ---------------------------------------------------------------- activities


@transaction.atomic
def activity_create(
    *,
    actor: User,
    unit: Any,
    kind: str,
    title: str,
    held_on: date,
    description: str = "",
    task: Task | None = None,
    participants: list[Staff] | None = None,
    participant_count: int | None = None,
    evidence_upload: UploadedFile | None = None,
    evidence_url: str = "",
) -> Activity:
    """Record training, communication, legal dissemination or an initiative under a task."""
    permissions.require(actor, permissions.RECORD_ACTIVITY, unit)
    errors: dict[str, str] = {}
    if kind not in ActivityKind.values:
        errors["kind"] = "Loại hoạt động không hợp lệ."
    if not title.strip():
        errors["title"] = "Hãy nhập tên hoạt động."
    if task is not None and task.plan.unit_id != unit.pk:
        errors["task"] = "Nhiệm vụ không thuộc kế hoạch của đơn vị."
    people = participants or []
    if any(p.unit_id != unit.pk for p in people):
        errors["participants"] = "Người tham gia phải thuộc đơn vị."
    if errors:
        raise ValidationError(errors)
    check_link(evidence_url, field="evidence_url")
    if evidence_upload is not None:
        _check_upload(evidence_upload)
    activity = Activity(
        unit=unit,
        task=task,
        kind=kind,
        title=title.strip(),
        held_on=held_on,
        description=description.strip(),
        participant_count=participant_count if participant_count is not None else len(people),
        initiative_status=InitiativeStatus.SUBMITTED if kind == ActivityKind.INITIATIVE else "",
        evidence_url=evidence_url.strip(),
        created_by=actor,
    )
    if evidence_upload is not None:
        activity.evidence_file.save(
            evidence_upload.name or "minh-chung", evidence_upload, save=False
        )
    activity.save()
    activity.participants.set(people)
    audit_record(
        actor=actor,
        verb=AuditVerb.ACTIVITY_CREATE,
        obj=activity,
        unit=unit,
        after=snapshot(activity),
    )
    return activity


_INITIATIVE_FLOW: dict[str, set[str]] = {
    InitiativeStatus.SUBMITTED: {InitiativeStatus.EVALUATED, InitiativeStatus.REJECTED},
    InitiativeStatus.EVALUATED: {InitiativeStatus.ADOPTED, InitiativeStatus.REJECTED},
}


@transaction.atomic
def initiative_set_status(*, actor: User, activity: Activity, status: str) -> Activity:
    activity = Activity.objects.select_for_update().select_related("unit").get(pk=activity.pk)
    permissions.require(actor, permissions.MANAGE_PLANS, activity.unit)
    if activity.kind != ActivityKind.INITIATIVE:
        raise ValidationError("Chỉ sáng kiến mới có bước đánh giá.")
    if status not in _INITIATIVE_FLOW.get(activity.initiative_status, set()):
        raise ValidationError(
            f"Không thể chuyển sáng kiến từ “{activity.get_initiative_status_display()}” "
            "sang trạng thái này."
        )
    before = {"initiative_status": activity.initiative_status}
    activity.initiative_status = status
    activity.save(update_fields=["initiative_status", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.ACTIVITY_INITIATIVE_STATUS,
        obj=activity,
        unit=activity.unit,
        before=before,
        after={"initiative_status": status},
    )
    return activity
