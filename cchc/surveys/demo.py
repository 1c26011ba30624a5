"""Demo data: a year of per-dossier ratings and one completed, published parents' survey.

Everything goes through the services, on working days of the school's calendar and in office or
evening hours (never at 00:00), so the demo obeys the rules real data obeys. About half of the
handled dossiers are rated, a day or two after the result; late dossiers are rated worse, and say
whether an apology came. The parents' survey ran for two working weeks in October, 160 parents
and students answered by the poster's QR code, and its results are published on the portal.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone

from cchc.accounts.models import User
from cchc.core.timezones import VN
from cchc.dossiers.models import Dossier
from cchc.organizations.models import Unit
from cchc.surveys import services
from cchc.surveys.definitions import EDUCATION_TEMPLATE_KEY
from cchc.surveys.models import Audience, Campaign, CampaignStatus, Response
from cchc.workdays.services import calendar_for_unit

SCHOOL_CODE = "000.31.41.H29"
T = TypeVar("T")

COMMENTS = [
    "Cán bộ hướng dẫn tận tình, thủ tục nhanh gọn.",
    "Nên có thêm ghế ngồi chờ ở phòng văn thư.",
    "Mong nhà trường gửi thông báo qua Zalo của lớp.",
    "Thời gian trả kết quả đúng hẹn, cảm ơn nhà trường.",
    "Đề nghị sửa lại nhà vệ sinh khu B.",
    "Con tiến bộ nhiều, gia đình rất yên tâm.",
]


def _with_clock(moment: datetime, action: Callable[[], T]) -> T:
    """Run a service as if at `moment` (services read timezone.now)."""
    original = timezone.now
    timezone.now = lambda: moment
    try:
        return action()
    finally:
        timezone.now = original


def _score(rng: random.Random, good: float) -> str:
    """A five-point answer: satisfied with probability `good`, rarely "Không ý kiến"."""
    roll = rng.random()
    if roll < 0.03:
        return "0"
    if roll < 0.03 + good:
        return rng.choice(["4", "5", "5"])
    return rng.choice(["3", "3", "3", "2", "1"])


def _moment(calendar: Any, day: date, rng: random.Random, *, evening: bool = False) -> datetime:
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    hours = [7, 8, 9, 10, 14, 15, 16] + ([19, 20] if evening else [])
    return datetime.combine(day, time(rng.choice(hours), rng.randint(1, 58)), tzinfo=VN)


def seed_demo_data(**_options: object) -> list[str]:
    school = Unit.objects.filter(code=SCHOOL_CODE).first()
    if school is None or Response.objects.filter(campaign__unit=school).exists():
        return []
    principal = User.objects.filter(
        staff__unit=school, staff__role_assignments__role="principal"
    ).first()
    services.templates_install_defaults(actor=principal, unit=school)
    rated = seed_ratings(school)
    survey = seed_parents_survey(school, principal) if principal is not None else None
    lines = [f"Đã tạo {rated} phiếu đánh giá hồ sơ TTHC mẫu cho {school.short_name}."]
    if survey is not None:
        lines.append(f"Đã tạo đợt khảo sát cha mẹ học sinh “{survey.title}” (đã công khai).")
    return lines


@transaction.atomic
def seed_ratings(unit: Unit, *, share: float = 0.55, seed: int = 2026) -> int:
    """Rate about `share` of the unit's handled dossiers of this year, after their result."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    calendar = calendar_for_unit(unit)
    now = timezone.now()
    campaign = services.dossier_campaign(unit)
    handled = Dossier.objects.filter(
        unit=unit,
        result_at__isnull=False,
        result_at__gte=datetime.combine(campaign.starts_on, time.min, tzinfo=VN),
    ).select_related("procedure", "apology")
    made = 0
    for dossier in handled.order_by("result_at"):
        if not services.rating_open_for(dossier) or rng.random() > share:
            continue
        result_at, due_at = dossier.result_at, dossier.due_at
        if result_at is None or due_at is None:
            continue  # (the query asks for decided dossiers; every demo dossier has a due date)
        after = (dossier.returned_at or result_at).astimezone(VN).date()
        moment = _moment(calendar, after + timedelta(days=rng.choice([0, 1, 1, 2, 5])), rng)
        if moment <= (dossier.returned_at or result_at) or moment >= now:
            continue
        late = result_at > due_at
        good = 0.80 if late else 0.975
        if late:
            on_time = (
                "Trễ hẹn, có thông báo và thư xin lỗi"
                if hasattr(dossier, "apology")
                else "Trễ hẹn, không được thông báo"
            )
        else:
            on_time = "Sớm hơn hoặc đúng hẹn"
        answers: dict[str, Any] = {
            "publicity": _score(rng, good),
            "place": _score(rng, good - 0.03),
            "documents": _score(rng, good),
            "visits": "1 lần" if rng.random() < 0.9 else "2 lần",
            "attitude": rng.choice(["4", "5", "5"]) if rng.random() < good else "3",
            "guidance": _score(rng, good),
            "harassment": "Không",
            "on_time": on_time,
            "result": _score(rng, good),
            "feedback": "0" if rng.random() < 0.6 else _score(rng, good),
            "overall": rng.choice(["4", "5", "5"]) if rng.random() < good else rng.choice("32"),
        }
        if rng.random() < 0.3:
            del answers["place"]  # left blank
        if rng.random() < 0.08:
            answers["comment"] = rng.choice(COMMENTS[:4])
        services.dossier_rating_submit(
            token=services.rating_token(dossier), answers=answers, submitted_at=moment, notify=False
        )
        made += 1
    return made


