"""`cchc vietqr encode --bin 970415 --account 0011001932418 --amount 120000 --purpose "…"` prints
the payload; `cchc vietqr decode PAYLOAD [--json]` prints its fields and whether it is valid."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cchc.payments.banks import bank_by_bin
from cchc.payments.vietqr import VietQRError, decode, encode


class Command(BaseCommand):
    help = "Tạo hoặc đọc chuỗi mã VietQR (chuẩn EMVCo của NAPAS)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        enc = sub.add_parser("encode", help="Tạo chuỗi mã VietQR.")
        enc.add_argument("--bin", required=True, help="Mã ngân hàng (BIN) 6 chữ số.")
        enc.add_argument("--account", required=True, help="Số tài khoản người nhận.")
        enc.add_argument("--amount", help="Số tiền (đồng); bỏ trống để tạo mã tĩnh.")
        enc.add_argument("--purpose", default="", help="Nội dung chuyển khoản.")
        dec = sub.add_parser("decode", help="Đọc chuỗi mã VietQR.")
        dec.add_argument("payload")
        dec.add_argument("--json", action="store_true", help="In kết quả dạng JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "encode":
            amount = options["amount"]
            if amount is not None:
                if not amount.strip().isascii() or not amount.strip().lstrip("-").isdigit():
                    raise CommandError("Số tiền phải là số nguyên đồng, ví dụ 120000.")
                amount = int(amount)
            try:
                self.stdout.write(
                    encode(options["bin"], options["account"], amount, options["purpose"])
                )
            except VietQRError as error:
                raise CommandError(str(error)) from error
            return
        result = decode(options["payload"])
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            bank = bank_by_bin(result.bin or "")
            lines = [
                f"Hợp lệ: {'có' if result.valid else 'không'}",
                *([f"Lỗi: {result.error}"] if result.error else []),
                f"Ngân hàng: {bank or result.bin or '-'}",
                f"Tài khoản: {result.account or '-'}",
                f"Số tiền: {result.amount if result.amount is not None else '-'}",
                f"Nội dung: {result.purpose or '-'}",
                f"CRC: {result.crc or '-'}",
            ]
            self.stdout.write("\n".join(lines))
        if not result.valid:
            raise SystemExit(1)
