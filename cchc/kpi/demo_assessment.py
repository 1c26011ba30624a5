"""Demo: the demo school's self-assessment of this year, scored with evidence and submitted.

Run after every other app's demo (organizations.demo.seed_other_apps calls it last), so the
formula criteria read the demo year's real figures. It stays "awaiting appraisal" so the
commune officer can try the appraisal.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from cchc.accounts.models import User
from cchc.core.timezones import VN
from cchc.kpi import assessments
from cchc.kpi.assessments import Entry
from cchc.kpi.models import Assessment
from cchc.organizations.models import Unit
from cchc.workdays.services import calendar_for_unit

SCHOOL_CODE = "000.31.41.H29"

SCORES = {
    "1.1": Entry("4", "Kế hoạch số 15/KH-THCSNTB ngày 23/01/2026 thực hiện công tác CCHC năm 2026"),
    "1.3": Entry("3", "Báo cáo CCHC quý I, quý II, 6 tháng và quý III gửi UBND xã đúng hạn"),
    "1.4": Entry("2", "Tuyên truyền CCHC tại 4 buổi họp hội đồng; 1 sáng kiến đang xét công nhận"),
    "2.3": Entry("4", "Bộ phận tiếp nhận và trả kết quả tại phòng văn thư; sổ theo dõi hồ sơ"),
    "2.4": Entry("2", "Niêm yết TTHC tại bảng tin; trang công khai TTHC chưa cập nhật đủ"),
}


def _working_moment(unit: Unit) -> datetime:
    """The last working day before today, 10:15 local: never a Sunday, never midnight."""
    calendar = calendar_for_unit(unit)
    day = timezone.localdate() - timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return datetime.combine(day, time(10, 15), tzinfo=VN)


def seed_demo_assessment(**_options: object) -> list[str]:
    school = Unit.objects.filter(code=SCHOOL_CODE).first()
    year = timezone.localdate().year
    if school is None or Assessment.objects.filter(unit=school, year=year).exists():
        return []
    principal = User.objects.filter(
        staff__unit=school, staff__role_assignments__role="principal"
    ).first()
    if principal is None:
        return []
    moment = _working_moment(school)
    original = timezone.now
    timezone.now = lambda: moment
    try:
        started = assessments.assessment_start(actor=principal, unit=school, year=year)
        done = assessments.assessment_save(
            actor=principal, assessment=started, entries=SCORES, revision=None, submit=True
        )
    finally:
        timezone.now = original
    return [
        f"Đã tạo bản tự đánh giá Chỉ số CCHC năm {year} của {school.short_name}: "
        f"{done.self_points}/{done.max_points} điểm, {done.self_rating} (chờ xã thẩm định)."
    ]
