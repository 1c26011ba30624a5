"""Bad input gets a clear 4xx in Vietnamese, never a 500.

Each test reproduces one crash found in review: "²" passing str.isdigit() but not int(), ids
too large for the database, a naive datetime compared with aware ones, strings longer than the
model column or carrying NUL (PostgreSQL refuses both), an unbounded participant count, unsafe
evidence links, and a Word file whose package XML is damaged.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cchc.core.numbers import MAX_ID, parse_id, parse_int_in_range
from cchc.core.timezones import VN
from cchc.dossiers import procedures
from cchc.dossiers import services as dossier_services
from cchc.dossiers.models import Dossier, Procedure
from cchc.plans.forms import LINK_MESSAGE, ActivityForm, EvidenceForm
from cchc.plans.models import Activity, Plan, Task
from cchc.plans.parsing.reading import PlanParseError, read_plan_file
from cchc.workdays.calendar import default_calendar
from tests.fixtures import client_for

SUPERSCRIPT_TWO = "²"  # "²".isdigit() is True, int("²") raises ValueError
HUGE = "9" * 25  # beyond SQLite's and PostgreSQL's 64-bit integers
NOT_FOUND = "Trang hoặc dữ liệu bạn tìm không tồn tại"
INVALID_PAYLOAD = "Dữ liệu gửi lên không hợp lệ."


def quiet(client: Client) -> Client:
    """Answer exceptions with the 500 page (as in production) so the status can be asserted."""
    client.raise_request_exception = False
    return client


def post_json(client: Client, url: str, body: object) -> tuple[int, dict]:
    response = client.post(url, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def field_errors(body: dict) -> dict[str, str]:
    """Field → message, without ninja's "payload." / "query." location prefix."""
    return {
        e["field"].split(".", 1)[1]: e["message"]
        for e in body.get("errors", [])
        if e["field"].startswith(("payload.", "query."))
    }


@pytest.fixture
def transfer(school, clerk) -> Procedure:
    seeded = procedures.procedure_seed_defaults(actor=clerk.user, unit=school)
    return next(p for p in seeded if p.name.startswith("Chuyển trường"))


@pytest.fixture
def dossier_body(transfer) -> dict:
    return {
        "procedure_id": transfer.pk,
        "applicant_name": "Nguyễn Văn An",
        "applicant_phone": "0912345678",
        "documents": [d["name"] for d in transfer.documents],
    }


@pytest.fixture
def dossier(clerk, school, transfer) -> Dossier:
    return dossier_services.dossier_receive(
        actor=clerk.user,
        unit=school,
        procedure=transfer,
        applicant={"applicant_name": "Nguyễn Văn An", "applicant_phone": "0912345678"},
        provided_documents=[d["name"] for d in transfer.documents],
    )


