"""The reporting calendar: Decree 09/2019 cut-offs, due dates on working days, the commune's own
calendar inherited by its schools, overdue reports for the roll-up, and reminders sent once per
due date through a real SMTP server."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse

from cchc.core.timezones import VN
from cchc.reports import calendar, reminders
from cchc.reports.models import Report, ReportingRule, ReportReminder, ReportStatus
from cchc.reports.selectors import overdue_reports
from tests.fixtures import client_for

HCM = VN


def _joined(unit, day: date) -> None:
    type(unit).objects.filter(pk=unit.pk).update(created_at=datetime(day.year, 1, 2, tzinfo=HCM))
    unit.refresh_from_db()


@pytest.mark.django_db
def test_default_calendar_follows_decree_09_cutoffs_and_working_days(school) -> None:
    dues = {d.period: d for d in calendar.unit_calendar(school, 2026)}

    assert list(dues) == ["2026-Q1", "2026-H1", "2026-Q3", "2026"]
    q1 = dues["2026-Q1"]
    assert (q1.cutoff_from, q1.cutoff_to) == (date(2025, 12, 15), date(2026, 3, 14))
    # 14/03/2026 is a Saturday: two working days after it are Monday 16 and Tuesday 17.
    assert q1.due_on == date(2026, 3, 17)
    assert q1.remind_on == date(2026, 3, 10)
    assert (dues["2026-H1"].cutoff_from, dues["2026-H1"].cutoff_to) == (
        date(2025, 12, 15),
        date(2026, 6, 14),
    )
    assert dues["2026-H1"].due_on == date(2026, 6, 16)
    assert dues["2026"].cutoff_from == date(2025, 12, 15)
    assert dues["2026"].due_on == date(2026, 12, 16)
    assert q1.source == "default"


@pytest.mark.django_db
def test_schools_follow_the_communes_calendar_and_a_fixed_sunday_moves_on(
    commune, school, principal
) -> None:
    ReportingRule.objects.create(
        unit=commune,
        slot="Q1",
        due_month=4,
        due_day=5,  # Sunday 05/04/2026
        cutoff_from_month=12,
        cutoff_from_day=15,
        cutoff_to_month=3,
        cutoff_to_day=14,
        remind_days_before=3,
    )

    dues = calendar.unit_calendar(school, 2026)

    assert [d.period for d in dues] == ["2026-Q1"]
    assert dues[0].due_on == date(2026, 4, 6)
    assert dues[0].source == "parent"


@pytest.mark.django_db
def test_overdue_reports_flag_a_school_until_its_report_is_built(school, other_school) -> None:
    _joined(school, date(2026, 1, 2))
    today = date(2026, 3, 20)

    late = overdue_reports([school, other_school], today)

    assert [d.period for d in late[school.pk]] == ["2026-Q1"]
    assert late[school.pk][0].days_overdue(today) == 3
    assert other_school.pk not in late  # joined today (30/11/2026 or later): not chased back
    Report.objects.create(
        unit=school,
        period="2026-Q1",
        status=ReportStatus.READY,
        built_at=datetime(2026, 3, 19, 9, 0, tzinfo=HCM),
    )
    assert overdue_reports([school], today) == {}
    made = calendar.unit_calendar(school, 2026)[0]
    assert made.status(today) == "late"
    assert made.made_on == date(2026, 3, 19)


@pytest.mark.django_db
def test_reminders_are_mailed_once_before_and_once_after_the_due_date(
    smtp_server, commune, school, principal, commune_officer
) -> None:
    _joined(school, date(2026, 1, 2))
    _joined(commune, date(2026, 1, 2))

    first = reminders.send_reminders(today=date(2026, 3, 12))
    again = reminders.send_reminders(today=date(2026, 3, 13))

    assert first["sent"] == 1
    assert again["sent"] == 0
    assert again["already"] == 1
    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == principal.email
    assert message["Subject"].strip() == "[CCHC] Hạn nộp báo cáo CCHC quý I năm 2026: 17/03/2026"
    body = message.get_content()
    assert "còn 5 ngày" in body
    assert "từ ngày 15/12/2025 đến ngày 14/03/2026" in body
    # The commune has no principal with an address: counted, not sent to anyone else.
    assert first["skipped"] == 1

    late = reminders.send_reminders(today=date(2026, 3, 18))
    reminders.send_reminders(today=date(2026, 3, 25))

    assert late["sent"] == 1
    assert len(smtp_server.messages) == 2
    overdue = smtp_server.messages[1]["Subject"].strip()
    assert overdue.startswith("[CCHC] Quá hạn báo cáo CCHC quý I")
    assert ReportReminder.objects.filter(unit=school).count() == 2


@pytest.mark.django_db
def test_no_reminder_once_the_report_is_built(smtp_server, school, principal) -> None:
    _joined(school, date(2026, 1, 2))
    Report.objects.create(
        unit=school,
        period="2026-Q1",
        status=ReportStatus.READY,
        built_at=datetime(2026, 3, 9, 9, 0, tzinfo=HCM),
    )

    assert reminders.send_reminders(today=date(2026, 3, 12))["sent"] == 0
    assert smtp_server.messages == []


@pytest.mark.django_db
def test_calendar_page_shows_each_visible_unit(commune_officer, outsider, school) -> None:
    url = reverse("reports:calendar") + "?nam=2026"

    officer = client_for(commune_officer).get(url).content.decode()
    assert school.name in officer
    assert "17/03/2026" in officer
    assert "Điều 12 Nghị định 09/2019/NĐ-CP" in officer
    assert school.name not in client_for(outsider).get(url).content.decode()
    assert client_for(outsider).get(reverse("reports:calendar") + "?nam=x").status_code == 200


def _form(**slots: dict) -> dict[str, str]:
    """The calendar form's POST: the given slots used with their values, the others unused."""
    data: dict[str, str] = {}
    for slot in ("Q1", "Q2", "H1", "Q3", "Q4", "H2", "Y"):
        base = {
            "cutoff_from_day": "15",
            "cutoff_from_month": "12",
            "cutoff_to_day": "14",
            "cutoff_to_month": "3",
            "due_workdays": "2",
            "due_day": "",
            "due_month": "",
            "remind_days_before": "7",
            "responsible": "",
        }
        if slot in slots:
            base |= {"used": "on", **slots[slot]}
        data |= {f"{slot}-{key}": value for key, value in base.items()}
    return data