def _october_window(calendar: Any, year: int) -> tuple[date, date]:
    """Two working weeks from the first working Monday of October."""
    start = date(year, 10, 1)
    while start.weekday() != 0 or not calendar.is_working_day(start):
        start += timedelta(days=1)
    return start, start + timedelta(days=11)


@transaction.atomic
def seed_parents_survey(
    unit: Unit, principal: User, *, responses: int = 160, seed: int = 3476
) -> Campaign | None:
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    calendar = calendar_for_unit(unit)
    today = timezone.localdate()
    year = today.year if today >= date(today.year, 11, 1) else today.year - 1
    starts_on, ends_on = _october_window(calendar, year)
    template = services.templates_install_defaults(actor=principal, unit=unit)
    education = next(t for t in template if t.key == EDUCATION_TEMPLATE_KEY)
    opened = _moment(calendar, starts_on - timedelta(days=3), rng)
    campaign = _with_clock(
        opened,
        lambda: services.campaign_create(
            actor=principal,
            unit=unit,
            template=education,
            title=f"Khảo sát sự hài lòng của cha mẹ học sinh và học sinh, học kỳ I năm học "
            f"{year}–{year + 1}",
            audience=Audience.ALL_PARENTS,
            starts_on=starts_on,
            ends_on=ends_on,
        ),
    )
    _with_clock(
        opened + timedelta(minutes=20),
        lambda: services.campaign_set_status(
            actor=principal, campaign=campaign, status=CampaignStatus.OPEN
        ),
    )
    working = [
        starts_on + timedelta(days=d)
        for d in range((ends_on - starts_on).days + 1)
        if calendar.is_working_day(starts_on + timedelta(days=d))
    ]
    quality = {
        "toilets": 0.78,
        "equipment": 0.84,
        "classrooms": 0.9,
        "extracurricular": 0.9,
        "contact": 0.95,
        "safety": 0.96,
        "overall": 0.95,
    }
    questions = [q.code for q in campaign.version.questions.filter(kind="scale")]
    classes = [f"{grade}{letter}" for grade in (6, 7, 8, 9) for letter in "ABCD"]
    for n in range(responses):
        answers: dict[str, Any] = {
            "respondent": "Cha mẹ học sinh" if rng.random() < 0.75 else "Học sinh",
        }
        for code in questions:
            if code != "overall" and rng.random() < 0.04:
                continue  # left blank
            answers[code] = _score(rng, quality.get(code, 0.93))
            if code == "overall" and answers[code] == "0":
                answers[code] = "4"
        if rng.random() < 0.4:
            answers["priorities"] = rng.sample(
                ["Cơ sở vật chất", "Chất lượng giảng dạy", "An toàn trường học",
                 "Liên lạc với gia đình", "Hoạt động ngoại khóa"],
                k=rng.randint(1, 2),
            )  # fmt: skip
        if rng.random() < 0.1:
            answers["comment"] = rng.choice(COMMENTS[1:])
        moment = _moment(calendar, rng.choice(working), rng, evening=True)
        services.response_submit(
            campaign=campaign,
            answers=answers,
            channel="link",
            device_id=f"demo-device-{seed}-{n}",
            segment=rng.choice(classes) if rng.random() < 0.85 else "",
            submitted_at=moment,
        )
    closed = _moment(calendar, ends_on + timedelta(days=1), rng)
    _with_clock(
        closed,
        lambda: services.campaign_set_status(
            actor=principal, campaign=campaign, status=CampaignStatus.CLOSED
        ),
    )
    _with_clock(
        closed + timedelta(minutes=30),
        lambda: services.campaign_publish(actor=principal, campaign=campaign),
    )
    return campaign
