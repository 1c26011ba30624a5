"""The KPI, 766, self-assessment, scorecard and report endpoints: the same figures and the same
scope as the pages, Vietnamese 422/404 for a bad period or a unit one may not read."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from docx import Document

from cchc.accounts.services import api_token_create
from cchc.kpi import assessments


def api(staff) -> Client:
    _, raw = api_token_create(user=staff.user, name="Kiểm thử", second_factor_passed=True)
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.mark.django_db
def test_kpi_lists_every_indicator_with_value_goal_status_and_definition(figures, principal):
    response = api(principal).get("/api/v1/kpi/?period=2026-Q1")

    body = response.json()
    rows = {row["code"]: row for row in body["indicators"]}
    assert response.status_code == 200
    assert body["unit"]["id"] == figures.pk
    assert body["period"] == {"text": "2026-Q1", "start": "2026-01-01", "end": "2026-03-31"}
    # D1, D2 and D4 (open, within time) of 5 accepted dossiers: 3 ÷ 5.
    assert rows["dossier_on_time_rate"]["value"] == 60.0
    assert (
        rows["dossier_on_time_rate"]["numerator"],
        rows["dossier_on_time_rate"]["denominator"],
    ) == (3, 5)
    assert rows["dossier_on_time_rate"]["definition"]
    assert {"goal", "status", "target"} <= set(rows["dossier_on_time_rate"])


@pytest.mark.django_db
def test_an_empty_period_is_null_not_zero(school, principal):
    rows = {
        r["code"]: r for r in api(principal).get("/api/v1/kpi/?period=2025").json()["indicators"]
    }

    assert rows["dossier_on_time_rate"]["value"] is None
    assert rows["dossier_on_time_rate"]["display"] == "chưa đo được"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/api/v1/kpi/", "/api/v1/kpi/index766", "/api/v1/kpi/scorecards"],
)
def test_a_bad_period_is_a_vietnamese_422(school, principal, path):
    response = api(principal).get(f"{path}?period=2026-Q5")

    assert response.status_code == 422
    assert "quý 1–4" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/kpi/?unit={id}",
        "/api/v1/kpi/index766?unit={id}",
        "/api/v1/kpi/assessments?unit={id}",
        "/api/v1/kpi/scorecards?unit={id}",
        "/api/v1/reports?unit={id}",
        "/api/v1/reports/download?unit={id}&period=2026",
    ],
)
def test_another_school_or_an_unknown_unit_is_404(school, outsider, path):
    client = api(outsider)

    hidden = client.get(path.format(id=school.pk))
    unknown = client.get(path.format(id=999_999))

    assert hidden.status_code == 404
    assert hidden.json()["detail"] == "Không tìm thấy dữ liệu."
    assert unknown.status_code == 404


@pytest.mark.django_db
def test_the_commune_reads_its_schools(figures, other_school, commune_officer):
    client = api(commune_officer)

    kpi = client.get(f"/api/v1/kpi/?unit={figures.pk}&period=2026-Q1")
    index = client.get(f"/api/v1/kpi/index766?unit={other_school.pk}")
    cards = client.get(f"/api/v1/kpi/scorecards?unit={figures.pk}&period=2026-Q1")

    assert kpi.status_code == 200
    assert index.status_code == 200
    assert index.json()["groups"]
    assert [c["full_name"] for c in cards.json()][:2] == ["Phan Văn Lợi", "Lê Thị Thanh Thủy"]


@pytest.mark.django_db
def test_scorecards_a_person_reads_only_their_own(figures, colleague, principal):
    client = api(colleague)

    own = client.get(f"/api/v1/kpi/scorecards/{colleague.pk}?period=2026-Q1")
    other = client.get(f"/api/v1/kpi/scorecards/{principal.pk}?period=2026-Q1")
    ranking = client.get("/api/v1/kpi/scorecards?period=2026-Q1")

    assert own.status_code == 200
    assert own.json()["official"]["score"] == 5.7
    assert own.json()["official"]["reading"] == "Hoàn thành 100% nhiệm vụ"
    assert own.json()["dossiers"] == {
        "on_time": 3,
        "total": 4,
        "rate": 75.0,
        "display": "75% (3/4)",
    }
    assert other.status_code == 404
    assert ranking.status_code == 404


@pytest.mark.django_db
def test_the_principal_gets_the_ranked_unit_with_na_for_no_data(figures, principal):
    cards = api(principal).get("/api/v1/kpi/scorecards?period=2026-Q1").json()

    assert [c["rank"] for c in cards] == [1, 2, 3]
    assert cards[2]["official"]["score"] is None
    assert cards[2]["dossiers"]["rate"] is None
    assert cards[2]["tasks"]["display"] == "33,33% (1/3)"


@pytest.mark.django_db
def test_assessments_read_and_submit(school, principal, outsider):
    assessment = assessments.assessment_start(actor=principal.user, unit=school, year=2026)
    client = api(principal)

    listed = client.get("/api/v1/kpi/assessments?year=2026").json()
    stale = client.post(
        f"/api/v1/kpi/assessments/{assessment.pk}/submit",
        {"revision": assessment.revision + 5},
        content_type="application/json",
    )
    unscored = client.post(
        f"/api/v1/kpi/assessments/{assessment.pk}/submit",
        {"revision": assessment.revision},
        content_type="application/json",
    )

    assert [a["id"] for a in listed] == [assessment.pk]
    assert listed[0]["criteria"]
    assert stale.status_code == 409
    assert unscored.status_code == 422
    assert "chưa được chấm điểm" in unscored.json()["detail"]
    assert api(outsider).get(f"/api/v1/kpi/assessments/{assessment.pk}").status_code == 404
    assert api(outsider).get("/api/v1/kpi/assessments").json() == []


@pytest.mark.django_db
def test_reports_are_listed_and_downloaded_with_the_figures(figures, principal):
    client = api(principal)

    listed = client.get("/api/v1/reports").json()
    response = client.get("/api/v1/reports/download?period=2026-Q1&format=docx")
    by_month = client.get("/api/v1/reports/download?period=2026-11")

    assert "2026-Q1" in [r["period"] for r in listed]
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    cells = [
        c.text
        for t in Document(io.BytesIO(response.content)).tables
        for r in t.rows
        for c in r.cells
    ]
    # Q1's data window is 15/12/2025–14/03/2026 (reporting calendar, Decree 09/2019): D4,
    # received 25/03, is the next report's; D1 and D2 of D1, D2, D3, D5 on time.
    assert any("50% (2/4)" in cell for cell in cells)
    assert by_month.status_code == 422
    assert "Kỳ báo cáo" in by_month.json()["detail"]
    # Q2 is not in the default calendar (the half-year report replaces it): refused as on the
    # report page, and not listed.
    q2 = client.get("/api/v1/reports/download?period=2026-Q2&format=xlsx")
    assert q2.status_code == 422
    assert "không có trong lịch báo cáo" in q2.json()["detail"]
    assert "2026-Q2" not in [r["period"] for r in listed]