@pytest.mark.django_db
def test_the_commune_sets_its_schools_calendar_and_a_school_its_own(
    commune, school, principal, commune_officer, colleague
) -> None:
    url = reverse("reports:calendar_edit")
    saved = client_for(commune_officer).post(url, _form(Q1={"due_day": "10", "due_month": "4"}))

    assert saved.status_code == 302
    dues = calendar.unit_calendar(school, 2026)
    assert [(d.period, d.due_on, d.source) for d in dues] == [
        ("2026-Q1", date(2026, 4, 10), "parent")
    ]
    from cchc.core.models import AuditEvent

    assert AuditEvent.objects.filter(verb="reports.calendar_save", unit=commune).exists()

    own = client_for(principal).post(
        url,
        _form(
            H1={"cutoff_to_month": "6", "remind_days_before": "3", "responsible": str(principal.pk)}
        ),
    )
    assert own.status_code == 302
    (h1,) = calendar.unit_calendar(school, 2026)
    assert (h1.period, h1.due_on, h1.responsible, h1.source) == (
        "2026-H1",
        date(2026, 6, 16),
        principal,
        "unit",
    )

    bad = client_for(principal).post(url, _form(H1={"cutoff_to_day": "31", "cutoff_to_month": "6"}))
    assert bad.status_code == 422
    assert "tháng 6 không có ngày 31" in bad.content.decode()
    assert ReportingRule.objects.get(unit=school).cutoff_to_day == 14  # nothing half-written

    assert client_for(principal).post(url, {"action": "reset"}).status_code == 302
    assert calendar.unit_calendar(school, 2026)[0].source == "parent"
    assert client_for(colleague).get(url).status_code == 403
    assert client_for(commune_officer).get(url + f"?don_vi={school.pk}").status_code == 403


@pytest.mark.django_db
def test_rollup_flag_names_the_overdue_reports(school, other_school) -> None:
    """The flag the commune's roll-up shows for a school behind with its reports."""
    from cchc.kpi.registry import Period
    from cchc.reports.rollup_flags import overdue_flags

    _joined(school, date(2026, 1, 2))

    flags = overdue_flags([school, other_school], Period.parse("2026"), date(2026, 6, 20))

    assert list(flags) == [school.pk]
    (flag,) = flags[school.pk]
    assert flag.label == "Quá hạn báo cáo: quý I năm 2026, 6 tháng đầu năm 2026"
    assert flag.url.startswith("/quan-ly/bao-cao/lich/")


def test_the_commune_roll_up_asks_the_reporting_calendar_for_flags() -> None:
    from cchc.kpi.rollup import flag_providers
    from cchc.reports.rollup_flags import overdue_flags

    assert overdue_flags in flag_providers()


@pytest.mark.django_db(transaction=True)
def test_the_demo_school_owes_the_reports_of_its_demo_year() -> None:
    """QA: the demo's records start in January, so its school is not "new" in the system and
    the reports it has not made since are overdue (and flagged on the commune's roll-up)."""
    from django.utils import timezone

    from cchc.organizations.demo import SCHOOL, seed_base
    from cchc.organizations.models import Unit

    seed_base()
    school = Unit.objects.get(code=SCHOOL["code"])
    today = timezone.localdate()

    assert timezone.localdate(school.created_at) <= date(today.year, 1, 2)
    if today >= date(today.year, 4, 30):  # the first quarter's report is due by then
        assert overdue_reports([school], today)[school.pk]
