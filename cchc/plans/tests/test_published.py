"""Reading plans as they are published (issue 9, item 4): pasted from web pages and PDFs.

`published/` holds ten plans; `published/expected.json` says where each comes from and what
must be read from it (values checked by hand). 01-03 keep the header facts and layout of real
published plans (their body shortened and reworded); 04-10 are variants of the header shapes
the issue lists.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cchc.plans.parsing import fold, parse_plan
from cchc.plans.parsing.unflatten import restore_lines
from cchc.plans.tests.conftest import SEED

HERE = Path(__file__).resolve().parent / "published"
EXPECTED = {
    name: value
    for name, value in json.loads((HERE / "expected.json").read_text(encoding="utf-8")).items()
    if not name.startswith("_")
}


def test_there_are_ten_published_plans() -> None:
    assert len(EXPECTED) >= 10
    assert sorted(p.name for p in HERE.glob("*.txt")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_header_fields_are_read(name: str) -> None:
    want = EXPECTED[name]

    plan = parse_plan((HERE / name).read_text(encoding="utf-8"))

    assert plan.number == want["number"]
    assert plan.symbol == want["symbol"]
    assert fold(plan.issuer) == fold(want["issuer"])
    assert plan.place == want["place"]
    assert (plan.date.isoformat() if plan.date else None) == want["date"]
    assert plan.year == want["year"]
    assert fold(plan.title) == fold(want["title"])
    parent = plan.parent_plan
    got_parent = (
        {"symbol": parent.symbol, "date": parent.date.isoformat() if parent.date else None}
        if parent
        else None
    )
    assert got_parent == want["parent_plan"]
    assert [r.symbol for b in plan.basis for r in b.references] == want["basis"]


def test_unsure_fields_are_named_for_the_review() -> None:
    no_title_line = parse_plan((HERE / "01-thanh-hoa-257-KH-UBND-2025.txt").read_text())
    news = parse_plan((HERE / "02-long-phung-2025.txt").read_text())

    assert any("Không thấy dòng “KẾ HOẠCH”" in w for w in no_title_line.warnings)
    assert any("lấy từ câu giới thiệu" in w for w in news.warnings)
    assert any("Không thấy số, ký hiệu văn bản" in w for w in news.warnings)


def test_a_plan_typed_properly_passes_through_unchanged() -> None:
    text = SEED.read_text(encoding="utf-8")

    assert restore_lines(text) == text


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [
        ("Căn cứ Kế hoạch số 158/KH-UBNDngày 20/12/2024;", "158/KH-UBND ngày"),
        ("Căn cứ Chỉ thị số 23/CT-TTg ngày 02/9/2021;", "23/CT-TTg ngày"),
        ("Căn cứ Kế hoạch số 4021/KH-\nUBND ngày 26/12/2025;", "4021/KH-UBND ngày"),
        ("Căn cứ Kế hoạch số 4021/\nKH-UBND ngày 26/12/2025;", "4021/KH-UBND ngày"),
    ],
)
def test_references_glued_or_broken_are_repaired(pasted: str, expected: str) -> None:
    assert expected in restore_lines(pasted)
