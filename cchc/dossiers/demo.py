"""A believable year of dossiers for the demo school: mostly on time, a few late (with and
without apologies), some supplements, the transfer season in August; `--dossiers M` for more."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from cchc.accounts.models import User
from cchc.core.audit import audit_record
from cchc.core.audit_verbs import AuditVerb
from cchc.core.timezones import VN
from cchc.dossiers import deadlines, services
from cchc.dossiers import procedures as procedure_services
from cchc.dossiers.models import Channel, Dossier, Procedure, TimeLimitUnit
from cchc.organizations.models import Staff, Unit
from cchc.workdays.calendar import WorkCalendar
from cchc.workdays.services import calendar_for_unit

T = TypeVar("T")

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


#: Streets of the demo commune (Bình Hưng, on Quốc lộ 50) for addresses with a street.
STREETS = ["Quốc lộ 50", "Đinh Đức Thiện", "Nguyễn Văn Linh", "Trịnh Quang Nghị", "Hưng Long"]
_LOCALITY_PREFIXES = ("xã ", "phường ", "thị trấn ", "đặc khu ")


def _locality(unit: Unit) -> str:
    """The commune and province of the unit's address ("xã Bình Hưng, Thành phố Hồ Chí
    Minh"), else of its parent's, else the parent's name: the demo applicants live there."""
    for candidate in (unit, unit.parent):
        if candidate is None:
            continue
        parts = [p.strip() for p in candidate.address.split(",") if p.strip()]
        for i, part in enumerate(parts):
            if part.lower().startswith(_LOCALITY_PREFIXES):
                return ", ".join([part[0].lower() + part[1:], *parts[i + 1 :]])
    return unit.parent.name if unit.parent is not None else unit.name


def _hamlet_word(unit: Unit) -> list[str]:
    """The hamlet's word where the unit is: "ấp" in the South (the demo school's own address
    says "Ấp 4"), "thôn" or "xóm" elsewhere."""
    if any(p.strip().lower().startswith("ấp ") for p in unit.address.split(",")):
        return ["ấp"]
    return ["thôn", "xóm"]


def address_maker(unit: Unit, seed: int) -> Callable[[], str]:
    """Plausible addresses in the unit's commune, from a generator of their own (seeded), so the
    draws of the rest of the demo (names, dates, outcomes) stay as they were."""
    rng = random.Random(f"{seed}:address:{unit.code}")  # noqa: S311 - reproducible demo data
    locality, hamlets = _locality(unit), _hamlet_word(unit)
    streets = STREETS if "Bình Hưng" in locality else []  # elsewhere: house and group only

    def make() -> str:
        hamlet = f"{rng.choice(hamlets)} {rng.randint(1, 6)}"
        if streets and rng.random() < 0.5:
            house = f"Số {rng.randint(1, 250)}/{rng.randint(1, 40)} đường {rng.choice(streets)}"
        else:
            house = f"Số {rng.randint(1, 180)}, tổ {rng.randint(1, 12)}"
        return f"{house}, {hamlet}, {locality}"

    return make


def _email(name: str, received: datetime) -> str:
    """A third of the applicants give an e-mail (picked by the reception minute, so the random
    draws and thus the rest of the demo stay as they were): their apology letters are mailed."""
    if received.minute % 3:
        return ""
    from cchc.core.text import fold

    return f"{'.'.join(fold(name).split())}{received:%d%m}@example.com"


# The packaged catalogue leaves the re-admission time limit unconfirmed (domain.md 7, row 2), so
# a real school must take it from its province's decision; the demo school has "its" decision.
READMISSION = "Xin học lại đối với học sinh trung học cơ sở"
READMISSION_LIMIT = {
    "time_limit_value": "5",
    "time_limit_unit": "working_days",
    "time_limit_text": "05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
}

# The packaged catalogue says "Theo quy định" for the fee of a copy from the original register
# and leaves the amount unconfirmed; the demo school has "its" province's figure, so the demo
# has fee-bearing dossiers, their bills and a live 766 indicator 3.6 (payments/demo.py).
COPY_FROM_REGISTER = "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc"
COPY_FEE = {"fee_vnd": 10000, "fee_text": "10.000 đồng/bản sao"}
DEMO_FEE_SOURCE = "Dữ liệu mẫu: lệ phí theo quyết định công bố thủ tục của tỉnh (giả định)."


