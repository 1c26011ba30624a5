"""`cchc seed_demo [--units N] [--staff-per-unit M]`: the demo school, and bulk data on demand."""

from __future__ import annotations

import time
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from cchc.organizations import demo


# rich writes to Django's OutputWrapper as to any text stream (it is one, untyped as such).
class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: UBND xã Bình Hưng, Trường THCS Nguyễn Thái Bình và hai trường khác."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--units", type=int, default=0, help="Sinh thêm N trường (đo hiệu năng)."
        )
        parser.add_argument(
            "--staff-per-unit", type=int, default=40, help="Số nhân sự mỗi trường sinh thêm."
        )
        parser.add_argument(
            "--dossiers", type=int, default=320, help="Số hồ sơ TTHC mẫu của trường (mặc định 320)."
        )
        parser.add_argument("--quiet", action="store_true", help="Không in bảng tài khoản.")

    def handle(self, *args: Any, **options: Any) -> None:
        units, per_unit = options["units"], options["staff_per_unit"]
        if units < 0 or units > 100_000 or per_unit < 1 or per_unit > 1000:
            raise CommandError("--units phải từ 0 đến 100000 và --staff-per-unit từ 1 đến 1000.")
        if not 0 <= options["dossiers"] <= 1_000_000:
            raise CommandError("--dossiers phải từ 0 đến 1000000.")
        console = Console(file=cast(TextIO, self.stdout), highlight=False)
        started = time.perf_counter()
        logins = demo.seed_base()
        for line in demo.seed_other_apps(dossiers=options["dossiers"]):
            console.print(line)
        if units:
            with Progress(
                "[progress.description]{task.description}",
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
            ) as progress:
                task = progress.add_task("Sinh dữ liệu đơn vị", total=units)
                demo.seed_bulk(
                    units=units,
                    staff_per_unit=per_unit,
                    progress=lambda n: progress.advance(task, n),
                )
        elapsed = time.perf_counter() - started
        console.print(f"Đã nạp dữ liệu mẫu trong {elapsed:.1f} giây.")
        if options["quiet"]:
            return
        table = Table(title=f"Tài khoản mẫu (mật khẩu chung: {demo.DEMO_PASSWORD})")
        for column in ("Tên đăng nhập", "Họ và tên", "Chức vụ", "Đơn vị"):
            table.add_column(column)
        for row in logins:
            table.add_row(*row)
        console.print(table)
