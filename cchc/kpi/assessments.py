"""Reform-index self-assessment: the unit scores with evidence, the commune appraises, final.

Each step is one transaction with one audit record (style.md). The formula criteria are
recomputed from the system's own figures at every step of the unit, and their figure is kept as
the evidence, so the appraiser sees what the score rests on. A form carries the assessment's
`revision`; a stale one is refused rather than overwriting another person's work.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from cchc.accounts import permissions
from cchc.accounts.models import Role
from cchc.core.audit import audit_record, snapshot
from cchc.core.audit_verbs import AuditVerb
from cchc.kpi import registry
from cchc.kpi.models import Assessment, AssessmentStatus, CriterionScore
from cchc.kpi.registry import Period
from cchc.kpi.rubric import Rubric, current_rubric, rating_for
from cchc.organizations.models import Unit

if TYPE_CHECKING:
    from cchc.accounts.models import User
    from cchc.accounts.permissions import AnyUser

_ZERO = Decimal(0)


class AssessmentError(Exception):
    """A refused step; `status` is the HTTP answer (403, 409, 422), the message Vietnamese."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Entry:
    """What a person typed for one criterion: points (text as typed) and evidence or reason."""

    points: str = ""
    note: str = ""


def can_self_score(user: AnyUser, unit: Unit) -> bool:
    """The unit's leaders (plan managers) score their own unit, never one below them."""
    staff = permissions.acting_staff(user)
    return (
        staff is not None
        and staff.unit_id == unit.pk
        and permissions.can(user, permissions.MANAGE_PLANS, unit)
    )


def can_appraise(user: AnyUser, unit: Unit) -> bool:
    """The reform officer of the unit directly above appraises (domain.md section 3)."""
    staff = permissions.acting_staff(user)
    return (
        staff is not None
        and permissions.has_role(user, Role.COMMUNE_OFFICER)
        and unit.parent_id == staff.unit_id
    )


def _points(text: str, code: str, maximum: Decimal) -> Decimal | None:
    text = (text or "").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise AssessmentError(f"Tiêu chí {code}: «{text}» không phải là số điểm.") from None
    if not value.is_finite() or value < 0 or value > maximum:
        shown = f"{maximum.normalize():f}".replace(".", ",")
        raise AssessmentError(f"Tiêu chí {code}: điểm phải từ 0 đến {shown}.")
    if value != value.quantize(Decimal("0.01")):
        raise AssessmentError(f"Tiêu chí {code}: điểm lấy tối đa 2 chữ số thập phân.")
    return value


def _measure_formula(rubric: Rubric, row: CriterionScore, unit: Unit, year: int) -> None:
    """Fill a formula row from its KPI over the year; no data → not applicable (N/A)."""
    criterion = rubric.leaf(row.code)
    if criterion is None or criterion.kind != "formula":
        return
    measure = registry.measure(criterion.kpi, Unit.objects.filter(pk=unit.pk), Period.year(year))
    value = measure.value
    row.measured = f"{registry.name_of(criterion.kpi)}: {measure.display()}"[:300]
    if value is None:
        row.applicable = False
        row.self_points = None
    else:
        row.applicable = True
        row.self_points = criterion.points_for(value)


def _totals(assessment: Assessment, rows: list[CriterionScore], rubric: Rubric) -> None:
    applicable = [row for row in rows if row.applicable]
    maximum = sum((row.max_points for row in applicable), _ZERO)
    assessment.max_points = maximum
    assessment.self_points = sum((row.self_points or _ZERO for row in applicable), _ZERO)
    assessment.self_rating = rating_for(assessment.self_points, maximum, rubric.bands)
    if assessment.status == AssessmentStatus.FINAL or any(
        row.final_points is not None for row in rows
    ):
        final = sum(
            (
                row.final_points if row.final_points is not None else (row.self_points or _ZERO)
                for row in applicable
            ),
            _ZERO,
        )
        assessment.final_points = final
        assessment.final_rating = rating_for(final, maximum, rubric.bands)


def _check_revision(assessment: Assessment, revision: int | None) -> None:
    if revision is not None and revision != assessment.revision:
        raise AssessmentError(
            "Bản tự đánh giá vừa được người khác cập nhật. Hãy tải lại trang rồi nhập lại.", 409
        )


