"""`cchc dossiers digest [--enqueue]`: the daily alert e-mails (run each working morning);
`cchc dossiers import FILE.xlsx --unit CODE`: mirror the provincial system's export."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cchc.workdays.services import calendar_for_unit


class Command(BaseCommand):
    help = "Gửi thư tổng hợp hồ sơ sắp đến hạn và quá hạn chưa xin lỗi (mỗi ngày làm việc)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        digest = sub.add_parser("digest", help="Gửi thư tổng hợp hằng ngày.")
        digest.add_argument("--enqueue", action="store_true", help="Đưa vào hàng đợi db_worker.")
        digest.add_argument("--even-on-days-off", action="store_true", help="Gửi cả vào ngày nghỉ.")
        imp = sub.add_parser("import", help="Nhập hồ sơ từ tệp Excel xuất từ hệ thống tỉnh.")
        imp.add_argument("file")
        imp.add_argument("--unit", required=True, help="Mã định danh của đơn vị.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(options)
            return
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

    def _import(self, options: dict[str, Any]) -> None:
        from pathlib import Path

        from cchc.accounts.models import Role, User
        from cchc.dossiers.provincial import ProvincialImportError, import_provincial
        from cchc.organizations.models import Unit

        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã {options['unit']}.", returncode=2)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.", returncode=2)
        actor = (
            User.objects.filter(
                staff__unit=unit, staff__role_assignments__role__in=[Role.CLERK, Role.PRINCIPAL]
            ).first()
            or User.objects.filter(is_superuser=True).first()
        )
        if actor is None:
            raise CommandError(
                "Đơn vị chưa có văn thư, hiệu trưởng hay quản trị hệ thống có tài khoản để đứng "
                "tên các hồ sơ nhập.",
                returncode=2,
            )
        try:
            report = import_provincial(actor=actor, unit=unit, data=path.read_bytes())
        except ProvincialImportError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stdout.write(
            f"Mới: {len(report.created)} · Cập nhật: {len(report.updated)} · "
            f"Không đổi: {len(report.unchanged)} · Lỗi: {len(report.problems)}"
        )
        for row, message in report.problems:
            self.stdout.write(f"Dòng {row}: {message}")