# =========================================================================== 1. numbers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        (HUGE, None),
        ("9" * 5000, None),  # int() would refuse (or spend time on) a huge digit string
        (SUPERSCRIPT_TWO, None),
        ("１２", None),  # full-width digits
        ("١٢", None),  # Arabic-Indic digits
        ("0", None),
        ("-3", None),
        ("+3", None),
        ("1_000", None),
        ("1.0", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_id_accepts_only_ascii_digits_in_range(raw: str | None, expected: int | None):
    assert parse_id(raw) == expected


def test_parse_int_in_range_honours_both_bounds():
    assert parse_int_in_range("-5", minimum=-10, maximum=10) == -5
    assert parse_int_in_range("11", minimum=-10, maximum=10) is None
    assert parse_int_in_range("1990", minimum=1990, maximum=2100) == 1990


@pytest.mark.django_db
@pytest.mark.parametrize("raw", [SUPERSCRIPT_TWO, HUGE])
def test_audit_log_ignores_a_unit_filter_that_cannot_be_an_id(principal, raw):
    response = quiet(client_for(principal)).get("/quan-ly/nhat-ky/", {"don_vi": raw})

    assert response.status_code == 200
    assert "Nhật ký thay đổi" in response.content.decode()


@pytest.mark.django_db
def test_audit_log_still_filters_by_a_valid_unit(principal, school, other_school):
    response = client_for(principal).get("/quan-ly/nhat-ky/", {"don_vi": other_school.pk})

    assert response.status_code == 200
    assert "Không có sự kiện nào khớp bộ lọc." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("raw", [SUPERSCRIPT_TWO, HUGE, "20261", "abc"])
def test_calendar_year_that_is_not_a_year_is_a_400_with_the_range(principal, raw):
    response = quiet(client_for(principal)).get("/quan-ly/lich-lam-viec/", {"nam": raw})

    assert response.status_code == 400
    assert "Năm phải là số từ 1990 đến 2100." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("raw", [SUPERSCRIPT_TWO, HUGE])
def test_calendar_unit_that_cannot_be_an_id_is_a_404(principal, raw):
    response = quiet(client_for(principal)).get("/quan-ly/lich-lam-viec/", {"don_vi": raw})

    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("raw", [SUPERSCRIPT_TWO, HUGE, "abc"])
def test_api_dossier_list_refuses_a_procedure_filter_that_cannot_be_an_id(principal, raw):
    response = quiet(client_for(principal)).get("/api/v1/dossiers", {"procedure_id": raw})

    assert response.status_code == 422
    assert response.json()["detail"] == "Mã thủ tục (procedure_id) phải là số nguyên dương."


@pytest.mark.django_db
def test_api_dossier_list_still_filters_by_procedure(principal, dossier, transfer):
    client = client_for(principal)

    assert [d["code"] for d in client.get(f"/api/v1/dossiers?procedure_id={transfer.pk}").json()]
    assert [d["code"] for d in client.get("/api/v1/dossiers?procedure_id=").json()]
    assert client.get(f"/api/v1/dossiers?procedure_id={transfer.pk + 1000}").json() == []


# =========================================================================== 2. naive datetime


@pytest.mark.django_db
def test_api_apology_with_a_naive_time_takes_it_as_vietnam_time(principal, dossier):
    # The first working day after the due date: inside the bound on a new appointment.
    day = default_calendar().next_working_day(dossier.due_at.astimezone(VN).date())
    status, body = post_json(
        quiet(client_for(principal)),
        f"/api/v1/dossiers/{dossier.code}/transition",
        {
            "action": "apologize",
            "version": dossier.version,
            "reason": "Chờ ý kiến của trường nơi đến.",
            "new_due_at": f"{day.isoformat()}T10:00:00",  # no offset: Vietnam's time
        },
    )

    assert status == 200, body
    dossier.refresh_from_db()
    assert dossier.new_due_at == datetime(day.year, day.month, day.day, 10, 0, tzinfo=VN)


@pytest.mark.django_db
@pytest.mark.parametrize("when", ["9999-12-31T23:00:00-12:00", "0001-01-01T00:00:00"])
def test_api_apology_with_an_absurd_date_is_a_422(principal, dossier, when):
    status, body = post_json(
        quiet(client_for(principal)),
        f"/api/v1/dossiers/{dossier.code}/transition",
        {"action": "apologize", "version": dossier.version, "reason": "x", "new_due_at": when},
    )

    assert status == 422
    assert field_errors(body)["new_due_at"] == "ngày hẹn phải trong khoảng năm 1990–2100"


# =========================================================================== 3. DossierIn limits


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("applicant_name", "A" * 201, "quá dài so với giới hạn cho phép"),
        ("applicant_name", "Nguyễn\x00An", "chứa ký tự không hợp lệ (NUL)"),
        ("applicant_id_number", "0" * 21, "quá dài so với giới hạn cho phép"),
        ("applicant_phone", "0" * 21, "quá dài so với giới hạn cho phép"),
        ("applicant_email", "not-an-email", "địa chỉ thư điện tử không hợp lệ"),
        ("applicant_email", "a" * 250 + "@x.vn", "quá dài so với giới hạn cho phép"),
        ("applicant_address", "x" * 301, "quá dài so với giới hạn cho phép"),
        ("subject", "a\x00b", "chứa ký tự không hợp lệ (NUL)"),
        ("subject", "s" * 301, "quá dài so với giới hạn cho phép"),
        ("external_code", "X" * 61, "quá dài so với giới hạn cho phép"),
        ("external_code", "X\x00", "chứa ký tự không hợp lệ (NUL)"),
        ("channel", "in_person\x00", "chứa ký tự không hợp lệ (NUL)"),
        ("procedure_id", 10**20, "giá trị quá lớn"),
    ],
)
def test_api_dossier_create_refuses_what_the_database_would(
    clerk, dossier_body, field, value, message
):
    status, body = post_json(
        quiet(client_for(clerk)), "/api/v1/dossiers", {**dossier_body, field: value}
    )

    assert status == 422
    assert body["detail"] == INVALID_PAYLOAD
    assert field_errors(body)[field] == message
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_api_dossier_create_refuses_a_long_or_nul_document_name(clerk, dossier_body):
    client = quiet(client_for(clerk))
    for name, message in [("d" * 301, "quá dài so với giới hạn cho phép"), ("a\x00", "NUL")]:
        status, body = post_json(
            client,
            "/api/v1/dossiers",
            {**dossier_body, "documents": [*dossier_body["documents"], name]},
        )

        assert status == 422
        assert message in field_errors(body)[f"documents.{len(dossier_body['documents'])}"]


