"""`cchc kpi show --unit CODE --period 2026 [--json]` and `cchc kpi snapshot [--day D]`."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.console import Console
from rich.table import Table

from cchc.kpi import index766, registry, selectors, services
from cchc.kpi.registry import Period
from cchc.kpi.templatetags.kpi_format import diem
from cchc.organizations.models import Unit


def _unit(code: str) -> Unit:
    unit = Unit.objects.filter(code=code.strip()).first()
    if unit is None:
        raise CommandError(f"Không có đơn vị mã định danh «{code}».")
    return unit


# rich writes to Django's OutputWrapper as to any text stream (it is one, untyped as such).
class Command(BaseCommand):
    help = "Chỉ số của đơn vị (giá trị, chỉ tiêu, trạng thái) và ảnh chụp chỉ số hằng ngày."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="In mọi chỉ số của một đơn vị trong một kỳ.")
        show.add_argument("--unit", required=True, help="Mã định danh của đơn vị.")
        show.add_argument(
            "--period", default=str(timezone.localdate().year), help="2026, 2026-Q1, 2026-H1…"
        )
        show.add_argument("--json", action="store_true", help="In JSON.")
        i766 = sub.add_parser("index766", help="Chỉ số 766 của một đơn vị trong một kỳ.")
        i766.add_argument("--unit", required=True, help="Mã định danh của đơn vị.")
        i766.add_argument(
            "--period", default=str(timezone.localdate().year), help="2026, 2026-Q1, 2026-H1…"
        )
        i766.add_argument("--json", action="store_true", help="In JSON.")
        snap = sub.add_parser("snapshot", help="Chụp chỉ số của mọi đơn vị cho một ngày.")
        snap.add_argument("--day", help="YYYY-MM-DD (mặc định: hôm nay); chụp lại ngày đã qua.")
        snap.add_argument("--unit", help="Chỉ một đơn vị (mã định danh).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "snapshot":
            self._snapshot(options)
            return
        unit = _unit(options["unit"])
        try:
            period = Period.parse(options["period"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        if options["action"] == "index766":
            self._index766(unit, period, as_json=options["json"])
            return
        figures = selectors.unit_figures(unit, period)
        if options["json"]:
            payload = {
                "unit": {"code": unit.code, "name": unit.name},
                "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
                "indicators": [figure.as_dict() for figure in figures],
                "not_built": [
                    {"code": code, "module": module}
                    for code, module in registry.MISSING_MODULES.items()
                ],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        table = Table(title=f"{unit.name} — {period}")
        for column in ("Chỉ số", "Giá trị", "Mục tiêu", "Chỉ tiêu", "Trạng thái"):
            table.add_column(column)
        for figure in figures:
            table.add_row(
                figure.indicator.name,
                figure.measure.display(),
                figure.target_number,
                figure.goal,
                figure.status_label,
            )
        Console(file=cast(TextIO, self.stdout), highlight=False, width=160).print(table)

    def _index766(self, unit: Unit, period: Period, *, as_json: bool) -> None:
        result = index766.compute(unit, period)
        if as_json:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
            return
        table = Table(title=f"Chỉ số 766 — {unit.name} — {period}")
        for column in ("Chỉ số", "Tối đa", "Tỷ lệ", "Ngưỡng", "Điểm"):
            table.add_column(column)
        for group in result.groups:
            table.add_row(
                f"Nhóm {group.code}. {group.title}",
                diem(group.max_points),
                "",
                "",
                diem(group.points),
            )
            for item in group.items:
                table.add_row(
                    f"  {item.code}. {item.title}",
                    diem(item.max_points),
                    item.measure.display() if item.measure else "",
                    f"{diem(item.target)}%" if item.target else "",
                    diem(item.points)
                    if item.counted
                    else f"{index766.NOT_COUNTED} ({item.status_label})",
                )
        Console(file=cast(TextIO, self.stdout), highlight=False, width=160).print(table)
        self.stdout.write(f"Tổng (thang 100): {result.rescale_text()}")

    def _snapshot(self, options: dict[str, Any]) -> None:
        try:
            day = date.fromisoformat(options["day"]) if options.get("day") else None
        except ValueError:
            raise CommandError("--day phải có dạng YYYY-MM-DD, ví dụ 2026-11-30.") from None
        day = day or timezone.localdate()
        if day > timezone.localdate():
            raise CommandError("Không chụp được chỉ số cho một ngày chưa tới.")
        units = [_unit(options["unit"])] if options.get("unit") else None
        written = services.snapshot_take(day=day, units=units)
        self.stdout.write(f"Đã chụp {written} chỉ số cho ngày {day:%d/%m/%Y}.")
