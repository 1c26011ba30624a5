"""`cchc otp_code --user NAME`: a one-time code to pair the first authenticator (72 hours)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.accounts.models import User
from cchc.accounts.services import OTP_CODE_HOURS, otp_enrolment_code_issue


class Command(BaseCommand):
    help = "Cấp mã kích hoạt để một người gắn ứng dụng xác thực hai lớp lần đầu."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="Tên đăng nhập của tài khoản.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"Không có tài khoản đang hoạt động tên {options['user']}.")
        raw = otp_enrolment_code_issue(actor=None, user=user)
        self.stdout.write(
            f"Mã kích hoạt cho {user.username} (dùng một lần, trong {OTP_CODE_HOURS} giờ). "
            "Trao trực tiếp cho người dùng:"
        )
        self.stdout.write(raw)
