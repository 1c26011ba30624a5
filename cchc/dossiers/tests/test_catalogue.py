"""The procedure catalogue: the seed from domain.md §7, record checks and the XLSX exchange."""

from __future__ import annotations

import copy
import io
from datetime import datetime
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from cchc.dossiers import procedures
from cchc.dossiers.catalogue import (
    FIELDS,
    LABELS,
    MODEL_ONLY_FIELDS,
    STEPS,
    CatalogueError,
    RowProblem,
    export_xlsx,
    import_xlsx,
    load_seed,
    search_key,
    validate,
)
from cchc.dossiers.models import Procedure
from cchc.dossiers.workflow import Step

TRANSFER, READMISSION, ADMISSION, COPY, CORRECTION = range(5)


@pytest.fixture
def seed() -> list[dict[str, Any]]:
    return load_seed()


def _workbook_bytes(rows: list[list[Any]], *, title: str = "Thủ tục") -> bytes:
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _minimal_row(**overrides: Any) -> dict[str, Any]:
    """A hand-typed row keyed by header label, the way a clerk fills a blank sheet."""
    row = {
        "Tên thủ tục": "Chỉnh sửa nội dung văn bằng, chứng chỉ",
        "Mã thủ tục": "2.001914",
        "Cách thức": "Trực tiếp\nBưu chính",
        "Thành phần hồ sơ": "Đơn đề nghị chỉnh sửa — 1 bản chính, 0 bản sao (bắt buộc)",
        "Thời hạn": 5,
        "Đơn vị thời hạn": "ngày làm việc",
        "Mức độ trực tuyến": "Không",
        "Hiệu lực từ": "01/07/2025",
    }
    row.update(overrides)
    return row


def _sheet_from_dicts(rows: list[dict[str, Any] | None], headers: list[str]) -> bytes:
    table = [headers] + [
        [None] * len(headers) if row is None else [row.get(header) for header in headers]
        for row in rows
    ]
    return _workbook_bytes(table)


# --------------------------------------------------------------------------- seed


def test_seed_has_the_five_school_procedures_and_all_are_valid(seed):
    names = [record["name"] for record in seed]

    assert len(seed) == 5
    assert [validate(record) for record in seed] == [[]] * 5
    assert all(set(record) == set(FIELDS) for record in seed)
    assert names[TRANSFER] == "Chuyển trường đối với học sinh trung học cơ sở"
    assert names[COPY] == "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc"
    assert names[CORRECTION] == "Chỉnh sửa nội dung văn bằng, chứng chỉ"


def test_seed_transfer_follows_circular_15_2026(seed):
    transfer = seed[TRANSFER]

    assert transfer["code"] == "2.002481"
    assert (transfer["time_limit_value"], transfer["time_limit_unit"]) == ("5", "working_days")
    assert "08 ngày làm việc" in transfer["time_limit_text"]
    assert "08 ngày làm việc" in transfer["conditions"]
    assert transfer["cutoff"] == ""
    assert transfer["valid_from"] == "2026-05-10"
    assert any("15/2026/TT-BGDĐT" in basis for basis in transfer["legal_basis"])
    assert [document["required"] for document in transfer["documents"]] == [True, True, False]
    assert {"fee_vnd", "fee_text"} <= set(transfer["unconfirmed"])  # "none [B]" in §7


def test_seed_copy_from_register_is_same_day_with_15_00_cutoff(seed):
    copy_from_register = seed[COPY]

    assert copy_from_register["time_limit_unit"] == "same_day"
    assert copy_from_register["time_limit_value"] == ""
    assert copy_from_register["cutoff"] == "15:00"
    assert "02 ngày làm việc" in copy_from_register["time_limit_text"]
    assert copy_from_register["fee_vnd"] is None
    assert copy_from_register["fee_text"] == "Theo quy định"
    assert "code" in copy_from_register["unconfirmed"]  # 1.010020 is the old district version


def test_seed_correction_takes_five_working_days_and_ends_in_a_decision(seed):
    correction = seed[CORRECTION]

    assert correction["code"] == "2.001914"
    assert (correction["time_limit_value"], correction["time_limit_unit"]) == ("5", "working_days")
    assert correction["result"] == "Quyết định chỉnh sửa nội dung văn bằng, chứng chỉ"
    assert "documents" in correction["unconfirmed"]  # documents are [B] in §7


