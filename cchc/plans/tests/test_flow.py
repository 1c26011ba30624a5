"""The plan from upload to export, tracking, reminders and the API."""

from __future__ import annotations

import io
import json
import subprocess
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from docx import Document

from cchc.core.models import AuditEvent
from cchc.plans import exporting, importing, reminders, services
from cchc.plans.models import Plan, PlanImport, Recurrence, Task, TaskOccurrence, TaskStatus
from cchc.plans.parsing import parse_plan, read_plan_file
from tests.factories import StaffFactory
from tests.fixtures import client_for


@pytest.fixture
def plan(school, principal, seed_staff, seed_bytes):
    pending = importing.plan_import_preview(
        actor=principal.user, unit=school, filename="kh.txt", data=seed_bytes
    )
    return importing.plan_import_confirm(
        actor=principal.user,
        pending=pending,
        corrections={"reference": "05/KH-THCSNTB", "issued_on": date(2026, 1, 26)},
    )


# ---------------------------------------------------------------- import through the pages


@pytest.mark.django_db
def test_upload_review_then_confirm_creates_the_plan(principal, seed_staff, seed_bytes) -> None:
    client = client_for(principal)

    upload = client.post(
        reverse("plans:import"), {"file": SimpleUploadedFile("ke-hoach.txt", seed_bytes)}
    )
    pending = PlanImport.objects.get()
    review = client.get(upload["Location"])
    assert Plan.objects.count() == 0  # nothing saved before confirmation
    body = review.content.decode()
    assert "9</strong> mục tiêu" in body
    assert "12</strong> nhiệm vụ" in body
    assert "số La Mã III lặp lại" in body
    confirm = client.post(
        upload["Location"],
        {"reference": "05/KH-THCSNTB", "title": pending.parsed["title"], "year": "2026"}
        | {f"target_{i}": t.get("kpi") or "" for i, t in enumerate(pending.parsed["targets"])}
        | {
            f"assignment_{i}": seed_staff[a["name"]].pk
            for i, a in enumerate(pending.parsed["assignments"])
        },
    )

    plan = Plan.objects.get()
    assert confirm.status_code == 302
    assert (plan.number, plan.symbol, plan.year) == ("05", "KH-THCSNTB", 2026)
    assert plan.targets.count() == 9
    assert sorted(plan.tasks.filter(parent__isnull=True).values_list("number", flat=True)) == [
        "1",
        "2",
        "3",
    ]
    leaf = list(plan.tasks.filter(parent__isnull=False).values_list("number", flat=True))
    assert leaf == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "2.1",
        "2.2",
        "3.1",
        "3.2",
        "3.3",
        "3.4",
        "3.5",
        "3.6",
    ]
    assignments = list(plan.assignments.order_by("order"))
    assert [a.staff.full_name for a in assignments] == list(seed_staff)
    assert len(assignments[0].duties) == 5
    assert plan.targets.get(number="3").kpi_code == "satisfaction_rate"
    assert AuditEvent.objects.filter(verb="plan.import", object_id=str(plan.pk)).exists()
    # The message says what was saved: the 12 tasks, not the 15 rows with the group headings.
    saved = client.get(confirm["Location"]).content.decode()
    basis = plan.basis.count()
    assert f"12 nhiệm vụ (3 nhóm), 9 mục tiêu, {basis} căn cứ, 6 phân công" in saved
    assert "15 nhiệm vụ" not in saved


@pytest.mark.django_db
def test_review_flags_unknown_and_ambiguous_names(principal, school, seed_bytes) -> None:
    StaffFactory(unit=school, full_name="Trần Thị Thoa")
    StaffFactory(unit=school, full_name="Trần Thị Thoa")
    pending = importing.plan_import_preview(
        actor=principal.user, unit=school, filename="kh.txt", data=seed_bytes
    )

    body = (
        client_for(principal)
        .get(reverse("plans:import_review", args=[pending.pk]))
        .content.decode()
    )

    assert "“La Nguyễn Hoàng Anh” chưa có trong danh sách viên chức" in body
    assert "sẽ tạo mới với vai trò Phó hiệu trưởng" in body
    assert "Có 2 viên chức cùng tên “Trần Thị Thoa”" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("trong.txt", b"   \n ", "Tệp rỗng"),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "Chỉ nhận tệp .txt hoặc .docx"),
        ("tho.txt", "Trăng lên đầu núi\nGió thổi qua đồi\n".encode(), "Không nhận ra cấu trúc"),
    ],
)
def test_bad_upload_is_422_and_saves_nothing(principal, name, content, message) -> None:
    response = client_for(principal).post(
        reverse("plans:import"), {"file": SimpleUploadedFile(name, content)}
    )

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not PlanImport.objects.exists()
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_teacher_cannot_import(colleague, seed_bytes) -> None:
    response = client_for(colleague).post(
        reverse("plans:import"), {"file": SimpleUploadedFile("kh.txt", seed_bytes)}
    )

    assert response.status_code == 403
    assert not PlanImport.objects.exists()