@pytest.mark.django_db
def test_api_dossier_create_still_accepts_values_at_the_limits(clerk, dossier_body):
    status, body = post_json(
        client_for(clerk),
        "/api/v1/dossiers",
        {
            **dossier_body,
            "applicant_name": "Á" * 200,
            "applicant_id_number": "079 123 456 789",  # 15 characters, 12 digits once cleaned
            "applicant_email": "an.nguyen@truong.edu.vn",
            "applicant_address": "đ" * 300,
            "subject": "s" * 300,
            "external_code": "H" * 48 + "-260302-0001",  # 60 characters, the official shape
        },
    )

    assert status == 201, body
    assert Dossier.objects.get().applicant_id_number == "079123456789"


@pytest.mark.django_db
def test_api_transition_refuses_nul_in_the_reason(principal, dossier):
    status, body = post_json(
        quiet(client_for(principal)),
        f"/api/v1/dossiers/{dossier.code}/transition",
        {"action": "refuse", "version": dossier.version, "reason": "thiếu\x00giấy"},
    )

    assert status == 422
    assert field_errors(body)["reason"] == "chứa ký tự không hợp lệ (NUL)"


@pytest.mark.django_db
def test_api_dossier_list_refuses_nul_in_the_search(principal):
    response = quiet(client_for(principal)).get("/api/v1/dossiers", {"q": "An\x00"})

    assert response.status_code == 422
    assert field_errors(response.json())["q"] == "chứa ký tự không hợp lệ (NUL)"


# =========================================================================== 4. activities


@pytest.mark.django_db
def test_activity_form_refuses_an_attendance_the_column_cannot_hold(principal):
    response = quiet(client_for(principal)).post(
        "/quan-ly/hoat-dong/",
        {
            "kind": "training",
            "title": "Tập huấn CCHC",
            "held_on": "2026-03-02",
            "participant_count": "99999999999999999999999",
        },
    )

    assert response.status_code == 422
    assert "Số người tham dự tối đa là 100.000." in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"participant_count": -1}, "participant_count", "giá trị quá nhỏ"),
        ({"participant_count": 10**20}, "participant_count", "giá trị quá lớn"),
        ({"participant_count": 100_001}, "participant_count", "giá trị quá lớn"),
        ({"participant_ids": [10**20]}, "participant_ids.0", "giá trị quá lớn"),
        ({"participant_ids": [0]}, "participant_ids.0", "giá trị quá nhỏ"),
        ({"task_id": 10**20}, "task_id", "giá trị quá lớn"),
        ({"title": "t" * 301}, "title", "quá dài so với giới hạn cho phép"),
        ({"title": "a\x00b"}, "title", "chứa ký tự không hợp lệ (NUL)"),
    ],
)
def test_api_activity_refuses_out_of_range_numbers(principal, extra, field, message):
    status, body = post_json(
        quiet(client_for(principal)),
        "/api/v1/activities",
        {"kind": "training", "title": "Tập huấn", "held_on": "2026-03-02", **extra},
    )

    assert status == 422
    assert field_errors(body)[field] == message
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_api_activity_accepts_the_largest_attendance(principal):
    status, body = post_json(
        client_for(principal),
        "/api/v1/activities",
        {
            "kind": "training",
            "title": "Hội nghị",
            "held_on": "2026-03-02",
            "participant_count": 100_000,
        },
    )

    assert status == 201, body
    assert body["participant_count"] == 100_000


