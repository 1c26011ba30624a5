"""Reads of procedures and dossiers, scoped to the acting user; the public look-up view."""

from __future__ import annotations

import re
from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, overload

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cchc.accounts import permissions
from cchc.core.numbers import parse_id
from cchc.core.timezones import VN
from cchc.dossiers.catalogue import search_key
from cchc.dossiers.kpis import dossiers_handled, late_in_period
from cchc.dossiers.models import Dossier, DossierEvent, DossierPause, DossierQuerySet, Procedure
from cchc.dossiers.workflow import CLOCK_RUNNING, FINAL, HAS_RESULT, DossierStatus
from cchc.kpi.registry import Period
from cchc.organizations.models import Unit

if TYPE_CHECKING:
    from cchc.accounts.permissions import AnyUser


def procedures_current(unit: Unit, on: date | None = None) -> QuerySet[Procedure]:
    """The version of each procedure in force on `on` (today by default)."""
    on = on or timezone.localdate()
    return (
        Procedure.objects.filter(unit=unit, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .select_related("unit")
        .order_by("name")
    )


def procedures_for_filter(user: AnyUser, on: date | None = None) -> QuerySet[Procedure]:
    """The procedures in force of every unit whose dossiers `user` may read, for list filters:
    the unit's own, and for a commune officer those of every school below the commune."""
    on = on or timezone.localdate()
    return (
        permissions.scope_to_units(Procedure.objects.select_related("unit"), user)
        .filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("name", "unit__name")
    )


def _content_key(procedure: Procedure) -> str:
    """Everything a parent might search for, without diacritics: the name and code, the papers
    ("hoc ba"), the steps, who may apply, the result and the conditions."""
    parts = [
        procedure.search_text,
        procedure.name,
        procedure.code,
        procedure.field,
        procedure.target_users,
        procedure.result,
        procedure.conditions,
        *(str(step) for step in procedure.steps or []),
        *(str(d.get("name", "")) + " " + str(d.get("note", "")) for d in procedure.documents),
        *(str(form) for form in procedure.forms or []),
    ]
    return re.sub(r"[^\w]+", " ", search_key(" ".join(p for p in parts if p)))


def procedure_search(unit: Unit, query: str) -> list[Procedure]:
    """Public search, without diacritics, over the name and the content: "chuyen truong" finds
    "Chuyển trường", "hoc ba" every procedure that needs a school record. A unit publishes tens
    of procedures, so matching is done on the published list in Python."""
    words = re.sub(r"[^\w]+", " ", search_key(query)).split()
    procedures = procedures_current(unit).filter(is_published=True)
    # Whole words: "ba" must not find every "bản sao".
    return [p for p in procedures if set(words) <= set(_content_key(p).split())]


def dossier_list_for_user(
    *,
    user: AnyUser,
    status: str = "",
    procedure_id: str = "",
    query: str = "",
    received_from: date | None = None,
    received_to: date | None = None,
    late_only: bool = False,
    unit_id: int | None = None,
    without_apology: bool = False,
    period: Period | None = None,
) -> DossierQuerySet:
    """Dossiers the user may see; teachers only see those assigned to them.

    With `period`, only the dossiers the indicators count in it (received before its end, not
    ended before its start), and "late" is judged as they judge it (at the period's end, or
    now): the drill-down behind a figure lists exactly the dossiers it counts."""
    dossiers = Dossier.objects.select_related("procedure", "assignee", "unit", "apology")
    if permissions.can(user, permissions.VIEW_DOSSIERS):
        dossiers = permissions.scope_to_units(dossiers, user)
    else:
        staff = permissions.acting_staff(user)
        if staff is None:
            return Dossier.objects.none()
        dossiers = dossiers.filter(assignee=staff)
    if status:
        dossiers = dossiers.filter(status=status)
    procedure_pk = parse_id(procedure_id)
    if procedure_pk is not None:
        dossiers = dossiers.filter(procedure_id=procedure_pk)
    if query:
        dossiers = dossiers.filter(
            Q(code__icontains=query)
            | Q(applicant_name__icontains=query)
            | Q(subject__icontains=query)
        )
    if received_from:
        dossiers = dossiers.filter(received_at__date__gte=received_from)
    if received_to:
        dossiers = dossiers.filter(received_at__date__lte=received_to)
    if unit_id is not None:
        dossiers = dossiers.filter(unit_id=unit_id)
    if period is not None:
        counted = (late_in_period if late_only else dossiers_handled)(
            permissions.visible_units(user), period
        )
        dossiers = dossiers.filter(pk__in=counted.values("pk"))
    elif late_only:
        dossiers = dossiers.late()
    if without_apology:
        dossiers = dossiers.filter(apology__isnull=True)
    return dossiers


def queue_for_user(
    *,
    user: AnyUser,
    status: str = "",
    procedure_id: str = "",
    handler_id: str = "",
    unit_id: str = "",
) -> DossierQuerySet:
    """Open dossiers for the work queue: overdue ones on top, then the nearest due; dossiers
    without a due date (online ones not yet accepted) never come first."""
    dossiers = dossier_list_for_user(user=user, status=status, procedure_id=procedure_id)
    handler_pk, unit_pk = parse_id(handler_id), parse_id(unit_id)
    if handler_pk is not None:
        dossiers = dossiers.filter(assignee_id=handler_pk)
    if unit_pk is not None:
        dossiers = dossiers.filter(unit_id=unit_pk)
    return (
        dossiers.exclude(status__in=FINAL)
        .with_late_flag()
        .order_by(
            F("is_overdue").desc(),
            F("due_at").asc(nulls_last=True),
            "received_at",
            "submitted_at",
        )
    )


def late_without_apology(*, user: AnyUser) -> DossierQuerySet:
    """Open dossiers past their original due date with no apology: shown in red to the head."""
    return (
        dossier_list_for_user(user=user)
        .exclude(status__in=FINAL | HAS_RESULT)
        .late()
        .filter(apology__isnull=True)
        .order_by("due_at")
    )


def undated_for_user(*, user: AnyUser) -> DossierQuerySet:
    """Accepted, open dossiers without a due date, oldest receipt first (to be dated)."""
    return (
        dossier_list_for_user(user=user)
        .exclude(status__in=FINAL | HAS_RESULT)
        .filter(received_at__isnull=False, due_at__isnull=True)
        .order_by("received_at", "id")
    )


def dossier_get_for_user(*, user: AnyUser, pk: int) -> Dossier:
    dossier = dossier_list_for_user(user=user).filter(pk=pk).first()
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    return dossier


# ---------------------------------------------------------------- public look-up


def mask_name(name: str) -> str:
    """ "Nguyễn Văn An" -> "N*** V*** An": initials and the given name, nothing of the length.

    Every hidden word becomes its first letter and the same three stars, so the mask says
    nothing of how long the family or middle names are.
    """
    words = name.split()
    if len(words) <= 1:
        return (name[:1] + "***") if name else ""
    return " ".join([w[0] + "***" for w in words[:-1]] + [words[-1]])


@dataclass(frozen=True)
class PublicStep:
    at: datetime
    label: str
    note: str
    # A new appointment the clerk corrected later (`dossier_apology_revise`): the one now in
    # force. The step stays, marked, since the citizen may have been told its date already.
    replaced_by: datetime | None = None


@dataclass(frozen=True)
class PublicDossier:
    code: str
    procedure: str
    unit: str
    applicant: str
    status: str
    status_code: str
    submitted_at: datetime
    received_at: datetime | None
    due_at: datetime | None
    new_due_at: datetime | None
    result_at: datetime | None
    returned_at: datetime | None
    steps: list[PublicStep]
    supplement_items: list[str] | None  # only after the phone check
    supplement_reason: str | None
    phone_matched: bool | None = None  # None: no digits given; False: they do not match
    # The apology (Mẫu 04): "" none; "pending" its letter not yet released (a draft, or a draft
    # the head returned); "sent" released, or made before apologies became letters.
    apology: str = ""
    # The procedure's rule for a supplement (`SupplementRule`): how the due date comes back.
    supplement_rule: str = ""
    # Open, without a result, and past the due date / the apology's new date now (by the one
    # definition of late, `DossierQuerySet.with_measure`: instants, not days).
    past_due: bool = False
    past_new_due: bool = False
    # Has its result, later than the due date (the same definition: the result's instant past
    # the due instant), so the look-up says it was done late, as the tracking book does.
    done_late: bool = False


_LookupRow = namedtuple(
    "_LookupRow",
    "code status applicant_name applicant_phone submitted_at received_at due_at new_due_at "
    "result_at returned_at procedure_name unit_name event_at event_status event_note event_id "
    "apology_id apology_letter_id apology_released_at supplement_rule",
)

#: The look-up's step for a released apology letter (Decree 61 Art. 19(9): the apology is sent).
APOLOGY_SENT_STEP = "Đơn vị đã gửi văn bản xin lỗi"


@cache
def _lookup_sql() -> str:
    """The look-up's one statement, written once from the models' table and column names.

    Only the columns the page shows (and the phone, to check its last 4 digits): the dossier by
    its unique `code` index, the procedure's and unit's names by primary key, and its public
    steps through a LEFT JOIN on the events' `dossier_id` index, one row per step (put in order
    by `public_lookup_result`, so the statement can also run inside another, see
    `cchc.core.ratelimit.hit_and_read`). Written as
    SQL rather than an ORM query, whose compilation cost as much as the query and the page
    together (measured: ~2 ms of ~5 ms per look-up on SQLite).
    """
    quote = connection.ops.quote_name
    from cchc.documents.models import OutgoingDocument
    from cchc.dossiers.models import Apology

    d, p, u, e = (m._meta for m in (Dossier, Procedure, Unit, DossierEvent))
    a, o = Apology._meta, OutgoingDocument._meta

    def col(alias: str, meta: Any, name: str) -> str:
        return f"{alias}.{quote(meta.get_field(name).column)}"

    columns = [
        col("d", d, name)
        for name in (
            "code",
            "status",
            "applicant_name",
            "applicant_phone",
            "submitted_at",
            "received_at",
            "due_at",
            "new_due_at",
            "result_at",
            "returned_at",
        )
    ]
    # The unit's name in a scalar subquery: joined, PostgreSQL's planner built a hash of the
    # whole unit table for every look-up (a third of the statement's execution time with 100
    # units); as a subquery it reads the one row (pgbench: 0.157 → 0.135 ms per statement).
    columns += [
        col("p", p, "name"),
        f"(SELECT {col('u', u, 'name')} FROM {quote(u.db_table)} u"  # noqa: S608 - names are ours
        f" WHERE {col('u', u, 'id')} = {col('d', d, 'unit')})",
    ]
    columns += [col("e", e, "at"), col("e", e, "to_status"), col("e", e, "note"), col("e", e, "id")]
    columns += [col("a", a, "id"), col("a", a, "outgoing"), col("o", o, "released_at")]
    columns += [col("p", p, "supplement_rule")]
    return (
        f"SELECT {', '.join(columns)} FROM {quote(d.db_table)} d"  # noqa: S608 - names are ours
        f" JOIN {quote(p.db_table)} p ON {col('p', p, 'id')} = {col('d', d, 'procedure')}"
        f" LEFT JOIN {quote(e.db_table)} e ON {col('e', e, 'dossier')} = {col('d', d, 'id')}"
        f" AND {col('e', e, 'is_public')} = %s"
        # one apology per dossier and one letter per apology: still one row per step
        f" LEFT JOIN {quote(a.db_table)} a ON {col('a', a, 'dossier')} = {col('d', d, 'id')}"
        f" LEFT JOIN {quote(o.db_table)} o ON {col('o', o, 'id')} = {col('a', a, 'outgoing')}"
        f" WHERE {col('d', d, 'code')} = %s"
    )


@overload
def _aware(value: datetime) -> datetime: ...
@overload
def _aware(value: None) -> None: ...
def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive UTC datetimes to a plain cursor (the ORM would convert them)."""
    if value is not None and timezone.is_naive(value):
        return value.replace(tzinfo=UTC)
    return value


def public_lookup(code: str, *, phone_last4: str = "") -> PublicDossier | None:
    """What a citizen may see of a dossier by its code; details only with the phone's last 4.

    One indexed query whatever the code (issue 11 item 2, `_lookup_sql`). Nothing is cached, so
    a change is visible at once from every worker and host. A second query reads the latest
    supplement request only when the phone matched and the dossier waits for a supplement.
    """
    with connection.cursor() as cursor:
        cursor.execute(*public_lookup_query(code))
        rows = cursor.fetchall()
    return public_lookup_result(rows, phone_last4=phone_last4)


def public_lookup_query(code: str) -> tuple[str, list[Any]]:
    """`public_lookup`'s statement and parameters, for a caller that runs it itself (the public
    page counts its rate limit in the same round trip)."""
    return _lookup_sql(), [True, code.strip().upper()]


def public_lookup_result(
    found: Sequence[Sequence[Any]], *, phone_last4: str = "", now: datetime | None = None
) -> PublicDossier | None:
    """`public_lookup` from the rows of `public_lookup_query` (a row whose code is NULL, as an
    outer join gives for no dossier, is no row), as it stands at `now` (the clock's)."""
    rows = [_LookupRow(*row) for row in found if row[0] is not None]
    if not rows:
        return None
    if rows[0].event_at is not None:  # else the outer join's one row: no public step yet
        rows.sort(key=lambda row: (row.event_at, row.event_id))
    dossier = rows[0]
    verified = bool(
        phone_last4
        and len(dossier.applicant_phone) >= 4
        and dossier.applicant_phone[-4:] == phone_last4.strip()
    )
    pause = (
        DossierPause.objects.filter(dossier__code=dossier.code)
        .order_by("-started_at")
        .values("items", "reason")
        .first()
        if verified and dossier.status == DossierStatus.SUPPLEMENT
        else None
    )
    released = _aware(dossier.apology_released_at)
    if dossier.apology_id is None:
        apology = ""
    elif dossier.apology_letter_id is None or released is not None:
        apology = "sent"
    else:
        apology = "pending"
    new_due_at = _aware(dossier.new_due_at)
    superseded = _superseded_appointments(rows, new_due_at) if verified else set()
    steps = [
        PublicStep(
            _aware(row.event_at),
            DossierStatus(row.event_status).label,
            row.event_note if verified else "",
            new_due_at if row.event_id in superseded else None,
        )
        for row in rows
        if row.event_at is not None
    ]
    if released is not None:
        steps.append(PublicStep(released, APOLOGY_SENT_STEP, ""))
        steps.sort(key=lambda step: step.at)
    past_due, past_new_due = _past(dossier, new_due_at, now)
    return PublicDossier(
        code=dossier.code,
        procedure=dossier.procedure_name,
        unit=dossier.unit_name,
        applicant=dossier.applicant_name if verified else mask_name(dossier.applicant_name),
        status=DossierStatus(dossier.status).label,
        status_code=dossier.status,
        submitted_at=_aware(dossier.submitted_at),
        received_at=_aware(dossier.received_at),
        due_at=_aware(dossier.due_at),
        new_due_at=new_due_at,
        result_at=_aware(dossier.result_at),
        returned_at=_aware(dossier.returned_at),
        steps=steps,
        supplement_items=pause["items"] if pause else None,
        supplement_reason=pause["reason"] if pause else None,
        phone_matched=verified if phone_last4 else None,
        apology=apology,
        supplement_rule=dossier.supplement_rule,
        past_due=past_due,
        past_new_due=past_new_due,
        done_late=_done_late(dossier),
    )


#: The public steps that set an apology's new appointment (`services.dossier_apologize`, then
#: `dossier_apology_revise` for each correction): the date each one wrote, as it wrote it.
_APPOINTMENT_STEP = re.compile(
    r"Đơn vị (?:hẹn lại ngày trả kết quả|sửa lại ngày hẹn trả kết quả): "
    r"(\d{2}/\d{2}/\d{4} \d{2}:\d{2})"
)


def _superseded_appointments(rows: Sequence[Any], in_force: datetime | None) -> set[int]:
    """The steps (by event id, rows in order) that set a new appointment the clerk corrected
    since: every such step but the last, whose date is not the one in force. A correction that
    kept the date supersedes nothing the citizen was told."""
    if in_force is None:
        return set()
    local = in_force.astimezone(VN)
    current = f"{local:%d/%m/%Y %H:%M}"
    setting = [
        (row.event_id, match[1])
        for row in rows
        if row.event_at is not None and (match := _APPOINTMENT_STEP.match(row.event_note or ""))
    ]
    return {event_id for event_id, day in setting[:-1] if day != current}


#: `CLOCK_RUNNING` as plain text, as a row holds the status (no enum in the busiest path).
_RUNNING = frozenset(str(status) for status in CLOCK_RUNNING)


def _done_late(dossier: Any) -> bool:
    """Whether the dossier's result came after its due date: as `DossierQuerySet.with_measure`
    measures an ended dossier (its result's instant, else its return's, against the due
    instant; the apology's new date does not make it on time, domain.md 1.4)."""
    ended = dossier.result_at or dossier.returned_at
    if dossier.due_at is None or dossier.received_at is None or ended is None:
        return False
    return _aware(ended) > _aware(dossier.due_at)


def _past(dossier: Any, new_due_at: datetime | None, now: datetime | None) -> tuple[bool, bool]:
    """Whether the open dossier without a result is past its due date, and past the apology's
    new date, at `now` (the clock's when None): as `DossierQuerySet.with_measure` measures an
    open dossier whose clock runs (at `now`; one waiting for the citizen's papers is not running
    late), instant against instant, so the due moment's hour in Vietnam counts, not a server's
    calendar day."""
    if (
        dossier.due_at is None
        or dossier.status not in _RUNNING
        or dossier.received_at is None
        or dossier.result_at is not None
    ):
        return False, False
    now = now or timezone.now()
    return now > _aware(dossier.due_at), new_due_at is not None and now > new_due_at
