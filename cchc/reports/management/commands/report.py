"""`cchc report build --unit CODE --period 2026-Q1|2026-H1|2026 --format docx|pdf|xlsx -o FILE`.

The figures cover the period's data window in the unit's reporting calendar (Decree 09/2019
cut-off: 2026-Q1 is 15/12/2025–14/03/2026 under the default calendar, 2026-H1 15/12/2025–
14/06/2026, 2026 15/12/2025–14/12/2026); a period the calendar lacks (2026-Q2 when the half-year
report replaces it) takes the decree's window for that slot. The command prints the window used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.core.official_docs import OfficialDocError
from cchc.organizations.models import Unit
from cchc.reports.builder import FORMATS, ReportRequest, report_file
from cchc.reports.calendar import report_window


class Command(BaseCommand):
    help = (
        "Báo cáo kết quả CCHC theo quý, 6 tháng, năm (thể thức Nghị định 30/2020) và phụ lục XLSX."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        build = sub.add_parser("build", help="Lập báo cáo của một đơn vị cho một kỳ.")
        build.add_argument("--unit", required=True, help="Mã định danh của đơn vị.")
        build.add_argument(
            "--period",
            required=True,
            help="2026-Q1…Q4, 2026-H1, 2026-H2, 2026; số liệu theo thời gian chốt số liệu của "
            "kỳ trong lịch báo cáo của đơn vị (mặc định Nghị định 09/2019).",
        )
        build.add_argument("--format", default="docx", help="docx, pdf hoặc xlsx.")
        build.add_argument("-o", "--output", required=True, help="Tệp ghi ra.")
        remind = sub.add_parser("remind", help="Gửi thư nhắc hạn nộp báo cáo định kỳ (hằng ngày).")
        remind.add_argument("--enqueue", action="store_true", help="Đưa vào hàng đợi db_worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "remind":
            self._remind(options)
            return
        unit = Unit.objects.filter(code=options["unit"].strip()).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã định danh «{options['unit']}».")
        fmt = options["format"].strip().lower()
        if fmt not in FORMATS:
            raise CommandError("--format phải là docx, pdf hoặc xlsx.")
        try:
            window = report_window(unit, options["period"])
            req = ReportRequest(unit, options["period"], window=window)
            content, _type, _name = report_file(req, fmt)
        except (ValueError, OfficialDocError) as error:
            raise CommandError(str(error)) from None
        Path(options["output"]).write_bytes(content)
        basis = (
            "theo lịch báo cáo của đơn vị"
            if window.in_calendar
            else "theo Nghị định 09/2019; lịch báo cáo của đơn vị không có kỳ này"
        )
        self.stdout.write(
            f"Đã ghi {options['output']} ({len(content)} byte); số liệu từ "
            f"{window.start:%d/%m/%Y} đến {window.end:%d/%m/%Y} ({basis})."
        )

    def _remind(self, options: dict[str, Any]) -> None:
        if options["enqueue"]:
            from cchc.reports.tasks import send_report_reminders

            result = send_report_reminders.enqueue()
            self.stdout.write(f"Đã đưa vào hàng đợi: {result.id}")
            return
        from cchc.reports.reminders import send_reminders

        counts = send_reminders()
        self.stdout.write(
            f"Đã gửi {counts['sent']} thư nhắc; {counts['already']} hạn đã nhắc trước đó; "
            f"{counts['skipped']} hạn chưa có địa chỉ nhận."
        )
