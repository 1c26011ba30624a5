"""`cchc uploads sweep [--enqueue]`: finish uploads a crash interrupted, set orphans aside."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Dọn tệp tải lên: hoàn tất tệp của giao dịch đã ghi, bỏ tệp của giao dịch hỏng."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sweep = sub.add_parser("sweep", help="Dọn tệp đang chờ và tệp không thuộc bản ghi nào.")
        sweep.add_argument("--enqueue", action="store_true", help="Đưa vào hàng đợi db_worker.")
        sweep.add_argument(
            "--grace",
            type=int,
            default=None,
            help="Chỉ đụng tệp cũ hơn số giây này (mặc định 3600; 0 khi ứng dụng đã dừng).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from cchc.backups.tasks import sweep_uploads as sweep_task

            self.stdout.write(f"Đã đưa vào hàng đợi: {sweep_task.enqueue().id}")
            return
        from cchc.backups.sweep import GRACE_SECONDS, sweep_uploads

        grace = GRACE_SECONDS if options["grace"] is None else max(0, options["grace"])
        result = sweep_uploads(grace_seconds=grace)
        self.stdout.write(
            f"Hoàn tất {len(result.published)} tệp đang chờ; bỏ {len(result.discarded)} tệp của "
            f"giao dịch không thành; để riêng {len(result.set_aside)} tệp không thuộc bản ghi nào "
            f"(trong .orphans/); {len(result.missing)} tệp được tham chiếu nhưng không có."
        )
        for name in result.missing[:50]:
            self.stderr.write(f"THIẾU: {name}")
