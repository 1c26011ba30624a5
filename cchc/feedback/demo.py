"""A believable year of feedback for the demo school, made by the real services with the clock
moved to each step's moment: every moment is on a working day within office hours, deadlines
come from the calendar, most items answered and published in time, a few late, rejected,
forwarded, about staff conduct or disputed."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from cchc.accounts.models import User
from cchc.core.audit import audit_record
from cchc.core.audit_verbs import AuditVerb
from cchc.core.timezones import VN
from cchc.feedback import services
from cchc.feedback.models import AnswerTemplate, Feedback
from cchc.organizations.models import Staff, Unit
from cchc.workdays.services import calendar_for_unit

SCHOOL_CODE = "000.31.41.H29"
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Quốc", "Thu"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Linh", "Mai", "Nam", "Tâm"]
STREETS = ["Lê Lợi", "Nguyễn Trãi", "Trần Hưng Đạo", "Hùng Vương", "Cách Mạng Tháng Tám"]

# (title, content with {name}/{phone}/{address} placeholders, answer)
TOPICS = [
    (
        "Thu tiền học thêm",
        "Tôi là {name}, phụ huynh lớp {klass}, địa chỉ {address}. Đầu năm học nhà trường thu tiền "
        "học thêm nhưng chưa công khai mức thu. Đề nghị nhà trường giải thích. SĐT: {phone}.",
        "Nhà trường xin trả lời: việc dạy thêm trong trường thực hiện theo Thông tư 29/2024/TT-"
        "BGDĐT; từ học kỳ I nhà trường không thu tiền dạy thêm. Khoản đã thu của lớp được hoàn "
        "trả qua giáo viên chủ nhiệm trong tuần tới.",
    ),
    (
        "Cổng trường ùn tắc giờ tan học",
        "Giờ tan học buổi chiều, đoạn đường trước cổng trường rất đông, phụ huynh đậu xe tràn "
        "xuống lòng đường. Đề nghị nhà trường bố trí người hướng dẫn. Người gửi: {name}, "
        "điện thoại {phone}.",
        "Nhà trường đã phối hợp Công an xã bố trí đội cờ đỏ và bảo vệ hướng dẫn phụ huynh đậu "
        "xe từ 16 giờ 30 hằng ngày, đồng thời lệch giờ tan học giữa khối 6-7 và khối 8-9 10 phút.",
    ),
    (
        "Xin bản sao học bạ",
        "Con tôi đã chuyển trường năm ngoái, nay cần bản sao học bạ lớp 7. Tôi không biết thủ "
        "tục thế nào. Liên hệ {phone} hoặc {email}. Tôi tên là {name}.",
        "Ông/bà nộp đơn đề nghị cấp bản sao học bạ tại bộ phận văn thư hoặc trực tuyến tại mục "
        "Thủ tục hành chính trên trang của nhà trường; thời hạn giải quyết 02 ngày làm việc, "
        "không thu phí.",
    ),
    (
        "Nhà vệ sinh học sinh xuống cấp",
        "Nhà vệ sinh khu B thường xuyên hỏng vòi nước, không có xà phòng. Đề nghị nhà trường "
        "sửa chữa. {name}, nhà ở {address}.",
        "Nhà trường đã sửa chữa hệ thống nước khu B và giao nhân viên phục vụ kiểm tra hằng "
        "ngày; kinh phí từ nguồn chi thường xuyên năm 2026.",
    ),
    (
        "Đề nghị công khai các khoản thu đầu năm",
        "Kiến nghị nhà trường niêm yết công khai các khoản thu đầu năm học trên bảng tin và trang "
        "thông tin điện tử để phụ huynh tiện theo dõi. {name} - {phone}.",
        "Cảm ơn kiến nghị của ông/bà. Các khoản thu năm học 2026-2027 đã được niêm yết tại bảng "
        "tin và đăng trên Trang thông tin điện tử của nhà trường theo Thông tư 09/2024/TT-BGDĐT.",
    ),
    (
        "Thời khóa biểu thay đổi không báo trước",
        "Thời khóa biểu lớp {klass} thay đổi nhiều lần nhưng phụ huynh không được thông báo. "
        "Đề nghị gửi thông báo qua sổ liên lạc điện tử. Người gửi {name}, CCCD {cccd}.",
        "Từ tuần này, mọi thay đổi thời khóa biểu được gửi qua sổ liên lạc điện tử trước ít nhất "
        "01 ngày; giáo viên chủ nhiệm các lớp đã được nhắc nhở.",
    ),
]
CONDUCT = (
    "Thái độ của nhân viên văn thư",
    "Ngày hôm qua tôi đến xin giấy xác nhận, nhân viên văn thư trả lời thiếu tôn trọng và bắt "
    "tôi chờ lâu. Tôi là {name}, số điện thoại {phone}.",
    "Nhà trường đã xác minh, nhắc nhở nhân viên liên quan và xin lỗi ông/bà; từ nay bộ phận "
    "văn thư niêm yết thời gian giải quyết giấy xác nhận là trong ngày.",
)
OUTSIDE = (
    "Đèn đường trước trường bị hỏng",
    "Đèn đường đoạn trước cổng trường hỏng đã hai tuần, buổi tối học sinh đi học thêm về rất "
    "nguy hiểm. {name}, {phone}.",
)
CHANNELS = ["web"] * 9 + ["email"] * 3 + ["letter"] * 3 + ["phone"] * 3 + ["national_portal"] * 2


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def seed_demo_data(*, feedback: int = 120, **_options: object) -> list[str]:
    school = Unit.objects.filter(code=SCHOOL_CODE).first()
    if school is None or Feedback.objects.filter(unit=school).exists():
        return []
    made = seed_feedback(school, count=feedback)
    return [f"Đã tạo {made} phản ánh, kiến nghị mẫu cho {school.short_name}."]


class _Clock:
    """Working moments of the unit's calendar: a day is a working day, a time is in office hours."""

    def __init__(self, unit: Unit, rng: random.Random) -> None:
        self.calendar = calendar_for_unit(unit)
        self.rng = rng

    def at(self, day: date) -> datetime:
        session = self.rng.choice([(7, 45, 11, 15), (13, 15, 16, 45)])
        start = session[0] * 60 + session[1]
        end = session[2] * 60 + session[3]
        minute = self.rng.randint(start, end)
        return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=VN)

    def after(self, moment: datetime, working_days: int) -> datetime:
        day = moment.astimezone(VN).date()
        if working_days > 0:
            day = self.calendar.add_working_days(day, working_days)
        candidate = self.at(day)
        if candidate <= moment:
            candidate = moment + timedelta(minutes=self.rng.randint(20, 90))
            if candidate.time() > time(16, 50) or candidate.date() != day:
                return self.at(self.calendar.add_working_days(day, 1))
        return candidate


