"""Writes: each service is one transaction with one audit record (style.md), checks who may,
and refuses bad input with a Vietnamese message before anything is written.

Concurrency: a review carries a `version`; every change locks the row, compares the version the
user's page was built from and bumps it. Two principals approving at once: the first wins, the
second gets `StaleReview` (a Conflict, answered 409) and nothing of theirs is written.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb
from cchc.core.conflicts import Conflict, unique_or_conflict
from cchc.dossiers.models import Procedure
from cchc.simplification import costing, rules, selectors
from cchc.simplification.models import (
    CostLine,
    Finding,
    Part,
    ProcessVersion,
    Review,
    Scenario,
)
from cchc.simplification.workflow import ACTIONS, EDITABLE

if TYPE_CHECKING:
    from cchc.accounts.models import User

STALE_MESSAGE = (
    "Phiếu rà soát vừa được người khác thay đổi (có thể đã được duyệt hoặc gửi đi). "
    "Hãy tải lại trang để xem trạng thái mới nhất."
)
NO_GROUND_MESSAGE = "Phương án đơn giản hóa phải nêu căn cứ pháp lý (điều, khoản, văn bản)."
_WATCHED = ["status", "wage_per_hour_vnd", "yearly_volume", "effective_on", "summary", "version"]


class StaleReview(Conflict):
    """The review changed since the user's page was built (HTTP 409)."""


