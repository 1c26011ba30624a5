"""KPI benchmark: the unit dashboard, the commune roll-up and one unit-year report, at city size.

Usage (from the repository root, after `make install`; LibreOffice for the PDF):
    .venv/bin/python bench/kpi.py [--dossiers 1000000] [--units 100] [--runs 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:54329/kpi_bench .venv/bin/python bench/kpi.py
    .venv/bin/python bench/kpi.py --dossiers 50000        # a quick run
    ... --reuse --retake   # same database after a code change: snapshot retaken, pages measured

It builds its own database (a temporary SQLite file unless DATABASE_URL is set: that database is
flushed first; with --reuse an existing bench database of the same size is kept): the demo
commune and its demo school (made through the real services), more schools up to --units, then
bulk inserts per school in the demo school's proportions: dossiers (late ones with apologies),
feedback (1 per 10 dossiers), per-dossier ratings (1 per 4, with their answers), bills and
payments (1 per 3), incoming (1 per 10) and outgoing documents (1 per 30, signed and mailed),
staff accounts and their recorded work (audit events), the demo plan copied to 9 schools in 10
and the demo self-assessment to 7 in 10. Generation time is printed, not measured.

Then it takes the nightly snapshot of every school (timed, as the worker runs it: the year, the
quarter and the month to date), fills the snapshot history of the last 180 days for the trend
lines (bulk, from that snapshot), and measures server time per page through Django's test client
(in process: no network, the full middleware stack, templates rendered): the principal's landing
page and unit dashboard (from the snapshot, and measured live), the commune officer's landing
and roll-up (the year, this quarter and this month from the snapshot; a half-year measured
live, once) and his drill-down into one school, and the report of the demo school
for the year as DOCX, XLSX and PDF (the warm converter `cchc pdf_server`, nothing stored).
A reused database made before the quarter and month snapshots needs --retake once.
It prints the median and the worst of --runs runs after one warm-up; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from statistics import median
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
VN = ZoneInfo("Asia/Ho_Chi_Minh")
BATCH = 5000


def setup_env(tmp: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.update(
        {"DEBUG": "0", "HTTPS": "0", "ALLOWED_HOSTS": "testserver", "LOG_LEVEL": "ERROR"}
    )
    os.environ.setdefault("SECRET_KEY", "bench-secret-key-" + "x" * 40)
    os.environ.setdefault("CCHC_VAR_DIR", str(tmp))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp / 'kpi-bench.sqlite3'}")
    sys.path.insert(0, str(ROOT))


def ensure_postgres_database() -> None:
    """Create the DATABASE_URL database on the PostgreSQL server when it does not exist yet."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


# --------------------------------------------------------------------------- data


class Clock:
    """Working moments of the year so far (Mon–Sat, 07:30–16:30), never on a day off."""

    def __init__(self, calendar: Any, year: int, today: date) -> None:
        day, self.days = date(year, 1, 5), []
        while day < today:
            if calendar.is_working_day(day):
                self.days.append(day)
            day += timedelta(days=1)

    def moment(self, rng: random.Random, *, after: date | None = None) -> datetime:
        days = self.days if after is None else [d for d in self.days if d >= after] or self.days
        day = rng.choice(days)
        minute = rng.randint(7 * 60 + 30, 16 * 60 + 30)
        return datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=VN)


def _bulk(model: Any, rows: list[Any]) -> list[Any]:
    return model.objects.bulk_create(rows, batch_size=BATCH) if rows else []


def staff_accounts(units: list[Any]) -> None:
    """A log-in for every generated staff member (their recorded work needs an actor)."""
    from django.contrib.auth.hashers import make_password

    from cchc.accounts.models import User
    from cchc.organizations.models import Staff

    password = make_password(None)
    staff = list(Staff.objects.filter(unit__in=units, user__isnull=True).order_by("pk"))
    users = _bulk(
        User,
        [User(username=f"bench{s.pk}", password=password, is_active=True) for s in staff],
    )
    if users and users[0].pk is None:
        users = list(User.objects.filter(username__startswith="bench").order_by("pk"))
    by_name = {u.username: u for u in users}
    for s in staff:
        s.user = by_name[f"bench{s.pk}"]
        s.email = f"gv{s.pk}@binhhung.example"
    Staff.objects.bulk_update(staff, ["user", "email"], batch_size=BATCH)


