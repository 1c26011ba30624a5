"""Drill-down: each dashboard figure links to the list of the records it counts, filtered to the
unit and period, and only for a reader who may open that list."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from cchc.kpi import registry
from cchc.kpi.records import PAGES, records_for
from cchc.kpi.registry import Period
from tests.fixtures import client_for


def test_every_linked_code_is_an_indicator_and_every_rate_of_a_list_has_a_link() -> None:
    codes = {indicator.code for indicator in registry.all_indicators()}

    assert set(PAGES) <= codes
    # Only the simplification savings have no list of their own (they are on the review page).
    assert codes - set(PAGES) == {"compliance_cost_saved_rate", "compliance_cost_saved_vnd"}


@pytest.mark.django_db
def test_links_carry_the_unit_and_period_each_list_filters_by(principal, school) -> None:
    quarter = Period.parse("2026-Q3")
    half = Period.parse("2026-H1")

    book = records_for(principal.user, "dossier_on_time_rate", school, quarter)
    late = records_for(principal.user, "late_apology_rate", school, Period.year(2026))
    by_dates = records_for(principal.user, "dossier_on_time_rate", school, half)
    feedback = records_for(principal.user, "feedback_open_late_rate", school, quarter)

    assert book is not None
    assert late is not None
    assert by_dates is not None
    assert feedback is not None
    assert urlsplit(book.url).path == reverse("dossiers:book")
    assert parse_qs(urlsplit(book.url).query) == {"don_vi": [str(school.pk)], "ky": ["2026-Q3"]}
    assert parse_qs(urlsplit(late.url).query) == {
        "don_vi": [str(school.pk)],
        "ky": ["2026"],
        "tre_han": ["1"],
    }
    assert parse_qs(urlsplit(by_dates.url).query)["tu_ngay"] == ["2026-01-01"]
    assert parse_qs(urlsplit(by_dates.url).query)["den_ngay"] == ["2026-06-30"]
    assert parse_qs(urlsplit(feedback.url).query) == {
        "tu_ngay": ["2026-07-01"],
        "den_ngay": ["2026-09-30"],
        "qua_han": ["on"],
    }
    for code in PAGES:
        link = records_for(principal.user, code, school, quarter)
        assert link is not None, code
        assert client_for(principal).get(link.url).status_code == 200, (code, link.url)


@pytest.mark.django_db
def test_a_teacher_gets_no_link_to_lists_he_may_not_open(colleague, school) -> None:
    year = Period.year(2026)

    assert records_for(colleague.user, "dossier_on_time_rate", school, year) is None
    assert records_for(colleague.user, "cashless_rate", school, year) is None
    assert records_for(colleague.user, "task_on_time_rate", school, year) is not None


@pytest.mark.django_db
def test_another_schools_reader_gets_no_link(outsider, school) -> None:
    assert records_for(outsider.user, "dossier_on_time_rate", school, Period.year(2026)) is None


@pytest.mark.django_db
def test_the_unit_dashboard_links_each_figure_to_its_records(principal, school) -> None:
    body = (
        client_for(principal)
        .get(reverse("kpi:unit") + f"?don_vi={school.pk}&ky=2026-Q3&truc_tiep=1")
        .content.decode()
    )

    expected = records_for(principal.user, "dossier_on_time_rate", school, Period.parse("2026-Q3"))
    assert expected is not None
    assert f'href="{expected.url.replace("&", "&amp;")}"' in body
    assert "Xem phản ánh, kiến nghị" in body