def _seed_procedures(school: Unit, clerk: User | None) -> None:
    from cchc.dossiers import catalogue

    for record in catalogue.load_seed():
        if record["name"] == READMISSION:
            record = {
                **record,
                **READMISSION_LIMIT,
                "unconfirmed": [
                    key for key in record["unconfirmed"] if key not in READMISSION_LIMIT
                ],
                "sources": [
                    *record["sources"],
                    "Dữ liệu mẫu: thời hạn theo quyết định công bố thủ tục của tỉnh (giả định).",
                ],
            }
        if record["name"] == COPY_FROM_REGISTER:
            record = {
                **record,
                **COPY_FEE,
                "unconfirmed": [k for k in record["unconfirmed"] if k not in COPY_FEE],
                "sources": [*record["sources"], DEMO_FEE_SOURCE],
            }
        procedure_services.procedure_upsert(actor=clerk, unit=school, record=record)
    if clerk is not None:
        _seed_admission_window(school, clerk)


def _seed_admission_window(school: Unit, clerk: User) -> None:
    """The demo year's admission plan: dossiers from early July, results ten working days
    later, all on working days of the school's calendar (demo data obeys the rules)."""
    from cchc.dossiers import intake_windows

    admission = Procedure.objects.filter(unit=school, time_limit_unit=TimeLimitUnit.PLAN).first()
    if admission is None:
        return
    calendar = calendar_for_unit(school)
    year = timezone.localdate().year
    opens = calendar.next_working_day(date(year, 6, 30))
    closes = calendar.add_working_days(opens, 7)
    intake_windows.window_add(
        actor=clerk,
        procedure=admission,
        opens_on=opens,
        closes_on=closes,
        results_on=calendar.add_working_days(closes, 5),
        basis=f"Kế hoạch tuyển sinh lớp 6 năm học {year}–{year + 1} được UBND xã phê duyệt "
        "(dữ liệu mẫu)",
    )


def seed_demo_data(*, dossiers: int = 320, **_options: object) -> list[str]:
    school = Unit.objects.filter(code=SCHOOL_CODE).first()
    if school is None:
        return []
    clerk = User.objects.filter(username="thuyltt").first()
    if not Procedure.objects.filter(unit=school).exists():
        _seed_procedures(school, clerk)
    if clerk is None or Dossier.objects.filter(unit=school).exists():
        return []  # the services receive only through a clerk of the unit
    made = seed_dossiers(school, count=dossiers, actor=clerk)
    return [f"Đã tạo {made} hồ sơ TTHC mẫu cho {school.short_name}."]


def seed_apology_hand_overs(**_options: object) -> list[str]:
    """After the register's demo released the apology letters: those without an e-mail address
    were handed to the citizen at the counter when the result was returned after the release,
    else posted to the applicant's address the next working day (office hours, never a Sunday
    or 00:00; one without an address waits). Only moments already past; a letter released today
    is still waiting, as it would be."""
    from cchc.documents.workflow import OutgoingStatus
    from cchc.dossiers.apology_letters import apology_hand_over
    from cchc.dossiers.models import Apology

    school = Unit.objects.filter(code=SCHOOL_CODE).first()
    clerk = User.objects.filter(username="thuyltt").first()
    if school is None or clerk is None:
        return []
    calendar = calendar_for_unit(school)
    now = timezone.now()
    waiting = Apology.objects.filter(
        dossier__unit=school,
        handed_over_at__isnull=True,
        outgoing__status=OutgoingStatus.RELEASED,
        outgoing__recipient_emails="",
        outgoing__released_at__isnull=False,
    ).select_related("dossier", "outgoing")
    done = 0
    for apology in waiting:
        released = apology.outgoing.released_at if apology.outgoing else None
        if released is None:
            continue
        returned = apology.dossier.returned_at
        if returned is not None and returned > released:
            moment, how = returned + timedelta(minutes=2), "truc-tiep"
        else:
            if not apology.dossier.applicant_address:
                continue  # nowhere to post it: it waits for the desk, as it would
            next_day = calendar.next_working_day(released.astimezone(VN).date())
            moment, how = _office(calendar, _at(next_day, 8, 15)), "buu-dien"
        if moment >= now:
            continue
        _with_clock(moment, partial(apology_hand_over, actor=clerk, apology=apology, how=how))
        done += 1
    return [f"Đã ghi nhận trao, gửi {done} văn bản xin lỗi không có thư điện tử."] if done else []


def _at(day, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VN)


