"""The commune's roll-up: figures from the nightly snapshot (stamped), live for a quarter or a
school without one, the plan's goals and progress, 766 and self-assessment, flags, ranking, and
the commune officer's landing page."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.kpi import index766, rollup
from cchc.kpi.models import Assessment, Snapshot
from cchc.kpi.registry import Measure, Period
from cchc.plans.models import Plan, Target, Task, TaskStatus
from tests.fixtures import client_for


def _snap(unit, day: date, code: str, numerator: int, denominator: int, label: str = "") -> None:
    Snapshot.objects.create(
        unit=unit, code=code, day=day, numerator=numerator, denominator=denominator, label=label
    )


def _plan(unit, year: int, *, goal: int = 90) -> Plan:
    plan = Plan.objects.create(unit=unit, title=f"Kế hoạch CCHC năm {year}", year=year)
    Target.objects.create(
        plan=plan,
        order=2,
        number="2",
        text=f"Tỷ lệ giải quyết hồ sơ đúng hạn đạt {goal}% trở lên",
        comparator=">=",
        value=goal,
        unit_label="%",
        kpi_code="dossier_on_time_rate",
    )
    return plan


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.mark.django_db
def test_a_year_is_read_from_yesterdays_snapshot_and_stamped(
    commune_officer, school, other_school, today
) -> None:
    # No dossier exists: a live measure would be "not measurable"; the figures below can only
    # come from the snapshots.
    yesterday = today - timedelta(days=1)
    _plan(school, today.year)
    _snap(school, yesterday, "dossier_on_time_rate", 9, 10)
    _snap(school, yesterday, "late_apology_rate", 2, 3)
    _snap(school, yesterday, "dossier_on_time_rate_766", 9, 10)
    _snap(other_school, yesterday, "dossier_on_time_rate", 1, 4)
    _snap(other_school, yesterday - timedelta(days=1), "dossier_on_time_rate", 0, 2)  # older

    board = rollup.board([school, other_school], Period.year(today.year), today=today)

    assert (board.source.kind, board.source.as_of, board.source.live_units) == (
        "snapshot",
        yesterday,
        0,
    )
    first, second = board.rows
    assert (first.unit, first.rank, second.unit, second.rank) == (school, 1, other_school, 2)
    on_time = board.codes.index("dossier_on_time_rate")
    assert (first.figures[on_time].measure.numerator, first.figures[on_time].status) == (9, "met")
    assert first.figures[on_time].goal == "từ 90% trở lên"
    assert (second.figures[on_time].measure.denominator, second.figures[on_time].status) == (4, "")
    assert (first.late_count, first.apologised) == (3, 2)
    assert (board.totals[on_time].measure.numerator, board.totals[on_time].measure.denominator) == (
        10,
        14,
    )
    assert first.index766 is not None
    assert first.index766.total == Decimal(90)
    assert [f.code for f in second.flags] == ["no_plan"]
    assert first.flags == []

    body = client_for(commune_officer).get(reverse("kpi:rollup")).content.decode()
    assert f"Số liệu đến hết ngày {yesterday:%d/%m/%Y}" in body
    assert "90% (9/10)" in body
    assert "25% (1/4)" in body
    assert "Chưa có kế hoạch CCHC năm" in body


@pytest.mark.django_db
def test_a_school_without_that_snapshot_is_measured_live_up_to_the_same_day(
    school, other_school, today
) -> None:
    _snap(school, today - timedelta(days=1), "dossier_on_time_rate", 9, 10)

    board = rollup.board([school, other_school], Period.year(today.year), today=today)

    assert (board.source.kind, board.source.live_units) == ("snapshot", 1)
    live = next(row for row in board.rows if row.unit == other_school)
    assert not live.figures[board.codes.index("dossier_on_time_rate")].measure.is_measurable


@pytest.mark.django_db
def test_a_quarter_has_no_snapshot_and_is_measured_live(school, other_school, today) -> None:
    _snap(school, today - timedelta(days=1), "dossier_on_time_rate", 9, 10)

    board = rollup.board([school, other_school], Period.parse(f"{today.year}-Q1"), today=today)

    assert (board.source.kind, board.source.live_units, board.source.whole_year) == (
        "live",
        2,
        False,
    )
    assert not board.rows[0].figures[board.codes.index("dossier_on_time_rate")].measure.value


@pytest.mark.django_db
def test_plan_progress_counts_leaf_tasks_done_and_overdue(school, other_school, today) -> None:
    plan = _plan(school, today.year)
    group = Task.objects.create(plan=plan, number="1", title="Nhóm")
    past = today - timedelta(days=3)
    Task.objects.create(
        plan=plan, parent=group, number="1.1", title="Xong", status=TaskStatus.DONE, due_on=past
    )
    Task.objects.create(plan=plan, parent=group, number="1.2", title="Quá hạn", due_on=past)
    Task.objects.create(
        plan=plan, parent=group, number="1.3", title="Bỏ", status=TaskStatus.CANCELLED, due_on=past
    )
    Task.objects.create(plan=plan, parent=group, number="1.4", title="Còn hạn", due_on=today)

    board = rollup.board([school, other_school], Period.year(today.year), today=today)

    mine = next(row for row in board.rows if row.unit == school)
    assert (mine.tasks.done, mine.tasks.total, mine.tasks.overdue) == (1, 3, 1)
    assert (board.tasks.done, board.tasks.total) == (1, 3)


@pytest.mark.django_db
def test_self_assessment_and_ranking_by_targets_met(school, other_school, today) -> None:
    yesterday = today - timedelta(days=1)
    _plan(school, today.year)
    _plan(other_school, today.year)
    _snap(school, yesterday, "dossier_on_time_rate", 8, 10)  # misses 90%
    _snap(other_school, yesterday, "dossier_on_time_rate", 10, 10)
    Assessment.objects.create(
        unit=school,
        year=today.year,
        rubric_code="school-default",
        rubric_version="2026.1",
        self_points=Decimal(82),
        max_points=Decimal(100),
        self_rating="Tốt",
    )

    board = rollup.board([school, other_school], Period.year(today.year), today=today)

    assert [row.unit for row in board.rows] == [other_school, school]
    assert board.rows[1].assessment is not None
    assert board.rows[1].assessment.points == Decimal(82)
    assert board.rows[0].assessment is None


@pytest.mark.django_db
def test_registered_flag_providers_add_their_flags(
    commune_officer, school, other_school, today
) -> None:
    def overdue_reports(units, period, today):
        return {school.pk: [rollup.Flag("overdue_report", "Báo cáo quý III quá hạn", "bad")]}

    rollup.register_flag_provider(overdue_reports)
    try:
        body = client_for(commune_officer).get(reverse("kpi:rollup")).content.decode()
    finally:
        rollup._FLAG_PROVIDERS.remove(overdue_reports)

    assert "Báo cáo quý III quá hạn" in body
    assert "1 trường: " + school.name in body


@pytest.mark.django_db
def test_the_766_index_scores_figures_it_is_given_without_measuring(school) -> None:
    period = Period.year(2026)

    index = index766.compute(school, period, measures={"dossier_on_time_rate_766": Measure(9, 10)})

    # Only 2.1 has data: 90% of its 100% threshold earns 18 of 20 points; the rest is N/A.
    assert index.total == Decimal(90)
    assert "dossier_on_time_rate_766" in index766.kpi_codes()


@pytest.mark.django_db
def test_the_commune_officer_lands_on_the_rollup_and_a_principal_on_the_plan(
    commune_officer, principal, school, other_school
) -> None:
    officer = client_for(commune_officer).get(reverse("core:home"), follow=True)
    head = client_for(principal).get(reverse("core:home"), follow=True)

    assert officer.redirect_chain[-1][0] == reverse("kpi:rollup")
    assert school.name in officer.content.decode()
    assert other_school.name in officer.content.decode()
    assert head.redirect_chain[-1][0] == reverse("kpi:overview")
    # He may still open one school's plan at a glance from the roll-up.
    picked = client_for(commune_officer).get(reverse("kpi:overview") + f"?don_vi={school.pk}")
    assert picked.status_code == 200
    assert school.name in picked.content.decode()


@pytest.mark.django_db
def test_the_total_of_a_grade_counts_the_schools_rated_good_not_a_percentage(
    school, other_school, today
) -> None:
    """QA: the consolidated report totalled target 1 (a grade) as "40% (40/100)"."""
    from cchc.kpi import selectors
    from cchc.organizations.models import Unit

    for unit, points in ((school, 82), (other_school, 40)):
        Assessment.objects.create(
            unit=unit,
            year=today.year,
            rubric_code="school-default",
            rubric_version="2026.1",
            self_points=Decimal(points),
            max_points=Decimal(100),
        )
    period = Period.year(today.year)
    units = Unit.objects.filter(pk__in=[school.pk, other_school.pk])

    _rows, totals = selectors.rollup(units, period)  # the consolidated report's figures
    board = rollup.board([school, other_school], period, today=today)  # the roll-up page's
    by_code = {figure.indicator.code: figure.measure for figure in totals}
    on_page = {figure.indicator.code: figure.measure for figure in board.totals}

    for grade in (by_code["cchc_self_score"], on_page["cchc_self_score"]):
        assert grade.display() == "1/2 đơn vị xếp loại Tốt trở lên"
        assert grade.value is None
    rates = [f for f in totals if f.indicator.unit == "%"]
    assert rates  # the rates still add their parts
    assert all("%" in f.measure.display() or not f.measure.denominator for f in rates)


@pytest.mark.django_db
def test_target_8s_companions_have_columns_beside_it_with_their_definitions(
    commune_officer, school, other_school, today
) -> None:
    """QA walk: the school's pages show target 8's companions (`cchc.kpi.companions`), the
    commune's roll-up did not. Each has its column right after target 8's, a figure per school
    from the same snapshot, the commune's total adding parts, and its definition; it is never
    counted as a target met."""
    from cchc.kpi import registry

    yesterday = today - timedelta(days=1)
    for unit, papers, outgoing in ((school, (1, 9), (3, 4)), (other_school, (2, 3), (1, 4))):
        _snap(unit, yesterday, "dossier_on_time_rate", 9, 10)
        _snap(unit, yesterday, "one_stop_paper_signed_rate", *papers)
        _snap(unit, yesterday, "outgoing_signed_rate", *outgoing)

    response = client_for(commune_officer).get(reverse("kpi:rollup"))
    body = response.content.decode()

    head = body.split("<thead>", 1)[1].split("</thead>", 1)[0]
    after_8 = head.split("MT8 Chữ ký số", 1)[1]
    assert after_8.index("MT8 đi kèm: Giấy tờ một cửa ký số") < after_8.index("MT9")
    assert after_8.index("MT8 đi kèm: Văn bản đi ký số") < after_8.index("MT9")
    row = body.split(f'data-unit="{school.pk}"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="companion" data-kpi="one_stop_paper_signed_rate">11,11% (1/9)</td>' in row
    assert '<td class="companion" data-kpi="outgoing_signed_rate">75% (3/4)</td>' in row
    foot = body.split("<tfoot>", 1)[1].split("</tfoot>", 1)[0]
    assert "25% (3/12)" in foot  # (1 + 2) / (9 + 3): parts added, not 38,89% averaged
    legend = body.split('id="rollup-companions"', 1)[1].split("</ul>", 1)[0]
    for code in ("one_stop_paper_signed_rate", "outgoing_signed_rate"):
        assert registry.definition_of(code)[:60] in legend
    board = response.context["board"]
    assert all(len(r.figures) == len(board.codes) for r in board.rows)  # not a target
