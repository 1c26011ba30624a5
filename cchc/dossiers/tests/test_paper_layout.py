"""Papers as printed from real dossiers: names in Vietnamese order, the forms as the law draws
them (each on its page), personal data only for those allowed it, and the tracking book."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from cchc.core.models import AuditEvent
from cchc.dossiers import papers, services
from cchc.dossiers.forms import HandOverForm
from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.factories import (
    FULL_APPLICANT,
    MONDAY_MORNING,
    at,
    frozen_at,
    receive_dossier,
)
from cchc.dossiers.tests.paper_reading import A5_POINTS, pdf_info
from tests.factories import StaffFactory
from tests.fixtures import client_for

SIGN = "(Ký và ghi rõ họ tên)"
SUBJECT = "Chuyển trường cho học sinh Nguyễn Hoàng Phương Anh, lớp 7A"


def receive(clerk, procedure, when=MONDAY_MORNING) -> Dossier:
    """The longest realistic dossier: what the papers must still lay out on their page."""
    return receive_dossier(clerk, procedure, when, applicant=FULL_APPLICANT, subject=SUBJECT)


def paper(client, dossier, kind: str, fmt: str) -> bytes:
    response = client.get(reverse("dossiers:paper", args=[dossier.pk, kind, fmt]))
    assert response.status_code == 200, response.content[:200]
    return response.content


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def pdf_pages(data: bytes, tmp_path: Path) -> int:
    path = tmp_path / "paper.pdf"
    path.write_bytes(data)
    pages, size = pdf_info(path)
    assert size == A5_POINTS
    return pages


# ---------------------------------------------------------------- 13. names


@pytest.mark.django_db
def test_names_print_in_vietnamese_order_on_papers_and_in_the_audit_log(
    clerk, school, transfer
) -> None:
    # The account's Western split, as the demo and Django's admin store it.
    clerk.user.first_name, clerk.user.last_name = "Thủy", "Lê Thị Thanh"
    clerk.user.save()
    dossier = receive(clerk, transfer)

    text = docx_text(paper(client_for(clerk), dossier, "tiep-nhan", "docx"))
    event = AuditEvent.objects.filter(verb="dossier.receive").get()

    assert "Lê Thị Thanh Thủy" in text
    assert "Thủy Lê Thị Thanh" not in text
    assert event.actor_name == "Lê Thị Thanh Thủy"


@pytest.mark.django_db
def test_an_account_without_a_staff_record_is_named_family_name_first(django_user_model):
    user = django_user_model(username="x", first_name="Thủy", last_name="Lê Thị Thanh")

    assert user.get_full_name() == "Lê Thị Thanh Thủy"


@pytest.mark.django_db
def test_people_are_listed_by_given_name(school, principal, clerk) -> None:
    StaffFactory(unit=school, full_name="Trần Văn An")

    names = [label for value, label in HandOverForm(unit=school).fields["to_staff"].choices][1:]

    assert [n.split(" (")[0] for n in names] == [
        "Trần Văn An",
        "Lê Thị Thanh Thủy",
        "Nguyễn Thị Thanh Trang",
    ]


# ---------------------------------------------------------------- 14. the papers


@pytest.mark.django_db
def test_receipt_of_a_real_dossier_fits_one_a5_page_with_book_entry(
    clerk, school, transfer, tmp_path
) -> None:
    dossier = receive(clerk, transfer)
    client = client_for(clerk)

    text = docx_text(paper(client, dossier, "tiep-nhan", "docx"))
    pages = pdf_pages(paper(client, dossier, "tiep-nhan", "pdf"), tmp_path)

    assert pages == 1
    assert "Vào Sổ theo dõi hồ sơ: Quyển số: 2026, Số thứ tự: 01" in text
    assert "Thời gian giải quyết hồ sơ theo quy định là: 05 ngày làm việc" in text


@pytest.mark.django_db
def test_control_sheet_with_six_handovers_fits_its_a5_page(
    clerk, principal, school, transfer, tmp_path
) -> None:
    dossier = receive(clerk, transfer)
    with frozen_at(at(2026, 3, 2, 10, 0)):
        services.dossier_hand_over(
            actor=clerk.user, dossier=dossier, to_staff=principal, step="appraisal"
        )
    with frozen_at(at(2026, 3, 3, 10, 0)):
        services.dossier_request_supplement(
            actor=principal.user, dossier=dossier, items=["Bản sao giấy khai sinh"], reason="Thiếu"
        )
    with frozen_at(at(2026, 3, 4, 10, 0)):
        services.dossier_supplement_received(actor=clerk.user, dossier=dossier)
    with frozen_at(at(2026, 3, 5, 10, 0)):
        services.dossier_decide(actor=principal.user, dossier=dossier, granted=True)
    with frozen_at(at(2026, 3, 5, 14, 0)):
        services.dossier_return(actor=clerk.user, dossier=dossier)

    assert dossier.events.count() == 6
    assert pdf_pages(paper(client_for(clerk), dossier, "kiem-soat", "pdf"), tmp_path) == 1


UNIT = papers.UnitInfo(
    name="Trường Trung học cơ sở Nguyễn Thái Bình",
    parent_name="Ủy ban nhân dân xã Bình Hưng",
    place="Bình Hưng",
    symbol="THCSNTB",
    code="000.31.41.H29",
)
INFO = papers.DossierInfo(
    code="000.31.41.H29-261128-0001",
    procedure_name="Chuyển trường đối với học sinh trung học cơ sở",
    procedure_code="2.002481",
    received_at=at(2026, 11, 28, 8, 15),
    due_at=at(2026, 12, 4, 17, 0),
    time_limit_text="05 ngày làm việc",
    documents=[],
    sets=1,
    applicant=papers.ApplicantInfo(name="Nguyễn Văn An"),
    receiver_name="Lê Thị Thanh Thủy",
    return_place="Văn phòng trường",
    lookup_url="https://example.vn/tra-cuu/x/",
    book_entry=1,
)


def test_forms_03_and_04_carry_the_units_electronic_identifier() -> None:
    refusal = docx_text(papers.render(papers.refusal(UNIT, INFO, reason="Sai tuyến"), "docx"))
    apology = docx_text(
        papers.render(
            papers.apology(
                UNIT,
                INFO,
                reason="Chờ học bạ",
                new_due_at=at(2026, 12, 9, 17, 0),
                signer_name="Nguyễn Thị Thanh Trang",
                signer_title="Hiệu trưởng",
            ),
            "docx",
        )
    )

    assert "mã định danh điện tử: 000.31.41.H29" in refusal
    assert "mã định danh điện tử: 000.31.41.H29" in apology


def test_every_paper_carries_the_signers_title_and_sign_here() -> None:
    made = {
        "02": papers.supplement_request(UNIT, INFO, items=["Học bạ"], reason="x", contact="y"),
        "03": papers.refusal(UNIT, INFO, reason="x"),
        "04": papers.apology(
            UNIT,
            INFO,
            reason="x",
            new_due_at=at(2026, 12, 9, 17, 0),
            signer_name="Nguyễn Thị Thanh Trang",
            signer_title="Hiệu trưởng",
        ),
        "05": papers.stop_notice(UNIT, INFO, stage="Đang xử lý", reason="Rút hồ sơ"),
    }
    titles = {"02": "NGƯỜI HƯỚNG DẪN", "03": "NGƯỜI TIẾP NHẬN HỒ SƠ", "04": "HIỆU TRƯỞNG"}
    for form, document in made.items():
        text = docx_text(papers.render(document, "docx"))
        assert SIGN in text, form
        assert titles.get(form, "NGƯỜI TIẾP NHẬN HỒ SƠ") in text, form


# ---------------------------------------------------------------- 15. the tracking book


@pytest.mark.django_db
def test_book_xlsx_has_the_current_forms_columns_real_dates_and_receipt_order(
    clerk, principal, school, transfer
) -> None:
    second = receive(clerk, transfer, at(2026, 3, 3, 9, 0))
    first = receive(clerk, transfer, at(2026, 3, 2, 9, 0))
    Dossier.objects.filter(pk=second.pk).update(book_entry=2)
    Dossier.objects.filter(pk=first.pk).update(book_entry=1)
    with frozen_at(at(2026, 3, 2, 14, 5)):
        services.dossier_hand_over(
            actor=clerk.user, dossier=first, to_staff=principal, step="appraisal"
        )

    response = client_for(principal).get(reverse("dossiers:book") + "?xuat=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    # Titles two rows high, or under the group "Nhận và trả kết quả" (rows 6–7, after the heading).
    headers = [lower.value or upper.value for upper, lower in zip(sheet[6], sheet[7], strict=True)]

    assert headers[:11] == [
        "STT",
        "Mã hồ sơ",
        "Tên thủ tục hành chính",
        "Tên tổ chức, cá nhân",
        "Địa chỉ, số điện thoại",
        "Cơ quan chủ trì giải quyết",
        "Nhận hồ sơ",
        "Hẹn trả kết quả",
        "Trả kết quả",
        "Phương thức nhận kết quả",
        "Ký nhận",
    ]
    assert [sheet["B8"].value, sheet["B9"].value] == [first.code, second.code]
    received = sheet["G8"]
    assert received.value == datetime(2026, 3, 2, 9, 0)  # a date, not text
    assert received.is_date
    assert received.number_format == "dd/mm/yyyy hh:mm"
    assert sheet["H8"].value == datetime(2026, 3, 9, 17, 0)
    assert sheet["J8"].value == "Trực tiếp"  # as it came in, when not chosen
    # Beside the form, the 2018 book's date of transfer to the processing body (domain.md 1.5).
    assert headers[13] == "Chuyển bộ phận giải quyết"
    assert [sheet["N8"].value, sheet["N9"].value] == [datetime(2026, 3, 2, 14, 5), None]


@pytest.mark.django_db
def test_a_schools_book_is_headed_with_the_school_whoever_exports_it(
    clerk, commune_officer, commune, school, other_school, transfer
) -> None:
    """QA: the commune officer's export of a school's book was headed "ỦY BAN NHÂN DÂN XÃ …",
    "Số: /STD-UBND". The book is the school's: its name, its parent's line, its symbol."""
    from cchc.dossiers import procedures

    commune.symbol = "UBND"
    commune.save()
    school.symbol = "THCSA"
    school.save()
    receive(clerk, transfer)

    def heading(staff, query: str = "") -> list[str]:
        response = client_for(staff).get(reverse("dossiers:book") + "?xuat=xlsx" + query)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        return [str(c.value) for row in sheet.iter_rows(max_row=4) for c in row if c.value]

    schools = heading(clerk)
    assert commune.name.upper() in schools  # the parent's line
    assert school.name.upper() in schools
    assert any(text.endswith("/STD-THCSA") for text in schools)
    # The commune officer reading the only school with dossiers, then choosing it by the filter
    # while another school has dossiers too: the same heading as the school's own clerk's.
    assert heading(commune_officer) == schools
    other_clerk = StaffFactory(unit=other_school, roles=["clerk"])
    other_procedure = procedures.procedure_seed_defaults(actor=None, unit=other_school)[0]
    receive_dossier(other_clerk, other_procedure, applicant=FULL_APPLICANT)
    assert heading(commune_officer, f"&don_vi={school.pk}") == schools
    # A list spanning both schools is the commune's own consolidated list.
    consolidated = heading(commune_officer)
    assert school.name.upper() not in consolidated
    assert any(text.endswith("/STD-UBND") for text in consolidated)


@pytest.mark.django_db
def test_the_counter_records_how_the_result_is_taken(clerk, principal, transfer) -> None:
    client_for(clerk).post(
        reverse("dossiers:intake"),
        {
            "procedure": transfer.pk,
            "applicant_name": "Trần Thị Bích",
            "channel": "in_person",
            "result_delivery": "post",
            "documents": [d["name"] for d in transfer.documents],
            "outcome": "receive",
        },
    )
    response = client_for(principal).get(reverse("dossiers:book") + "?xuat=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active

    assert Dossier.objects.get().result_delivery == "post"
    assert sheet["J8"].value == "Qua bưu chính"


@pytest.mark.django_db
def test_book_pdf_is_no_longer_refused_for_its_length(clerk, principal, school, transfer) -> None:
    from cchc.dossiers import exports

    receive(clerk, transfer)
    response = client_for(principal).get(reverse("dossiers:book") + "?xuat=pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert not hasattr(exports, "MAX_PDF_ROWS")


@pytest.mark.django_db
def test_exports_and_papers_hide_personal_data_without_the_right(clerk, school, transfer) -> None:
    dossier = receive(clerk, transfer)
    inspector = StaffFactory(unit=school, roles=["inspection_head"])

    def book(staff) -> str:
        content = client_for(staff).get(reverse("dossiers:book") + "?xuat=xlsx").content
        return " ".join(
            str(c.value) for row in load_workbook(io.BytesIO(content)).active for c in row
        )

    def receipt(staff) -> str:
        return docx_text(paper(client_for(staff), dossier, "tiep-nhan", "docx"))

    assert "0912345678" not in book(inspector)
    assert "0912345678" in book(clerk)
    assert "079123456789" not in receipt(inspector)
    assert "079123456789" in receipt(clerk)
