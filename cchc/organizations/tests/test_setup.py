"""First-run set-up (issue 9, item 1): the page at /cai-dat/ and `cchc setup`."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cchc.accounts.models import Role, User
from cchc.core.models import AuditEvent
from cchc.organizations.models import Staff, Unit

pytestmark = pytest.mark.django_db

FORM = {
    "unit_name": "Trường Trung học cơ sở Nguyễn Thái Bình",
    "unit_code": "000.31.41.h29",
    "unit_kind": "school",
    "unit_address": "Số 1 đường Nguyễn Thái Bình, xã Bình Hưng",
    "unit_phone": "028 3758 0001",
    "unit_email": "thcsnguyenthaibinh@example.edu.vn",
    "parent_name": "Ủy ban nhân dân xã Bình Hưng",
    "parent_code": "000.31.41",
    "admin_full_name": "Nguyễn  Thị Thanh Trang",
    "admin_username": "trangntt",
    "admin_email": "trangntt@example.edu.vn",
    "password": "Truong@Moi2026",
    "password_again": "Truong@Moi2026",
}


def test_empty_install_sends_home_to_setup_and_setup_opens_the_import(client) -> None:
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"] == reverse("setup:setup")

    response = client.post(reverse("setup:setup"), FORM)

    assert response.status_code == 302
    assert response["Location"] == reverse("plans:import")
    school = Unit.objects.get(code="000.31.41.H29")
    assert school.parent.name == "Ủy ban nhân dân xã Bình Hưng"
    assert school.parent.kind == "commune"
    assert school.path.startswith(school.parent.path)
    principal = Staff.objects.get(unit=school)
    assert principal.full_name == "Nguyễn Thị Thanh Trang"
    assert set(principal.role_assignments.values_list("role", flat=True)) == {
        Role.PRINCIPAL,
        Role.SYSTEM_ADMIN,
    }
    assert principal.user.check_password("Truong@Moi2026")
    assert client.get(reverse("plans:import")).status_code == 200
    assert AuditEvent.objects.filter(verb="installation.setup", unit_id=school.pk).count() == 1


def test_setup_is_closed_for_ever_once_done(client) -> None:
    client.post(reverse("setup:setup"), FORM)
    client.logout()

    assert client.get(reverse("setup:setup")).status_code == 404
    assert client.post(reverse("setup:setup"), FORM | {"unit_code": "000.99"}).status_code == 404
    assert client.get("/").status_code == 200
    assert Unit.objects.count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("unit_code", "mã có dấu", "Mã định danh điện tử gồm các nhóm"),
        ("unit_code", "00031", "Mã định danh điện tử gồm các nhóm"),
        ("parent_code", "000.31.41.H29", "Mã của đơn vị cấp trên phải khác"),
        ("admin_username", "tr", "Tên đăng nhập từ 3 ký tự"),
        ("password", "12345678", "Mật khẩu"),
        ("password_again", "khac", "Hai lần nhập mật khẩu không khớp."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_saved(
    client, field, value, message
) -> None:
    response = client.post(reverse("setup:setup"), FORM | {field: value})

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Unit.objects.exists()
    assert not User.objects.exists()


def test_existing_account_must_be_a_superuser_and_names_are_unique(client) -> None:
    User.objects.create_user(username="giaovien", password="x")
    assert client.get(reverse("setup:setup")).status_code == 302  # to the log-in page
    admin = User.objects.create_superuser(username="admin", password="x", email="a@example.vn")
    client.force_login(admin)

    response = client.post(
        reverse("setup:setup"), FORM | {"admin_username": "Admin", "admin_email": "A@example.vn"}
    )

    assert response.status_code == 422
    body = response.content.decode()
    assert "Tên đăng nhập này đã có người dùng." in body
    assert "Địa chỉ thư này đã gắn với một tài khoản khác." in body
    assert not Unit.objects.exists()


def test_setup_command_reads_the_password_file(tmp_path, capsys) -> None:
    secret = tmp_path / "password"
    secret.write_text("Truong@Moi2026\n", encoding="utf-8")

    call_command(
        "setup",
        "--unit-name",
        "Trường THCS Thử",
        "--unit-code",
        "000.01.02.H29",
        "--admin-username",
        "hieutruong",
        "--admin-full-name",
        "Trần Văn Hiệu",
        "--password-file",
        str(secret),
    )

    assert "Đã cài đặt Trường THCS Thử (000.01.02.H29)" in capsys.readouterr().out
    assert User.objects.get(username="hieutruong").check_password("Truong@Moi2026")
    assert Unit.objects.get().parent is None
    with pytest.raises(CommandError, match="đã được cài đặt"):
        call_command(
            "setup",
            "--unit-name=X",
            "--unit-code=000.09",
            "--admin-username=khac",
            "--admin-full-name=Khác",
            f"--password-file={secret}",
        )


def test_setup_command_names_the_bad_option(tmp_path) -> None:
    secret = tmp_path / "password"
    secret.write_text("Truong@Moi2026", encoding="utf-8")

    with pytest.raises(CommandError, match="--unit-code: Mã định danh điện tử gồm") as caught:
        call_command(
            "setup",
            "--unit-name=Trường",
            "--unit-code=abc",
            "--admin-username=hieutruong",
            "--admin-full-name=Trần Văn Hiệu",
            f"--password-file={secret}",
        )

    assert caught.value.returncode == 2
    assert not Unit.objects.exists()
