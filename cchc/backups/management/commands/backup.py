"""`cchc backup [--to DIR] [--enqueue] [--no-verify]`: one verified archive of everything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat


class Command(BaseCommand):
    help = "Sao lưu CSDL, tệp tải lên, khóa và bản kê vào một tệp .tar.gz (an toàn khi đang chạy)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to", help="Thư mục đích (mặc định CCHC_BACKUP_DIR, var/backups); ví dụ ổ USB."
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Đưa việc sao lưu hằng đêm vào hàng đợi db_worker (dùng trong cron).",
        )
        parser.add_argument(
            "--no-verify", action="store_true", help="Không khôi phục thử sau khi tạo."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from cchc.backups.tasks import nightly_backup

            self.stdout.write(f"Đã đưa vào hàng đợi: {nightly_backup.enqueue().id}")
            return
        from cchc.backups.services import BackupBusy, run_backup

        target = Path(options["to"]).expanduser().resolve() if options["to"] else None
        try:
            run = run_backup(to=target, verify=not options["no_verify"])
        except BackupBusy as error:
            raise CommandError(str(error)) from None
        except Exception as error:
            raise CommandError(f"Sao lưu thất bại: {error}") from error
        self.stdout.write(f"Đã sao lưu: {run.path} ({filesizeformat(run.size)})")
        self.stdout.write(f"SHA-256: {run.sha256}")
        if options["no_verify"]:
            self.stdout.write("Chưa kiểm tra (--no-verify).")
        elif run.verified:
            self.stdout.write("Đã kiểm tra: " + run.verify_note.splitlines()[0][:300])
        else:
            raise CommandError(f"Tệp đã tạo nhưng KIỂM TRA THẤT BẠI:\n{run.verify_note}")