UNSAFE_LINKS = [
    "javascript:alert(document.cookie)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/phish",
    "/\\evil.example/phish",
    "vbscript:msgbox(1)",
    "ftp://files.example/plan.pdf",
    "http:///no-host",
    "http://[::1",
    "evil.example/phish",
    'https://ok.example/"onmouseover="alert(1)',
]
SAFE_LINKS = [
    "https://thcs-a.edu.vn/tin-tuc/tuyen-truyen-cchc",
    "http://thcs-a.edu.vn/bai-viet?id=12#muc-2",
    "/cong-khai/phan-anh/15/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", UNSAFE_LINKS)
def test_evidence_link_must_be_a_web_page_or_a_path_of_this_site(url):
    form = EvidenceForm(data={"title": "Bài tuyên truyền", "url": url})

    assert not form.is_valid()
    assert form.errors["url"] == [LINK_MESSAGE]


@pytest.mark.django_db
@pytest.mark.parametrize("url", UNSAFE_LINKS)
def test_activity_evidence_link_is_checked_on_the_form(school, url):
    form = ActivityForm(
        data={
            "kind": "training",
            "title": "Tập huấn",
            "held_on": "2026-03-02",
            "evidence_url": url,
        },
        unit=school,
    )

    assert not form.is_valid()
    assert form.errors["evidence_url"] == [LINK_MESSAGE]


@pytest.mark.django_db
@pytest.mark.parametrize("url", SAFE_LINKS)
def test_web_and_site_links_are_accepted(school, url):
    assert EvidenceForm(data={"title": "Minh chứng", "url": url}).is_valid()
    form = ActivityForm(
        data={
            "kind": "training",
            "title": "Tập huấn",
            "held_on": "2026-03-02",
            "evidence_url": url,
        },
        unit=school,
    )
    assert form.is_valid(), form.errors


@pytest.mark.django_db
def test_activity_page_shows_the_link_message(principal):
    response = quiet(client_for(principal)).post(
        "/quan-ly/hoat-dong/",
        {
            "kind": "training",
            "title": "Tập huấn",
            "held_on": "2026-03-02",
            "evidence_url": "javascript:alert(1)",
        },
    )

    assert response.status_code == 422
    assert "Đường dẫn phải bắt đầu bằng http://, https:// hoặc /" in response.content.decode()
    assert not Activity.objects.exists()


# =========================================================================== 5. damaged DOCX


def docx_with_bad_content_types() -> bytes:
    """A zip that looks like a Word file but whose [Content_Types].xml is not the real thing:
    python-docx fails inside its package reader with AttributeError."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<x/>")
    return buffer.getvalue()


def docx_with_numbering_start(start: str) -> bytes:
    """A Word list whose first number is `start` (Word allows 0–32767; a file may say more)."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="91"><w:lvl w:ilvl="0">'
            f'<w:start w:val="{start}"/><w:numFmt w:val="upperRoman"/>'
            '<w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
        )
    )
    numbering.append(
        parse_xml(f'<w:num {nsdecls("w")} w:numId="91"><w:abstractNumId w:val="91"/></w:num>')
    )
    paragraph = document.add_paragraph("MỤC TIÊU")
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="91"/></w:numPr>')
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_damaged_docx_package_is_a_parse_error():
    with pytest.raises(PlanParseError, match=r"Tệp \.docx bị hỏng hoặc không đúng định dạng Word"):
        read_plan_file(docx_with_bad_content_types(), "ke-hoach.docx")


