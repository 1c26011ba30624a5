"""The commune officer reads everything below him, on the pages as on the API (issue 16 item 7):
the schools' activities, and their procedures in the tracking book's filter; he is offered no
action on a school's record that he cannot take."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from cchc.dossiers import procedures
from cchc.plans import services
from tests.fixtures import client_for
from tests.test_tenancy import POST_URLS, STAFF_URLS


@pytest.mark.django_db
def test_he_sees_the_schools_activities_as_the_api_lists_them(
    commune_officer, principal, outsider, school
) -> None:
    services.activity_create(
        actor=principal.user,
        unit=school,
        kind="initiative",
        title="Số hóa sổ theo dõi công văn",
        held_on=date(2026, 10, 2),
    )

    page = client_for(commune_officer).get(reverse("plans:activity_list"))
    api = client_for(commune_officer).get("/api/v1/activities").json()
    other = client_for(outsider).get(reverse("plans:activity_list")).content.decode()

    body = page.content.decode()
    assert [a["title"] for a in api] == ["Số hóa sổ theo dõi công văn"]
    assert "Số hóa sổ theo dõi công văn" in body
    assert school.name in body
    # The school evaluates its own initiatives: no button for him (it would answer 403).
    assert reverse("plans:initiative_status", args=[api[0]["id"]]) not in body
    assert "Số hóa sổ theo dõi công văn" not in other


@pytest.mark.django_db
def test_his_procedure_filter_lists_the_schools_procedures(
    commune_officer, outsider, school, other_school
) -> None:
    mine = procedures.procedure_seed_defaults(actor=None, unit=school)[0]
    theirs = procedures.procedure_seed_defaults(actor=None, unit=other_school)[0]

    officer = client_for(commune_officer).get(reverse("dossiers:book")).content.decode()
    head = client_for(outsider).get(reverse("dossiers:book")).content.decode()

    assert f'<option value="{mine.pk}">{mine.name} — ' in officer
    assert f'<option value="{theirs.pk}">{theirs.name} — ' in officer
    assert f'<option value="{mine.pk}">' not in head
    assert f'<option value="{theirs.pk}">{theirs.name}</option>' in head


@pytest.mark.django_db
def test_he_reads_a_schools_dossiers_without_the_citizens_phone(
    commune_officer, clerk, school
) -> None:
    """Personal data only to those who need it: oversight needs no citizen's phone number."""
    from cchc.dossiers.models import Dossier, Procedure

    procedure = Procedure.objects.create(
        unit=school, name="Thủ tục thử", valid_from=date(2026, 1, 1), time_limit_value=5
    )
    dossier = Dossier.objects.create(
        unit=school,
        procedure=procedure,
        code=f"{school.code}-261102-0001",
        channel="in_person",
        applicant_name="Trần Thị Hoa",
        applicant_phone="0987654321",
    )
    officer = client_for(commune_officer)

    detail = officer.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    book = officer.get(reverse("dossiers:book")).content.decode()
    clerks_book = client_for(clerk).get(reverse("dossiers:book")).content.decode()

    assert "Trần Thị Hoa" in detail
    assert "0987654321" not in detail
    assert "Trần Thị Hoa" in book
    assert "0987654321" not in book
    assert "0987654321" in clerks_book


# His own actions on a school's records: appraising its reform-index self-assessment, deciding
# on its procedure reviews, and asking for reports (his own unit's, or the consolidated one).
COMMUNE_ACTIONS = {
    "kpi:assessment_act",
    "kpi:assessment_start",
    "reports:request",
    "simplification:act",
}
# Every form field the school-only actions read, filled with values their forms accept.
LOOKS_VALID = {
    "date": "2026-12-01",
    "is_working": "0",
    "reason": "Kiểm tra",
    "status": "done",
    "progress": "100",
    "version": "1",
    "title": "Kiểm tra",
    "url": "https://x.example",
    "text": "Kiểm tra",
    "note": "Kiểm tra",
    "done": "1",
    "recurrence": "once",
    "action": "return",
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POST_URLS - COMMUNE_ACTIONS))
def test_he_is_refused_a_school_only_action_before_his_form_is_read(
    name, commune_officer, school, settings, tmp_path
) -> None:
    """Permission before validation: an invalid form must not tell him 422 (and show the
    school's form with its errors) where a valid one answers 403."""
    from cchc.core.models import AuditEvent

    settings.MEDIA_ROOT = tmp_path / "media"
    url = STAFF_URLS[name](school)
    events = AuditEvent.objects.count()
    client = client_for(commune_officer)

    invalid = client.post(url, {"version": "x", "progress": "-5", "date": "không phải ngày"})
    valid = client.post(url, {**LOOKS_VALID, "don_vi": school.pk})

    assert invalid.status_code in (403, 404)
    assert valid.status_code in (403, 404)
    assert AuditEvent.objects.count() == events
    if name in SEEN_BUT_NOT_HIS:
        # He may read the record, so hiding it behind a 404 would be a lie: a 403, as elsewhere.
        assert client.get(STAFF_URLS[SEEN_BUT_NOT_HIS[name]](school)).status_code == 200
        assert invalid.status_code == 403
        assert valid.status_code == 403
        assert client.post(url, {**LOOKS_VALID, "action": "answer"}).status_code == 403


# School-only actions on a record whose page he may read (QA: a 404 where the GET answers 200).
SEEN_BUT_NOT_HIS = {"feedback:act": "feedback:detail", "dossiers:act": "dossiers:detail"}
