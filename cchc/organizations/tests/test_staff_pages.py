"""Staff in the unit's own pages (issue 9, item 2): add, edit, deactivate, roles and groups,
import from XLSX/CSV with a preview and per-row errors, and a log-in for each new person."""

from __future__ import annotations

import io
import json
import re
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from cchc.accounts.models import Role, User
from cchc.core.models import AuditEvent
from cchc.organizations import staff_table
from cchc.organizations.models import Group, Staff
from tests.fixtures import client_for

pytestmark = pytest.mark.django_db

HEADER = "Họ và tên,Chức vụ,Tổ chuyên môn,Thư điện tử,Điện thoại,Vai trò\n"
ROWS = (
    "Dương Thị Huyền Trân,Phó hiệu trưởng,Tổ Ngữ văn,trandth@truong.edu.vn,0912 111 222,"
    "Phó hiệu trưởng\n"
    'Nguyễn Tấn Vinh,Tổ trưởng,"Tin học, Lịch sử - Địa lý",,0913 222 333,'
    "Phụ trách công nghệ thông tin\n"
    "Lê Thị Thanh Thủy,Văn thư,,thuyltt@truong.edu.vn,,Văn thư\n"
)
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """What Excel on a Vietnamese Windows writes: base letters precomposed, tone marks apart."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + "".join(c for c in parts if c in TONES))
    return "".join(out).encode("cp1258")


def _upload(client: Client, name: str, content: bytes):
    return client.post(
        reverse("organizations:staff_import"), {"file": SimpleUploadedFile(name, content)}
    )


def test_add_edit_and_deactivate_a_person(principal, school) -> None:
    client = client_for(principal)

    client.post(
        reverse("organizations:staff_new"),
        {
            "full_name": "Phan  Văn Lợi",
            "position": "Giáo viên",
            "new_group": "Tổ Toán",
            "email": "loipv@truong.edu.vn",
            "roles": [Role.CLERK],
        },
    )
    person = Staff.objects.get(full_name="Phan Văn Lợi")
    assert person.group == Group.objects.get(unit=school, name="Tổ Toán")
    assert list(person.role_assignments.values_list("role", flat=True)) == [Role.CLERK]
    form = client.get(reverse("organizations:staff_edit", args=[person.pk])).context["form"]
    version = form.initial["version"]

    response = client.post(
        reverse("organizations:staff_edit", args=[person.pk]),
        {"full_name": "Phan Văn Lợi", "version": version, "roles": [], "is_active": ""},
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    assert not person.role_assignments.exists()
    client.get(reverse("organizations:unit_detail", args=[school.pk]))  # shows "Đã lưu …"
    listing = client.get(reverse("organizations:unit_detail", args=[school.pk]))
    assert "Phan Văn Lợi" not in listing.content.decode()
    assert AuditEvent.objects.filter(verb="staff.update", object_id=str(person.pk)).exists()
    stale = client.post(
        reverse("organizations:staff_edit", args=[person.pk]),
        {"full_name": "Tên cũ", "version": version, "is_active": "1"},
    )
    assert stale.status_code == 409
    assert "Người khác vừa sửa" in stale.content.decode()


def test_saving_a_new_name_confirms_the_new_name(principal, school) -> None:
    """QA: renaming a person showed "Đã lưu <old name>." (the message read the object from
    before the save)."""
    client = client_for(principal)
    client.post(reverse("organizations:staff_new"), {"full_name": "Phan Văn Lợi"})
    person = Staff.objects.get(full_name="Phan Văn Lợi")
    version = (
        client.get(reverse("organizations:staff_edit", args=[person.pk]))
        .context["form"]
        .initial["version"]
    )

    response = client.post(
        reverse("organizations:staff_edit", args=[person.pk]),
        {"full_name": "Phan Văn Lộc", "version": version, "is_active": "1"},
        follow=True,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Đã lưu Phan Văn Lộc." in page
    assert "Đã lưu Phan Văn Lợi." not in page


def test_duplicate_email_is_refused(principal, clerk) -> None:
    response = client_for(principal).post(
        reverse("organizations:staff_new"), {"full_name": "Người Mới", "email": clerk.email}
    )

    assert response.status_code == 422
    assert "đã gắn với một người khác" in response.content.decode()


def test_teacher_cannot_manage_staff(colleague) -> None:
    client = client_for(colleague)

    assert client.get(reverse("organizations:staff_new")).status_code == 403
    assert client.get(reverse("organizations:staff_import")).status_code == 403


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("ds.csv", lambda t: t.encode("utf-8")),
        ("ds.csv", lambda t: b"\xef\xbb\xbf" + t.encode("utf-8")),
        ("ds.csv", lambda t: t.encode("utf-16")),
        (
            "ds.csv",
            lambda t: t.replace(",", ";").replace('"Tin học; ', '"Tin học, ').encode("utf-16-le"),
        ),
        ("ds.csv", cp1258),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le-semicolon", "windows-1258"],
)
def test_encodings_read_the_same_names(name, encode) -> None:
    rows = staff_table.parse_table(encode(HEADER + ROWS), name)

    assert [r.full_name for r in rows] == [
        "Dương Thị Huyền Trân",
        "Nguyễn Tấn Vinh",
        "Lê Thị Thanh Thủy",
    ]
    assert rows[1].roles == [Role.IT_LEAD]
    assert not any(r.errors for r in rows)


def test_import_preview_then_save_then_each_sets_a_password(
    principal, school, smtp_server, django_capture_on_commit_callbacks
) -> None:
    client = client_for(principal)

    preview = _upload(client, "ds.csv", (HEADER + ROWS).encode("utf-8"))
    assert preview.status_code == 200
    assert not Staff.objects.filter(full_name="Nguyễn Tấn Vinh").exists()
    payload = preview.context["payload"]
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(
            reverse("organizations:staff_import"), {"payload": payload, "issue_accounts": "1"}
        )

    assert saved.status_code == 200
    vinh = Staff.objects.get(unit=school, full_name="Nguyễn Tấn Vinh")
    assert vinh.group.name == "Tin học, Lịch sử - Địa lý"
    assert vinh.user.username == "vinhnt"
    assert not vinh.user.has_usable_password()
    body = saved.content.decode()
    assert "Đã gửi đường dẫn đặt mật khẩu tới <strong>trandth@truong.edu.vn" in body
    assert "<svg" in body  # the printed slip of the person without e-mail
    assert sorted(rcpt[0] for _, rcpt in smtp_server.envelopes) == [
        "thuyltt@truong.edu.vn",
        "trandth@truong.edu.vn",
    ]
    link = re.search(r"http://[^\s<]+/dat-lai-mat-khau/[^\s<]+/", body).group(0)
    anonymous = Client()
    form_page = anonymous.get(link.split("8000", 1)[1], follow=True)
    assert form_page.status_code == 200
    anonymous.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "TinHoc@Truong26", "new_password2": "TinHoc@Truong26"},
    )
    vinh.user.refresh_from_db()
    assert vinh.user.check_password("TinHoc@Truong26")


def test_rows_with_errors_save_nothing(principal, school, clerk) -> None:
    content = (
        HEADER
        + ",Giáo viên,,,,\n"
        + f"Người Trùng Thư,,,{clerk.email},,\n"
        + "Người Sai Vai Trò,,,sai-thu,12,Hiệu phó tài chính\n"
    ).encode()

    response = _upload(client_for(principal), "ds.csv", content)

    assert response.status_code == 422
    body = response.content.decode()
    assert "Dòng 2: thiếu họ và tên" in body
    assert f"Dòng 3: thư điện tử “{clerk.email}” đã có người dùng" in body
    assert "Dòng 4: thư điện tử “sai-thu” không hợp lệ" in body
    assert "số điện thoại “12” không hợp lệ" in body
    assert "không có vai trò “Hiệu phó tài chính”" in body
    assert "payload" not in body
    forged = client_for(principal).post(
        reverse("organizations:staff_import"),
        {
            "payload": json.dumps(
                [
                    {
                        "line": 2,
                        "full_name": "",
                        "position": "",
                        "group": "",
                        "email": "",
                        "phone": "",
                        "roles": [],
                    }
                ]
            )
        },
    )
    assert forged.status_code == 422
    assert Staff.objects.filter(unit=school).count() == 2


def test_unknown_columns_and_bad_files_are_named(principal) -> None:
    client = client_for(principal)

    unknown = _upload(client, "ds.csv", "Họ và tên,Lương\nAn,1\n".encode())
    binary = _upload(client, "ds.xlsx", b"PK\x03\x04 not really a workbook")
    empty = _upload(client, "ds.csv", b"  ")

    assert unknown.status_code == 422
    assert "Không nhận ra cột “Lương”" in unknown.content.decode()
    assert "Tệp Excel bị hỏng" in binary.content.decode()
    assert "Tệp rỗng" in empty.content.decode()


def test_template_round_trips_through_the_import(principal) -> None:
    client = client_for(principal)
    template = client.get(reverse("organizations:staff_template")).content

    book = load_workbook(io.BytesIO(template))
    buffer = io.BytesIO()
    book.save(buffer)
    preview = _upload(client, "mau.xlsx", buffer.getvalue())

    assert preview.status_code == 200
    assert [r.full_name for r in preview.context["rows"]] == ["Nguyễn Văn An"]
    assert User.objects.filter(username="annv").count() == 0
