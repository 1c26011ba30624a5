"""Mirroring the provincial system's XLSX export: idempotent, row problems reported."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from cchc.core.audit import audit_verify
from cchc.core.timezones import VN
from cchc.dossiers.models import Dossier
from cchc.dossiers.provincial import ProvincialImportError, import_provincial
from cchc.kpi.registry import Period, measure
from cchc.organizations.models import Unit

HEAD = [
    "STT",
    "Mã hồ sơ",
    "Mã thủ tục",
    "Chủ hồ sơ",
    "Số điện thoại",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày trả kết quả",
    "Trạng thái",
    "Kênh",
]


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH HỒ SƠ"])
    sheet.append(HEAD)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def row(code: str, status: str = "Đang xử lý", returned: str = "") -> list:
    return [
        1,
        code,
        "2.002481",
        "Lê Văn Tám",
        "0912 000 111",
        "02/03/2026 09:15",
        datetime(2026, 3, 9, 17, 0),
        returned,
        status,
        "Trực tuyến",
    ]


@pytest.mark.django_db
def test_import_creates_then_updates_then_changes_nothing(clerk, school, transfer) -> None:
    code = f"{school.code}-260302-0007".upper()
    first = import_provincial(actor=clerk.user, unit=school, data=xlsx([row(code)]))
    again = import_provincial(actor=clerk.user, unit=school, data=xlsx([row(code)]))
    later = import_provincial(
        actor=clerk.user,
        unit=school,
        data=xlsx([row(code, "10", "06/03/2026 10:00")]),
    )

    dossier = Dossier.objects.get(code=code)
    assert (first.created, again.unchanged, later.updated) == ([code], [code], [code])
    assert dossier.is_external_code
    assert dossier.status == "returned"
    assert dossier.received_at == datetime(2026, 3, 2, 9, 15, tzinfo=VN)
    assert dossier.due_at == datetime(2026, 3, 9, 17, 0, tzinfo=VN)
    assert dossier.channel == "online"
    assert audit_verify().ok


@pytest.mark.django_db
def test_bad_rows_are_reported_and_not_saved(clerk, school, transfer) -> None:
    good = f"{school.code}-260302-0001".upper()
    rows = [
        row(good),
        row("MA-SAI"),
        row(f"{school.code}-260302-0002".upper(), "Lạ"),
        [
            1,
            f"{school.code}-260302-0003".upper(),
            "9.999999",
            "X",
            "",
            "02/03/2026",
            "",
            "",
            "2",
            "1",
        ],
    ]

    report = import_provincial(actor=clerk.user, unit=school, data=xlsx(rows))

    assert report.created == [good]
    assert [r for r, _ in report.problems] == [4, 5, 6]
    assert "không đúng định dạng" in report.problems[0][1]
    assert "trạng thái không rõ" in report.problems[1][1]
    assert "không có thủ tục" in report.problems[2][1]
    assert Dossier.objects.count() == 1


@pytest.mark.django_db
def test_not_an_xlsx_is_refused(clerk, school) -> None:
    with pytest.raises(ProvincialImportError, match="Không đọc được tệp"):
        import_provincial(actor=clerk.user, unit=school, data=b"not excel")


@pytest.mark.django_db
def test_command_reports_counts(clerk, school, transfer, tmp_path, capsys) -> None:
    path = tmp_path / "hs.xlsx"
    path.write_bytes(xlsx([row(f"{school.code}-260302-0009".upper())]))

    call_command("dossiers", "import", str(path), "--unit", school.code)
    with pytest.raises(CommandError):
        call_command("dossiers", "import", str(path), "--unit", "KHONG-CO")

    assert "Mới: 1" in capsys.readouterr().out


@pytest.mark.django_db
def test_provincial_date_only_due_is_end_of_day_and_returned_counts(
    clerk, school, transfer
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "Mã hồ sơ",
            "Mã thủ tục",
            "Chủ hồ sơ",
            "Ngày tiếp nhận",
            "Ngày hẹn trả",
            "Ngày trả kết quả",
            "Trạng thái",
        ]
    )
    code = f"{school.code}-260302-0007".upper()
    sheet.append(
        [code, "2.002481", "Lê Văn Tám", "02/03/2026 09:00", "09/03/2026", "09/03/2026 10:00", "10"]
    )
    buffer = io.BytesIO()
    book.save(buffer)

    import_provincial(actor=clerk.user, unit=school, data=buffer.getvalue())

    dossier = Dossier.objects.get(code=code)
    assert dossier.due_at == datetime(2026, 3, 9, 17, 0, tzinfo=VN)
    assert not dossier.is_late()
    legal = measure("dossier_on_time_rate", Unit.objects.filter(pk=school.pk), Period.year(2026))
    assert (legal.numerator, legal.denominator) == (1, 1)


@pytest.mark.django_db
def test_imported_address_is_tidied_like_the_intake_form(clerk, school, transfer) -> None:
    """The provincial export's address is kept as the intake form keeps one (one line, single
    spaces: `services.clean_address`), never cut at 300 characters mid-word; one still too long
    once tidied is reported with the form's message."""
    from cchc.dossiers.services import ADDRESS_TOO_LONG

    head = [*HEAD, "Địa chỉ"]
    # 60 words in a cell padded with runs of spaces and line breaks: 299 characters tidied,
    # over 300 as exported (the old import cut it there, breaks and runs kept).
    words = [f"ấp{i:02d}" for i in range(60)]
    messy = "  \n ".join(words)
    tidy = " ".join(words)
    assert len(tidy) == 299
    assert len(messy) > 300
    too_long = " ".join(["Số 12 đường Nguyễn Văn Linh"] * 12)
    assert len(too_long) > 300
    rows = [
        [*row(f"{school.code}-260302-0011".upper()), messy],
        [*row(f"{school.code}-260302-0012".upper()), too_long],
    ]
    book = Workbook()
    sheet = book.active
    sheet.append(head)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)

    report = import_provincial(actor=clerk.user, unit=school, data=buffer.getvalue())

    assert report.created == [f"{school.code}-260302-0011".upper()]
    assert Dossier.objects.get(code=report.created[0]).applicant_address == tidy
    [(number, problem)] = report.problems
    assert number == 3
    assert ADDRESS_TOO_LONG in problem