def _with_clock(moment: datetime, action):
    original = timezone.now
    timezone.now = lambda: moment
    try:
        return action()
    finally:
        timezone.now = original


def _people(unit: Unit) -> dict[str, Any]:
    def by_role(role: str) -> User | None:
        return User.objects.filter(staff__unit=unit, staff__role_assignments__role=role).first()

    return {
        "clerk": by_role("clerk"),
        "principal": by_role("principal"),
        "inspection": by_role("inspection_head"),
        "handlers": list(Staff.objects.filter(unit=unit, is_active=True)[:8]),
    }


@transaction.atomic
def seed_feedback(unit: Unit, *, count: int, seed: int = 2026) -> int:
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not security
    clock = _Clock(unit, rng)
    people = _people(unit)
    if people["clerk"] is None or people["principal"] is None or not people["handlers"]:
        return 0
    for title, _question, answer in TOPICS:
        AnswerTemplate.objects.get_or_create(unit=unit, title=title, defaults={"body": answer})
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    days = [
        start + timedelta(days=i)
        for i in range((today - start).days)
        if clock.calendar.is_working_day(start + timedelta(days=i))
    ]
    moments = sorted(clock.at(rng.choice(days)) for _ in range(count))
    now = timezone.now()
    made = 0
    for moment in moments:
        if moment >= now:
            continue
        _one(unit, clock, rng, people, moment, now)
        made += 1
    audit_record(
        actor=None,
        verb=AuditVerb.SEED_DEMO_FEEDBACK,
        unit=unit,
        object_type="feedback.feedback",
        after={"count": made},
    )
    return made


def _fill(template: str, rng: random.Random, name: str, phone: str) -> str:
    return template.format(
        name=name,
        phone=phone,
        email=f"{name.split()[-1].lower()}{rng.randint(10, 99)}@gmail.com",
        address=f"số {rng.randint(1, 200)} đường {rng.choice(STREETS)}",
        klass=f"{rng.randint(6, 9)}{rng.choice('ABCD')}",
        cccd=f"0742{rng.randint(10**7, 10**8 - 1)}",
    )


