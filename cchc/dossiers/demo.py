"""A believable year of dossiers for the demo school: mostly on time, a few late (with and
without apologies), some supplements, the transfer season in August; `--dossiers M` for more."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cchc.accounts.models import User
from cchc.core.audit import audit_record
from cchc.dossiers import procedures as procedure_services
from cchc.dossiers import services
from cchc.dossiers.deadlines import VN
from cchc.dossiers.models import Channel, Dossier, Procedure
from cchc.organizations.models import Staff, Unit

SCHOOL_CODE = "000.31.41.H29"
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Quốc", "Thu"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Hà",
    "Hải",
    "Hùng",
    "Lan",
    "Linh",
    "Mai",
    "Nam",
    "Phúc",
    "Quân",
    "Tâm",
    "Thảo",
    "Trung",
    "Tú",
    "Vân",
    "Yến",
]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def seed_demo_data(*, dossiers: int = 320, **_options: object) -> list[str]:
    school = Unit.objects.filter(code=SCHOOL_CODE).first()
    if school is None:
        return []
    clerk = User.objects.filter(username="thuyltt").first()
    if not Procedure.objects.filter(unit=school).exists():
        procedure_services.procedure_seed_defaults(actor=clerk, unit=school)
    if Dossier.objects.filter(unit=school).exists():
        return []
    made = seed_dossiers(school, count=dossiers, actor=clerk)
    return [f"Đã tạo {made} hồ sơ TTHC mẫu cho {school.short_name}."]


def _at(day, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VN)


@transaction.atomic
def seed_dossiers(unit: Unit, *, count: int, actor: User | None, seed: int = 2026) -> int:
    """Run each dossier through the real services, moving the clock by hand (timezone.now is
    what the services read, so each step is patched to its historical moment)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    procedures = [p for p in Procedure.objects.filter(unit=unit) if p.time_limit_unit != "plan"]
    staff = list(Staff.objects.filter(unit=unit, is_active=True))
    principal = User.objects.filter(
        staff__unit=unit, staff__role_assignments__role="principal"
    ).first()
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    days = (today - start).days
    made = 0
    for _ in range(count):
        offset = rng.randint(0, max(days - 1, 1))
        day = start + timedelta(days=offset)
        if rng.random() < 0.25:  # the transfer season
            day = day.replace(month=8, day=min(day.day, 28)) if today.month > 8 else day
        if day.weekday() >= 5 or day >= today:
            continue
        procedure = rng.choice(procedures)
        received = _at(day, rng.choice([7, 8, 9, 10, 13, 14, 15, 16]), rng.randint(0, 59))
        dossier = _with_clock(
            received,
            lambda p=procedure, r=received: services.dossier_receive(
                actor=actor,
                unit=unit,
                procedure=p,
                applicant={
                    "applicant_name": _name(rng),
                    "applicant_phone": f"09{rng.randint(10**7, 10**8 - 1)}",
                },
                provided_documents=[d["name"] for d in p.documents],
                channel=rng.choice([Channel.IN_PERSON] * 3 + [Channel.POST]),
                subject="",
                assignee=rng.choice(staff),
                received_at=r,
            ),
        )
        _advance(dossier, rng, actor, principal, today)
        made += 1
    audit_record(
        actor=None,
        verb="seed.demo_dossiers",
        unit=unit,
        object_type="dossiers.dossier",
        after={"count": made},
    )
    return made


def _with_clock(moment: datetime, action):
    original = timezone.now
    timezone.now = lambda: moment  # type: ignore[assignment]
    try:
        return action()
    finally:
        timezone.now = original  # type: ignore[assignment]


def _advance(dossier: Dossier, rng: random.Random, actor, principal, today) -> None:
    if dossier.due_at is None:
        return
    if dossier.assignee is not None and dossier.received_at + timedelta(hours=2) < timezone.now():
        dossier = _with_clock(
            dossier.received_at + timedelta(hours=2),
            lambda: services.dossier_hand_over(
                actor=actor,
                dossier=dossier,
                to_staff=dossier.assignee,
                step="appraisal",
                note="Chuyển thẩm định",
            ),
        )
    due = dossier.due_at
    roll = rng.random()
    if roll < 0.08 and dossier.procedure.max_supplements:
        asked = dossier.received_at + timedelta(hours=20)
        dossier = _with_clock(
            asked,
            lambda: services.dossier_request_supplement(
                actor=actor,
                dossier=dossier,
                items=["Bản sao giấy khai sinh"],
                reason="Thiếu giấy tờ",
            ),
        )
        back = asked + timedelta(days=2)
        if back.date() >= today:
            return
        dossier = _with_clock(
            back, lambda: services.dossier_supplement_received(actor=actor, dossier=dossier)
        )
        due = dossier.due_at
    late = roll > 0.96
    if late and rng.random() < 0.6 and due.date() - timedelta(days=3) > dossier.received_at.date():
        moment = due - timedelta(days=3)
        if moment.date() < today:
            _with_clock(
                moment,
                lambda: services.dossier_apologize(
                    actor=principal,
                    dossier=dossier,
                    reason="Chờ xác nhận học bạ từ trường cũ",
                    new_due_at=due + timedelta(days=3),
                ),
            )
            dossier.refresh_from_db()
    finished = due + timedelta(days=2) if late else due - timedelta(hours=rng.randint(2, 40))
    finished = max(finished, dossier.received_at + timedelta(hours=1))
    if finished.date() >= today:
        return
    dossier = _with_clock(
        finished,
        lambda: services.dossier_decide(
            actor=principal,
            dossier=dossier,
            granted=True,
            note="",
        ),
    )
    returned = finished + timedelta(hours=rng.randint(1, 30))
    if returned.date() < today:
        _with_clock(returned, lambda: services.dossier_return(actor=actor, dossier=dossier))