@pytest.mark.django_db
def test_confirming_twice_does_not_duplicate(plan, principal) -> None:
    pending = PlanImport.objects.get(plan=plan)

    with pytest.raises(importing.PlanImportError):
        importing.plan_import_confirm(actor=principal.user, pending=pending)

    assert Plan.objects.count() == 1


# ---------------------------------------------------------------- CLI


@pytest.mark.django_db
def test_cli_dry_run_json_prints_the_contract(capsys) -> None:
    from cchc.plans.tests.conftest import SEED

    call_command("plan", "import", str(SEED), "--dry-run", "--json")

    data = json.loads(capsys.readouterr().out)
    assert len(data["targets"]) == 9
    assert [t["number"] for t in data["tasks"]][:4] == ["1.1", "1.2", "1.3", "1.4"]
    assert len(data["assignments"]) == 6
    assert {"number", "symbol", "title", "unit", "date", "basis", "sections"} <= set(data)
    assert not Plan.objects.exists()


@pytest.mark.django_db
def test_cli_import_saves_for_the_named_unit(school, principal, seed_staff) -> None:
    from cchc.plans.tests.conftest import SEED

    call_command("plan", "import", str(SEED), "--unit", school.code, stdout=io.StringIO())

    plan = Plan.objects.get(unit=school)
    assert plan.assignments.filter(staff__isnull=False).count() == 6


def test_cli_missing_file_is_exit_2() -> None:
    with pytest.raises(CommandError) as raised:
        call_command("plan", "import", "/khong/co/tep.txt")

    assert raised.value.returncode == 2


# ---------------------------------------------------------------- export and round trip


@pytest.mark.django_db
def test_export_docx_round_trips_to_the_same_structure(plan) -> None:
    docx = exporting.plan_docx(plan)

    text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    again = parse_plan(read_plan_file(docx, "ke-hoach.docx"))
    assert "KẾ HOẠCH" in text
    assert [t.text for t in again.targets] == list(plan.targets.values_list("text", flat=True))
    assert [(t.number, t.title) for t in again.tasks] == [
        (t.number, t.title) for t in plan.tasks.filter(parent__isnull=False).order_by("order")
    ]
    assert [(a.name, a.title, a.duties) for a in again.assignments] == [
        (a.name, a.title, a.duties) for a in plan.assignments.order_by("order")
    ]
    assert again.symbol == "05/KH-THCSNTB"
    assert again.date == date(2026, 1, 26)


