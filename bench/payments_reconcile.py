"""Time a statement import: N bills in a throw-away school, a statement of N credits (most with
the code mangled as banks do, some by name only, some unplaceable), imported once, then again
(refused) and an overlapping one (all duplicates). Prints seconds and credits per second.

    DATABASE_URL=sqlite:////tmp/pay-bench.sqlite3 SECRET_KEY=x DEBUG=1 \
        .venv/bin/cchc migrate -v0 && \
    DATABASE_URL=sqlite:////tmp/pay-bench.sqlite3 SECRET_KEY=x DEBUG=1 \
        .venv/bin/python bench/payments_reconcile.py 2000
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
import time
from datetime import date

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django.setup()

from cchc.organizations.models import Unit  # noqa: E402
from cchc.payments import services  # noqa: E402
from cchc.payments.codes import PREFIX_FEE, new_code  # noqa: E402
from cchc.payments.models import Bill, BillKind  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
rng = random.Random(1)
unit = Unit.objects.create(name=f"Trường đo {time.time_ns()}", code=f"B{time.time_ns()}"[:20])
unit.path = f"{unit.pk:06d}."
unit.save()
bills = Bill.objects.bulk_create(
    [
        Bill(
            unit=unit,
            code=new_code(PREFIX_FEE, 2026),
            kind=BillKind.FEE,
            reason="Học phí",
            amount_vnd=100000 + i,
            payer_name=f"Phu huynh {i}",
            student_name=f"Hoc sinh {i}",
            class_name=f"{6 + i % 4}A",
            issued_on=date(2026, 9, 1),
            due_on=date(2026, 9, 30),
        )
        for i in range(N)
    ]
)
lines = ["Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Mô tả"]
for i, bill in enumerate(bills):
    roll = rng.random()
    note = (
        f"MBVCB.{i}.{bill.code.lower()[:5]} {bill.code[5:]}.PHU HUYNH"
        if roll < 0.9
        else f"{bill.student_name.upper()} nop tien"
        if roll < 0.95
        else "chuyen tien"
    )
    lines.append(f"{8 + i % 20:02d}/09/2026,FT{i},,{bill.amount_vnd},{note}")
content = ("\n".join(lines) + "\n").encode()

started = time.perf_counter()
result = services.statement_import(
    actor=None, unit=unit, filename="bench.csv", content=content, notify=False
)
first = time.perf_counter() - started
started = time.perf_counter()
with contextlib.suppress(services.PaymentConflict):
    services.statement_import(actor=None, unit=unit, filename="bench.csv", content=content)
refused = time.perf_counter() - started
started = time.perf_counter()
again = services.statement_import(
    actor=None, unit=unit, filename="b2.csv", content=content + b"\n", notify=False
)
overlap = time.perf_counter() - started
print(f"credits: {N}, matched: {len(result.matched)}, unmatched: {len(result.unmatched)}")
print(f"first import: {first:.2f} s ({N / first:.0f} credits/s)")
print(f"same file again (refused): {refused * 1000:.0f} ms")
print(f"overlapping file, all duplicates: {overlap:.2f} s ({again.statement.duplicate_lines} dup)")
