"""Working-day arithmetic over the API; public data, so no log-in is needed."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from cchc.api.types import BoundedDate, DayCount
from cchc.workdays import selectors, services
from cchc.workdays.calendar import MAX_DAYS, MAX_YEAR, MIN_YEAR, CalendarError

router = Router(tags=["Lịch làm việc"])


class DueIn(Schema):
    start: BoundedDate
    days: DayCount
    at: Annotated[str, Field(pattern=r"^([01]?\d|2[0-3]):[0-5]\d$")] | None = None


class DueOut(Schema):
    due: date
    effective_receipt_date: date
    explanation: list[str]


class DayOut(Schema):
    date: date
    kind: str
    name: str
    reference: str
    pending: bool


def _receipt(query: DueIn) -> datetime:
    at = time(0, 0)
    if query.at:
        match = re.fullmatch(r"(\d{1,2}):(\d{2})", query.at.strip())
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise HttpError(422, "Giờ tiếp nhận không hợp lệ (định dạng HH:MM).")
        at = time(int(match[1]), int(match[2]))
    return datetime.combine(query.start, at)


@router.get(
    "/workdays/add", response=DueOut, auth=None, summary="Hạn giải quyết theo ngày làm việc"
)
def add(request: HttpRequest, query: Query[DueIn]) -> dict:
    if not 0 <= query.days <= MAX_DAYS:
        raise HttpError(422, "Số ngày phải từ 0 đến 10.000.")
    calendar = services.calendar_for_unit(None)
    try:
        received_at = _receipt(query)
        effective = calendar.effective_receipt_date(received_at)
        explanation = calendar.explain(effective, query.days)
    except CalendarError as error:
        raise HttpError(422, str(error)) from None
    return {
        "due": explanation.due,
        "effective_receipt_date": effective,
        "explanation": explanation.lines(),
    }


@router.get(
    "/workdays/year/{year}",
    response=list[DayOut],
    auth=None,
    summary="Ngày nghỉ trong tuần và ngày làm bù của một năm",
)
def year(request: HttpRequest, year: Annotated[int, Path(ge=MIN_YEAR, le=MAX_YEAR)]) -> list[dict]:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise HttpError(422, f"Năm phải từ {MIN_YEAR} đến {MAX_YEAR}.")
    calendar = services.calendar_for_unit(None)
    return [e.as_dict() for e in selectors.year_entries(calendar, year)]