def test_seed_admission_follows_the_plan(seed):
    admission = seed[ADMISSION]

    assert admission["code"] == ""
    assert (admission["time_limit_value"], admission["time_limit_unit"]) == ("", "plan")
    assert {"code", "documents", "time_limit_unit", "legal_basis"} <= set(admission["unconfirmed"])


def test_seed_readmission_time_limit_is_unknown_and_marked(seed):
    readmission = seed[READMISSION]

    assert readmission["code"] == ""
    assert readmission["time_limit_value"] == ""
    assert {"code", "time_limit_value", "documents", "fee_vnd"} <= set(readmission["unconfirmed"])


def test_every_seed_record_names_its_sources_and_something_to_confirm(seed):
    assert all(record["sources"] for record in seed)
    assert all(record["unconfirmed"] for record in seed)
    assert all(record["supplement_rule"] == "restart" for record in seed)
    assert all(record["max_supplements"] == 1 for record in seed)


# --------------------------------------------------------------------------- validate


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"name": "  "}, "Tên thủ tục: không được để trống."),
        ({"time_limit_unit": "weeks"}, "Đơn vị thời hạn: “weeks” không hợp lệ"),
        ({"channels": ["fax"]}, "Cách thức: “fax” không hợp lệ"),
        ({"channels": []}, "Cách thức: phải có ít nhất một cách thức"),
        ({"valid_from": "10/05/2026"}, "Hiệu lực từ: “10/05/2026” phải là ngày dạng YYYY-MM-DD."),
        ({"valid_from": "2026-02-30"}, "Hiệu lực từ: “2026-02-30” phải là ngày"),
        ({"valid_to": "2026-01-01"}, "Hiệu lực đến: ngày hết hiệu lực phải sau"),
        ({"fee_vnd": -5000}, "Lệ phí (đồng): không được âm."),
        ({"fee_vnd": 1.5}, "Lệ phí (đồng): phải là số tiền nguyên"),
        ({"time_limit_value": "05"}, "Thời hạn: “05” phải là số dương"),
        ({"time_limit_value": "0"}, "Thời hạn: “0” phải là số dương"),
        ({"time_limit_value": "0.125"}, "Thời hạn: “0.125” phải là số dương"),
        ({"time_limit_value": "10000"}, "Thời hạn: “10000” phải là số dương"),
        ({"time_limit_text": "x" * 301}, "Thời hạn (nguyên văn): dài 301 ký tự, tối đa 300."),
        ({"time_limit_unit": "plan"}, "Thời hạn: để trống khi đơn vị thời hạn là “theo kế hoạch”."),
        ({"code": "ABC"}, "Mã thủ tục: “ABC” không đúng dạng"),
        ({"sets": 0}, "Số bộ: phải từ 1 trở lên."),
        ({"sets": True}, "Số bộ: phải là số nguyên."),
        ({"steps": ["Bước 1\nBước 2"]}, "Trình tự: mỗi mục phải có nội dung"),
        ({"online_level": "full", "channels": ["in_person"]}, "Mức độ trực tuyến: thủ tục có"),
        ({"supplement_rule": "forever"}, "Cách tính khi bổ sung: “forever” không hợp lệ"),
        ({"unconfirmed": ["colour"]}, "Cần xác nhận: không có trường “colour”."),
        ({"cutoff": "25:00"}, "Giờ chốt: “25:00” phải có dạng giờ:phút"),
        ({"surprise": 1}, "Trường không xác định: “surprise”."),
    ],
)
def test_validate_reports_a_vietnamese_problem(seed, change, expected):
    record = {**seed[TRANSFER], **change}

    problems = validate(record)

    assert any(problem.startswith(expected) for problem in problems), problems


def test_validate_requires_a_cutoff_for_same_day_procedures(seed):
    record = {**seed[COPY], "cutoff": ""}

    assert validate(record) == [
        "Giờ chốt: thủ tục giải quyết trong ngày phải có giờ chốt (thường là 15:00)."
    ]


def test_validate_checks_each_document(seed):
    documents = copy.deepcopy(seed[TRANSFER]["documents"])
    documents[0]["originals"] = 0
    documents[1]["required"] = "có"
    record = {**seed[TRANSFER], "documents": documents}

    assert validate(record) == [
        "Thành phần hồ sơ: giấy tờ thứ 1: phải có ít nhất một bản chính hoặc bản sao.",
        "Thành phần hồ sơ: giấy tờ thứ 2: “required” phải là true hoặc false.",
    ]


