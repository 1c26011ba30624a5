"""`cchc docref parse STRING [--json]`: read a document's "số, ký hiệu" (Decree 30/2020).

``--json`` prints exactly {"number", "year", "type_code", "type", "issuer_code", "unit_code",
"normalized"} (other tools parse it). Bad input prints a Vietnamese message and exits with 2.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.documents.references import DocRefError, parse_reference


class Command(BaseCommand):
    help = "Đọc số, ký hiệu văn bản theo Nghị định 30/2020/NĐ-CP."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        parse = sub.add_parser("parse", help="Phân tích một số, ký hiệu (hoặc một câu chứa nó).")
        parse.add_argument("text")
        parse.add_argument("--json", action="store_true", help="In kết quả dạng JSON.")

    def handle(self, *args: object, **options: object) -> None:
        try:
            ref = parse_reference(str(options["text"]))
        except DocRefError as error:
            raise CommandError(str(error), returncode=2) from None
        if options["json"]:
            self.stdout.write(json.dumps(ref.to_json(), ensure_ascii=False))
            return
        rows = [
            ("Số, ký hiệu", ref.normalized),
            ("Số", f"{ref.number:02d}"),
            ("Năm", str(ref.year or "")),
            ("Loại văn bản", f"{ref.type} ({ref.type_code})" if ref.type_code else ref.type),
            ("Cơ quan ban hành", ref.issuer_code),
            ("Đơn vị soạn thảo", ref.unit_code or ""),
        ]
        for label, value in rows:
            if value:
                self.stdout.write(f"{label}: {value}")