@pytest.mark.django_db
def test_export_pdf_through_the_page(plan, principal, tmp_path) -> None:
    response = client_for(principal).get(reverse("plans:export", args=[plan.pk, "pdf"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "kh.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(  # noqa: S603
        ["/usr/bin/pdftotext", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "KẾ HOẠCH" in text
    assert "Nguyễn Thị Thanh Trang" in text


@pytest.mark.django_db
def test_export_unknown_format_is_refused(plan, principal) -> None:
    response = client_for(principal).get(reverse("plans:export", args=[plan.pk, "xls"]))

    assert response.status_code == 302


# ---------------------------------------------------------------- dashboard and tracking


@pytest.mark.django_db
def test_dashboard_shows_live_values_and_unmeasured_targets(plan, principal) -> None:
    body = client_for(principal).get(reverse("plans:detail", args=[plan.pk])).content.decode()

    assert "Chưa đo được" in body
    assert "Tỷ lệ viên chức sử dụng chữ ký số" in body
    assert "(0/6)" in body  # nobody among the 6 staff has signed yet (holding is not using)


@pytest.mark.django_db
def test_dashboard_shows_what_each_bound_indicator_counts(plan, principal) -> None:
    from cchc.kpi.registry import definition_of

    body = client_for(principal).get(reverse("plans:detail", args=[plan.pk])).content.decode()

    assert "Cách tính" in body
    assert definition_of("digital_signature_rate") in body
    assert definition_of("cchc_self_score") in body  # target 1: says which module is missing


@pytest.mark.django_db
def test_plan_page_says_what_progress_and_on_time_count(plan, principal) -> None:
    """Progress (done, late or not) and the on-time rate differ: each shows its definition."""
    from django.utils.html import escape

    from cchc.kpi.registry import definition_of
    from cchc.plans.selectors import PROGRESS_DEFINITION

    task = plan.tasks.filter(parent__isnull=False).order_by("order").first()
    services.task_update_progress(
        actor=principal.user, task=task, progress=100, status=TaskStatus.DONE
    )

    response = client_for(principal).get(reverse("plans:detail", args=[plan.pk]))

    figures = response.context["figures"]
    assert [(f.label, f.measure.numerator, f.measure.denominator) for f in figures[:1]] == [
        ("Tiến độ", 1, 12)
    ]
    body = response.content.decode()
    assert "Tiến độ: <strong>8,33% (1/12)</strong>" in body
    assert "Đúng hạn: <strong>" in body
    assert escape(PROGRESS_DEFINITION) in body
    assert escape(definition_of("task_on_time_rate")) in body


@pytest.mark.django_db
def test_overdue_task_is_listed_first_and_flagged(plan, principal) -> None:
    task = plan.tasks.get(number="3.5")
    Task.objects.filter(pk=task.pk).update(due_on=date(2026, 1, 30))

    from cchc.plans.selectors import task_rows

    rows = task_rows(plan, today=date(2026, 11, 28))

    assert rows[0]["task"].number == "3.5"
    assert rows[0]["overdue"]


@pytest.mark.django_db
def test_occurrences_fall_on_working_days(plan, principal) -> None:
    task = plan.tasks.get(number="3.6")
    first_quarter = task.occurrences.get(period_label="Quý I")
    services.occurrence_complete(actor=principal.user, occurrence=first_quarter, done=True)
    services.task_plan(
        actor=principal.user,
        task=task,
        owner=task.owner,
        collaborators=[],
        due_on=date(2026, 12, 31),
        recurrence=Recurrence.MONTHLY,
    )

    august = TaskOccurrence.objects.get(task=task, period_label="Tháng 8")
    quarters = TaskOccurrence.objects.filter(task=task, period_label__startswith="Quý")

    assert august.due_on == date(2026, 8, 28)  # 29/08–02/09 is the National Day break
    assert TaskOccurrence.objects.filter(task=task, period_label__startswith="Tháng").count() == 12
    assert list(quarters.values_list("period_label", flat=True)) == ["Quý I"]  # done: kept


@pytest.mark.django_db
def test_continuous_task_review_cadence_sets_its_periods(plan, principal) -> None:
    task = plan.tasks.get(number="1.1")  # "Tiếp tục …": thường xuyên

    services.task_plan(
        actor=principal.user,
        task=task,
        owner=task.owner,
        collaborators=[],
        due_on=date(2026, 12, 31),
        recurrence=Recurrence.CONTINUOUS,
        review_cadence=Recurrence.HALF_YEARLY,
    )

    labels = list(task.occurrences.order_by("period_start").values_list("period_label", flat=True))
    assert labels == ["6 tháng đầu năm", "6 tháng cuối năm"]
    with pytest.raises(ValidationError):
        services.task_plan(
            actor=principal.user,
            task=task,
            owner=task.owner,
            collaborators=[],
            due_on=None,
            recurrence=Recurrence.CONTINUOUS,
            review_cadence="weekly",
        )


@pytest.mark.django_db
def test_owner_updates_own_task_but_not_others(plan, seed_staff) -> None:
    clerk = seed_staff["Lê Thị Thanh Thủy"]
    mine = plan.tasks.get(number="3.3")
    other = plan.tasks.get(number="1.1")
    Task.objects.filter(pk=mine.pk).update(owner=clerk)
    client = client_for(clerk)

    ok = client.post(
        reverse("plans:task_progress", args=[mine.pk]),
        {"status": "in_progress", "progress": "40", "version": "1"},
    )
    refused = client.post(
        reverse("plans:task_progress", args=[other.pk]),
        {"status": "done", "progress": "100", "version": "1"},
    )

    assert ok.status_code == 302
    assert Task.objects.get(pk=mine.pk).progress == 40
    assert refused.status_code == 403
    assert Task.objects.get(pk=other.pk).status == TaskStatus.NOT_STARTED


@pytest.mark.django_db
def test_stale_progress_form_is_409_and_changes_nothing(plan, principal) -> None:
    task = plan.tasks.get(number="1.1")
    client = client_for(principal)
    client.post(
        reverse("plans:task_progress", args=[task.pk]),
        {"status": "in_progress", "progress": "30", "version": "1"},
    )

    stale = client.post(
        reverse("plans:task_progress", args=[task.pk]),
        {"status": "done", "progress": "100", "version": "1"},
    )

    assert stale.status_code == 409
    assert "vừa được người khác cập nhật" in stale.content.decode()
    assert Task.objects.get(pk=task.pk).progress == 30


@pytest.mark.django_db
def test_progress_out_of_range_is_422(plan, principal) -> None:
    task = plan.tasks.get(number="1.1")

    response = client_for(principal).post(
        reverse("plans:task_progress", args=[task.pk]),
        {"status": "in_progress", "progress": "150", "version": "1"},
    )

    assert response.status_code == 422
    assert "Tiến độ phải từ 0 đến 100%" in response.content.decode()


@pytest.mark.django_db
def test_done_sets_completion_and_counts_on_time(plan, principal) -> None:
    from cchc.kpi.registry import Period, measure
    from cchc.organizations.models import Unit

    task = plan.tasks.get(number="1.3")
    Task.objects.filter(pk=task.pk).update(due_on=timezone.localdate() + timedelta(days=5))
    services.task_update_progress(
        actor=principal.user, task=task, progress=10, status=TaskStatus.DONE
    )

    done = Task.objects.get(pk=task.pk)
    value = measure(
        "task_on_time_rate", Unit.objects.filter(pk=plan.unit_id), Period.year(plan.year)
    )
    assert (done.progress, done.completed_on) == (100, timezone.localdate())
    assert value.numerator >= 1


@pytest.mark.django_db
def test_evidence_rejects_wrong_type_and_accepts_pdf(plan, principal) -> None:
    task = plan.tasks.get(number="1.4")
    client = client_for(principal)
    url = reverse("plans:task_evidence", args=[task.pk])

    bad = client.post(url, {"title": "Tệp lạ", "file": SimpleUploadedFile("x.exe", b"MZ")})
    good = client.post(
        url, {"title": "Bài viết", "file": SimpleUploadedFile("bai-viet.pdf", b"%PDF-1.4 ...")}
    )
    link = client.post(url, {"title": "Đường dẫn", "url": "javascript:alert(1)"})

    assert bad.status_code == 422
    assert "Chỉ nhận tệp PDF" in bad.content.decode()
    assert good.status_code == 302
    assert link.status_code == 422
    assert task.evidence.count() == 1


@pytest.mark.django_db
def test_my_work_shows_duties_and_open_tasks(plan, seed_staff) -> None:
    vinh = seed_staff["Nguyễn Tấn Vinh"]
    Task.objects.filter(plan=plan, number="3.5").update(owner=vinh)

    body = client_for(vinh).get(reverse("plans:my_work")).content.decode()

    assert "Thực hiện công tác chuyển đổi số" in body
    assert "3.5." in body


# ---------------------------------------------------------------- reminders


@pytest.mark.django_db
def test_weekly_digest_is_one_mail_per_person_through_smtp(plan, seed_staff, smtp_server) -> None:
    trang = seed_staff["Nguyễn Thị Thanh Trang"]
    vinh = seed_staff["Nguyễn Tấn Vinh"]
    Task.objects.filter(plan=plan, number__in=["3.5", "3.4"]).update(
        owner=vinh, due_on=date(2026, 11, 20)
    )
    Task.objects.filter(plan=plan, number="3.3").update(owner=vinh, due_on=date(2026, 12, 3))

    counts = reminders.send_digests(today=date(2026, 11, 28))

    to = [rcpt for _, rcpts in smtp_server.envelopes for rcpt in rcpts]
    assert counts["sent"] == len(to) == len(set(to))  # one message per person
    vinh_mail = next(m for m in smtp_server.messages if m["To"] == vinh.email).get_content()
    assert "QUÁ HẠN (2)" in vinh_mail
    assert "SẮP ĐẾN HẠN TRONG 2 TUẦN" in vinh_mail
    trang_mail = next(m for m in smtp_server.messages if m["To"] == trang.email).get_content()
    assert "NHIỆM VỤ QUÁ HẠN CỦA ĐƠN VỊ" in trang_mail
    assert "chủ trì: Nguyễn Tấn Vinh" in trang_mail


# ---------------------------------------------------------------- activities


@pytest.mark.django_db
def test_activity_recorded_and_initiative_evaluated(plan, principal, colleague) -> None:
    task = plan.tasks.get(number="1.2")

    created = client_for(colleague).post(
        reverse("plans:activity_list"),
        {
            "kind": "initiative",
            "title": "Số hóa sổ theo dõi",
            "held_on": "2026-10-02",
            "task": task.pk,
        },
    )
    activity = task.activities.get()
    skip = client_for(principal).post(
        reverse("plans:initiative_status", args=[activity.pk]), {"status": "adopted"}, follow=True
    )
    evaluate = client_for(principal).post(
        reverse("plans:initiative_status", args=[activity.pk]), {"status": "evaluated"}
    )
    by_teacher = client_for(colleague).post(
        reverse("plans:initiative_status", args=[activity.pk]), {"status": "adopted"}
    )

    assert created.status_code == 302
    assert "Không thể chuyển sáng kiến" in skip.content.decode()
    assert evaluate.status_code == 302
    assert by_teacher.status_code == 403
    activity.refresh_from_db()
    assert activity.initiative_status == "evaluated"


@pytest.mark.django_db
def test_activity_form_errors_are_422(principal) -> None:
    response = client_for(principal).post(
        reverse("plans:activity_list"), {"kind": "training", "title": "", "held_on": "32/13/2026"}
    )

    assert response.status_code == 422
    assert "Ngày không hợp lệ" in response.content.decode()


# ---------------------------------------------------------------- API


@pytest.mark.django_db
def test_api_plan_tasks_and_optimistic_patch(plan, principal) -> None:
    client = client_for(principal)
    task = plan.tasks.get(number="2.1")

    listing = client.get("/api/v1/plans").json()
    detail = client.get(f"/api/v1/plans/{plan.pk}").json()
    tasks = client.get(f"/api/v1/plans/{plan.pk}/tasks").json()
    first = client.patch(
        f"/api/v1/tasks/{task.pk}",
        {"status": "in_progress", "progress": 20, "version": 1},
        content_type="application/json",
    )
    stale = client.patch(
        f"/api/v1/tasks/{task.pk}",
        {"status": "done", "progress": 100, "version": 1},
        content_type="application/json",
    )

    assert listing[0]["reference"] == "05/KH-THCSNTB"
    assert len(detail["targets"]) == 9
    assert len(tasks) == 12
    assert first.status_code == 200
    assert first.json()["version"] == 2
    assert stale.status_code == 409


@pytest.mark.django_db
def test_api_activity_create_validates(plan, principal, outsider) -> None:
    client = client_for(principal)

    ok = client.post(
        "/api/v1/activities",
        {
            "kind": "training",
            "title": "Tập huấn",
            "held_on": "2026-11-02",
            "participant_ids": [principal.pk],
        },
        content_type="application/json",
    )
    foreign = client.post(
        "/api/v1/activities",
        {
            "kind": "training",
            "title": "X",
            "held_on": "2026-11-02",
            "participant_ids": [outsider.pk],
        },
        content_type="application/json",
    )
    bad_kind = client.post(
        "/api/v1/activities",
        {"kind": "party", "title": "X", "held_on": "2026-11-02"},
        content_type="application/json",
    )

    assert ok.status_code == 201
    assert foreign.status_code == 422
    assert bad_kind.status_code == 422


@pytest.mark.django_db
def test_outsider_cannot_reach_plan_or_tasks(plan, outsider) -> None:
    client = client_for(outsider)
    task = plan.tasks.get(number="1.1")

    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("plans:task_detail", args=[task.pk])).status_code == 404
    assert client.get(f"/api/v1/plans/{plan.pk}").status_code == 404
    assert (
        client.patch(
            f"/api/v1/tasks/{task.pk}",
            {"status": "done", "progress": 100, "version": 1},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert Task.objects.get(pk=task.pk).status == TaskStatus.NOT_STARTED


@pytest.mark.django_db
def test_commune_officer_reads_school_plan_but_cannot_edit(plan, commune_officer) -> None:
    client = client_for(commune_officer)
    task = plan.tasks.get(number="1.1")

    page = client.get(reverse("plans:detail", args=[plan.pk]))
    edit = client.post(
        reverse("plans:task_progress", args=[task.pk]),
        {"status": "done", "progress": "100", "version": "1"},
    )

    assert page.status_code == 200
    assert edit.status_code == 403


@pytest.mark.django_db
def test_comment_form_only_for_the_units_own_staff(plan, principal, commune_officer) -> None:
    """The commune officer reads a school task but may not discuss it: no comment form on his
    page (posting answers 403); the school's own staff keep the form."""
    task = plan.tasks.get(number="1.1")
    url = reverse("plans:task_detail", args=[task.pk])
    action = reverse("plans:task_comment", args=[task.pk])

    commune = client_for(commune_officer).get(url)
    own = client_for(principal).get(url)
    refused = client_for(commune_officer).post(action, {"text": "Ý kiến của xã"})

    assert commune.status_code == 200
    assert action not in commune.content.decode()
    assert action in own.content.decode()
    assert refused.status_code == 403
