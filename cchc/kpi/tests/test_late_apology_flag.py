"""The roll-up flags a school whose late dossiers lack the formal apology every late dossier
needs (domain.md 1.4, the plan's "100% apology"), and the flag opens exactly those dossiers."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from cchc.dossiers.models import Apology, Dossier, Procedure
from cchc.kpi import rollup
from cchc.kpi.registry import Period
from tests.fixtures import client_for

VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


def _at(day: int, month: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=VN)


def _done(unit, code: str, *, received: datetime, due: datetime, result: datetime) -> Dossier:
    procedure, _ = Procedure.objects.get_or_create(
        unit=unit, name="Chuyển trường đối với học sinh THCS", valid_from=date(2025, 1, 1)
    )
    return Dossier.objects.create(
        unit=unit,
        procedure=procedure,
        code=f"{unit.code}-{code}",
        channel="in_person",
        status="done",
        applicant_name="Trần Thị Phụ Huynh",
        received_at=received,
        due_at=due,
        result_at=result,
    )


@pytest.fixture
def late(school, other_school):
    """School: two late dossiers in Q1 (one apologised), one on time; the other school: one
    late without apology."""
    bare = _done(school, "260105-0001", received=_at(5, 1), due=_at(12, 1, 17), result=_at(16, 1))
    sorry = _done(school, "260106-0001", received=_at(6, 1), due=_at(13, 1, 17), result=_at(20, 1))
    Apology.objects.create(
        dossier=sorry,
        reason="Chờ hồ sơ học bạ từ trường cũ",
        original_due_at=_at(13, 1, 17),
        new_due_at=_at(20, 1, 17),
        signer_name="Nguyễn Thị Thanh Trang",
    )
    on_time = _done(school, "260107-0001", received=_at(7, 1), due=_at(14, 1, 17), result=_at(9, 1))
    elsewhere = _done(
        other_school, "260108-0001", received=_at(8, 1), due=_at(15, 1, 17), result=_at(22, 1)
    )
    return {"bare": bare, "sorry": sorry, "on_time": on_time, "elsewhere": elsewhere}


def test_a_school_with_late_dossiers_lacking_an_apology_is_flagged(late, school, other_school):
    board = rollup.board([school, other_school], Period.parse("2026-Q1"), today=date(2026, 11, 30))

    rows = {row.unit.pk: row for row in board.rows}
    mine = rows[school.pk]
    assert (mine.late_count, mine.apologised, mine.unapologised) == (2, 1, 1)
    flags = {f.code: f for f in mine.shown_flags(board.period)}
    assert flags[rollup.LATE_FLAG].label == "1 hồ sơ trễ hạn chưa có văn bản xin lỗi"
    assert f"don_vi={school.pk}" in flags[rollup.LATE_FLAG].url
    assert "ky=2026-Q1" in flags[rollup.LATE_FLAG].url
    summary = {flag.code: units for flag, units in board.flagged}
    assert set(summary[rollup.LATE_FLAG]) == {school, other_school}


def test_a_school_whose_late_dossiers_all_have_an_apology_is_not_flagged(late, school):
    Apology.objects.create(
        dossier=late["bare"],
        reason="Thiếu hồ sơ",
        original_due_at=_at(12, 1, 17),
        new_due_at=_at(16, 1, 17),
        signer_name="Nguyễn Thị Thanh Trang",
    )

    board = rollup.board([school], Period.parse("2026-Q1"), today=date(2026, 11, 30))

    assert rollup.LATE_FLAG not in [f.code for f in board.rows[0].shown_flags(board.period)]
    assert board.rows[0].unapologised == 0


def test_the_flag_drills_down_to_exactly_the_unapologised_late_dossiers(
    late, school, other_school, commune_officer
):
    client = client_for(commune_officer)
    page = client.get(reverse("kpi:rollup") + "?ky=2026-Q1").content.decode()

    row = page.split(f'data-unit="{school.pk}"')[1].split("</tr>")[0]
    assert "1 hồ sơ trễ hạn chưa có văn bản xin lỗi" in row
    late_cell = row.split('<td class="late">')[1].split("</td>")[0]
    assert "1 chưa xin lỗi" in late_cell
    assert "chua_xin_loi=1" in late_cell
    assert 'id="rollup-flags"' in page
    url = re.search(r'href="([^"]*chua_xin_loi=1[^"]*)"', row)[1].replace("&amp;", "&")
    book = client.get(url)

    body = book.content.decode()
    assert book.status_code == 200
    assert late["bare"].code in body
    for other in ("sorry", "on_time", "elsewhere"):
        assert late[other].code not in body
