"""`cchc setup`: the first-run set-up for scripted installs (the same service as /cai-dat/)."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.organizations import installation
from cchc.organizations.models import UnitKind

_FIELD_LABELS = {
    "unit_name": "--unit-name",
    "unit_code": "--unit-code",
    "unit_kind": "--unit-kind",
    "parent_name": "--parent-name",
    "parent_code": "--parent-code",
    "admin_username": "--admin-username",
    "admin_full_name": "--admin-full-name",
    "admin_email": "--admin-email",
    "password": "mật khẩu",
}


class Command(BaseCommand):
    help = (
        "Cài đặt lần đầu: tạo đơn vị, đơn vị cấp trên (nếu có) và tài khoản hiệu trưởng "
        "quản trị hệ thống. Chỉ chạy được khi hệ thống chưa có đơn vị nào."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit-name", required=True, help="Tên đầy đủ của đơn vị.")
        parser.add_argument("--unit-code", required=True, help="Mã định danh điện tử.")
        parser.add_argument(
            "--unit-kind",
            default=UnitKind.SCHOOL,
            choices=UnitKind.values,
            help="Loại đơn vị (mặc định: school).",
        )
        parser.add_argument("--unit-address", default="")
        parser.add_argument("--unit-phone", default="")
        parser.add_argument("--unit-email", default="")
        parser.add_argument("--parent-name", default="", help="Tên UBND xã/phường cấp trên.")
        parser.add_argument("--parent-code", default="", help="Mã định danh của cấp trên.")
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-full-name", required=True, help="Họ và tên hiệu trưởng.")
        parser.add_argument("--admin-email", default="")
        parser.add_argument(
            "--password-file",
            help="Tệp chứa mật khẩu (dòng đầu); nếu bỏ trống, mật khẩu được hỏi khi chạy.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not installation.setup_is_open():
            raise CommandError("Hệ thống đã được cài đặt (đã có đơn vị).", returncode=2)
        request = installation.SetupRequest(
            unit_name=options["unit_name"],
            unit_code=options["unit_code"],
            unit_kind=options["unit_kind"],
            unit_address=options["unit_address"],
            unit_phone=options["unit_phone"],
            unit_email=options["unit_email"],
            parent_name=options["parent_name"],
            parent_code=options["parent_code"],
            admin_username=options["admin_username"],
            admin_full_name=options["admin_full_name"],
            admin_email=options["admin_email"],
            password=self._password(options.get("password_file")),
        )
        try:
            unit, user = installation.installation_setup(request)
        except ValidationError as error:
            lines = [
                f"{_FIELD_LABELS.get(field, field)}: {message}"
                for field, messages in error.message_dict.items()
                for message in messages
            ]
            raise CommandError("\n".join(lines), returncode=2) from None
        except installation.SetupClosed:
            raise CommandError("Hệ thống đã được cài đặt (đã có đơn vị).", returncode=2) from None
        self.stdout.write(
            f"Đã cài đặt {unit.name} ({unit.code}); hiệu trưởng đăng nhập bằng “{user.username}”. "
            "Bước tiếp theo: nhập kế hoạch tại /quan-ly/ke-hoach/nhap/ "
            f"hoặc cchc plan import TỆP --unit {unit.code}"
        )

    def _password(self, path: str | None) -> str:
        if path:
            file = Path(path)
            if not file.is_file():
                raise CommandError(f"Không tìm thấy tệp mật khẩu {path}.", returncode=2)
            lines = file.read_text(encoding="utf-8").splitlines()
            return lines[0] if lines else ""
        first = getpass.getpass("Mật khẩu: ")
        if first != getpass.getpass("Nhập lại mật khẩu: "):
            raise CommandError("Hai lần nhập mật khẩu không khớp.", returncode=2)
        return first
