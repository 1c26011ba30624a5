"""The Django side of the calendar: unit overrides, CLI, API and the "Lịch làm việc" page."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.organizations.models import DeadlineMode
from cchc.workdays import services
from cchc.workdays.models import CalendarOverride
from tests.fixtures import client_for

ROOT = Path(__file__).resolve().parents[3]


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue().strip()


# ---------------------------------------------------------------- CLI


@pytest.mark.django_db
def test_cli_add_prints_iso_due_date_across_tet() -> None:
    assert run("add", "2026-02-10", "5") == "2026-02-24"


@pytest.mark.django_db
def test_cli_add_applies_the_cutoff() -> None:
    # Monday 09/02/2026: before 15:00 counts from that day, after 15:00 from Tuesday.
    assert run("add", "2026-02-09", "5", "--at", "09:00") == "2026-02-23"
    assert run("add", "2026-02-09", "5", "--at", "15:00") == "2026-02-23"
    assert run("add", "2026-02-09", "5", "--at", "16:00") == "2026-02-24"


@pytest.mark.django_db
def test_cli_between_counts_working_days_after_first_date() -> None:
    assert run("between", "2026-02-10", "2026-02-24") == "5"
    assert run("between", "2025-12-31", "2026-01-09") == "5"
    assert run("between", "2025-12-31", "2026-01-10") == "6"  # Sat 10/01/2026 is worked


@pytest.mark.django_db
def test_cli_year_json_lists_weekday_days_off_and_makeup_days() -> None:
    days = {d["date"]: d for d in json.loads(run("year", "2026", "--json"))}

    assert days["2026-01-02"]["kind"] == "swap_off"
    assert days["2026-01-10"]["kind"] == "makeup"
    assert days["2026-08-22"]["kind"] == "makeup"
    assert days["2026-11-24"]["pending"] is True
    assert "2026-02-14" not in days  # a Saturday inside Tết changes nothing
    assert {"2026-02-16", "2026-02-20", "2026-04-27", "2026-08-31"} <= set(days)
    assert set(days["2026-01-02"]) == {"date", "kind", "name", "reference", "pending"}


@pytest.mark.django_db
def test_cli_explain_names_tet_with_reference() -> None:
    text = run("explain", "2026-02-10", "5")

    assert text.splitlines()[0] == "Hạn: 24/02/2026 (5 ngày làm việc sau 10/02/2026)"
    assert "14/02–22/02: Tết Nguyên đán Bính Ngọ" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "2026-02-30", "5"), "Ngày không hợp lệ"),
        (("add", "2026-02-10", "-1"), "Số ngày phải từ 0 đến 10.000"),
        (("add", "2026-02-10", "10001"), "Số ngày phải từ 0 đến 10.000"),
        (("add", "2026-02-10", "năm"), "Số ngày không hợp lệ"),
        (("add", "2026-02-10", "5", "--at", "25:00"), "Giờ không hợp lệ"),
        (("year", "1989"), "Năm phải từ 1990 đến 2100"),
        (("between", "2026-01-01", "2101-01-01"), "2100"),
    ],
)
def test_cli_bad_input_is_a_clear_message(args, message) -> None:
    with pytest.raises(CommandError, match=message) as raised:
        run(*args)

    assert raised.value.returncode == 2


def test_cli_exit_code_is_2_without_traceback() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}

    result = subprocess.run(
        [sys.executable, "-m", "cchc.cli", "workdays", "add", "2026-13-01", "5"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 2
    assert "Ngày không hợp lệ" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- services


@pytest.mark.django_db
def test_override_applies_to_unit_and_units_below(principal, commune, school) -> None:
    from tests.factories import StaffFactory

    commune_head = StaffFactory(unit=commune, roles=["principal"])
    services.override_set(
        actor=commune_head.user,
        unit=commune,
        on=date(2026, 12, 1),
        is_working=False,
        reason="UBND xã cho nghỉ (thử)",
    )

    assert not services.calendar_for_unit(school).is_working_day(date(2026, 12, 1))
    assert not services.calendar_for_unit(commune).is_working_day(date(2026, 12, 1))
    assert services.calendar_for_unit(None).is_working_day(date(2026, 12, 1))


@pytest.mark.django_db
def test_nearest_unit_override_wins(principal, commune, school) -> None:
    CalendarOverride.objects.create(
        unit=commune, date=date(2026, 12, 1), is_working=False, reason="Xã nghỉ"
    )

    services.override_set(
        actor=principal.user, unit=school, on=date(2026, 12, 1), is_working=True, reason="Trường"
    )

    assert services.calendar_for_unit(school).is_working_day(date(2026, 12, 1))
    assert not services.calendar_for_unit(commune).is_working_day(date(2026, 12, 1))


@pytest.mark.django_db
def test_override_is_audited_and_replaces_same_day(principal, school) -> None:
    services.override_set(
        actor=principal.user, unit=school, on=date(2026, 11, 24), is_working=False, reason="A"
    )
    services.override_set(
        actor=principal.user, unit=school, on=date(2026, 11, 24), is_working=False, reason="B"
    )

    assert CalendarOverride.objects.get(unit=school).reason == "B"
    events = AuditEvent.objects.filter(unit=school, verb="workdays.override_set").order_by("seq")
    assert [e.after["reason"] for e in events] == ["A", "B"]
    assert events[1].before["reason"] == "A"


@pytest.mark.django_db
def test_teacher_may_not_change_the_calendar(colleague, school) -> None:
    with pytest.raises(PermissionDenied):
        services.override_set(
            actor=colleague.user, unit=school, on=date(2026, 12, 2), is_working=False, reason="x"
        )

    assert not CalendarOverride.objects.exists()


@pytest.mark.django_db
def test_override_needs_a_reason(principal, school) -> None:
    with pytest.raises(ValidationError):
        services.override_set(
            actor=principal.user, unit=school, on=date(2026, 12, 2), is_working=False, reason=" "
        )


@pytest.mark.django_db
def test_calendar_cache_sees_a_deleted_override(principal, school) -> None:
    override = services.override_set(
        actor=principal.user, unit=school, on=date(2026, 12, 2), is_working=False, reason="x"
    )
    assert not services.calendar_for_unit(school).is_working_day(date(2026, 12, 2))

    services.override_delete(actor=principal.user, override=override)

    assert services.calendar_for_unit(school).is_working_day(date(2026, 12, 2))


@pytest.mark.django_db
def test_due_for_unit_by_date_rule_and_by_working_hours(school) -> None:
    received = datetime(2026, 3, 2, 9, 0)  # Monday

    by_date = services.due_for_unit(unit=school, received_at=received, days=2)
    school.deadline_mode = DeadlineMode.WORKING_HOURS
    by_hours = services.due_for_unit(unit=school, received_at=received, days=2)

    assert by_date == date(2026, 3, 4)
    assert by_hours == datetime(2026, 3, 4, 9, 0)


# ---------------------------------------------------------------- API


@pytest.mark.django_db
def test_api_add_matches_cli(citizen) -> None:
    body = citizen.get("/api/v1/workdays/add?start=2026-02-09&days=5&at=16:00").json()

    assert body["due"] == "2026-02-24"
    assert body["effective_receipt_date"] == "2026-02-10"
    assert body["explanation"][0].startswith("Hạn: 24/02/2026")


@pytest.mark.django_db
def test_api_year_matches_cli(citizen) -> None:
    api = citizen.get("/api/v1/workdays/year/2026").json()

    assert api == json.loads(run("year", "2026", "--json"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/workdays/add?start=2026-02-30&days=5",
        "/api/v1/workdays/add?start=2026-02-10&days=-1",
        "/api/v1/workdays/add?start=2026-02-10&days=10001",
        "/api/v1/workdays/add?start=2026-02-10&days=5&at=9h",
        "/api/v1/workdays/add?start=2100-12-30&days=50",
        "/api/v1/workdays/year/1989",
        "/api/v1/workdays/year/abc",
    ],
)
def test_api_bad_input_is_422_in_vietnamese(citizen, url) -> None:
    response = citizen.get(url)

    assert response.status_code == 422
    assert response.json()["detail"]


# ---------------------------------------------------------------- page


@pytest.mark.django_db
def test_calendar_page_shows_year_with_references(colleague) -> None:
    response = client_for(colleague).get(reverse("workdays:year") + "?nam=2026")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Tết Nguyên đán Bính Ngọ" in body
    assert "12729/VPCP-KGVX" in body
    assert "Chờ luật hóa" in body
    assert "Thêm điều chỉnh" not in body  # teachers read, do not edit


@pytest.mark.django_db
def test_calendar_page_flags_estimated_year(colleague) -> None:
    body = client_for(colleague).get(reverse("workdays:year") + "?nam=2027").content.decode()

    assert "ước tính" in body


@pytest.mark.django_db
def test_calendar_page_bad_year_is_400(colleague) -> None:
    response = client_for(colleague).get(reverse("workdays:year") + "?nam=3000")

    assert response.status_code == 400
    assert "Năm phải là số từ 1990 đến 2100" in response.content.decode()


@pytest.mark.django_db
def test_principal_adds_and_deletes_an_override(principal, school) -> None:
    client = client_for(principal)

    created = client.post(
        reverse("workdays:override_create"),
        {"date": "2026-12-04", "is_working": "0", "reason": "Nghỉ bầu cử (thử)"},
    )
    override = CalendarOverride.objects.get(unit=school)
    page = client.get(reverse("workdays:year") + "?nam=2026").content.decode()
    deleted = client.post(reverse("workdays:override_delete", args=[override.pk]))

    assert created.status_code == 302
    assert "Nghỉ bầu cử (thử)" in page
    assert deleted.status_code == 302
    assert not CalendarOverride.objects.exists()


@pytest.mark.django_db
def test_invalid_override_form_is_422_with_field_message(principal) -> None:
    response = client_for(principal).post(
        reverse("workdays:override_create"), {"date": "31/02/2026", "is_working": "0"}
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert "Ngày không hợp lệ" in body
    assert "Hãy ghi lý do hoặc căn cứ" in body
    assert not CalendarOverride.objects.exists()


@pytest.mark.django_db
def test_teacher_post_is_forbidden(colleague) -> None:
    response = client_for(colleague).post(
        reverse("workdays:override_create"),
        {"date": "2026-12-04", "is_working": "0", "reason": "x"},
    )

    assert response.status_code == 403
    assert not CalendarOverride.objects.exists()
