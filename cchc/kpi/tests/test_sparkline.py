"""Trend lines on their own scale (QA walk: 93–95% drawn in 28 px of a 0–100% box looked flat,
with no dates or values): the line spans the series' own lowest to highest value (a flat series
keeps a floor), the first and last value and date are written beside it, each point has its own
<title>; the landing page's targets carry the same line under their arrow."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cchc.dossiers.tests.factories import at, frozen_at
from cchc.kpi.models import Snapshot
from cchc.kpi.overview import overview_for_user
from cchc.kpi.sparkline import HEIGHT, PAD, sparkline
from cchc.plans import importing
from cchc.plans.tests.conftest import SEED
from tests.fixtures import client_for

WEEKS = [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
#: A year's line steps by month (the last snapshot night of each month): the pages' histories.
MONTHS = [date(2026, 8, 31), date(2026, 9, 30), date(2026, 10, 31), date(2026, 11, 23)]


def _ys(svg: str) -> list[float]:
    [points] = re.findall(r'<polyline[^>]* points="([^"]+)"', svg)
    return [float(pair.split(",")[1]) for pair in points.split()]


def test_a_rate_between_93_and_95_percent_fills_the_height_with_its_figures_beside() -> None:
    line = sparkline(
        list(zip(WEEKS, [Decimal(93), Decimal("94.5"), None, Decimal(95)], strict=True)),
        label="Diễn biến Mức độ hài lòng",
    )
    ys = _ys(line)
    assert ys == [HEIGHT - PAD, pytest.approx(HEIGHT / 2 - (HEIGHT / 2 - PAD) / 2), PAD]
    titles = re.findall(r"<circle[^>]*><title>([^<]+)</title></circle>", line)
    assert titles == ["02/11/2026: 93,0%", "09/11/2026: 94,5%", "23/11/2026: 95,0%"]
    assert re.search(r"93,0% <span[^>]*>02/11/2026</span>.*→.*95,0% <span[^>]*>23/11/2026", line)
    assert "thấp nhất 93,0%, cao nhất 95,0%" in line
    assert "<title>Diễn biến Mức độ hài lòng: 93,0% ngày 02/11/2026 đến 95,0% ngày 23/11/2026" in (
        line
    )


def test_a_flat_series_is_a_level_line_in_the_middle_and_one_point_is_none() -> None:
    flat = sparkline([(WEEKS[0], Decimal(95)), (WEEKS[1], Decimal("95.1"))], label="x")
    ys = _ys(flat)
    assert all(abs(y - HEIGHT / 2) < 2 for y in ys)  # 0,1 point is not blown up (floor 2)
    assert sparkline([(WEEKS[0], Decimal(95)), (WEEKS[1], None)], label="x") == ""


@pytest.mark.django_db
def test_the_landing_page_draws_the_targets_trend_under_its_arrow(school, principal) -> None:
    pending = importing.plan_import_preview(
        actor=principal.user, unit=school, filename="kh.txt", data=SEED.read_bytes()
    )
    importing.plan_import_confirm(actor=principal.user, pending=pending)
    for day, n in zip(MONTHS, (93, 94, 95, 95), strict=True):
        Snapshot.objects.create(
            unit=school, code="satisfaction_rate", day=day, numerator=n, denominator=100
        )
    data = overview_for_user(user=principal.user, unit_id=None, today=date(2026, 11, 30))
    [row] = [r for r in data.targets if r.status.target.kpi_code == "satisfaction_rate"]
    assert "23/11/2026: 95,0%" in row.spark
    assert _ys(row.spark)[0] == HEIGHT - PAD

    with frozen_at(at(2026, 11, 30, 9, 0)):
        page = client_for(principal).get(reverse("kpi:overview")).content.decode()
    table = page.split('id="landing-targets"')[1].split("</table>")[0]
    assert table.count('class="sparkline"') == 1  # the one target with a history
    assert "93,0% <span" in table


@pytest.mark.django_db
def test_a_grade_has_no_percentage_trend_line(school, principal) -> None:
    """QA: "Xếp loại Chỉ số CCHC" showed "Yếu" beside a line reading "40,0%" (its points as a
    percentage). A grade draws no line on the indicators' page, as on the overview; a rate
    still does."""
    for day, n in zip(MONTHS, (38, 40, 40, 40), strict=True):
        for code in ("cchc_self_score", "satisfaction_rate"):
            Snapshot.objects.create(unit=school, code=code, day=day, numerator=n, denominator=100)

    with frozen_at(at(2026, 11, 30, 9, 0)):
        page = client_for(principal).get(reverse("kpi:unit")).content.decode()

    assert "Diễn biến Mức độ hài lòng" in page  # the rate's line is there
    assert "Diễn biến Xếp loại" not in page