def _lock(review: Review, expected_version: int | None) -> Review:
    locked = (
        Review.objects.select_for_update().select_related("unit", "procedure").get(pk=review.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise StaleReview(STALE_MESSAGE)
    return locked


def _require_draft(review: Review) -> None:
    if review.status not in EDITABLE:
        raise StaleReview(
            f"Phiếu đang ở trạng thái “{review.get_status_display()}”: chỉ sửa được khi là dự thảo."
        )


def _require_drafter(actor: User, review: Review) -> None:
    if not rules.may_draft(actor, review.unit):
        raise PermissionDenied("Bạn không được sửa phiếu rà soát của đơn vị này.")


# The verb each workflow action records (one per entry of workflow.ACTIONS).
_REVIEW_VERBS: dict[str, AuditVerb] = {
    "approve": AuditVerb.SIMPLIFICATION_REVIEW_APPROVE,
    "submit": AuditVerb.SIMPLIFICATION_REVIEW_SUBMIT,
    "accept": AuditVerb.SIMPLIFICATION_REVIEW_ACCEPT,
    "reject": AuditVerb.SIMPLIFICATION_REVIEW_REJECT,
    "reopen": AuditVerb.SIMPLIFICATION_REVIEW_REOPEN,
}


def _bump(
    review: Review, actor: User, verb: AuditVerb, before: dict[str, Any], **extra: Any
) -> None:
    review.version += 1
    review.save()
    audit_record(
        actor=actor,
        verb=verb,
        obj=review,
        unit=review.unit,
        before=before,
        after=snapshot(review, _WATCHED) | extra,
    )


def _current_values(procedure: Procedure) -> dict[str, str]:
    """What the published procedure says today, per part: the review's starting point."""
    channels = {"in_person": "Trực tiếp", "post": "Qua bưu chính", "online": "Trực tuyến"}
    documents = [
        d.get("name", "") if isinstance(d, dict) else str(d) for d in procedure.documents or []
    ]
    return {
        Part.TIME_LIMIT: procedure.time_limit_public,
        Part.DOCUMENTS: "; ".join(filter(None, documents)) or "Không quy định",
        Part.STEPS: " → ".join(str(s) for s in procedure.steps or []) or "Không quy định",
        Part.FEE: costing.vnd(procedure.fee_vnd)
        if procedure.fee_vnd
        else (procedure.fee_text or "Không"),
        Part.COMPETENCE: procedure.implementing_body or procedure.unit.name,
        Part.CHANNEL: "; ".join(channels.get(c, c) for c in procedure.channels or [])
        or "Trực tiếp",
    }


def _check_wage(wage: Any) -> int:
    try:
        value = int(wage)
    except (TypeError, ValueError):
        raise ValidationError(
            {"wage_per_hour_vnd": "Nhập thu nhập bình quân 01 giờ làm việc bằng số đồng."}
        ) from None
    costing.check_inputs(wage_per_hour=value)
    if value > 10_000_000:
        raise ValidationError(
            {"wage_per_hour_vnd": "Thu nhập bình quân 01 giờ quá lớn (tối đa 10.000.000 đồng)."}
        )
    return value


@transaction.atomic
def review_open(*, actor: User, procedure: Procedure, wage_per_hour_vnd: Any) -> Review:
    """A draft review of the procedure with its six parts pre-filled from the published text,
    the yearly volume from the system's dossiers, and the "before" cost lines measured from
    them (visits, fee) for the drafter to check."""
    unit = procedure.unit
    if not rules.may_draft(actor, unit):
        raise PermissionDenied("Bạn không được lập phiếu rà soát cho đơn vị này.")
    wage = _check_wage(wage_per_hour_vnd)
    now = timezone.now()
    volume, basis = selectors.yearly_volume(procedure, now)
    review = Review.objects.create(
        unit=unit,
        procedure=procedure,
        year=timezone.localdate().year,
        wage_per_hour_vnd=wage,
        yearly_volume=volume,
        volume_basis=basis,
        created_by=actor,
    )
    for part, current in _current_values(procedure).items():
        Finding.objects.create(review=review, part=part, current=current)
    facts = selectors.measured_facts(procedure, now)
    visits = facts.visits_per_dossier if facts.dossiers else Decimal(2)
    CostLine.objects.create(
        review=review,
        scenario=Scenario.BEFORE,
        order=1,
        activity="Chuẩn bị, sao chụp giấy tờ trong thành phần hồ sơ",
        hours=Decimal(2),
        other_vnd=2000 * max(len(procedure.documents or []), 1),
    )
    CostLine.objects.create(
        review=review,
        scenario=Scenario.BEFORE,
        order=2,
        activity=f"Đi lại, chờ tại bộ phận một cửa ({costing.hours_text(visits)} lượt/hồ sơ đo "
        "được)",
        hours=(visits * Decimal("1.5")).quantize(Decimal("0.01")),
        fee_vnd=procedure.fee_vnd or 0,
        other_vnd=int(visits * 20000),
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.SIMPLIFICATION_REVIEW_OPEN,
        obj=review,
        unit=unit,
        after=snapshot(review, _WATCHED) | {"procedure": procedure.name},
    )
    return review


@transaction.atomic
def review_update(
    *,
    actor: User,
    review: Review,
    expected_version: int | None,
    wage_per_hour_vnd: Any,
    effective_on: date | None,
    summary: str = "",
) -> Review:
    review = _lock(review, expected_version)
    _require_drafter(actor, review)
    _require_draft(review)
    before = snapshot(review, _WATCHED)
    review.wage_per_hour_vnd = _check_wage(wage_per_hour_vnd)
    if effective_on is not None and effective_on < timezone.localdate():
        raise ValidationError(
            {"effective_on": "Ngày áp dụng không được ở trong quá khứ (trước hôm nay)."}
        )
    review.effective_on = effective_on
    review.summary = summary.strip()
    _bump(review, actor, AuditVerb.SIMPLIFICATION_REVIEW_UPDATE, before)
    return review


@transaction.atomic
def finding_save(
    *,
    actor: User,
    review: Review,
    expected_version: int | None,
    part: str,
    finding: str,
    proposal: str,
    legal_ground: str,
) -> Finding:
    """One part's finding and proposal: a proposal needs its legal ground."""
    if part not in Part.values:
        raise ValidationError({"part": "Bộ phận của thủ tục không hợp lệ."})
    review = _lock(review, expected_version)
    _require_drafter(actor, review)
    _require_draft(review)
    if proposal.strip() and not legal_ground.strip():
        raise ValidationError({"legal_ground": NO_GROUND_MESSAGE})
    row = Finding.objects.get(review=review, part=part)
    before = snapshot(row)
    row.finding, row.proposal = finding.strip(), proposal.strip()
    row.legal_ground = legal_ground.strip()
    row.save()
    review.version += 1
    review.save(update_fields=["version", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.SIMPLIFICATION_FINDING_SAVE,
        obj=row,
        unit=review.unit,
        before=before,
        after=snapshot(row),
    )
    return row


def _amount(value: Any, field: str, label: str) -> int:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        raise ValidationError({field: f"{label} phải là số đồng."}) from None
    if number < 0:
        raise ValidationError({field: f"{label} không được âm."})
    return number


@transaction.atomic
def cost_line_add(
    *,
    actor: User,
    review: Review,
    expected_version: int | None,
    scenario: str,
    activity: str,
    hours: Any,
    fee_vnd: Any = 0,
    other_vnd: Any = 0,
) -> CostLine:
    if scenario not in Scenario.values:
        raise ValidationError({"scenario": "Phương án không hợp lệ."})
    if not activity.strip():
        raise ValidationError({"activity": "Ghi công việc người dân phải làm."})
    try:
        hours_value = Decimal(str(hours).replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({"hours": "Thời gian phải là số giờ, ví dụ 1,5."}) from None
    costing.check_inputs(hours=hours_value)
    fee = _amount(fee_vnd, "fee_vnd", "Phí, lệ phí")
    other = _amount(other_vnd, "other_vnd", "Chi phí khác")
    review = _lock(review, expected_version)
    _require_drafter(actor, review)
    _require_draft(review)
    last = review.cost_lines.filter(scenario=scenario).order_by("-order").first()
    line = CostLine.objects.create(
        review=review,
        scenario=scenario,
        order=(last.order + 1) if last else 1,
        activity=activity.strip()[:300],
        hours=hours_value.quantize(Decimal("0.01")),
        fee_vnd=fee,
        other_vnd=other,
    )
    review.version += 1
    review.save(update_fields=["version", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.SIMPLIFICATION_COST_LINE_ADD,
        obj=line,
        unit=review.unit,
        after=snapshot(line),
    )
    return line


@transaction.atomic
def cost_line_delete(
    *, actor: User, review: Review, expected_version: int | None, line_id: int
) -> None:
    review = _lock(review, expected_version)
    _require_drafter(actor, review)
    _require_draft(review)
    line = review.cost_lines.filter(pk=line_id).first()
    if line is None:
        raise ValidationError({"line": "Dòng chi phí không còn trong phiếu."})
    before = snapshot(line)
    line.delete()
    review.version += 1
    review.save(update_fields=["version", "updated_at"])
    audit_record(
        actor=actor,
        verb=AuditVerb.SIMPLIFICATION_COST_LINE_DELETE,
        object_type="simplification.costline",
        object_id=str(line_id),
        unit=review.unit,
        before=before,
    )


def review_saving(review: Review) -> costing.Saving:
    lines = list(review.cost_lines.all())
    return costing.saving(
        [x for x in lines if x.scenario == Scenario.BEFORE],
        [x for x in lines if x.scenario == Scenario.AFTER],
        wage_per_hour=review.wage_per_hour_vnd,
        volume=review.yearly_volume,
    )


def _check_complete(review: Review) -> None:
    """What an approvable review must hold (checked again at each step up)."""
    findings = list(review.findings.all())
    if not any(f.proposal for f in findings):
        raise ValidationError("Phiếu chưa có phương án đơn giản hóa nào: chưa thể duyệt.")
    missing = [f.get_part_display() for f in findings if f.proposal and not f.legal_ground]
    if missing:
        raise ValidationError("Phương án chưa có căn cứ pháp lý: " + ", ".join(missing) + ".")
    scenarios = set(review.cost_lines.values_list("scenario", flat=True))
    if scenarios != {Scenario.BEFORE, Scenario.AFTER}:
        raise ValidationError(
            "Phiếu phải có chi phí tuân thủ cả trước và sau đơn giản hóa để tính phần tiết kiệm."
        )
    if review.effective_on is None:
        raise ValidationError({"effective_on": "Ghi ngày dự kiến áp dụng phương án."})


@transaction.atomic
def review_act(
    *,
    actor: User,
    review: Review,
    action: str,
    expected_version: int | None,
    note: str = "",
) -> Review:
    """Move the review along the workflow table; the loser of a race gets StaleReview."""
    rules.check_action(actor, review.unit, action)  # 403 before a 422 or a stale 409
    step = ACTIONS.get(action)
    if step is None:
        raise ValidationError({"action": "Thao tác không hợp lệ."})
    review = _lock(review, expected_version)
    if review.status not in step.source:
        raise StaleReview(
            f"Phiếu đang ở trạng thái “{review.get_status_display()}”, không thể "
            f"“{step.label.lower()}”. Hãy tải lại trang."
        )
    before = snapshot(review, _WATCHED)
    now = timezone.now()
    if action in ("approve", "submit", "accept"):
        _check_complete(review)
    if action == "reject" and not note.strip():
        raise ValidationError({"note": "Ghi lý do không chấp thuận để đơn vị sửa lại."})
    if (
        action == "accept"
        and review.effective_on is not None  # (_check_complete asks for it)
        and review.effective_on < timezone.localdate()
    ):
        raise ValidationError(
            {"effective_on": "Ngày áp dụng đã qua: trả về để đơn vị ghi ngày áp dụng mới."}
        )
    review.status = step.target
    if action == "approve":
        review.approved_by, review.approved_at = actor, now
    elif action == "submit":
        review.submitted_at = now
    elif action in ("accept", "reject"):
        review.decided_by, review.decided_at = actor, now
        review.decision_note = note.strip()
    elif action == "reopen":
        review.approved_by = review.approved_at = review.submitted_at = None
    _bump(review, actor, _REVIEW_VERBS[action], before, note=note.strip())
    if action == "submit":
        _link_plan_evidence(actor, review)
    return review


def _link_plan_evidence(actor: User, review: Review) -> None:
    """Attach the proposal (its PDF) to the unit's plan task 3.5 of the review's year, so the
    task's progress is backed by the document (cchc.plans Evidence, a link into this system)."""
    from cchc.plans.models import Evidence, Task

    task = (
        Task.objects.filter(plan__unit=review.unit, plan__year=review.year, number="3.5")
        .order_by("-plan__id")
        .first()
    )
    if task is None:
        return
    url = reverse("simplification:export", args=[review.pk, "pdf"])
    if Evidence.objects.filter(task=task, url=url).exists():
        return
    evidence = Evidence.objects.create(
        task=task,
        title=f"Phương án đơn giản hóa TTHC: {review.procedure.name}"[:300],
        url=url,
        added_by=actor,
    )
    audit_record(
        actor=actor,
        verb=AuditVerb.TASK_EVIDENCE_ADD,
        obj=evidence,
        unit=review.unit,
        after={"task": task.number, "title": evidence.title, "url": url},
    )


# ---------------------------------------------------------------- internal process versions


def _clean_steps(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw:
        raise ValidationError({"steps": "Quy trình phải có ít nhất một bước."})
    steps: list[dict[str, Any]] = []
    codes: set[str] = set()
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise ValidationError({"steps": f"Bước {number} không hợp lệ."})
        code = str(item.get("code", "")).strip()
        name = str(item.get("name", "")).strip()
        if not code or not name:
            raise ValidationError({"steps": f"Bước {number} phải có mã và tên."})
        if code in codes:
            raise ValidationError({"steps": f"Mã bước “{code}” bị trùng."})
        try:
            days = Decimal(str(item.get("days", "")).replace(",", "."))
        except (InvalidOperation, ValueError):
            raise ValidationError(
                {"steps": f"Bước {number}: thời hạn phải là số ngày làm việc."}
            ) from None
        if not days.is_finite() or days <= 0 or days > 60:
            raise ValidationError(
                {"steps": f"Bước {number}: thời hạn phải lớn hơn 0 và không quá 60 ngày làm việc."}
            )
        codes.add(code)
        steps.append({"code": code[:30], "name": name[:200], "days": float(days)})
    return steps


@transaction.atomic
def process_version_create(
    *,
    actor: User,
    procedure: Procedure,
    steps: Any,
    effective_from: date | None,
    review: Review | None = None,
    note: str = "",
) -> ProcessVersion:
    """A new version of the internal process, from a day not in the past: dossiers received
    before that day keep the version they started with (`selectors.step_budgets_for`)."""
    if not rules.may_draft(actor, procedure.unit):
        raise PermissionDenied("Bạn không được sửa quy trình nội bộ của đơn vị này.")
    if effective_from is None:
        raise ValidationError({"effective_from": "Ghi ngày bắt đầu áp dụng."})
    if effective_from < timezone.localdate():
        raise ValidationError(
            {
                "effective_from": "Ngày áp dụng không được ở trong quá khứ: hồ sơ đã tiếp nhận "
                "phải giữ quy trình cũ."
            }
        )
    cleaned = _clean_steps(steps)
    if review is not None and review.procedure.name != procedure.name:
        raise ValidationError({"review": "Phiếu rà soát thuộc thủ tục khác."})
    last = selectors.process_versions(procedure).order_by("-number").first()
    with unique_or_conflict(
        "Đã có quy trình áp dụng từ ngày này, hoặc người khác vừa lưu một phiên bản. Hãy tải lại "
        "trang."
    ):
        version = ProcessVersion.objects.create(
            procedure=procedure,
            review=review,
            number=(last.number + 1) if last else 1,
            effective_from=effective_from,
            steps=cleaned,
            note=note.strip(),
            created_by=actor,
        )
    audit_record(
        actor=actor,
        verb=AuditVerb.SIMPLIFICATION_PROCESS_VERSION_CREATE,
        obj=version,
        unit=procedure.unit,
        after=snapshot(version),
    )
    return version