def test_validate_lists_missing_fields():
    problems = validate({"name": "Chuyển trường"})

    assert "Mã thủ tục: thiếu trường này." in problems
    assert len(problems) == len(FIELDS) - 1


def test_blank_time_limit_is_allowed_only_while_unconfirmed(seed):
    record = {**seed[READMISSION], "unconfirmed": ["code"]}

    problems = validate(record)

    assert len(problems) == 1
    assert problems[0].startswith("Thời hạn: “” phải là số dương")


# --------------------------------------------------------------------------- export / import


def test_export_then_import_gives_the_same_records(seed):
    records, problems = import_xlsx(export_xlsx(seed))

    assert problems == []
    assert records == seed


def test_round_trip_keeps_edge_values(seed):
    record = copy.deepcopy(seed[TRANSFER])
    record.update(
        name="=1+1 không phải công thức",
        time_limit_value="0.5",
        time_limit_unit="working_hours",
        fee_vnd=0,
        valid_to="2027-05-09",
        supplement_rule="pause",
        max_supplements=2,
        supplement_within_days=2,
        step_budgets={"reception": 0.5, "appraisal": 3, "signature": 1.25},
        forms=["Mẫu đơn đề nghị chuyển trường"],
    )
    record["documents"][0]["note"] = "Bản giấy — hoặc bản điện tử"

    records, problems = import_xlsx(export_xlsx([record]))

    assert problems == []
    assert records == [record]


def test_export_layout_headers_guide_and_styles(seed):
    workbook = load_workbook(io.BytesIO(export_xlsx(seed)))
    sheet = workbook["Thủ tục"]

    assert workbook.sheetnames == ["Thủ tục", "Hướng dẫn"]
    assert [cell.value for cell in sheet[1]] == list(LABELS.values())
    assert [cell.value for cell in sheet[1]][:4] == [
        "Mã thủ tục",
        "Tên thủ tục",
        "Lĩnh vực",
        "Cấp thực hiện",
    ]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width == 40
    assert sheet["B2"].alignment.wrap_text
    assert sheet.max_row == 6
    assert sheet["A2"].value == "2.002481"
    assert sheet["J2"].value == "ngày làm việc"
    assert sheet["F2"].value == "Trực tiếp\nBưu chính\nTrực tuyến"
    assert sheet["G2"].value.splitlines()[2] == (
        "Kế hoạch giáo dục cá nhân — 1 bản chính, 0 bản sao (không bắt buộc)"
        " — Chỉ đối với học sinh khuyết tật"
    )
    assert isinstance(sheet["V2"].value, datetime)
    guide = workbook["Hướng dẫn"]
    rows = guide.iter_rows(min_row=2, max_row=len(LABELS) + 1, values_only=True)
    assert [row[0] for row in rows] == list(LABELS.values())


def test_the_spreadsheet_has_a_column_for_every_field_of_the_procedure_model(seed):
    model_fields = {field.name for field in Procedure._meta.concrete_fields}
    workbook = load_workbook(io.BytesIO(export_xlsx(seed)))
    headers = [cell.value for cell in workbook["Thủ tục"][1]]
    guide = [row[0] for row in workbook["Hướng dẫn"].iter_rows(min_row=2, values_only=True)]

    assert model_fields - MODEL_ONLY_FIELDS == set(FIELDS)
    assert model_fields >= MODEL_ONLY_FIELDS  # no stale name hides a dropped column
    assert headers == [LABELS[name] for name in FIELDS]
    assert len(set(headers)) == len(headers)
    assert set(headers) <= set(guide)


def test_step_budgets_name_the_workflow_steps():
    assert list(STEPS) == ["reception", *Step.values]
    assert list(STEPS.values())[1:] == list(Step.labels)


