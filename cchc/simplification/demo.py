"""Demo: one completed review (accepted by the commune) of the school's most frequent procedure,
with its cost before/after from the demo year of dossiers and a new internal process from a
future working day, and one draft of the next most frequent procedure.

Everything goes through the real services with the clock set to office hours of recent working
days (never a Sunday, never 00:00), and the effective date is a working day after today.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from typing import TypeVar

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from cchc.accounts.models import Role, User
from cchc.dossiers.deadlines import VN
from cchc.dossiers.demo import SCHOOL_CODE
from cchc.dossiers.models import Dossier
from cchc.organizations.models import Unit
from cchc.simplification import selectors, services
from cchc.simplification.models import Part, Review, Scenario
from cchc.workdays.calendar import WorkCalendar
from cchc.workdays.services import calendar_for_unit

T = TypeVar("T")
# The demo's wage basis: an assumed average income of 6.000.000 đ a month over 22 working days
# of 8 hours (≈ 34.091 đ/hour, rounded). A real review enters the province's published figure.
DEMO_WAGE = 34_091

DATA_GROUND = (
    "Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ (Đề án 06); Nghị định số "
    "45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ về thực hiện thủ tục hành chính trên môi trường "
    "điện tử."
)
PROPOSALS: dict[str, tuple[str, str, str]] = {
    Part.CHANNEL: (
        "Phần lớn hồ sơ nộp trực tiếp, người dân phải đến trường nhiều lượt.",
        "Tiếp nhận hồ sơ trực tuyến và trả kết quả qua bưu chính công ích theo yêu cầu.",
        "Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ; Nghị định số 61/2018/NĐ-CP "
        "ngày 23/4/2018 của Chính phủ (sửa đổi bởi Nghị định số 107/2021/NĐ-CP).",
    ),
    Part.STEPS: (
        "Bước trình ký chờ Hiệu trưởng có mặt tại trường.",
        "Phó Hiệu trưởng phụ trách ký thay (KT. HIỆU TRƯỞNG) theo phân công; ký số trên hệ thống.",
        "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư, Điều 13.",
    ),
}


def _documents_proposal(facts: selectors.Facts) -> tuple[str, str, str] | None:
    """From the measured facts: the document supplements were asked for most."""
    if not facts.supplements:
        return None
    name, times = facts.supplements[0]
    return (
        f"Giấy tờ bị yêu cầu bổ sung nhiều nhất: {name} ({times} lần trong {facts.dossiers} hồ "
        "sơ của 12 tháng); thông tin này có thể khai thác từ Cơ sở dữ liệu quốc gia về dân cư.",
        f"Không yêu cầu người dân nộp {name[:1].lower()}{name[1:]}; bộ phận một cửa khai thác "
        "thông tin từ Cơ sở dữ liệu quốc gia về dân cư.",
        DATA_GROUND,
    )


AFTER_LINES = [
    ("Khai và nộp hồ sơ trực tuyến (không sao chụp giấy khai sinh)", Decimal("0.75"), 0),
    ("Nhận kết quả qua bưu chính công ích", Decimal("0.25"), 25_000),
]
NEW_PROCESS = [
    {"code": "reception", "name": "Tiếp nhận, chuyển xử lý", "days": 0.5},
    {"code": "appraisal", "name": "Thẩm định", "days": 1},
    {"code": "signature", "name": "Ký thay, ký số", "days": 0.5},
]


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=VN)


def _working_days_back(calendar: WorkCalendar, today: date, n: int) -> date:
    day = today
    while n > 0:
        day -= timedelta(days=1)
        if calendar.is_working_day(day):
            n -= 1
    return day


def _with_clock(moment: datetime, action: Callable[[], T]) -> T:
    original = timezone.now
    timezone.now = lambda: moment
    try:
        return action()
    finally:
        timezone.now = original


def _user(unit: Unit, role: str) -> User | None:
    return User.objects.filter(
        staff__unit=unit, staff__is_active=True, staff__role_assignments__role=role
    ).first()


def _ranked(school: Unit) -> list[str]:
    return [
        row["procedure__name"]
        for row in Dossier.objects.filter(unit=school, received_at__isnull=False)
        .values("procedure__name")
        .annotate(n=Count("id"))
        .order_by("-n", "procedure__name")
    ]


def _add_after_lines(actor: User, review: Review, fee: int) -> Review:
    for activity, hours, other in AFTER_LINES:
        services.cost_line_add(
            actor=actor,
            review=review,
            expected_version=None,
            scenario=Scenario.AFTER,
            activity=activity,
            hours=hours,
            fee_vnd=fee if activity.startswith("Khai") else 0,
            other_vnd=other,
        )
    return review


@transaction.atomic
def seed_demo_data(**_options: object) -> list[str]:
    school = Unit.objects.filter(code=SCHOOL_CODE).first()
    if school is None or Review.objects.filter(unit=school).exists():
        return []
    clerk, principal = _user(school, Role.CLERK), _user(school, Role.PRINCIPAL)
    officer = _user(school.parent, Role.COMMUNE_OFFICER) if school.parent is not None else None
    names = _ranked(school)
    current = {p.name: p for p in selectors.procedures_of(school)}
    names = [n for n in names if n in current]
    if clerk is None or principal is None or officer is None or not names:
        return []
    calendar = calendar_for_unit(school)
    today = timezone.localdate()
    days = [_working_days_back(calendar, today, n) for n in (10, 8, 7, 3, 2)]
    effective = calendar.add_working_days(today, 10)
    procedure = current[names[0]]
    review = _with_clock(
        _at(days[0], 8, 40),
        lambda: services.review_open(actor=clerk, procedure=procedure, wage_per_hour_vnd=DEMO_WAGE),
    )

    proposals = dict(PROPOSALS)
    documents = _documents_proposal(selectors.measured_facts(procedure, review.created_at))
    if documents is not None:
        proposals[Part.DOCUMENTS] = documents

    def fill() -> None:
        for part, (finding, proposal, ground) in proposals.items():
            services.finding_save(
                actor=clerk,
                review=review,
                expected_version=None,
                part=part,
                finding=finding,
                proposal=proposal,
                legal_ground=ground,
            )
        _add_after_lines(clerk, review, procedure.fee_vnd or 0)
        services.review_update(
            actor=clerk,
            review=review,
            expected_version=None,
            wage_per_hour_vnd=DEMO_WAGE,
            effective_on=effective,
            summary="Đề xuất cắt giảm giấy tờ, tiếp nhận trực tuyến và ký thay để giảm số lượt "
            "người dân phải đến trường.",
        )

    _with_clock(_at(days[0], 9, 30), fill)
    for day, hour, action, actor in (
        (days[1], 14, "approve", principal),
        (days[2], 9, "submit", principal),
        (days[3], 10, "accept", officer),
    ):
        if actor is None:
            continue  # a school with no commune above it: nobody to accept
        _with_clock(
            _at(day, hour, 15),
            partial(
                services.review_act,
                actor=actor,
                review=review,
                action=action,
                expected_version=None,
                note="Thống nhất phương án." if action == "accept" else "",
            ),
        )
    _with_clock(
        _at(days[4], 15, 5),
        lambda: services.process_version_create(
            actor=principal,
            procedure=procedure,
            steps=NEW_PROCESS,
            effective_from=effective,
            review=review,
            note="Theo phương án đơn giản hóa đã được UBND xã chấp thuận.",
        ),
    )
    lines = [f"Đã tạo phiếu rà soát đã được chấp thuận: {procedure.name}."]
    if len(names) > 1:
        second = current[names[1]]
        draft = _with_clock(
            _at(days[4], 10, 20),
            lambda: services.review_open(
                actor=clerk, procedure=second, wage_per_hour_vnd=DEMO_WAGE
            ),
        )
        _with_clock(
            _at(days[4], 10, 45),
            lambda: services.finding_save(
                actor=clerk,
                review=draft,
                expected_version=None,
                part=Part.TIME_LIMIT,
                finding="Đang đối chiếu thời gian xử lý thực tế với thời hạn công bố.",
                proposal="",
                legal_ground="",
            ),
        )
        lines.append(f"Đã tạo phiếu rà soát dự thảo: {second.name}.")
    return lines
