"""Bounded input types shared by the API's schemas, so the OpenAPI document states the limits.

The services check the same limits with their own messages; declaring them here as well lets a
client (and schemathesis) know before sending that 1056 is not a year the calendar covers or
that an activity cannot be held on 01/01/0001.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Final

from ninja import Field

from cchc.workdays.calendar import MAX_DAYS, MAX_YEAR, MIN_YEAR

FIRST_DAY: Final = date(MIN_YEAR, 1, 1)
LAST_DAY: Final = date(MAX_YEAR, 12, 31)
# The same range as a pattern, for the OpenAPI document: JSON Schema has no bounds for dates.
DATE_PATTERN: Final = rf"^(199\d|20\d\d|{MAX_YEAR})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"

Year = Annotated[int, Field(ge=MIN_YEAR, le=MAX_YEAR)]
DayCount = Annotated[int, Field(ge=0, le=MAX_DAYS)]
Percent = Annotated[int, Field(ge=0, le=100)]
BoundedDate = Annotated[
    date, Field(ge=FIRST_DAY, le=LAST_DAY, json_schema_extra={"pattern": DATE_PATTERN})
]