def test_step_budgets_and_supplement_days_read_from_typed_cells():
    row = _minimal_row(
        **{
            "Thời hạn từng bước (ngày)": "tiep nhan: 0,5\nThẩm định : 3\nTrình ký: 1.5",
            "Hạn yêu cầu bổ sung (ngày)": "2",
        }
    )

    records, problems = import_xlsx(_sheet_from_dicts([row], list(row)))

    assert problems == []
    assert records[0]["step_budgets"] == {"reception": 0.5, "appraisal": 3, "signature": 1.5}
    assert records[0]["supplement_within_days"] == 2


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("Phê duyệt: 2", "không đọc được “Phê duyệt: 2”"),
        ("Thẩm định: ba", "“ba” phải là số ngày"),
        ("Thẩm định: 1\nThẩm định: 2", "ghi hai lần"),
        ("Thẩm định: 0", "phải là số ngày dương"),
        ("Trình ký: 0,125", "tối đa hai chữ số thập phân"),
    ],
)
def test_import_reports_a_bad_step_budget(cell, message):
    row = _minimal_row(**{"Thời hạn từng bước (ngày)": cell})

    records, problems = import_xlsx(_sheet_from_dicts([row], list(row)))

    assert records == []
    assert [problem.column for problem in problems] == ["Thời hạn từng bước (ngày)"]
    assert message in problems[0].message


@pytest.mark.django_db
def test_step_budgets_and_supplement_days_go_round_the_model_and_the_spreadsheet(
    school, clerk
) -> None:
    record = {
        **load_seed()[TRANSFER],
        "supplement_within_days": 2,
        "step_budgets": {"reception": 0.5, "appraisal": 2, "signature": 1},
    }
    procedure = procedures.procedure_upsert(actor=clerk.user, unit=school, record=record)

    exported = procedures.procedures_export_xlsx(unit=school)
    Procedure.objects.filter(pk=procedure.pk).update(step_budgets={}, supplement_within_days=3)
    saved, problems = procedures.procedures_import_xlsx(
        actor=clerk.user, unit=school, data=exported
    )

    assert problems == []
    assert [p.pk for p in saved] == [procedure.pk]
    procedure.refresh_from_db()
    assert procedure.supplement_within_days == 2
    assert procedure.step_budgets == {"reception": 0.5, "appraisal": 2, "signature": 1}
    assert procedures.procedure_record(procedure) == record


def test_export_refuses_invalid_records(seed):
    with pytest.raises(CatalogueError, match="Không xuất được danh mục"):
        export_xlsx([{**seed[TRANSFER], "time_limit_unit": "weeks"}])


def test_import_tolerates_reordered_columns_extra_columns_and_blank_rows():
    headers = ["Ghi chú nội bộ", "Hiệu lực từ", "Đơn vị thời hạn", "Thời hạn", "Tên thủ tục"]
    headers += ["Mã thủ tục", "Cách thức", "Thành phần hồ sơ", "Mức độ trực tuyến"]
    row = _minimal_row(**{"Ghi chú nội bộ": "cô Lan phụ trách"})
    data = _sheet_from_dicts(
        [None, row, None, None, _minimal_row(**{"Tên thủ tục": "Khác"})], headers
    )

    records, problems = import_xlsx(data)

    assert problems == []
    assert [record["name"] for record in records] == [
        "Chỉnh sửa nội dung văn bằng, chứng chỉ",
        "Khác",
    ]
    record = records[0]
    assert record["time_limit_value"] == "5"
    assert record["channels"] == ["in_person", "post"]
    assert record["documents"] == [
        {"name": "Đơn đề nghị chỉnh sửa", "originals": 1, "copies": 0, "required": True, "note": ""}
    ]
    assert (record["sets"], record["max_supplements"], record["supplement_rule"]) == (
        1,
        1,
        "restart",
    )
    assert (record["supplement_within_days"], record["step_budgets"]) == (3, {})
    assert record["fee_vnd"] is None
    assert validate(record) == []


def test_import_reads_numbers_typed_as_text_and_dates_as_dd_mm_yyyy():
    row = _minimal_row(
        **{
            "Thời hạn": "05",
            "Số bộ": "02",
            "Lệ phí (đồng)": "50.000 đồng",
            "Hiệu lực từ": "1/7/2025",
            "Hiệu lực đến": datetime(2026, 5, 9),
            "Giờ chốt": "15h",
            "Mã thủ tục": 2.001914,
            "Đơn vị thời hạn": "NGAY LAM VIEC",
        }
    )
    data = _sheet_from_dicts([row], list(row))

    records, problems = import_xlsx(data)

    assert problems == []
    record = records[0]
    assert record["time_limit_value"] == "5"
    assert record["sets"] == 2
    assert record["fee_vnd"] == 50000
    assert (record["valid_from"], record["valid_to"]) == ("2025-07-01", "2026-05-09")
    assert record["cutoff"] == "15:00"
    assert record["code"] == "2.001914"
    assert record["time_limit_unit"] == "working_days"


