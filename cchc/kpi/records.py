"""The records behind a figure: the drill-down from a dashboard row to the list it counts.

Each indicator names the staff page that lists its records, filtered to the unit and period
where that page can filter (the tracking book counts exactly the dossiers an on-time figure
counts; the feedback list by receipt dates), and the permission that page needs, so a row links
only to what the reader may open. An indicator without a list (a count of savings, the
self-assessment's own page aside) has no link rather than a link to something else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.urls import reverse

from cchc.accounts import permissions
from cchc.kpi.registry import Period

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser
    from cchc.organizations.models import Unit


@dataclass(frozen=True)
class Records:
    label: str
    url: str


def _ky(period: Period) -> str | None:
    """The `ky` parameter of a list page for `period` (a year, quarter or month)."""
    key = period.snapshot_key
    if key is None:
        return None
    return key or str(period.start.year)


def _book(late: bool = False) -> Callable[[Unit, Period], dict[str, str]]:
    def query(unit: Unit, period: Period) -> dict[str, str]:
        found = {"don_vi": str(unit.pk)}
        ky = _ky(period)
        if ky is not None:
            found["ky"] = ky
        else:
            found |= {"tu_ngay": f"{period.start:%Y-%m-%d}", "den_ngay": f"{period.end:%Y-%m-%d}"}
        if late:
            found["tre_han"] = "1"
        return found

    return query


def _received(late: bool = False) -> Callable[[Unit, Period], dict[str, str]]:
    def query(unit: Unit, period: Period) -> dict[str, str]:
        found = {"tu_ngay": f"{period.start:%Y-%m-%d}", "den_ngay": f"{period.end:%Y-%m-%d}"}
        if late:
            found["qua_han"] = "on"
        return found

    return query


def _unit(unit: Unit, period: Period) -> dict[str, str]:
    return {"don_vi": str(unit.pk)}


def _nothing(unit: Unit, period: Period) -> dict[str, str]:
    return {}


def _assessment(unit: Unit, period: Period) -> dict[str, str]:
    return {"don_vi": str(unit.pk), "nam": str(period.end.year)}


@dataclass(frozen=True)
class _Page:
    label: str
    url_name: str
    permission: str
    query: Callable[[Unit, Period], dict[str, str]]
    unit_in_path: bool = False  # the page's address names the unit (`…/don-vi/<id>/`)


_DOSSIERS = _Page("Xem hồ sơ được tính", "dossiers:book", permissions.VIEW_DOSSIERS, _book())
_LATE_DOSSIERS = _Page(
    "Xem hồ sơ trễ hạn", "dossiers:book", permissions.VIEW_DOSSIERS, _book(late=True)
)
_FEEDBACK = _Page(
    "Xem phản ánh, kiến nghị", "feedback:list", permissions.VIEW_FEEDBACK, _received()
)
_SURVEYS = _Page("Xem các đợt khảo sát", "surveys:campaigns", permissions.VIEW_SURVEYS, _nothing)
_BILLS = _Page("Xem các khoản thu", "payments:bills", permissions.VIEW_PAYMENTS, _nothing)
_OUTGOING = _Page("Xem văn bản đi", "documents:outgoing", permissions.VIEW_DOCUMENTS, _nothing)

PAGES: dict[str, _Page] = {
    "dossier_on_time_rate": _DOSSIERS,
    "dossier_on_time_rate_766": _DOSSIERS,
    "dossier_online_rate": _DOSSIERS,
    "one_stop_paper_signed_rate": _DOSSIERS,
    "late_apology_rate": _LATE_DOSSIERS,
    "apology_on_time_rate": _LATE_DOSSIERS,
    "feedback_on_time_rate": _FEEDBACK,
    "feedback_published_rate": _FEEDBACK,
    "feedback_answered_rate": _FEEDBACK,
    "feedback_received_count": _FEEDBACK,
    "feedback_satisfaction_rate": _FEEDBACK,
    "feedback_open_late_rate": _Page(
        "Xem phản ánh quá hạn", "feedback:list", permissions.VIEW_FEEDBACK, _received(late=True)
    ),
    "satisfaction_rate": _SURVEYS,
    "satisfaction_766_rate": _SURVEYS,
    "education_satisfaction_rate": _SURVEYS,
    "cashless_rate": _BILLS,
    "cashless_value_rate": _BILLS,
    "bill_overdue_rate": _BILLS,
    "procedure_fee_online_rate": _BILLS,
    "e_payment_staff_rate": _BILLS,
    "e_document_rate": _OUTGOING,
    "outgoing_signed_rate": _OUTGOING,
    "digital_signature_rate": _OUTGOING,
    "official_email_rate": _Page(
        "Xem danh sách viên chức",
        "organizations:unit_detail",
        permissions.VIEW_STAFF,
        _nothing,
        unit_in_path=True,
    ),
    "e_workplace_rate": _Page(
        "Xem nhật ký xử lý việc", "audit:audit_list", permissions.VIEW_AUDIT, _unit
    ),
    "task_on_time_rate": _Page("Xem kế hoạch", "plans:list", permissions.VIEW_PLANS, _nothing),
    "cchc_self_score": _Page(
        "Xem bản tự đánh giá", "kpi:assessment", permissions.VIEW_PLANS, _assessment
    ),
    "procedures_reviewed_count": _Page(
        "Xem các bản rà soát", "simplification:list", permissions.VIEW_DOSSIERS, _nothing
    ),
}


def records_for(user: AnyUser, code: str, unit: Unit | None, period: Period) -> Records | None:
    """The link to the records behind `code`'s figure for `unit`, if `user` may open it."""
    page = PAGES.get(code)
    if page is None or unit is None or not permissions.can(user, page.permission, unit):
        return None
    if permissions.acting_staff(user) is None:
        return None  # the lists work on one's own units: the system admin has none
    url = reverse(page.url_name, args=[unit.pk] if page.unit_in_path else [])
    query = page.query(unit, period)
    return Records(page.label, f"{url}?{urlencode(query)}" if query else url)
