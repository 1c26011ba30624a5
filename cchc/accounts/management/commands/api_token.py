"""`cchc api_token create --user NAME --name LABEL` / `cchc api_token revoke PREFIX`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.accounts.models import ApiToken, User
from cchc.accounts.services import api_token_create, api_token_revoke, has_second_factor


class Command(BaseCommand):
    help = "Cấp hoặc thu hồi mã truy cập API cho hệ thống tích hợp."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Cấp mã mới (chỉ hiển thị một lần).")
        create.add_argument("--user", required=True, help="Tên đăng nhập của tài khoản.")
        create.add_argument("--name", required=True, help="Tên gợi nhớ của mã.")
        revoke = sub.add_parser("revoke", help="Thu hồi mã theo tiền tố.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"Không có tài khoản đang hoạt động tên {options['user']}.")
            # Issued from the server for someone who has paired an authenticator: a token skips
            # the second factor for as long as it lives.
            if not has_second_factor(user):
                raise CommandError(
                    f"{user.username} chưa cài đặt xác thực hai lớp; mã truy cập API chỉ cấp "
                    "cho người đã có ứng dụng xác thực."
                )
            token, raw = api_token_create(
                user=user, name=options["name"], second_factor_passed=True
            )
            self.stdout.write(
                f"Đã cấp mã {token.prefix}… cho {user.username}, hết hạn "
                f"{token.expires_at:%d/%m/%Y}. Lưu lại ngay:"
            )
            self.stdout.write(raw)
            return
        found = ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True).first()
        if found is None:
            raise CommandError("Không tìm thấy mã đang hiệu lực với tiền tố này.")
        api_token_revoke(token=found, actor=found.user)  # on the server, as its owner
        self.stdout.write(f"Đã thu hồi mã {found.prefix}….")
