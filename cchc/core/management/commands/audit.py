"""`cchc audit verify [--unit CODE]`: recompute the hash chains, name the first tampered event."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.core.audit import audit_verify


class Command(BaseCommand):
    help = "Kiểm tra tính toàn vẹn của nhật ký thay đổi (chuỗi băm theo đơn vị)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Tính lại chuỗi băm và báo sự kiện bị sửa đầu tiên.")
        verify.add_argument("--unit", help="Mã định danh của đơn vị (mặc định: mọi đơn vị).")

    def handle(self, *args: Any, **options: Any) -> None:
        keys = None
        if options.get("unit"):
            from cchc.organizations.models import Unit

            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã {options['unit']}.")
            keys = [unit.pk]
        result = audit_verify(chain_keys=keys)
        if result.ok:
            self.stdout.write(
                f"Toàn vẹn: {result.events} sự kiện trong {result.chains} chuỗi đều khớp."
            )
            return
        for problem in result.problems:
            self.stderr.write(f"BỊ SỬA: {problem}")
        raise CommandError(
            f"Nhật ký không toàn vẹn: {len(result.problems)} chuỗi có sự kiện bị sửa hoặc xóa."
        )
