"""`cchc documents retry-mail`: resend failed deliveries whose time has come (schedule it every
few minutes); `cchc documents alerts`: print the incoming register's deadline alerts."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from cchc.documents import alerts, mailing
from cchc.documents.models import IncomingDocument


class Command(BaseCommand):
    help = "Văn bản: gửi lại thư lỗi đến hạn; liệt kê cảnh báo hạn xử lý văn bản đến."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("retry-mail", help="Gửi lại các thư gửi lỗi đã đến lúc thử lại.")
        sub.add_parser("alerts", help="Văn bản đến chưa trình, quá hạn, sắp đến hạn.")

    def handle(self, *args: object, **options: object) -> None:
        if options["action"] == "retry-mail":
            self.stdout.write(f"Đã gửi lại thành công {mailing.retry_due()} thư.")
            return
        found = alerts.incoming_alerts(IncomingDocument.objects.all())
        for label, rows in (
            ("Chưa trình lãnh đạo", found.not_presented),
            ("Quá hạn giải quyết", found.overdue),
            ("Sắp đến hạn", found.due_soon),
        ):
            for doc in rows:
                self.stdout.write(
                    f"{label}: {doc.unit.name} — số đến {doc.incoming_number}/"
                    f"{doc.year} {doc.reference}"
                )
