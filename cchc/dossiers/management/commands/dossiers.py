"""`cchc dossiers digest [--enqueue]`: the daily alert e-mails (run each working morning)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cchc.workdays.services import calendar_for_unit


class Command(BaseCommand):
    help = "Gửi thư tổng hợp hồ sơ sắp đến hạn và quá hạn chưa xin lỗi (mỗi ngày làm việc)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        digest = sub.add_parser("digest", help="Gửi thư tổng hợp hằng ngày.")
        digest.add_argument("--enqueue", action="store_true", help="Đưa vào hàng đợi db_worker.")
        digest.add_argument("--even-on-days-off", action="store_true", help="Gửi cả vào ngày nghỉ.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if not options["even_on_days_off"] and not calendar_for_unit(None).is_working_day(today):
            self.stdout.write(f"{today:%d/%m/%Y} là ngày nghỉ: không gửi thư.")
            return
        if options["enqueue"]:
            from cchc.dossiers.tasks import send_daily_digests

            self.stdout.write(f"Đã đưa vào hàng đợi: {send_daily_digests.enqueue().id}")
            return
        from cchc.dossiers.alerts import send_digests

        counts = send_digests()
        self.stdout.write(
            f"Đã gửi {counts['sent']} thư; {counts['skipped']} người chưa có địa chỉ thư."
        )