def _one(unit, clock, rng, people, received: datetime, now: datetime) -> None:
    clerk, principal = people["clerk"], people["principal"]
    roll = rng.random()
    name = _name(rng)
    phone = f"09{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)}"
    if roll < 0.07:
        topic = (*CONDUCT,)
    elif roll < 0.12:
        topic = (*OUTSIDE, "")
    else:
        topic = rng.choice(TOPICS)
    channel = rng.choice(CHANNELS)
    data = {
        "sender_name": name if roll > 0.03 else "",
        "sender_phone": phone if roll > 0.03 else "",
        "sender_address": "",
        "title": topic[0],
        "content": _fill(topic[1], rng, name, phone),
        "consent_to_publish": rng.random() < 0.8,
        "kind": "kien_nghi" if topic[0].startswith("Đề nghị") else "phan_anh",
    }
    if channel == "web":
        item = _with_clock(received, lambda: services.feedback_submit_public(unit=unit, data=data))
    else:
        code = (
            f"PAKN-{received:%y%m%d}-{rng.randint(1000, 9999)}"
            if channel == ("national_portal")
            else ""
        )
        item = _with_clock(
            received,
            lambda: services.feedback_receive(
                actor=clerk,
                unit=unit,
                channel=channel,
                data=data,
                external_code=code,
                received_at=received,
            ),
        )
    if item.status != "received":
        return  # recorded as invalid (no contact)
    step = clock.after(received, rng.choice([0, 1, 1, 2]))
    if step >= now:
        return
    handler = rng.choice(people["handlers"])
    if roll < 0.07:
        item = _with_clock(
            step,
            lambda: services.feedback_classify(actor=clerk, item=item, classification="conduct"),
        )
        if people["inspection"] is not None:
            finding_at = clock.after(step, 2)
            if finding_at < now:
                _with_clock(
                    finding_at,
                    lambda: services.finding_add(
                        actor=people["inspection"],
                        item=item,
                        text="Ban Thanh tra đã làm việc với người liên quan; đề nghị nhà "
                        "trường nhắc nhở và trả lời người gửi.",
                    ),
                )
        step = clock.after(step, 3)
        if step >= now:
            return
        item = _with_clock(
            step, lambda: services.feedback_assign(actor=clerk, item=item, assignee=handler)
        )
    elif roll < 0.12:
        _with_clock(
            step,
            lambda: services.feedback_classify(
                actor=clerk,
                item=item,
                classification="outside",
                forwarded_to="UBND xã (bộ phận quản lý hạ tầng)",
                reason="Không thuộc thẩm quyền của nhà trường",
            ),
        )
        return
    elif roll < 0.16:
        _with_clock(
            step,
            lambda: services.feedback_classify(
                actor=clerk,
                item=item,
                classification="invalid",
                reason="Nội dung không rõ ràng, trùng phản ánh đã trả lời",
            ),
        )
        return
    else:
        item = _with_clock(
            step,
            lambda: services.feedback_classify(
                actor=clerk, item=item, classification="competent", assignee=handler
            ),
        )
    late = rng.random() < 0.05
    drafted = clock.after(step, rng.randint(14, 18) if late else rng.randint(2, 9))
    if drafted >= now:
        return
    item = _with_clock(
        drafted,
        lambda: services.feedback_draft(
            actor=handler.user, item=item, answer=topic[2] or "Nhà trường xin trả lời như sau."
        ),
    )
    approved = clock.after(drafted, rng.choice([0, 1]))
    if approved >= now:
        return
    item = _with_clock(approved, lambda: services.feedback_approve(actor=principal, item=item))
    published = clock.after(approved, 4 if rng.random() < 0.04 else rng.choice([0, 1]))
    if published >= now:
        return
    question, answer = services.public_versions(item)
    item = _with_clock(
        published,
        lambda: services.feedback_publish(
            actor=principal, item=item, public_question=question, public_answer=answer
        ),
    )
    if rng.random() < 0.6:
        rated = clock.after(published, rng.randint(0, 3))
        if rated < now:
            if rng.random() < 0.04:
                item = _with_clock(
                    rated,
                    lambda: services.feedback_dispute(
                        item=item, reason="Tôi chưa đồng ý vì câu trả lời chưa nêu thời hạn cụ thể."
                    ),
                )
                _review_dispute(item, clock, people, handler, rated, now)
                return
            rating = "satisfied" if rng.random() < 0.88 else "unsatisfied"
            _with_clock(rated, lambda: services.feedback_rate(item=item, rating=rating))


def _review_dispute(item, clock, people, handler, disputed: datetime, now: datetime) -> None:
    """The inspection board looks at the dispute, the handler answers again, the head approves
    and the new answer is published: each step on its own working moment, until today."""
    steps = [
        (
            1,
            lambda: (
                services.finding_add(
                    actor=people["inspection"],
                    item=item,
                    text="Đề nghị bổ sung thời hạn cụ thể vào câu trả lời.",
                )
                if people["inspection"] is not None
                else None
            ),
        ),
        (1, lambda: services.feedback_assign(actor=people["clerk"], item=item, assignee=handler)),
        (
            2,
            lambda: services.feedback_draft(
                actor=handler.user,
                item=item,
                answer=item.answer + " Thời hạn hoàn thành: trong tháng này.",
            ),
        ),
        (1, lambda: services.feedback_approve(actor=people["principal"], item=item)),
        (
            1,
            lambda: services.feedback_publish(
                actor=people["principal"],
                item=item,
                public_question=services.public_versions(item)[0],
                public_answer=services.public_versions(item)[1],
            ),
        ),
    ]
    moment = disputed
    for days, action in steps:
        moment = clock.after(moment, days)
        if moment >= now:
            return
        _with_clock(moment, action)
        item.refresh_from_db()