def school_rows(unit: Any, n: int, clock: Clock, rng: random.Random, shared: dict) -> dict:
    """Every generated row of one school, in the demo school's proportions (see the header)."""
    from django.db.models import Max

    from cchc.core.models import AuditEvent
    from cchc.documents.models import (
        Delivery,
        IncomingDocument,
        OutgoingDocument,
        SignatureEvent,
    )
    from cchc.dossiers.models import Apology, Channel, Dossier
    from cchc.feedback.models import Feedback
    from cchc.organizations.models import Staff
    from cchc.payments.models import Bill, Payment
    from cchc.surveys.models import Answer, Campaign, Response

    today = shared["today"]
    now = datetime.combine(today, datetime.min.time(), tzinfo=VN) + timedelta(hours=9)
    procedure = shared["procedures"][unit.pk]
    staff = list(Staff.objects.filter(unit=unit).select_related("user"))
    counts: dict[str, int] = {}
    # Numbers continue after the demo school's own registers (unique per unit and year).
    first_feedback = (
        Feedback.objects.filter(unit=unit).aggregate(m=Max("register_number"))["m"] or 0
    )
    first_incoming = (
        IncomingDocument.objects.filter(unit=unit).aggregate(m=Max("incoming_number"))["m"] or 0
    )
    first_outgoing = OutgoingDocument.objects.filter(unit=unit).aggregate(m=Max("number"))["m"] or 0

    dossiers, late = [], []
    for i in range(n):
        received = clock.moment(rng)
        due = received + timedelta(days=9)
        roll = rng.random()
        if due > now and roll < 0.5:
            status, result = "processing", None
        else:
            days = rng.choice([2, 3, 4, 5, 6, 7, 8]) if roll < 0.94 else rng.choice([10, 12, 15])
            result = received + timedelta(days=days, hours=rng.randint(0, 3))
            if result > now:
                status, result = "processing", None
            else:
                status = "returned"
        row = Dossier(
            unit=unit,
            procedure=procedure,
            code=f"{unit.pk:04d}-{i:07d}",
            channel=Channel.ONLINE if rng.random() < 0.4 else Channel.IN_PERSON,
            status=status,
            applicant_name="Nguyễn Văn An",
            submitted_at=received,
            received_at=received,
            due_at=due,
            initial_due_at=due,
            result_at=result,
            returned_at=result,
            book_entry=i + 1,
        )
        dossiers.append(row)
    dossiers = _bulk(Dossier, dossiers)
    if dossiers and dossiers[0].pk is None:
        dossiers = list(Dossier.objects.filter(unit=unit).order_by("pk"))
    for d in dossiers:
        if d.result_at is not None and d.result_at > d.due_at and rng.random() < 0.7:
            late.append(
                Apology(
                    dossier=d,
                    reason="Hồ sơ cần xác minh thêm.",
                    original_due_at=d.due_at,
                    new_due_at=d.due_at + timedelta(days=7),
                    signer_name="Nguyễn Thị Thanh Trang",
                )
            )
    counts["dossiers"] = len(dossiers)
    counts["apologies"] = len(_bulk(Apology, late))

    feedback = []
    for i in range(n // 10):
        received = clock.moment(rng)
        due = received + timedelta(days=21)
        answered = received + timedelta(days=rng.choice([3, 7, 12, 18, 25]))
        done = answered < now and rng.random() < 0.9
        online = rng.random() < 0.5
        feedback.append(
            Feedback(
                unit=unit,
                year=received.year,
                register_number=first_feedback + i + 1,
                tracking_code=f"PA{unit.pk:04d}{i:06d}",
                access_key="x" * 20,
                channel="web" if online else "in_person",
                status="published" if done and online else ("approved" if done else "received"),
                title="Phản ánh về thủ tục",
                content="Nội dung phản ánh.",
                answer="Trả lời." if done else "",
                received_at=received,
                due_at=due,
                initial_due_at=due,
                approved_at=answered if done else None,
                publish_due_at=answered + timedelta(days=3) if done and online else None,
                published_at=answered + timedelta(days=1) if done and online else None,
            )
        )
    counts["feedback"] = len(_bulk(Feedback, feedback))

    campaign = Campaign.objects.filter(unit=unit, kind="dossier").first()
    if campaign is None:
        template = shared["campaign"]
        campaign = Campaign.objects.create(
            unit=unit,
            kind="dossier",
            title=template.title,
            template=template.template,
            version=template.version,
            audience=template.audience,
            access=template.access,
            status=template.status,
            starts_on=template.starts_on,
        )
    rated = rng.sample([d for d in dossiers if d.result_at is not None], k=n // 4)
    responses = _bulk(
        Response,
        [
            Response(
                campaign=campaign,
                version=campaign.version,
                dossier=d,
                channel="dossier",
                submitted_at=d.result_at + timedelta(hours=2),
            )
            for d in rated
        ],
    )
    if responses and responses[0].pk is None:
        responses = list(Response.objects.filter(campaign=campaign).order_by("pk"))
    answers = []
    for r in responses:
        for question in shared["questions"]:
            score = rng.choices([5, 4, 3, 2, None], weights=[55, 35, 5, 2, 3])[0]
            answers.append(
                Answer(
                    response=r,
                    question=question,
                    scale=score,
                    no_opinion=score is None,
                )
            )
    counts["ratings"] = len(responses)
    counts["answers"] = len(_bulk(Answer, answers))

    bills, payments = [], []
    for i in range(n // 3):
        issued = clock.moment(rng).date()
        bills.append(
            Bill(
                unit=unit,
                code=f"B{unit.pk:04d}{i:07d}",
                reason="Học phí",
                amount_vnd=rng.choice([120_000, 150_000, 200_000, 350_000]),
                payer_name="Trần Thị Bình",
                status="paid",
                issued_on=issued,
                due_on=issued + timedelta(days=30),
                class_name=f"{6 + i % 4}A{1 + i % 5}",
                collector=staff[i % len(staff)],
            )
        )
    bills = _bulk(Bill, bills)
    if bills and bills[0].pk is None:
        bills = list(Bill.objects.filter(unit=unit).order_by("pk"))
    for b in bills:
        cash = rng.random() < 0.12
        payments.append(
            Payment(
                unit=unit,
                bill=b,
                amount_vnd=b.amount_vnd,
                method="cash" if cash else "transfer",
                cash_reason="Phụ huynh không có tài khoản" if cash else "",
                paid_on=min(b.issued_on + timedelta(days=rng.randint(0, 20)), today),
                collector=b.collector,
            )
        )
    counts["payments"] = len(_bulk(Payment, payments))

    incoming = []
    for i in range(n // 10):
        received = clock.moment(rng)
        incoming.append(
            IncomingDocument(
                unit=unit,
                year=received.year,
                incoming_number=first_incoming + i + 1,
                received_at=received,
                author="UBND xã Bình Hưng",
                reference=f"{i + 1}/UBND",
                reference_normalized=f"{i + 1}/ubnd",
                issued_on=received.date(),
                doc_type="Công văn",
                summary="Về việc triển khai nhiệm vụ",
                channel="electronic" if rng.random() < 0.93 else "paper",
            )
        )
    counts["incoming"] = len(_bulk(IncomingDocument, incoming))
    outgoing = []
    for i in range(n // 30):
        released = clock.moment(rng)
        outgoing.append(
            OutgoingDocument(
                unit=unit,
                status="released",
                doc_type="Báo cáo",
                summary="Kết quả công tác",
                recipients="UBND xã Bình Hưng",
                year=released.year,
                number=first_outgoing + i + 1,
                symbol=f"{first_outgoing + i + 1}/BC",
                issued_on=released.date(),
                released_at=released,
                signer=staff[0],
                signed_pdf="documents/signed/bench.pdf" if rng.random() < 0.9 else "",
            )
        )
    outgoing = _bulk(OutgoingDocument, outgoing)
    if outgoing and outgoing[0].pk is None:
        outgoing = list(OutgoingDocument.objects.filter(unit=unit).order_by("pk"))
    senders = [s for s in staff[:6] if s.user_id]
    counts["deliveries"] = len(
        _bulk(
            Delivery,
            [
                Delivery(
                    outgoing=o,
                    recipient="vanthu@binhhung.example",
                    sender="truong@binhhung.example",
                    sent_by=senders[i % len(senders)],
                    status="sent",
                    attempts=1,
                    sent_at=o.released_at + timedelta(minutes=5),
                )
                for i, o in enumerate(outgoing)
            ],
        )
    )
    certificate = shared["certificate"]
    signers = [s for s in staff if s.has_signature_certificate]
    counts["signatures"] = len(
        _bulk(
            SignatureEvent,
            [
                SignatureEvent(
                    unit=unit,
                    staff=signers[i % len(signers)],
                    certificate=certificate,
                    kind="personal",
                    purpose="Ký báo cáo",
                    signed_at=clock.moment(rng),
                )
                for i in range(max(len(outgoing), len(signers)))
            ],
        )
    )

    # Recorded work: each staff member works in the system on about 3 days in 4 weeks.
    events, seq = [], shared["seq"]
    for s in staff:
        if s.user_id is None:
            continue
        for day in clock.days[:: rng.choice([2, 3, 4, 8])]:
            seq += 1
            at = datetime(day.year, day.month, day.day, 10, rng.randint(0, 59), tzinfo=VN)
            events.append(
                AuditEvent(
                    chain_key=900_000_000 + unit.pk,
                    seq=seq,
                    unit=unit,
                    actor=s.user,
                    actor_name=s.full_name,
                    verb="bench.work",
                    object_type="bench",
                    at=at,
                    prev_hash="0" * 64,
                    hash="0" * 64,
                )
            )
    shared["seq"] = seq
    counts["audit_events"] = len(_bulk(AuditEvent, events))
    return counts


def copy_plan(source: Any, unit: Any, principal: Any) -> None:
    """The demo school's plan (targets, tasks, periods) copied to `unit`, owned by its head."""
    from cchc.plans.models import Plan, Target, Task, TaskOccurrence

    plan = Plan.objects.get(pk=source.pk)
    targets = list(plan.targets.all())
    tasks = list(Task.objects.filter(plan=plan).order_by("pk"))
    occurrences = list(TaskOccurrence.objects.filter(task__plan=plan).order_by("pk"))
    plan.pk = None
    plan.unit = unit
    plan.save()
    for t in targets:
        t.pk, t.plan, t.owner = None, plan, principal
    _bulk(Target, targets)
    new_ids: dict[int, Task] = {}
    for t in tasks:  # parents come first (created before their children)
        old = t.pk
        t.pk, t.plan = None, plan
        t.parent = new_ids.get(t.parent_id) if t.parent_id else None
        t.owner = principal if t.owner_id else None
        t.save()
        new_ids[old] = t
    for o in occurrences:
        o.pk, o.task = None, new_ids[o.task_id]
    _bulk(TaskOccurrence, occurrences)


def copy_assessment(source: Any, unit: Any, rng: random.Random) -> None:
    from cchc.kpi.models import Assessment, CriterionScore

    scores = list(CriterionScore.objects.filter(assessment=source))
    found = Assessment.objects.get(pk=source.pk)
    found.pk, found.unit = None, unit
    found.self_points = (found.max_points * rng.randint(55, 95)) / 100
    found.save()
    for s in scores:
        s.pk, s.assessment = None, found
    _bulk(CriterionScore, scores)


def build(n_dossiers: int, n_units: int) -> dict[str, int]:
    from django.core.management import call_command
    from django.utils import timezone

    from cchc.documents.models import SigningCertificate
    from cchc.dossiers import procedures
    from cchc.kpi.models import Assessment
    from cchc.organizations import demo
    from cchc.organizations.models import Staff, Unit
    from cchc.plans.models import Plan
    from cchc.surveys.models import Campaign, Question
    from cchc.workdays.services import calendar_for_unit

    call_command("flush", "--noinput", verbosity=0)
    demo.seed_base()
    list(demo.seed_other_apps(dossiers=320))
    demo.seed_bulk(units=n_units - 3, staff_per_unit=40)
    commune = Unit.objects.get(code=demo.COMMUNE["code"])
    units = list(Unit.objects.filter(parent=commune).order_by("path"))
    school = Unit.objects.get(code=demo.SCHOOL["code"])
    staff_accounts(units)
    today = timezone.localdate()
    rng = random.Random(2026)
    template = Campaign.objects.get(unit=school, kind="dossier")
    shared: dict[str, Any] = {
        "today": today,
        "campaign": template,
        "questions": list(Question.objects.filter(version=template.version, kind="scale")),
        "certificate": SigningCertificate.objects.filter(unit=school).first(),
        "procedures": {},
        "seq": 0,
    }
    for unit in units:
        current = (
            procedures.procedure_seed_defaults(actor=None, unit=unit) if unit != school else []
        )
        found = current[0] if current else unit.procedures.order_by("pk").first()
        shared["procedures"][unit.pk] = found
    clock = Clock(calendar_for_unit(None), today.year, today)
    plan = Plan.objects.get(unit=school, year=today.year)
    assessment = Assessment.objects.get(unit=school, year=today.year)
    totals: dict[str, int] = {}
    per_unit = n_dossiers // len(units)
    for index, unit in enumerate(units):
        counts = school_rows(unit, per_unit, clock, rng, shared)
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
        if unit != school:
            head = Staff.objects.filter(unit=unit).order_by("pk").first()
            if index % 10 != 9:  # one school in ten has not imported its plan
                copy_plan(plan, unit, head)
            if index % 10 < 7:
                copy_assessment(assessment, unit, rng)
        if index % 10 == 0:
            print(f"  … {index + 1}/{len(units)} trường", flush=True)
    return totals


def snapshot_history(days: int) -> int:
    """Past snapshot rows for the trend lines, scaled down from yesterday's real one (bulk)."""
    from django.utils import timezone

    from cchc.kpi.models import Snapshot

    yesterday = timezone.localdate() - timedelta(days=1)
    latest = list(Snapshot.objects.filter(day=yesterday))
    rows = []
    for back in range(1, days):
        day = yesterday - timedelta(days=back)
        if day.year != yesterday.year:
            break
        share = Decimal(day.timetuple().tm_yday) / yesterday.timetuple().tm_yday
        for s in latest:
            rows.append(
                Snapshot(
                    unit_id=s.unit_id,
                    code=s.code,
                    day=day,
                    numerator=round(s.numerator * share),
                    denominator=round(s.denominator * share),
                    label=s.label,
                )
            )
        if len(rows) >= 50_000:
            _bulk(Snapshot, rows)
            rows = []
    _bulk(Snapshot, rows)
    return Snapshot.objects.count()


# --------------------------------------------------------------------------- measures


def timed(call: Any, runs: int, *, warm: bool = True) -> tuple[float, float]:
    if warm:
        call()  # warm-up: first-request imports, template compilation
    seconds = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - began)
    return median(seconds), max(seconds)


def page(client: Any, url: str, expect: str = "") -> Any:
    def call() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code} {response.content[:300]!r}")
        if expect and expect not in response.content.decode():
            raise SystemExit(f"{url}: «{expect}» không có trong trang")

    return call


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def warm_converter() -> tuple[subprocess.Popen | None, str]:
    """`cchc pdf_server` on a free port, as production runs it; (None, "") without LibreOffice."""
    from cchc.core.official_docs import converter

    listen = f"127.0.0.1:{free_port()}"
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "cchc.cli", "pdf_server", "--listen", listen],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    host, _, port = listen.rpartition(":")
    for _ in range(120):
        if converter.server_is_up((host, int(port)), 1):
            return server, listen
        if server.poll() is not None:
            break
        time.sleep(0.5)
    os.killpg(server.pid, signal.SIGTERM)
    return None, ""


def measure_pages(runs: int, *, live: bool = True) -> list[tuple[str, float, float, str]]:
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from cchc.accounts.models import User
    from cchc.organizations import demo
    from cchc.organizations.models import Unit

    yesterday = timezone.localdate() - timedelta(days=1)
    year = yesterday.year
    quarter = (yesterday.month + 2) // 3
    principal, officer = Client(), Client()
    principal.force_login(User.objects.get(username="trangntt"))
    officer.force_login(User.objects.get(username="tuanpm"))
    school = Unit.objects.get(code=demo.SCHOOL["code"])
    cases = [
        ("Hiệu trưởng: trang đầu (kế hoạch)", principal, reverse("kpi:overview"), "≤ 150 ms"),
        ("Hiệu trưởng: bảng chỉ số đơn vị", principal, reverse("kpi:unit"), "≤ 150 ms"),
        (
            "Hiệu trưởng: bảng chỉ số, tính trực tiếp",
            principal,
            reverse("kpi:unit") + "?truc_tiep=1",
            "",
        ),
        ("Xã: trang đầu sau đăng nhập", officer, reverse("core:home"), ""),
        ("Xã: tổng hợp các trường, năm", officer, reverse("kpi:rollup"), "≤ 1 s"),
        (
            f"Xã: tổng hợp các trường, quý {quarter}",
            officer,
            reverse("kpi:rollup") + f"?ky={year}-Q{quarter}",
            "",
        ),
        (
            f"Xã: tổng hợp các trường, tháng {yesterday.month}",
            officer,
            reverse("kpi:rollup") + f"?ky={year}-{yesterday.month:02d}",
            "",
        ),
        (
            f"Xã: tổng hợp các trường, nửa năm {1 + (yesterday.month > 6)} (trực tiếp)",
            officer,
            reverse("kpi:rollup") + f"?ky={year}-H{1 + (yesterday.month > 6)}",
            "",
        ),
        (
            "Xã: xem chỉ số một trường",
            officer,
            reverse("kpi:unit") + f"?don_vi={school.pk}",
            "≤ 150 ms",
        ),
        (
            "Xã: xem trang đầu (kế hoạch) một trường, trực tiếp",
            officer,
            reverse("kpi:overview") + f"?don_vi={school.pk}",
            "",
        ),
    ]
    if not live:
        cases = [case for case in cases if "nửa năm" not in case[0]]
    out = []
    for label, client, url, target in cases:
        if "core:home" in label or url == reverse("core:home"):
            call = lambda c=client, u=url: c.get(u, follow=True)  # noqa: E731
        elif "trực tiếp" not in label and ("tổng hợp" in label or "bảng chỉ số" in label):
            call = page(client, url, "Số liệu đến hết ngày")  # served from the snapshot
        else:
            call = page(client, url)
        # A live roll-up (a half-year has no snapshot) measures every school: once is enough.
        once = "nửa năm" in label
        med, worst = timed(call, 1 if once else runs, warm=not once)
        out.append((label + (" (1 lần)" if once else ""), med, worst, target))
        show(out[-1])
    return out


def show(row: tuple[str, float, float, str]) -> None:
    """One figure as soon as it is measured (a long run shows its progress)."""
    label, med, worst, target = row
    goal = f"  mục tiêu {target}" if target else ""
    print(f"  {label:55} {med * 1000:8.0f} ms {worst * 1000:8.0f} ms{goal}", flush=True)


def measure_report(runs: int) -> list[tuple[str, float, float, str]]:
    from django.test.utils import override_settings
    from django.utils import timezone

    from cchc.organizations import demo
    from cchc.organizations.models import Unit
    from cchc.reports.builder import ReportRequest, report_file

    school = Unit.objects.get(code=demo.SCHOOL["code"])
    req = ReportRequest(unit=school, period_text=str(timezone.localdate().year))
    out = []
    for fmt in ("docx", "xlsx"):
        med, worst = timed(lambda f=fmt: report_file(req, f), runs)
        out.append((f"Báo cáo năm của trường ({fmt.upper()})", med, worst, ""))
        show(out[-1])
    server, listen = warm_converter()
    if server is None:
        out.append(("Báo cáo năm (PDF): không có LibreOffice, bỏ qua", 0.0, 0.0, ""))
        return out
    store = Path(tempfile.mkdtemp(prefix="cchc-bench-pdf-"))
    try:
        counter = iter(range(10_000))

        def pdf() -> None:
            # A fresh store each run: the paper is converted, never served from storage.
            with override_settings(
                PDF_SERVER=listen, PDF_STORE_DIR=str(store / str(next(counter)))
            ):
                content, _, _ = report_file(req, "pdf")
            if not content.startswith(b"%PDF"):
                raise SystemExit("Báo cáo PDF không hợp lệ")

        med, worst = timed(pdf, runs)
        out.append(("Báo cáo năm của trường (PDF, bộ chuyển đổi chạy sẵn)", med, worst, "≤ 3 s"))
        show(out[-1])
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(20)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--history-days", type=int, default=180)
    parser.add_argument(
        "--reuse", action="store_true", help="keep the bench database if it already holds data"
    )
    parser.add_argument(
        "--retake",
        action="store_true",
        help="take yesterday's snapshot again (timed), e.g. with --reuse after a code change",
    )
    parser.add_argument("--no-report", action="store_true", help="skip the report timings")
    parser.add_argument(
        "--no-quarter",
        action="store_true",
        help="skip the live roll-up (a half-year: every school measured live, seconds at 1M)",
    )
    args = parser.parse_args()
    if args.units < 4 or args.dossiers < args.units * 8:
        raise SystemExit("--units >= 4 and --dossiers >= 8 x --units")
    tmp = Path(tempfile.mkdtemp(prefix="cchc-bench-kpi-"))
    setup_env(tmp)
    ensure_postgres_database()
    import django

    django.setup()
    import logging

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from cchc.dossiers.models import Dossier
    from cchc.kpi import services
    from cchc.kpi.models import PeriodSnapshot, Snapshot
    from cchc.organizations.models import Unit

    logging.disable(logging.WARNING)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    held = Dossier.objects.count()
    reuse = args.reuse and held >= args.dossiers * 0.99
    if not reuse:
        began = time.perf_counter()
        totals = build(args.dossiers, args.units)
        print(f"Tạo dữ liệu trong {time.perf_counter() - began:.0f} s (không tính vào số đo):")
        print("  " + ", ".join(f"{key} {value:,}" for key, value in totals.items()))
    schools = list(Unit.objects.filter(kind="school").order_by("pk"))
    yesterday = timezone.localdate() - timedelta(days=1)
    print(
        f"Cơ sở dữ liệu: {connection.vendor}; {len(schools)} trường, "
        f"{Dossier.objects.count():,} hồ sơ{' (dùng lại)' if reuse else ''}"
    )
    if args.retake or not Snapshot.objects.filter(day=yesterday).exists():
        began = time.perf_counter()
        written = services.snapshot_take(day=yesterday)
        periods = PeriodSnapshot.objects.filter(day=yesterday).count()
        print(
            f"Ảnh chụp chỉ số hằng đêm ngày {yesterday:%d/%m/%Y} (mọi đơn vị; năm, quý, tháng): "
            f"{time.perf_counter() - began:.1f} s, {written:,} dòng năm + {periods:,} quý, tháng"
        )
    if not Snapshot.objects.filter(day=yesterday - timedelta(days=1)).exists():
        print(f"  lịch sử ảnh chụp (dòng, sinh hàng loạt): {snapshot_history(args.history_days):,}")
    with connection.cursor() as cursor:  # fresh planner statistics after the bulk inserts
        cursor.execute("ANALYZE")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Tải máy lúc đo (1/5/15 phút, {os.cpu_count()} lõi): {load}")
    print(
        f"Thời gian phía máy chủ, trung vị / chậm nhất của {args.runs} lần (sau 1 lần chạy nóng):"
    )
    measure_pages(args.runs, live=not args.no_quarter)
    if not args.no_report:
        measure_report(args.runs)


if __name__ == "__main__":
    main()
