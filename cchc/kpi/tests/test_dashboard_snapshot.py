"""The unit dashboard reads last night's snapshot of the period (stamped "Số liệu đến hết ngày"),
measures live on request ("Tính trực tiếp") or when the period has no snapshot, shows a figure
read back exactly as measured (a sampled rate with its interval), and measures an indicator the
snapshot lacks live up to the same day."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from cchc.core.timezones import VN
from cchc.kpi import selectors
from cchc.kpi.models import PeriodSnapshot, Snapshot
from cchc.kpi.registry import Period
from tests.fixtures import client_for


def _figure(body: str, name: str) -> str:
    """The value cell of the row of the indicator named `name`."""
    row = body.split(name, 1)[1].split("</tr>", 1)[0]
    cell = row.split("<td", 2)[1]  # cells may carry a data-label for the phone layout
    # The figure itself, without the link to its records under it.
    return cell.split(">", 1)[1].split("</td>", 1)[0].split("<br>", 1)[0]


@pytest.mark.django_db
def test_the_dashboard_reads_last_nights_snapshot_stamped_and_live_on_request(
    principal, school
) -> None:
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    # No dossier and no rating exist: these figures can only come from the snapshot.
    for code, n, d in (("dossier_on_time_rate", 9, 10), ("satisfaction_rate", 3, 4)):
        Snapshot.objects.create(unit=school, code=code, day=yesterday, numerator=n, denominator=d)
    client = client_for(principal)

    body = client.get(reverse("kpi:unit")).content.decode()
    assert f"Số liệu đến hết ngày {yesterday:%d/%m/%Y}" in body
    assert _figure(body, "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn") == "90% (9/10)"
    # Read back as measured: a sampled rate keeps its 95% interval.
    assert "75% (3/4); khoảng tin cậy 95%" in body
    assert "?truc_tiep=1" in body

    live = client.get(reverse("kpi:unit") + "?truc_tiep=1").content.decode()
    assert "Số liệu tính trực tiếp đến thời điểm xem trang." in live
    assert _figure(live, "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn") == "chưa đo được"
    assert "Xem số liệu ảnh chụp hằng đêm" in live


@pytest.mark.django_db
def test_an_indicator_missing_from_the_snapshot_is_measured_to_the_same_day(school) -> None:
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    Snapshot.objects.create(
        unit=school, code="dossier_on_time_rate", day=yesterday, numerator=9, denominator=10
    )
    year = Period.year(today.year)

    measures, as_of = selectors.dashboard_measures(school, year, today=today)
    live, none = selectors.dashboard_measures(school, year, today=today, live=True)

    assert (as_of, none) == (yesterday, None)
    assert set(measures) == set(live)
    assert (measures["dossier_on_time_rate"].numerator, as_of) == (9, yesterday)
    assert measures["feedback_received_count"].display() == "0 phản ánh, kiến nghị"


@pytest.mark.django_db
def test_a_quarter_reads_its_rows_and_a_half_year_is_live(principal, school) -> None:
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    quarter = f"{yesterday.year}-Q{(yesterday.month + 2) // 3}"
    PeriodSnapshot.objects.create(
        unit=school,
        code="dossier_on_time_rate",
        period=quarter,
        day=yesterday,
        numerator=1,
        denominator=4,
    )
    client = client_for(principal)

    body = client.get(reverse("kpi:unit") + f"?ky={quarter}").content.decode()
    assert f"Số liệu đến hết ngày {yesterday:%d/%m/%Y}" in body
    assert _figure(body, "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn") == "25% (1/4)"
    assert f"ky={quarter}&amp;truc_tiep=1" in body

    half = client.get(reverse("kpi:unit") + f"?ky={yesterday.year}-H1").content.decode()
    assert "Số liệu tính trực tiếp đến thời điểm xem trang." in half
    assert "Xem số liệu ảnh chụp hằng đêm" not in half


@pytest.mark.django_db
def test_a_snapshot_not_taken_since_says_so(principal, school) -> None:
    now = datetime(2026, 11, 30, 10, 0, tzinfo=VN)
    Snapshot.objects.create(
        unit=school,
        code="dossier_on_time_rate",
        day=date(2026, 11, 26),
        numerator=9,
        denominator=10,
    )

    with mock.patch("django.utils.timezone.now", return_value=now):
        body = client_for(principal).get(reverse("kpi:unit")).content.decode()

    assert "Số liệu đến hết ngày 26/11/2026" in body
    assert "chưa được cập nhật sau ngày 26/11/2026" in body
