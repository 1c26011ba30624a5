"""Reform-index self-assessment: rubric checks, bands, formula scoring, the workflow, pages."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.kpi import registry
from cchc.kpi.assessments import (
    AssessmentError,
    Entry,
    assessment_appraise,
    assessment_return,
    assessment_save,
    assessment_start,
)
from cchc.kpi.models import Assessment, AssessmentStatus
from cchc.kpi.registry import Period
from cchc.kpi.rubric import (
    DEFAULT_RUBRIC,
    RubricError,
    current_rubric,
    parse_bands,
    parse_rubric,
    rating_for,
)
from cchc.organizations.models import Unit
from cchc.plans.models import Plan, Task, TaskStatus
from tests.fixtures import client_for

# Two groups of 10: a manual criterion (4, evidence required) and a formula on the plan's tasks
# (6 points at 100%, 3 at ≥ 50%); a formula on dossiers, which the test unit has none of (N/A).
SMALL = {
    "code": "thu",
    "version": "1",
    "max_points": 20,
    "criteria": [
        {
            "code": "A",
            "title": "Chỉ đạo",
            "max_points": 10,
            "children": [
                {"code": "A1", "title": "Kế hoạch", "max_points": 4, "evidence": "Số kế hoạch"},
                {
                    "code": "A2",
                    "title": "Nhiệm vụ đúng hạn",
                    "max_points": 6,
                    "kind": "formula",
                    "kpi": "task_on_time_rate",
                    "thresholds": [{"min": 100, "points": 6}, {"min": 50, "points": 3}],
                },
            ],
        },
        {
            "code": "B",
            "title": "Hồ sơ",
            "max_points": 10,
            "children": [
                {
                    "code": "B1",
                    "title": "Hồ sơ đúng hạn",
                    "max_points": 10,
                    "kind": "formula",
                    "kpi": "dossier_on_time_rate",
                    "thresholds": [{"min": 100, "points": 10}],
                }
            ],
        },
    ],
}


@pytest.fixture
def small_rubric(settings, tmp_path):
    path = tmp_path / "rubric.json"
    path.write_text(json.dumps(SMALL), encoding="utf-8")
    settings.CCHC_REFORM_RUBRIC = str(path)
    return path


@pytest.fixture
def tasks_75(school):
    """Four tasks due in 2026, three done on time and one late: 75% on time."""
    plan = Plan.objects.create(unit=school, title="Kế hoạch CCHC năm 2026", year=2026)
    parent = Task.objects.create(plan=plan, number="1", title="Nhóm")
    for i, done in enumerate(
        [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 10), date(2026, 3, 20)], start=1
    ):
        Task.objects.create(
            plan=plan,
            parent=parent,
            number=f"1.{i}",
            title=f"Nhiệm vụ {i}",
            due_on=date(2026, 3, 10),
            status=TaskStatus.DONE,
            completed_on=done,
        )


def test_the_shipped_school_rubric_adds_up_to_100_and_names_known_indicators() -> None:
    rubric = current_rubric()

    assert rubric.max_points == 100
    assert sum(c.max_points for c, _ in rubric.leaves()) == 100
    formulas = [c.kpi for c, _ in rubric.leaves() if c.kind == "formula"]
    assert "dossier_on_time_rate" in formulas
    assert "e_workplace_rate" in formulas
    assert [label for label, _ in rubric.bands] == ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["criteria"][0].update(max_points=11), "khác tổng điểm các tiêu chí con"),
        (lambda d: d.update(max_points=25), "khác tổng điểm các nhóm"),
        (
            lambda d: d["criteria"][1]["children"][0].update(kpi="khong_co"),
            "chỉ số «khong_co» không có trong hệ thống",
        ),
        (
            lambda d: d["criteria"][1]["children"][0]["thresholds"].append(
                {"min": 10, "points": 12}
            ),
            "vượt điểm tối đa",
        ),
        (lambda d: d["criteria"][0]["children"][0].update(max_points="bốn"), "không phải là số"),
        (lambda d: d["criteria"][0]["children"][1].update(code="A1"), "bị trùng"),
    ],
)
def test_an_inconsistent_rubric_is_refused_in_vietnamese(change, message) -> None:
    data = json.loads(json.dumps(SMALL))
    change(data)

    with pytest.raises(RubricError, match=message):
        parse_rubric(data)


@pytest.mark.parametrize(
    ("points", "maximum", "label"),
    [
        (Decimal(90), 100, "Xuất sắc"),
        (Decimal("89.99"), 100, "Tốt"),
        (Decimal(80), 100, "Tốt"),
        (Decimal("79.99"), 100, "Khá"),
        (Decimal(70), 100, "Khá"),
        (Decimal(50), 100, "Trung bình"),
        (Decimal("49.99"), 100, "Yếu"),
        (Decimal(0), 100, "Yếu"),
        (Decimal("7"), 10, "Khá"),  # 70% of an applicable maximum of 10
        (Decimal("6.5"), 10, "Trung bình"),
        (Decimal(0), 0, ""),  # nothing applies: no rating, not "Yếu"
    ],
)
def test_default_bands(points, maximum, label) -> None:
    assert rating_for(points, Decimal(maximum)) == label


def test_bands_must_fall_and_end_at_zero() -> None:
    with pytest.raises(RubricError, match="phải thấp hơn"):
        parse_bands([{"label": "Tốt", "min": 80}, {"label": "Khá", "min": 85}])
    with pytest.raises(RubricError, match="bắt đầu từ 0"):
        parse_bands([{"label": "Đạt", "min": 50}])


def test_a_province_replaces_the_bands_only(settings) -> None:
    settings.CCHC_REFORM_RUBRIC = str(DEFAULT_RUBRIC)
    settings.CCHC_RATING_BANDS = [
        {"label": "Xuất sắc", "min": 90},
        {"label": "Tốt", "min": 80},
        {"label": "Khá", "min": 65},
        {"label": "Trung bình", "min": 50},
        {"label": "Yếu", "min": 0},
    ]

    assert current_rubric().rating(Decimal(66), Decimal(100)) == "Khá"
    settings.CCHC_RATING_BANDS = None
    assert current_rubric().rating(Decimal(66), Decimal(100)) == "Trung bình"


@pytest.mark.django_db
def test_workflow_scores_formulas_leaves_no_data_out_and_the_commune_adjusts(
    small_rubric, tasks_75, school, principal, commune_officer
) -> None:
    started = assessment_start(actor=principal.user, unit=school, year=2026)
    rows = {row.code: row for row in started.scores.all()}
    # 3 of 4 tasks on time = 75% ≥ 50% → 3 points; no dossiers → B1 not applicable.
    assert rows["A2"].self_points == 3
    assert "75% (3/4)" in rows["A2"].measured
    assert not rows["B1"].applicable
    assert started.max_points == 10

    with pytest.raises(AssessmentError, match="A1 cần minh chứng"):
        assessment_save(
            actor=principal.user,
            assessment=started,
            entries={"A1": Entry("3,5", "")},
            revision=started.revision,
            submit=True,
        )
    submitted = assessment_save(
        actor=principal.user,
        assessment=started,
        entries={"A1": Entry("3,5", "Kế hoạch số 15/KH-THCS ngày 23/01/2026")},
        revision=started.revision,
        submit=True,
    )
    # 3,5 + 3 = 6,5 of 10 applicable = 65% → Trung bình.
    assert (submitted.self_points, submitted.self_rating) == (Decimal("6.5"), "Trung bình")
    units = Unit.objects.filter(pk=school.pk)
    before = registry.measure("cchc_self_score", units, Period.year(2026))
    assert (before.label, before.numerator, before.denominator) == ("Trung bình", 6.5, 10)

    with pytest.raises(AssessmentError, match="phải nêu lý do"):
        assessment_appraise(
            actor=commune_officer.user,
            assessment=submitted,
            entries={"A1": Entry("4", "")},
            revision=submitted.revision,
        )
    final = assessment_appraise(
        actor=commune_officer.user,
        assessment=submitted,
        entries={"A1": Entry("4", "Kế hoạch ban hành đúng hạn, đủ nội dung"), "A2": Entry("3", "")},
        revision=submitted.revision,
        finalize=True,
    )
    assert final.status == AssessmentStatus.FINAL
    assert (final.final_points, final.final_rating) == (Decimal(7), "Khá")
    after = registry.measure("cchc_self_score", units, Period.year(2026))
    assert (after.label, after.numerator, after.denominator) == ("Khá", 7, 10)
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="kpi.assessment")
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == ["kpi.assessment.start", "kpi.assessment.submit", "kpi.assessment.finalize"]


@pytest.mark.django_db
def test_only_the_units_leaders_score_and_only_the_commune_above_appraises(
    small_rubric, school, principal, colleague, outsider, commune_officer
) -> None:
    for stranger in (colleague, outsider, commune_officer):
        with pytest.raises(AssessmentError) as refused:
            assessment_start(actor=stranger.user, unit=school, year=2026)
        assert refused.value.status == 403
    started = assessment_start(actor=principal.user, unit=school, year=2026)
    with pytest.raises(AssessmentError, match="đã có bản tự đánh giá") as twice:
        assessment_start(actor=principal.user, unit=school, year=2026)
    assert twice.value.status == 409
    with pytest.raises(AssessmentError) as not_theirs:
        assessment_appraise(
            actor=principal.user, assessment=started, entries={}, revision=started.revision
        )
    assert not_theirs.value.status == 403
    with pytest.raises(AssessmentError, match="điểm phải từ 0 đến 4"):
        assessment_save(
            actor=principal.user,
            assessment=started,
            entries={"A1": Entry("5", "x")},
            revision=started.revision,
        )
    assert Assessment.objects.get().revision == started.revision  # nothing half-written


@pytest.mark.django_db
def test_a_stale_form_never_overwrites_and_the_commune_may_send_it_back(
    small_rubric, school, principal, commune_officer
) -> None:
    started = assessment_start(actor=principal.user, unit=school, year=2026)
    old = started.revision
    assessment_save(
        actor=principal.user, assessment=started, entries={"A1": Entry("2", "a")}, revision=old
    )
    with pytest.raises(AssessmentError, match="người khác cập nhật") as stale:
        assessment_save(
            actor=principal.user, assessment=started, entries={"A1": Entry("4", "b")}, revision=old
        )
    assert stale.value.status == 409
    fresh = Assessment.objects.get()
    submitted = assessment_save(
        actor=principal.user,
        assessment=fresh,
        entries={},
        revision=fresh.revision,
        submit=True,
    )
    back = assessment_return(
        actor=commune_officer.user,
        assessment=submitted,
        reason="Bổ sung minh chứng",
        revision=submitted.revision,
    )
    assert back.status == AssessmentStatus.DRAFT


@pytest.mark.django_db
def test_pages_school_sees_itself_commune_appraises_outsider_gets_404(
    small_rubric, tasks_75, school, principal, outsider, commune_officer
) -> None:
    mine = client_for(principal)
    page = reverse("kpi:assessment")
    assert "Bắt đầu tự đánh giá" in mine.get(page + "?nam=2026").content.decode()
    started = mine.post(reverse("kpi:assessment_start"), {"nam": "2026"})
    assert started.status_code == 302
    assessment = Assessment.objects.get(unit=school, year=2026)
    act = reverse("kpi:assessment_act", args=[assessment.pk])
    bad = mine.post(
        act,
        {"action": "submit", "revision": assessment.revision, "diem_A1": "4", "minh_chung_A1": ""},
    )
    assert bad.status_code == 422
    assert "A1 cần minh chứng" in bad.content.decode()
    ok = mine.post(
        act,
        {
            "action": "submit",
            "revision": assessment.revision,
            "diem_A1": "4",
            "minh_chung_A1": "KH",
        },
    )
    assert ok.status_code == 302

    officer = client_for(commune_officer)
    body = officer.get(page + f"?don_vi={school.pk}&nam=2026").content.decode()
    assert "Chốt kết quả" in body
    assert "Điểm: 7/10 (70%)" in body
    listing = officer.get(reverse("kpi:assessment_list") + "?nam=2026").content.decode()
    assert school.name in listing
    assert "Chờ xã thẩm định" in listing

    stranger = client_for(outsider)
    assert stranger.get(page + f"?don_vi={school.pk}&nam=2026").status_code == 404
    assert stranger.post(act, {"action": "submit"}).status_code == 404
    assert school.name not in stranger.get(reverse("kpi:assessment_list")).content.decode()


@pytest.mark.django_db
def test_a_person_who_may_not_act_gets_403_before_the_action_is_read(
    small_rubric, school, principal, colleague
) -> None:
    assessment = assessment_start(actor=principal.user, unit=school, year=2026)
    act = reverse("kpi:assessment_act", args=[assessment.pk])

    unknown = client_for(colleague).post(act, {"action": "khong-co", "revision": "x"})
    scored = client_for(colleague).post(act, {"action": "submit", "diem_A1": "99"})
    own_unknown = client_for(principal).post(act, {"action": "khong-co"})

    assert unknown.status_code == 403
    assert scored.status_code == 403
    assert "không có quyền" in scored.content.decode()
    assert own_unknown.status_code == 400
    assert Assessment.objects.get().revision == assessment.revision