def _lock(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().select_related("unit").get(pk=assessment.pk)


def assessment_start(*, actor: User, unit: Unit, year: int) -> Assessment:
    """Open the year's self-assessment with one row per leaf criterion of the rubric in force."""
    if not can_self_score(actor, unit):
        raise AssessmentError("Chỉ lãnh đạo đơn vị được tự chấm điểm cho đơn vị mình.", 403)
    if not 2000 <= year <= 2100:
        raise AssessmentError(f"Năm {year} không hợp lệ.")
    rubric = current_rubric()
    try:
        with transaction.atomic():
            assessment = Assessment.objects.create(
                unit=unit, year=year, rubric_code=rubric.code, rubric_version=rubric.version
            )
            rows = []
            for order, (criterion, _depth) in enumerate(rubric.leaves()):
                row = CriterionScore(
                    assessment=assessment,
                    order=order,
                    code=criterion.code,
                    title=criterion.title[:300],
                    kind=criterion.kind,
                    kpi=criterion.kpi,
                    max_points=criterion.max_points,
                )
                _measure_formula(rubric, row, unit, year)
                rows.append(row)
            CriterionScore.objects.bulk_create(rows)
            _totals(assessment, rows, rubric)
            assessment.save()
            audit_record(
                actor=actor,
                verb=AuditVerb.KPI_ASSESSMENT_START,
                obj=assessment,
                unit=unit,
                after=snapshot(assessment),
            )
    except IntegrityError:
        raise AssessmentError(
            f"Đơn vị đã có bản tự đánh giá năm {year}; mở bản đó để tiếp tục.", 409
        ) from None
    return assessment


def assessment_save(
    *,
    actor: User,
    assessment: Assessment,
    entries: dict[str, Entry],
    revision: int | None,
    submit: bool = False,
) -> Assessment:
    """Store the unit's manual points and evidence, recompute formulas; `submit` sends it up.

    Submitting needs a score on every manual criterion and the evidence the rubric asks for.
    """
    if not can_self_score(actor, assessment.unit):
        raise AssessmentError("Chỉ lãnh đạo đơn vị được tự chấm điểm cho đơn vị mình.", 403)
    rubric = current_rubric()
    with transaction.atomic():
        locked = _lock(assessment)
        _check_revision(locked, revision)
        if locked.status != AssessmentStatus.DRAFT:
            raise AssessmentError("Bản tự đánh giá đã gửi thẩm định, không sửa được nữa.", 409)
        before = snapshot(locked)
        rows = list(locked.scores.all())
        for row in rows:
            if row.kind == "formula":
                _measure_formula(rubric, row, locked.unit, locked.year)
                entry = entries.get(row.code)
                if entry is not None:
                    row.evidence = entry.note.strip()
                continue
            entry = entries.get(row.code)
            if entry is not None:
                row.self_points = _points(entry.points, row.code, row.max_points)
                row.evidence = entry.note.strip()
        if submit:
            for row in rows:
                if row.kind != "manual":
                    continue
                if row.self_points is None:
                    raise AssessmentError(f"Tiêu chí {row.code} chưa được chấm điểm.")
                criterion = rubric.leaf(row.code)
                if criterion is not None and criterion.evidence and not row.evidence:
                    raise AssessmentError(
                        f"Tiêu chí {row.code} cần minh chứng: {criterion.evidence}."
                    )
            locked.status = AssessmentStatus.SUBMITTED
            locked.submitted_at = timezone.now()
            locked.submitted_by = permissions.acting_staff(actor)
        CriterionScore.objects.bulk_update(
            rows, ["applicable", "measured", "self_points", "evidence"]
        )
        _totals(locked, rows, rubric)
        locked.revision += 1
        locked.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.KPI_ASSESSMENT_SUBMIT if submit else AuditVerb.KPI_ASSESSMENT_SCORE,
            obj=locked,
            unit=locked.unit,
            before=before,
            after=snapshot(locked),
        )
    return locked


def assessment_appraise(
    *,
    actor: User,
    assessment: Assessment,
    entries: dict[str, Entry],
    revision: int | None,
    finalize: bool = False,
) -> Assessment:
    """The commune's appraisal: any score may change, each change with its reason; `finalize`
    makes the appraised figure the official one."""
    if not can_appraise(actor, assessment.unit):
        raise AssessmentError("Chỉ cán bộ CCHC của xã quản lý đơn vị được thẩm định.", 403)
    rubric = current_rubric()
    with transaction.atomic():
        locked = _lock(assessment)
        _check_revision(locked, revision)
        if locked.status != AssessmentStatus.SUBMITTED:
            raise AssessmentError("Chỉ thẩm định được bản đơn vị đã gửi và chưa chốt.", 409)
        before = snapshot(locked)
        rows = list(locked.scores.all())
        for row in rows:
            entry = entries.get(row.code)
            if entry is None or not row.applicable:
                continue
            points = _points(entry.points, row.code, row.max_points)
            reason = entry.note.strip()
            if points is None or points == row.self_points:
                row.final_points, row.adjust_reason = None, reason
                continue
            if not reason:
                raise AssessmentError(f"Tiêu chí {row.code}: điều chỉnh điểm phải nêu lý do.")
            row.final_points, row.adjust_reason = points, reason
        if finalize:
            locked.status = AssessmentStatus.FINAL
        locked.appraised_at = timezone.now()
        locked.appraised_by = permissions.acting_staff(actor)
        CriterionScore.objects.bulk_update(rows, ["final_points", "adjust_reason"])
        _totals(locked, rows, rubric)
        locked.revision += 1
        locked.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.KPI_ASSESSMENT_FINALIZE
            if finalize
            else AuditVerb.KPI_ASSESSMENT_APPRAISE,
            obj=locked,
            unit=locked.unit,
            before=before,
            after=snapshot(locked),
        )
    return locked


def assessment_return(
    *, actor: User, assessment: Assessment, reason: str, revision: int | None
) -> Assessment:
    """Send a submitted assessment back to the unit to complete, with the reason."""
    if not can_appraise(actor, assessment.unit):
        raise AssessmentError("Chỉ cán bộ CCHC của xã quản lý đơn vị được thẩm định.", 403)
    if not reason.strip():
        raise AssessmentError("Trả lại đơn vị phải nêu lý do.")
    with transaction.atomic():
        locked = _lock(assessment)
        _check_revision(locked, revision)
        if locked.status != AssessmentStatus.SUBMITTED:
            raise AssessmentError("Chỉ trả lại được bản đang chờ thẩm định.", 409)
        before = snapshot(locked)
        locked.status = AssessmentStatus.DRAFT
        locked.revision += 1
        locked.save()
        audit_record(
            actor=actor,
            verb=AuditVerb.KPI_ASSESSMENT_RETURN,
            obj=locked,
            unit=locked.unit,
            before=before,
            after={**snapshot(locked), "reason": reason.strip()},
        )
    return locked
