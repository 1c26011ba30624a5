"""How the reports name a period and sign for a People's Committee (QA walk, issue FIXH 3)."""

from __future__ import annotations

import pytest

from cchc.reports.builder import period_label
from cchc.reports.issuing import committee_signature
from cchc.reports.models import Report


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("2026-Q3", "Quý III/2026"),
        ("2026-q1", "Quý I/2026"),
        ("2026-10", "Tháng 10/2026"),
        ("2026-02", "Tháng 2/2026"),
        ("2026", "Năm 2026"),
        ("2026-H1", "6 tháng đầu năm 2026"),
        ("2026-H2", "6 tháng cuối năm 2026"),
        ("2026-Q5", "2026-Q5"),  # not a period: left as written
    ],
)
def test_a_period_reads_as_people_write_it(code: str, label: str) -> None:
    assert period_label(code) == label


def test_the_chair_signs_with_his_rank_under_the_committee() -> None:
    block = committee_signature("Chủ tịch Ủy ban nhân dân xã", "Nguyễn Văn Hùng")

    assert (block.authority, block.title) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")


def test_a_vice_chair_signs_for_the_chair() -> None:
    block = committee_signature("Phó Chủ tịch Ủy ban nhân dân xã", "Lê Văn A")

    assert block.authority.split("\n") == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]
    assert block.title == "PHÓ CHỦ TỊCH"


def test_a_registered_reports_number_is_zero_padded() -> None:
    assert Report(number=1, symbol="BC-UBND").reference == "01/BC-UBND"
    assert Report(number=12, symbol="BC-UBND").reference == "12/BC-UBND"
    assert Report(symbol="BC-UBND").reference == ".../BC-UBND"
