"""Per-person scorecards: the Circular 01/2018 formulas against hand-computed figures, N/A for an
empty period, the ranking, who may see which card, and the papers (read back)."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from cchc.core.official_docs import libreoffice_available
from cchc.kpi import scorecards
from cchc.kpi.registry import Measure, Period
from cchc.kpi.scorecard_papers import ranked_xlsx, scorecard_paper
from tests.factories import StaffFactory
from tests.fixtures import client_for

VN = ZoneInfo("Asia/Ho_Chi_Minh")
Q1 = Period.parse("2026-Q1")


def at(day: int, month: int, hour: int = 9) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=VN)


# --- pure rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "count", "expected"),
    [
        (7, 4, Decimal("1.8")),  # 1.75 rounds half up, not to even
        (5, 4, Decimal("1.3")),  # 1.25 → 1.3 (banker's rounding would give 1.2)
        (2, 3, Decimal("0.7")),  # 0.666…
        (5, 3, Decimal("1.7")),
        (6, 3, Decimal("2.0")),
        (0, 3, Decimal("0.0")),
        (0, 0, None),  # no dossier scored: the index is left out, not 0
    ],
)
def test_index_is_the_mean_of_dossier_points_rounded_half_up(total, count, expected) -> None:
    assert scorecards.index_mean(total, count) == expected


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (Decimal("10"), "Hoàn thành 100% nhiệm vụ"),
        (Decimal("5.0"), "Hoàn thành 100% nhiệm vụ"),
        (Decimal("4.9"), "Hoàn thành từ 70% đến dưới 100% nhiệm vụ"),
        (Decimal("3.5"), "Hoàn thành từ 70% đến dưới 100% nhiệm vụ"),
        (Decimal("3.4"), "Hoàn thành dưới 70% nhiệm vụ"),
        (Decimal("0"), "Hoàn thành dưới 70% nhiệm vụ"),
        (None, "Chưa có số liệu"),
    ],
)
def test_score_reading_follows_circular_01_2018_bands(score, label) -> None:
    assert scorecards.reading(score) == label


def test_official_score_sums_only_the_indices_with_data() -> None:
    official = scorecards.OfficialScore(
        (
            scorecards.IndexScore(1, "1", total=3, count=2),  # 1.5
            scorecards.IndexScore(2, "2"),  # no data: left out
            scorecards.IndexScore(3, "3", total=4, count=2),  # 2.0
        )
    )

    assert official.score == Decimal("3.5")
    assert official.max_points == 4
    assert [i.number for i in official.left_out] == [2]


def test_an_empty_rate_reads_na_never_zero_percent() -> None:
    assert scorecards.rate_text(Measure()) == "Chưa có số liệu"
    assert scorecards.rate_text(Measure(1, 3)) == "33,33% (1/3)"
    assert scorecards.rate_text(Measure(2, 2)) == "100% (2/2)"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("2026", "năm 2026"),
        ("2026-Q1", "quý I năm 2026"),
        ("2026-H2", "6 tháng cuối năm 2026"),
        ("2026-11", "tháng 11 năm 2026"),
    ],
)
def test_period_names_as_papers_write_them(text, label) -> None:
    assert scorecards.period_label(Period.parse(text)) == label


# --- a unit with hand-computed figures ------------------------------------------------------


@pytest.mark.django_db
def test_unit_cards_match_the_hand_computed_figures(figures, principal, clerk, colleague):
    cards = {card.staff.pk: card for card in scorecards.unit_scorecards(figures, Q1)}

    mine = cards[colleague.pk]
    assert [i.score for i in mine.official.indices] == [
        Decimal("1.0"),
        Decimal("1.0"),
        Decimal("1.0"),
        Decimal("1.7"),
        Decimal("1.0"),
    ]
    assert [i.count for i in mine.official.indices] == [3, 3, 3, 3, 3]
    assert mine.official.score == Decimal("5.7")
    assert mine.official.max_points == 10
    assert mine.official.reading == "Hoàn thành 100% nhiệm vụ"
    assert (mine.dossiers.numerator, mine.dossiers.denominator) == (3, 4)
    assert mine.activities.plan_activities == 1
    clerks = cards[clerk.pk]
    assert [i.score for i in clerks.official.indices] == [
        Decimal("0.0"),
        None,
        Decimal("2.0"),
        Decimal("1.0"),
        Decimal("0.0"),
    ]
    assert clerks.official.score == Decimal("3.0")
    assert clerks.official.max_points == 8
    assert clerks.official.reading == "Hoàn thành dưới 70% nhiệm vụ"
    head = cards[principal.pk]
    assert head.official.score is None
    assert head.dossiers.value is None
    assert (head.tasks.numerator, head.tasks.denominator) == (1, 3)
    assert [(c.rank, c.staff.pk) for c in scorecards.unit_scorecards(figures, Q1)] == [
        (1, colleague.pk),
        (2, clerk.pk),
        (3, principal.pk),
    ]


@pytest.mark.django_db
def test_a_month_without_data_is_na_for_everyone(figures, colleague):
    card = scorecards.staff_scorecard(colleague, Period.parse("2025-11"))

    assert card.official.score is None
    assert card.official.reading == "Chưa có số liệu"
    assert scorecards.rate_text(card.dossiers) == "Chưa có số liệu"
    assert scorecards.rate_text(card.tasks) == "Chưa có số liệu"


@pytest.mark.django_db
def test_equal_cards_share_a_rank(school, principal, colleague):
    ranks = {c.staff.pk: c.rank for c in scorecards.unit_scorecards(school, Period.year(2025))}

    assert ranks == {principal.pk: 1, colleague.pk: 1}


# --- who sees what -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_person_sees_only_their_own_card(figures, principal, colleague):
    client = client_for(colleague)

    own = client.get(reverse("kpi:scorecard_mine") + "?ky=2026-Q1", follow=True)
    other = client.get(reverse("kpi:scorecard_detail", args=[principal.pk]))
    ranking = client.get(reverse("kpi:scorecard_list"))
    paper = client.get(reverse("kpi:scorecard_paper", args=[principal.pk, "docx"]))

    assert own.status_code == 200
    assert "5,7/10" in own.content.decode()
    assert other.status_code == 404
    assert ranking.status_code == 404
    assert paper.status_code == 404


@pytest.mark.django_db
def test_the_principal_sees_the_ranked_unit(figures, principal, colleague, clerk):
    response = client_for(principal).get(reverse("kpi:scorecard_list") + "?ky=2026-Q1")

    body = response.content.decode()
    assert response.status_code == 200
    assert body.index(colleague.full_name) < body.index(clerk.full_name)
    assert "Chưa có số liệu" in body
    assert "N/A" not in body


@pytest.mark.django_db
def test_the_commune_reads_a_school_below_but_a_school_not_another(
    figures, commune_officer, colleague, outsider
):
    officer = client_for(commune_officer)
    stranger = client_for(outsider)

    listing = officer.get(reverse("kpi:scorecard_list") + f"?don_vi={figures.pk}&ky=2026-Q1")
    card = officer.get(reverse("kpi:scorecard_detail", args=[colleague.pk]))

    assert listing.status_code == 200
    assert colleague.full_name in listing.content.decode()
    assert card.status_code == 200
    assert stranger.get(reverse("kpi:scorecard_detail", args=[colleague.pk])).status_code == 404
    assert stranger.get(reverse("kpi:scorecard_list") + f"?don_vi={figures.pk}").status_code == 404


@pytest.mark.django_db
def test_menus_offer_the_ranking_only_to_those_who_may_open_it(principal, colleague):
    from cchc.core.navigation import nav_for

    staff_menu = {item.url_name for item in nav_for(colleague.user)}
    head_menu = {item.url_name for item in nav_for(principal.user)}

    assert "kpi:scorecard_mine" in staff_menu
    assert "kpi:scorecard_list" not in staff_menu
    assert {"kpi:scorecard_mine", "kpi:scorecard_list"} <= head_menu


@pytest.mark.django_db
def test_a_bad_period_is_a_vietnamese_400(principal, colleague):
    client = client_for(principal)

    page = client.get(reverse("kpi:scorecard_list") + "?ky=2026-Q5")
    paper = client.get(reverse("kpi:scorecard_paper", args=[colleague.pk, "docx"]) + "?ky=x")
    fmt = client.get(reverse("kpi:scorecard_paper", args=[colleague.pk, "odt"]))

    assert page.status_code == 400
    assert "không có" in page.content.decode()
    assert paper.status_code == 400
    assert fmt.status_code == 400
    assert "Định dạng phải là docx hoặc pdf" in fmt.content.decode()


# --- papers --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_year_end_summary_carries_the_figures(figures, colleague):
    card = scorecards.staff_scorecard(colleague, Q1)

    content, _, name = scorecard_paper(card, "docx", today=date(2026, 4, 2))

    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "BÁO CÁO" in text
    assert "Phan Văn Lợi" in text
    assert "Tổng điểm: 5,7/10" in text
    assert "Hoàn thành 100% nhiệm vụ" in text
    assert "75% (3/4)" in cells
    assert "1,7" in cells
    assert "1,0" in cells  # one decimal, as the circular rounds
    assert name.endswith("phan-van-loi.docx")


@pytest.mark.django_db
def test_the_summary_converts_to_pdf(figures, colleague):
    card = scorecards.staff_scorecard(colleague, Q1)

    assert libreoffice_available()  # a real conversion, never skipped

    content, content_type, _ = scorecard_paper(card, "pdf", today=date(2026, 4, 2))

    assert content.startswith(b"%PDF")
    assert content_type == "application/pdf"


@pytest.mark.django_db
def test_the_ranked_xlsx_writes_names_as_text(figures, colleague):
    StaffFactory(unit=figures, full_name='=HYPERLINK("http://x.example","Bấm")')
    cards = scorecards.unit_scorecards(figures, Q1)

    sheet = load_workbook(io.BytesIO(ranked_xlsx(figures, cards))).active

    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert rows[0][:4] == (1, "Phan Văn Lợi", "Giáo viên", 5.7)
    formula = next(r for r in sheet.iter_rows(min_row=4) if str(r[1].value).startswith("="))
    assert formula[1].data_type == "s"
    assert rows[-1][3] == "Chưa có số liệu"


@pytest.mark.django_db
def test_the_ranked_list_costs_the_same_queries_for_any_number_of_staff(figures, principal):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(principal)
    url = reverse("kpi:scorecard_list") + "?ky=2026-Q1"
    client.get(url)  # warm the per-process caches (rules, calendars)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    StaffFactory.create_batch(5, unit=figures)
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)
    assert len(few) <= 30


@pytest.mark.django_db
def test_activities_are_one_count_on_the_list_the_card_the_xlsx_and_the_paper(
    figures, principal, colleague
):
    """The ranking's "Hoạt động CCHC", the card's, the XLSX's and the summary's are the same
    number (`Activities.reform_count`: plan activities + papers released + incoming done), and
    each page says what it counts."""
    from cchc.documents.models import OutgoingDocument

    OutgoingDocument.objects.create(
        unit=figures,
        status="released",
        doc_type="Kế hoạch",
        type_code="KH",
        summary="Kế hoạch tuyên truyền CCHC",
        recipients="Các tổ chuyên môn",
        year=2026,
        number=7,
        symbol="07/KH-THCS",
        issued_on=date(2026, 3, 4),
        released_at=datetime(2026, 3, 4, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
        drafter=colleague,
    )
    card = scorecards.staff_scorecard(colleague, Q1)
    assert (card.activities.plan_activities, card.activities.documents_released) == (1, 1)
    client = client_for(principal)

    listing = client.get(reverse("kpi:scorecard_list") + "?ky=2026-Q1").content.decode()
    detail = client.get(reverse("kpi:scorecard_detail", args=[colleague.pk]) + "?ky=2026-Q1")
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("kpi:scorecard_xlsx") + "?ky=2026-Q1").content)
    ).active
    paper, _, _ = scorecard_paper(card, "docx", today=date(2026, 4, 2))

    row = listing.split(colleague.full_name)[1].split("</tr>")[0]
    assert 'class="activities">2</td>' in row
    assert scorecards.ACTIVITY_DEFINITION in listing
    body = detail.content.decode()
    assert '<td id="activities">2</td>' in body
    assert scorecards.ACTIVITY_DEFINITION in body
    header = [c.value for c in sheet[3]]
    mine = next(
        r for r in sheet.iter_rows(min_row=4, values_only=True) if r[1] == colleague.full_name
    )
    assert mine[header.index(scorecards.ACTIVITY_LABEL)] == 2
    cells = [
        [cell.text for cell in row.cells]
        for table in Document(io.BytesIO(paper)).tables
        for row in table.rows
    ]
    assert [f"{scorecards.ACTIVITY_LABEL} (dùng để xếp hạng)", "2"] in cells