@pytest.mark.django_db
def test_plan_import_of_a_damaged_docx_is_a_422_with_the_reason(principal):
    response = quiet(client_for(principal)).post(
        "/quan-ly/ke-hoach/nhap/",
        {"file": SimpleUploadedFile("ke-hoach.docx", docx_with_bad_content_types())},
    )

    assert response.status_code == 422
    assert "Tệp .docx bị hỏng hoặc không đúng định dạng Word" in response.content.decode()


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("3", "III. MỤC TIÊU"),
        ("32767", "I. MỤC TIÊU".replace("I.", "M" * 32 + "DCCLXVII.")),  # Word's largest
        ("1" + "0" * 9, "I. MỤC TIÊU"),  # out of Word's range: a million "M"s before the fix
        (SUPERSCRIPT_TWO, "I. MỤC TIÊU"),
        ("x", "I. MỤC TIÊU"),
    ],
)
def test_docx_numbering_start_from_the_file_is_bounded(start, expected):
    text = read_plan_file(docx_with_numbering_start(start), "plan.docx")

    assert text.splitlines()[0].strip() == expected


# =========================================================================== 6. the rest


@pytest.mark.django_db
def test_api_task_patch_refuses_nul_and_huge_version(principal):
    # A task the principal may update: the API answers 404 for a missing one before the body.
    plan = Plan.objects.create(unit=principal.unit, title="Kế hoạch CCHC năm 2026", year=2026)
    task = Task.objects.create(plan=plan, number="1.1", title="Rà soát thủ tục")
    client = quiet(client_for(principal))
    response = client.patch(
        f"/api/v1/tasks/{task.pk}",
        json.dumps({"status": "doing", "progress": 1, "note": "a\x00", "version": 10**20}),
        content_type="application/json",
    )
    huge = client.patch(
        f"/api/v1/tasks/{task.pk}",
        json.dumps({"status": "doing", "progress": 1, "note": "a", "version": 10**20}),
        content_type="application/json",
    )

    # NUL is refused before the view (cchc.core.middleware), the version by the schema.
    assert response.status_code == 422
    assert field_errors(response.json())["note"] == "chứa ký tự không hợp lệ (NUL)"
    assert huge.status_code == 422
    assert field_errors(huge.json())["version"] == "giá trị quá lớn"


@pytest.mark.django_db
def test_public_lookup_with_nul_in_the_code_is_refused(db):
    response = quiet(Client()).get("/api/v1/public/dossiers/000.01%00")

    # Refused before the view by cchc.core.middleware, like every NUL.
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "chứa ký tự không hợp lệ (NUL)"


@pytest.mark.django_db
def test_calendar_override_for_a_unit_that_cannot_be_an_id_is_a_404(principal):
    response = quiet(client_for(principal)).post(
        "/quan-ly/lich-lam-viec/dieu-chinh/",
        {"don_vi": SUPERSCRIPT_TWO, "date": "2026-03-02", "is_working": "1", "reason": "x"},
    )

    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()


@pytest.mark.django_db
def test_tracking_book_names_an_unparsable_procedure_filter(principal) -> None:
    """Never a 500, never a silent full list: a Vietnamese 400 naming the filter."""
    from tests.fixtures import client_for as _client

    for raw in ("²", "9" * 25):
        response = _client(principal).get(f"/quan-ly/ho-so/so-theo-doi/?thu_tuc={raw}")
        assert response.status_code == 400
        assert "không có trong danh sách để lọc" in response.content.decode()


@pytest.mark.django_db
def test_api_body_that_is_not_json_is_a_vietnamese_400(clerk) -> None:
    from tests.fixtures import client_for as _client

    response = _client(clerk).post("/api/v1/dossiers", b"\xff\xfe", content_type="application/json")

    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]
