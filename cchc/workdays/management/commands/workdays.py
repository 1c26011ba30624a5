"""`cchc workdays add|between|year|explain`: working-day arithmetic from the command line.

Output formats are a contract (other tools parse them): `add` prints YYYY-MM-DD, `between` one
integer, `year --json` a JSON list. Bad input prints a Vietnamese message and exits with code 2.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.workdays import selectors, services
from cchc.workdays.calendar import MAX_DAYS, MAX_YEAR, MIN_YEAR, CalendarError


def _parse_date(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise CommandError(
            f"Ngày không hợp lệ: {raw!r} (định dạng YYYY-MM-DD).", returncode=2
        ) from None


def _parse_days(raw: str) -> int:
    if not re.fullmatch(r"-?\d+", raw.strip()):
        raise CommandError(f"Số ngày không hợp lệ: {raw!r}.", returncode=2)
    n = int(raw)
    if not 0 <= n <= MAX_DAYS:
        raise CommandError("Số ngày phải từ 0 đến 10.000.", returncode=2)
    return n


def _parse_time(raw: str | None) -> time:
    if raw is None:
        return time(0, 0)
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", raw.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise CommandError(f"Giờ không hợp lệ: {raw!r} (định dạng HH:MM).", returncode=2)
    return time(int(match[1]), int(match[2]))


class Command(BaseCommand):
    help = "Tính ngày làm việc theo lịch chính thức của Việt Nam (ngày nghỉ, ngày làm bù, 15:00)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", help="Mã định danh đơn vị (áp dụng điều chỉnh của đơn vị).")
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="Hạn giải quyết: N ngày làm việc sau ngày tiếp nhận.")
        add.add_argument("start")
        add.add_argument("days")
        add.add_argument("--at", help="Giờ tiếp nhận HH:MM (sau 15:00 tính từ ngày làm việc sau).")
        between = sub.add_parser("between", help="Số ngày làm việc sau ngày đầu đến hết ngày sau.")
        between.add_argument("start")
        between.add_argument("end")
        year = sub.add_parser("year", help="Ngày nghỉ (trong tuần) và ngày làm bù của một năm.")
        year.add_argument("year")
        year.add_argument("--json", action="store_true")
        explain = sub.add_parser("explain", help="Giải thích cách tính hạn.")
        explain.add_argument("start")
        explain.add_argument("days")
        explain.add_argument("--at")

    def _unit(self, code: str | None) -> Any:
        if not code:
            return None
        from cchc.organizations.models import Unit

        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã {code}.", returncode=2)
        return unit

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self._handle(options)
        except CalendarError as error:
            raise CommandError(str(error), returncode=2) from None

    def _handle(self, options: dict[str, Any]) -> None:
        unit = self._unit(options.get("unit"))
        calendar = services.calendar_for_unit(unit)
        action = options["action"]
        if action in ("add", "explain"):
            start = _parse_date(options["start"])
            n = _parse_days(options["days"])
            received_at = datetime.combine(start, _parse_time(options.get("at")))
            effective = calendar.effective_receipt_date(received_at)
            if action == "add":
                due = services.due_for_unit(unit=unit, received_at=received_at, days=n)
                # The contract is a date; a working-hours unit's due moment is cut to its day.
                due_day = due.date() if isinstance(due, datetime) else due
                self.stdout.write(due_day.isoformat())
                return
            if effective != start:
                at = f" lúc {options['at']}" if options.get("at") else ""
                self.stdout.write(
                    f"Tiếp nhận {start:%d/%m/%Y}{at} → tính như tiếp nhận ngày "
                    f"{effective:%d/%m/%Y} (sau 15:00 hoặc ngày nghỉ)."
                )
            for line in calendar.explain(effective, n).lines():
                self.stdout.write(line)
        elif action == "between":
            a, b = _parse_date(options["start"]), _parse_date(options["end"])
            self.stdout.write(str(calendar.working_days_between(a, b)))
        elif action == "year":
            raw = options["year"]
            if not raw.isdigit() or not MIN_YEAR <= int(raw) <= MAX_YEAR:
                raise CommandError(f"Năm phải từ {MIN_YEAR} đến {MAX_YEAR}.", returncode=2)
            entries = selectors.year_entries(calendar, int(raw))
            if options["json"]:
                payload = [e.as_dict() for e in entries]
                self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
                return
            if calendar.is_estimated_year(int(raw)):
                self.stdout.write("Năm chưa có thông báo chính thức: lịch ước tính theo luật.")
            for e in entries:
                flag = " (chờ luật hóa)" if e.pending else ""
                self.stdout.write(f"{e.date:%d/%m/%Y}  {e.kind:<13} {e.name}{flag} — {e.reference}")
