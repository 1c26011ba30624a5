"""`cchc plan import FILE [--unit CODE] [--dry-run] [--json]` and `cchc plan remind`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from cchc.accounts.models import Role, User
from cchc.organizations.models import Unit
from cchc.plans import importing
from cchc.plans.parsing import PlanParseError, parse_plan, read_plan_file


class Command(BaseCommand):
    help = "Nhập kế hoạch CCHC từ tệp .txt/.docx; gửi thư nhắc việc hằng tuần."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Đọc và lưu một kế hoạch.")
        imp.add_argument("file")
        imp.add_argument("--unit", help="Mã định danh đơn vị (mặc định: theo tên trong kế hoạch).")
        imp.add_argument("--dry-run", action="store_true", help="Chỉ đọc và báo cáo, không lưu.")
        imp.add_argument("--json", action="store_true", help="In kết quả nhận dạng dạng JSON.")
        imp.add_argument(
            "--replace",
            action="store_true",
            help="Nếu đơn vị đã có kế hoạch này (cùng số ký hiệu và năm), cập nhật theo tệp mới; "
            "tiến độ đã ghi nhận được giữ lại.",
        )
        remind = sub.add_parser("remind", help="Gửi thư tổng hợp nhiệm vụ cho từng người.")
        remind.add_argument("--enqueue", action="store_true", help="Đưa vào hàng đợi db_worker.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "remind":
            self._remind(options)
            return
        path = Path(options["file"])
        if path.is_dir():
            raise CommandError(
                f"{path} là một thư mục; hãy chỉ ra một tệp kế hoạch (.txt hoặc .docx).",
                returncode=2,
            )
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.", returncode=2)
        try:
            parsed = parse_plan(read_plan_file(path.read_bytes(), path.name))
        except PlanParseError as error:
            raise CommandError(str(error), returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(parsed.to_json(), ensure_ascii=False, indent=2))
        else:
            self._report(parsed)
        if options["dry_run"]:
            return
        unit = self._unit(options.get("unit"), parsed.unit)
        actor = self._actor(unit)
        try:
            pending = importing.plan_import_preview(
                actor=actor, unit=unit, filename=path.name, data=path.read_bytes()
            )
            plan = importing.plan_import_confirm(
                actor=actor, pending=pending, replace=options["replace"]
            )
        except importing.DuplicatePlan as error:
            raise CommandError(
                f"{error} Thêm --replace để cập nhật kế hoạch đã có (#{error.existing.pk}).",
                returncode=2,
            ) from None
        except importing.PlanImportError as error:
            raise CommandError(str(error), returncode=2) from None
        self.stderr.write(f"Đã lưu kế hoạch #{plan.pk} cho {unit.name}.")

    def _report(self, parsed: Any) -> None:
        self.stdout.write(f"Kế hoạch: {parsed.title}")
        self.stdout.write(f"Đơn vị: {parsed.unit or '—'} · Số: {parsed.symbol or '—'}")
        self.stdout.write(
            f"Căn cứ: {len(parsed.basis)} · Mục tiêu: {len(parsed.targets)} · "
            f"Nhiệm vụ: {len(parsed.tasks)} · Phân công: {len(parsed.assignments)}"
        )
        for warning in parsed.warnings:
            self.stdout.write(f"Lưu ý: {warning}")

    def _unit(self, code: str | None, name: str) -> Unit:
        if code:
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã {code}.", returncode=2)
            return unit
        candidates = list(Unit.objects.filter(Q(name__iexact=name) | Q(short_name__iexact=name)))
        if len(candidates) != 1:
            raise CommandError(
                f"Không xác định được đơn vị “{name}”: hãy chỉ rõ --unit MÃ_ĐỊNH_DANH.",
                returncode=2,
            )
        return candidates[0]

    def _actor(self, unit: Unit) -> User:
        """Imports from the console act as the unit's principal (or a system admin)."""
        user = (
            User.objects.filter(
                staff__unit=unit, staff__role_assignments__role=Role.PRINCIPAL, is_active=True
            ).first()
            or User.objects.filter(is_superuser=True, is_active=True).first()
        )
        if user is None:
            raise CommandError("Đơn vị chưa có hiệu trưởng hoặc quản trị hệ thống để ghi nhận.")
        return user

    def _remind(self, options: dict[str, Any]) -> None:
        if options["enqueue"]:
            from cchc.plans.tasks import send_weekly_digests

            result = send_weekly_digests.enqueue()
            self.stdout.write(f"Đã đưa vào hàng đợi: {result.id}")
            return
        from cchc.plans.reminders import send_digests

        counts = send_digests()
        self.stdout.write(
            f"Đã gửi {counts['sent']} thư; {counts['skipped']} người chưa có địa chỉ thư."
        )