@transaction.atomic
def seed_dossiers(unit: Unit, *, count: int, actor: User, seed: int = 2026) -> int:
    """Run each dossier through the real services, moving the clock by hand (timezone.now is
    what the services read, so each step is patched to its historical moment)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    # Admission ("theo kế hoạch") receives only in its plan's window: not drawn at random dates.
    procedures = [
        p
        for p in Procedure.objects.filter(unit=unit).exclude(time_limit_unit=TimeLimitUnit.PLAN)
        if p.has_legal_time_limit
    ]
    calendar = calendar_for_unit(unit)
    staff = list(Staff.objects.filter(unit=unit, is_active=True))
    principal = User.objects.filter(
        staff__unit=unit, staff__role_assignments__role="principal"
    ).first()
    if principal is None:
        return 0  # the principal decides every dossier: no principal, no demo dossiers
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    days = (today - start).days
    made = 0
    # Draw every reception moment first and receive in that order: the tracking book numbers
    # continuously in reception order within the year (domain.md), as at a real counter.
    moments: list[tuple[datetime, Procedure]] = []
    for _ in range(count):
        offset = rng.randint(0, max(days - 1, 1))
        day = start + timedelta(days=offset)
        if rng.random() < 0.25:  # the transfer season
            day = day.replace(month=8, day=min(day.day, 28)) if today.month > 8 else day
        if day.weekday() >= 5 or day >= today:
            continue
        procedure = rng.choice(procedures)
        received = _at(day, rng.choice([7, 8, 9, 10, 13, 14, 15, 16]), rng.randint(0, 59))
        moments.append((received, procedure))
    # A few dossiers left open in each state a citizen and the clerk's queue can meet, merged
    # into reception order (drawn from a generator of their own: the year above stays as it was).
    plans: dict[int, str] = {}
    for received, procedure, state in _open_plans(unit, procedures, calendar, timezone.now()):
        plans[len(moments)] = state
        moments.append((received, procedure))
    order = sorted(range(len(moments)), key=lambda i: moments[i][0])
    address = address_maker(unit, seed)
    open_rng = random.Random(f"{seed}:open")  # noqa: S311 - reproducible demo data
    for index in order:
        received, procedure = moments[index]
        state = plans.get(index, "")
        draw = open_rng if state else rng
        dossier = _with_clock(
            received,
            partial(
                services.dossier_receive,
                actor=actor,
                unit=unit,
                procedure=procedure,
                applicant={
                    "applicant_name": (name := _name(draw)),
                    "applicant_phone": f"09{draw.randint(10**7, 10**8 - 1)}",
                    "applicant_email": _email(name, received),
                    "applicant_address": address(),
                },
                provided_documents=[d["name"] for d in procedure.documents],
                channel=draw.choice([Channel.IN_PERSON] * 3 + [Channel.POST]),
                subject="",
                assignee=draw.choice(staff),
                received_at=received,
            ),
        )
        if state:
            _leave_open(dossier, state, actor, calendar)
        else:
            _advance(dossier, rng, actor, principal, today, calendar)
        made += 1
    audit_record(
        actor=None,
        verb=AuditVerb.SEED_DEMO_DOSSIERS,
        unit=unit,
        object_type="dossiers.dossier",
        after={"count": made},
    )
    return made


#: The open states the demo shows (beside the many dossiers it completes): received, its
#: clock running; handed over and waiting for the citizen's papers; past its due date, no result.
OPEN_STATES = ("received", "supplement", "overdue")


def _working_day_before(calendar: WorkCalendar, day: date, count: int = 1) -> date:
    """The `count`-th working day before `day` (demo events fall on working days only)."""
    for _ in range(count):
        day -= timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= timedelta(days=1)
    return day


def _open_plans(
    unit: Unit, procedures: list[Procedure], calendar: WorkCalendar, now: datetime
) -> list[tuple[datetime, Procedure, str]]:
    """When and for which procedure each open demo dossier is received, so that at `now` it is
    in its state by the procedure's own due date (`deadlines.compute_due`, the working-day
    calendar): one still within its time limit, one asked for papers within the supplement
    window, one past its due date."""
    today = now.astimezone(VN).date()
    by_limit = sorted(
        ((deadlines.compute_due(unit, p, _at(today, 9, 0)) or now, p.name, p) for p in procedures),
        key=lambda row: (row[0], row[1]),
    )
    if not by_limit:
        return []
    plans: list[tuple[datetime, Procedure, str]] = []
    longest = [p for _, _, p in reversed(by_limit)]
    received = _at(_working_day_before(calendar, today), 14, 20)
    procedure = longest[0]
    if (deadlines.compute_due(unit, procedure, received) or now) > now:
        plans.append((received, procedure, "received"))
    received = _at(_working_day_before(calendar, today, 2), 9, 15)
    asks = next((p for p in longest if p.max_supplements), None)
    if asks is not None and (deadlines.compute_due(unit, asks, received) or now) > now:
        plans.append((received, asks, "supplement"))
    shortest = by_limit[0][2]
    for back in range(2, 30):  # the latest reception whose due date passed a working day ago
        received = _at(_working_day_before(calendar, today, back), 8, 40)
        due = deadlines.compute_due(unit, shortest, received)
        if due is not None and due.astimezone(VN).date() < _working_day_before(calendar, today):
            plans.append((received, shortest, "overdue"))
            break
    return plans


def _leave_open(dossier: Dossier, state: str, actor: User, calendar: WorkCalendar) -> None:
    """Take an open demo dossier to its state through the services (hand-over 20 minutes after
    reception, the supplement request an hour later), and no further."""
    if state == "received" or dossier.received_at is None or dossier.assignee is None:
        return
    handed = _office(calendar, dossier.received_at + timedelta(minutes=20))
    dossier = _with_clock(
        handed,
        partial(
            services.dossier_hand_over,
            actor=actor,
            dossier=dossier,
            to_staff=dossier.assignee,
            step="appraisal",
            note="Chuyển thẩm định",
        ),
    )
    if state != "supplement":
        return
    asked = _office(calendar, handed + timedelta(hours=1))
    if asked < deadlines.supplement_deadline(dossier):
        _with_clock(
            asked,
            partial(
                services.dossier_request_supplement,
                actor=actor,
                dossier=dossier,
                items=["Bản sao giấy khai sinh"],
                reason="Bản sao giấy khai sinh nộp kèm bị mờ, không đọc được.",
            ),
        )


def _with_clock(moment: datetime, action: Callable[[], T]) -> T:
    original = timezone.now
    timezone.now = lambda: moment
    try:
        return action()
    finally:
        timezone.now = original


def _office(calendar: WorkCalendar, moment: datetime) -> datetime:
    """The moment itself if it falls in office hours of a working day, else the next session
    start (plus a few minutes): demo events happen when the office is open, never at 00:00."""
    local = moment.astimezone(VN)
    day = local.date()
    while True:
        if calendar.is_working_day(day):
            for start, end in calendar.hours.sessions:
                begin = datetime.combine(day, start, tzinfo=VN)
                finish = datetime.combine(day, end, tzinfo=VN)
                if local < finish:
                    return max(local, begin + timedelta(minutes=10))
        day = calendar.next_working_day(day)
        local = datetime.combine(day, time(0, 0), tzinfo=VN)


def _advance(
    dossier: Dossier,
    rng: random.Random,
    actor: User,
    principal: User,
    today: date,
    calendar: WorkCalendar,
) -> None:
    received_at, due, assignee = dossier.received_at, dossier.due_at, dossier.assignee
    if due is None or received_at is None:
        return
    # Every later step happens after the one before it (the workflow's order): `last` is the
    # moment of the latest step so far, so no result is recorded before the hand-over.
    last = received_at
    if assignee is not None:
        moment = _office(calendar, received_at + timedelta(minutes=20))
        if moment.date() >= today:
            return
        last = moment
        dossier = _with_clock(
            moment,
            partial(
                services.dossier_hand_over,
                actor=actor,
                dossier=dossier,
                to_staff=assignee,
                step="appraisal",
                note="Chuyển thẩm định",
            ),
        )
        due = dossier.due_at
        if due is None:
            return
    roll = rng.random()
    if roll < 0.08 and dossier.procedure.max_supplements:
        asked = _office(calendar, max(received_at + timedelta(hours=20), last + timedelta(hours=1)))
        if asked >= deadlines.supplement_deadline(dossier) or asked.date() >= today:
            return
        dossier = _with_clock(
            asked,
            lambda: services.dossier_request_supplement(
                actor=actor,
                dossier=dossier,
                items=["Bản sao giấy khai sinh"],
                reason="Thiếu giấy tờ",
            ),
        )
        back = _office(calendar, asked + timedelta(days=2))
        if back.date() >= today:
            return
        dossier = _with_clock(
            back, lambda: services.dossier_supplement_received(actor=actor, dossier=dossier)
        )
        last = back
        due = dossier.due_at
        if due is None:
            return
    due_day = due.astimezone(VN).date()
    late = roll > 0.96
    if late and rng.random() < 0.6:
        moment = _office(calendar, due - timedelta(days=3))
        new_day = calendar.add_working_days(due_day, 3)
        if last < moment and moment.date() < min(today, due_day):
            _with_clock(
                moment,
                lambda: services.dossier_apologize(
                    actor=principal,
                    dossier=dossier,
                    reason="Chờ xác nhận học bạ từ trường cũ",
                    new_due_at=deadlines.end_of_day(calendar, new_day),
                ),
            )
            dossier.refresh_from_db()
            last = moment
    if late:
        finished = _office(calendar, due + timedelta(days=2))
    else:
        earliest = _office(calendar, last + timedelta(minutes=40))
        finished = _office(calendar, max(due - timedelta(hours=rng.randint(2, 40)), earliest))
        if finished > due:
            finished = max(earliest, due - timedelta(minutes=30))
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
    returned = _office(calendar, finished + timedelta(hours=rng.randint(1, 30)))
    if returned.date() < today:
        _with_clock(returned, lambda: services.dossier_return(actor=actor, dossier=dossier))
