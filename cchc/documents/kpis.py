"""E-office indicators, worded as the plan's targets 7, 8 and 9 are (issue 14, item 10).

* ``e_document_rate`` (target 7): non-secret documents exchanged with state agencies
  electronically ÷ all non-secret ones sent and received with state agencies. Incoming: the
  channel it arrived by. Outgoing: released with a signed PDF and delivered by e-mail at least
  once. Secret documents are out of both sides (they may not go electronically).
* ``digital_signature_rate`` (target 8, "viên chức sử dụng chữ ký số"): staff in post who made at
  least one personal digital signature in the period ÷ staff in post. Holding a certificate is
  not using it (the former placeholder counted holders).
* ``outgoing_signed_rate``: released non-secret outgoing documents signed digitally ÷ released
  non-secret outgoing documents, shown beside target 8.
* ``official_email_rate`` (target 9): staff in charge (any role beyond plain staff) whose address
  is in an official domain configured for their unit or a unit above it, and who sent official
  mail through the system in the period ÷ staff in charge.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cchc.accounts.models import Role
from cchc.documents.models import (
    Delivery,
    DeliveryStatus,
    IncomingDocument,
    OfficialMailDomain,
    OutgoingDocument,
    SignatureEvent,
    SignatureKind,
)
from cchc.documents.workflow import OutgoingStatus
from cchc.kpi.registry import Measure, PartsByUnit, Period, indicator, indicator_group
from cchc.organizations.models import Staff, Unit

SOURCE = "Kế hoạch CCHC 2026; Nghị định 30/2020/NĐ-CP"


def _bounds(period: Period) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(period.start, time.min, tzinfo=tz)
    return start, datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=tz)


@indicator(
    "e_document_rate",
    name="Tỷ lệ văn bản (trừ văn bản mật) trao đổi với cơ quan nhà nước dưới dạng điện tử",
    source=f"{SOURCE}, mục tiêu 7",
)
def e_document_rate(units: QuerySet[Unit], period: Period) -> Measure:
    start, end = _bounds(period)
    incoming = IncomingDocument.objects.filter(
        unit__in=units,
        secrecy="",
        from_state_agency=True,
        received_at__gte=start,
        received_at__lt=end,
    )
    sent = Delivery.objects.filter(outgoing=OuterRef("pk"), status=DeliveryStatus.SENT)
    outgoing = OutgoingDocument.objects.filter(
        unit__in=units,
        secrecy="",
        to_state_agency=True,
        status=OutgoingStatus.RELEASED,
        released_at__gte=start,
        released_at__lt=end,
    )
    electronic = (
        incoming.filter(channel="electronic").count()
        + outgoing.filter(Exists(sent), ~Q(signed_pdf="")).count()
    )
    return Measure(electronic, incoming.count() + outgoing.count())


@indicator(
    "digital_signature_rate",
    name="Tỷ lệ viên chức sử dụng chữ ký số trong thực hiện nhiệm vụ",
    source=f"{SOURCE}, mục tiêu 8",
)
def digital_signature_rate(units: QuerySet[Unit], period: Period) -> Measure:
    start, end = _bounds(period)
    signed = SignatureEvent.objects.filter(
        staff=OuterRef("pk"), kind=SignatureKind.PERSONAL, signed_at__gte=start, signed_at__lt=end
    )
    in_post = Staff.objects.filter(unit__in=units, is_active=True)
    return Measure(in_post.filter(Exists(signed)).count(), in_post.count())


@indicator(
    "outgoing_signed_rate",
    name="Tỷ lệ văn bản đi được ký số",
    source=f"{SOURCE}, mục tiêu 8",
)
def outgoing_signed_rate(units: QuerySet[Unit], period: Period) -> Measure:
    start, end = _bounds(period)
    released = OutgoingDocument.objects.filter(
        unit__in=units,
        secrecy="",
        status=OutgoingStatus.RELEASED,
        released_at__gte=start,
        released_at__lt=end,
    )
    return Measure(released.exclude(signed_pdf="").count(), released.count())


def _domains_by_unit(units: QuerySet[Unit]) -> dict[int, set[str]]:
    """Official domains of each unit, inherited from the units above it (e.g. the city)."""
    rows = list(OfficialMailDomain.objects.values_list("unit_id", "domain"))
    own: dict[int, set[str]] = {}
    for unit_id, domain in rows:
        own.setdefault(unit_id, set()).add(domain.lower().lstrip("@."))
    result: dict[int, set[str]] = {}
    for unit in units.select_related("parent"):
        domains: set[str] = set()
        node: Unit | None = unit
        while node is not None:
            domains |= own.get(node.pk, set())
            node = node.parent
        result[unit.pk] = domains
    return result


def official_address(email: str, domains: set[str]) -> bool:
    host = email.rsplit("@", 1)[-1].lower() if "@" in email else ""
    return any(host == d or host.endswith("." + d) for d in domains)


@indicator(
    "official_email_rate",
    name="Tỷ lệ viên chức phụ trách sử dụng hệ thống thư điện tử công vụ",
    source=f"{SOURCE}, mục tiêu 9",
)
def official_email_rate(units: QuerySet[Unit], period: Period) -> Measure:
    start, end = _bounds(period)
    rows, domains = _in_charge(units, start, end)
    used = sum(
        1 for unit_id, email, did in rows if did and official_address(email, domains[unit_id])
    )
    return Measure(used, len(rows))


def _in_charge(
    units: QuerySet[Unit], start: datetime, end: datetime
) -> tuple[list[tuple[int, str, bool]], dict[int, set[str]]]:
    """Staff in charge of `units` as (unit id, address, sent official mail in [start, end)),
    and the official domains of each unit."""
    sent = Delivery.objects.filter(
        sent_by=OuterRef("pk"), status=DeliveryStatus.SENT, sent_at__gte=start, sent_at__lt=end
    )
    in_charge = (
        Staff.objects.filter(
            unit__in=units,
            is_active=True,
            role_assignments__role__in=[r for r in Role.values if r != Role.STAFF],
        )
        .distinct()
        .annotate(used=Exists(sent))
        .values_list("unit_id", "email", "used")
    )
    return list(in_charge), _domains_by_unit(units)


DOCUMENT_CODES = (
    "e_document_rate",
    "digital_signature_rate",
    "outgoing_signed_rate",
    "official_email_rate",
)


@indicator_group(*DOCUMENT_CODES, empty=lambda: dict.fromkeys(DOCUMENT_CODES, Measure()))
def documents_group(units: QuerySet[Unit], period: Period) -> PartsByUnit:
    """The four e-office indicators of each unit in five grouped queries for all the units (the
    same filters as each indicator's own function above, counted per unit)."""
    start, end = _bounds(period)
    found: dict[int, dict[str, list[int]]] = {}

    def add(unit_id: int, code: str, n: int, d: int) -> None:
        parts = found.setdefault(unit_id, {c: [0, 0] for c in DOCUMENT_CODES})[code]
        parts[0] += n
        parts[1] += d

    incoming = (
        IncomingDocument.objects.filter(
            unit__in=units,
            secrecy="",
            from_state_agency=True,
            received_at__gte=start,
            received_at__lt=end,
        )
        .order_by()
        .values("unit_id")
        .annotate(n=Count("id", filter=Q(channel="electronic")), d=Count("id"))
    )
    for row in incoming:
        add(row["unit_id"], "e_document_rate", row["n"], row["d"])
    sent = Delivery.objects.filter(outgoing=OuterRef("pk"), status=DeliveryStatus.SENT)
    signed_pdf = ~Q(signed_pdf="")
    to_state = Q(to_state_agency=True)
    outgoing = (
        OutgoingDocument.objects.filter(
            unit__in=units,
            secrecy="",
            status=OutgoingStatus.RELEASED,
            released_at__gte=start,
            released_at__lt=end,
        )
        .order_by()
        .values("unit_id")
        .annotate(
            e_n=Count("id", filter=to_state & Q(Exists(sent)) & signed_pdf),
            e_d=Count("id", filter=to_state),
            s_n=Count("id", filter=signed_pdf),
            s_d=Count("id"),
        )
    )
    for out_row in outgoing:
        add(out_row["unit_id"], "e_document_rate", out_row["e_n"], out_row["e_d"])
        add(out_row["unit_id"], "outgoing_signed_rate", out_row["s_n"], out_row["s_d"])
    signed = SignatureEvent.objects.filter(
        staff=OuterRef("pk"), kind=SignatureKind.PERSONAL, signed_at__gte=start, signed_at__lt=end
    )
    in_post = (
        Staff.objects.filter(unit__in=units, is_active=True)
        .order_by()
        .values("unit_id")
        .annotate(n=Count("id", filter=Q(Exists(signed))), d=Count("id"))
    )
    for row in in_post:
        add(row["unit_id"], "digital_signature_rate", row["n"], row["d"])
    rows, domains = _in_charge(units, start, end)
    for unit_id, email, did in rows:
        add(
            unit_id,
            "official_email_rate",
            int(did and official_address(email, domains[unit_id])),
            1,
        )
    return {
        unit_id: {code: Measure(n, d) for code, (n, d) in parts.items()}
        for unit_id, parts in found.items()
    }