def test_import_finds_the_header_below_a_title_row():
    row = _minimal_row()
    data = _workbook_bytes(
        [["DANH MỤC THỦ TỤC HÀNH CHÍNH"], [], list(row), list(row.values())], title="Sheet1"
    )

    records, problems = import_xlsx(data)

    assert problems == []
    assert len(records) == 1


def test_import_reports_a_row_without_a_name_and_keeps_the_others():
    rows = [_minimal_row(), _minimal_row(**{"Tên thủ tục": None}), _minimal_row()]
    data = _sheet_from_dicts(rows, list(rows[0]))

    records, problems = import_xlsx(data)

    assert len(records) == 2
    assert problems == [RowProblem(row=3, column="Tên thủ tục", message="không được để trống.")]
    assert str(problems[0]) == "Dòng 3, cột “Tên thủ tục”: không được để trống."


def test_import_reports_an_unknown_unit_label():
    row = _minimal_row(**{"Đơn vị thời hạn": "tuần"})
    data = _sheet_from_dicts([row], list(row))

    records, problems = import_xlsx(data)

    assert records == []
    assert len(problems) == 1
    assert (problems[0].row, problems[0].column) == (2, "Đơn vị thời hạn")
    assert problems[0].message.startswith(
        "Đơn vị thời hạn “tuần” không hợp lệ; dùng: ngày làm việc"
    )


def test_import_reports_a_negative_fee():
    row = _minimal_row(**{"Lệ phí (đồng)": -20000})
    data = _sheet_from_dicts([row], list(row))

    records, problems = import_xlsx(data)

    assert records == []
    assert problems == [RowProblem(row=2, column="Lệ phí (đồng)", message="không được âm.")]


def test_import_reports_every_bad_cell_of_a_row_and_keeps_nothing_of_it():
    row = _minimal_row(
        **{
            "Lệ phí (đồng)": "Không",
            "Hiệu lực từ": "31/02/2026",
            "Thành phần hồ sơ": "Đơn đề nghị",
            "Cách thức": "Fax",
        }
    )
    data = _sheet_from_dicts([row], list(row))

    records, problems = import_xlsx(data)

    assert records == []
    assert {problem.column for problem in problems} == {
        "Lệ phí (đồng)",
        "Hiệu lực từ",
        "Thành phần hồ sơ",
        "Cách thức",
    }
    assert all(problem.row == 2 for problem in problems)


@pytest.mark.parametrize(
    "data",
    [b"", b"Ten thu tuc;Ma thu tuc\n", b"PK\x03\x04 not really a zip", b"%PDF-1.7"],
)
def test_import_rejects_a_file_that_is_not_xlsx(data):
    with pytest.raises(CatalogueError, match=r"không phải là bảng tính Excel \(\.xlsx\)"):
        import_xlsx(data)


def test_import_rejects_a_workbook_without_the_name_header():
    data = _workbook_bytes([["Mã", "Tên"], ["2.002481", "Chuyển trường"]])

    with pytest.raises(CatalogueError, match="Không tìm thấy dòng tiêu đề có cột “Tên thủ tục”"):
        import_xlsx(data)


def test_import_rejects_a_duplicated_header_naming_row_and_column():
    data = _workbook_bytes([["Tên thủ tục", "Thời hạn", "thoi han"]])

    with pytest.raises(CatalogueError) as caught:
        import_xlsx(data)

    assert (caught.value.row, caught.value.column) == (1, "Thời hạn")


# --------------------------------------------------------------------------- search


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chuyển trường", "chuyen truong"),
        ("ĐỐI VỚI", "doi voi"),
        ("  Cấp   bản sao\tvăn bằng ", "cap ban sao van bang"),
        ("Đơn đề nghị", "don de nghi"),
        ("chuyen truong", "chuyen truong"),
    ],
)
def test_search_key_folds_case_diacritics_and_spaces(text, expected):
    assert search_key(text) == expected


def test_search_key_matches_decomposed_input():
    assert search_key("Chuye\u0302\u0309n tru\u031bo\u031b\u0300ng") == "chuyen truong"
