"""`cchc audit verify [--unit CODE]` and `cchc audit checkpoint [--enqueue]`.

verify recomputes every keyed hash chain, holds it to the signed checkpoints and lists every
broken link; checkpoint signs the current chain heads into a file outside the database (daily,
from cron, see docs/deployment.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.core.audit import audit_verify, write_checkpoint


class Command(BaseCommand):
    help = "Kiểm tra tính toàn vẹn của nhật ký thay đổi và ghi điểm kiểm tra có chữ ký."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser(
            "verify", help="Tính lại chuỗi băm, đối chiếu điểm kiểm tra, báo mọi chỗ bị sửa/xóa."
        )
        verify.add_argument("--unit", help="Mã định danh của đơn vị (mặc định: mọi đơn vị).")
        checkpoint = sub.add_parser(
            "checkpoint", help="Ký số thứ tự và mã băm cuối của mọi chuỗi vào một tệp."
        )
        checkpoint.add_argument(
            "--enqueue", action="store_true", help="Giao cho tiến trình nền thay vì ghi ngay."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "checkpoint":
            self._checkpoint(enqueue=options["enqueue"])
            return
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
                f"Toàn vẹn: {result.events} sự kiện trong {result.chains} chuỗi đều khớp "
                f"(đối chiếu {result.checkpoints} điểm kiểm tra)."
            )
            return
        for problem in result.problems:
            self.stderr.write(f"BỊ SỬA: {problem}")
        raise CommandError(
            f"Nhật ký không toàn vẹn: {len(result.problems)} chỗ bị sửa, xóa hoặc không khớp."
        )

    def _checkpoint(self, *, enqueue: bool) -> None:
        if enqueue:
            from cchc.audit.tasks import write_audit_checkpoint

            write_audit_checkpoint.enqueue()
            self.stdout.write("Đã giao việc ghi điểm kiểm tra cho tiến trình nền.")
            return
        path = write_checkpoint()
        self.stdout.write(f"Đã ghi điểm kiểm tra: {path}")
