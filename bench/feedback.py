"""Feedback benchmark: indicator timings over many items, the public search without diacritics,
the real intake service, and redaction throughput. Prints figures; asserts nothing.

Usage (from the repository root, after `make install`):
    .venv/bin/python bench/feedback.py [--items 50000] [--units 50]
    DATABASE_URL=postgres://... .venv/bin/python bench/feedback.py   (that database is flushed)
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from statistics import median
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
VN = ZoneInfo("Asia/Ho_Chi_Minh")
TEXT = (
    "Tôi tên là Nguyễn Văn Bình, CCCD 079080012345, trú tại số 45 đường Lê Lợi, phường Phú "
    "Cường. Nhà trường thu học phí hai lần. Gọi 0912 345 678 hoặc binh.nguyen@gmail.com. "
)


def setup(tmp: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.update({"DEBUG": "0", "HTTPS": "0", "LOG_LEVEL": "WARNING"})
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-" + "x" * 40)
    os.environ.setdefault("CCHC_VAR_DIR", str(tmp))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(n_items: int, n_units: int) -> list:
    from django.core.management import call_command
    from django.db import connection, transaction

    from cchc.core.text import fold
    from cchc.feedback.models import Feedback, RegisterCounter
    from cchc.organizations import demo
    from cchc.organizations.models import Unit

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if connection.vendor == "postgresql":
        call_command("flush", "--noinput", verbosity=0)
    demo.seed_base()
    demo.seed_bulk(units=n_units - 1, staff_per_unit=3)
    units = list(Unit.objects.filter(kind="school").order_by("path")[:n_units])
    rng = random.Random(7)
    start = datetime(2026, 1, 5, 8, 0, tzinfo=VN)
    titles = ["Học phí học kỳ I", "Cổng trường ùn tắc", "Xin bản sao học bạ", "Nhà vệ sinh"]
    for unit in units:
        rows = []
        for i in range(n_items // len(units)):
            received = start + timedelta(days=rng.randint(0, 300), minutes=rng.randint(0, 480))
            approved = received + timedelta(days=rng.choice([3, 8, 14, 25]))
            published = approved + timedelta(days=rng.choice([0, 1, 4]))
            title = rng.choice(titles)
            rows.append(
                Feedback(
                    unit=unit,
                    year=2026,
                    register_number=i + 1,
                    tracking_code=f"B{unit.pk}-{i}",
                    access_key="k",
                    channel=rng.choice(["web", "letter", "email"]),
                    status="published",
                    classification="competent",
                    title=title,
                    content=TEXT,
                    search_text=fold(title + " " + TEXT),
                    received_at=received,
                    due_at=received + timedelta(days=21),
                    reject_due_at=received + timedelta(days=2),
                    info_due_at=received + timedelta(days=7),
                    forward_due_at=received + timedelta(days=7),
                    approved_at=approved,
                    publish_due_at=approved + timedelta(days=2),
                    published_at=published,
                    answer="Trả lời",
                    public_answer="Trả lời",
                    public_search=fold(title),
                    rating=rng.choice(["", "satisfied", "unsatisfied"]),
                )
            )
        with transaction.atomic():
            Feedback.objects.bulk_create(rows, batch_size=2000)
            RegisterCounter.objects.create(unit=unit, year=2026, last=len(rows))
    return units


def timed(action, repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        begin = time.perf_counter()
        action()
        samples.append(time.perf_counter() - begin)
    return median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--units", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(Path(tmp))
        from django.db import connection

        from cchc.feedback import selectors, services
        from cchc.feedback.redaction import redact
        from cchc.kpi.registry import Period, measure
        from cchc.organizations.models import Unit

        units = build(args.items, args.units)
        print(f"{connection.vendor}: {args.items} items in {len(units)} units")
        one = Unit.objects.filter(pk=units[0].pk)
        many = Unit.objects.filter(pk__in=[u.pk for u in units])
        for code in (
            "feedback_on_time_rate",
            "feedback_published_rate",
            "feedback_satisfaction_rate",
            "feedback_open_late_rate",
        ):
            for label, scope in (("1 unit", one), (f"{len(units)} units", many)):
                ms = timed(lambda c=code, s=scope: measure(c, s, Period.year(2026)))
                print(f"  {code:<28} {label:>9}: {ms:7.1f} ms")
        ms = timed(lambda: list(selectors.public_list(units[0], "hoc phi")[:20]))
        print(f"  public search 'hoc phi' (first page, 1 unit): {ms:.1f} ms")
        data = {
            "sender_name": "Lê Văn An",
            "sender_phone": "0912345678",
            "title": "Bench",
            "content": TEXT,
        }
        ms = timed(lambda: services.feedback_submit_public(unit=units[0], data=data), 20)
        print(f"  feedback_submit_public (register number, deadlines, audit): {ms:.1f} ms")
        body = TEXT * 20
        ms = timed(lambda: redact(body, names=["Nguyễn Văn Bình"]), 20)
        print(
            f"  redact {len(body):,} characters: {ms:.2f} ms "
            f"({len(body) / ms * 1000 / 1e6:.2f} M chars/s)"
        )


if __name__ == "__main__":
    main()
