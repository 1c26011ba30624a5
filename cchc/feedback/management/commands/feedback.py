"""`cchc feedback redact`: read text on standard input, print it with personal data replaced by
bracketed labels; `cchc feedback digest [--enqueue]`: the daily alert e-mails."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone


class Command(BaseCommand):
    help = "Phản ánh, kiến nghị: ẩn thông tin cá nhân (redact), thư tổng hợp hằng ngày (digest)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        redact = sub.add_parser("redact", help="Đọc văn bản từ đầu vào chuẩn, in bản đã ẩn.")
        redact.add_argument(
            "--name", action="append", default=[], help="Họ tên cần ẩn (có thể lặp lại)."
        )
        digest = sub.add_parser("digest", help="Gửi thư tổng hợp hằng ngày.")
        digest.add_argument("--enqueue", action="store_true", help="Đưa vào hàng đợi db_worker.")
        digest.add_argument("--even-on-days-off", action="store_true", help="Gửi cả vào ngày nghỉ.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "redact":
            from cchc.feedback.redaction import redact

            self.stdout.write(redact(sys.stdin.read(), names=options["name"]), ending="")
            return
        from cchc.workdays.services import calendar_for_unit

        today = timezone.localdate()
        if not options["even_on_days_off"] and not calendar_for_unit(None).is_working_day(today):
            self.stdout.write(f"{today:%d/%m/%Y} là ngày nghỉ: không gửi thư.")
            return
        if options["enqueue"]:
            from cchc.feedback.tasks import send_daily_digests

            self.stdout.write(f"Đã đưa vào hàng đợi: {send_daily_digests.enqueue().id}")
            return
        from cchc.feedback.alerts import send_digests

        counts = send_digests()
        self.stdout.write(
            f"Đã gửi {counts['sent']} thư; {counts['skipped']} người chưa có địa chỉ thư."
        )
