"""Targets 7, 8, 9: what the words say, not what is easy to count."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from cchc.accounts.models import Role
from cchc.core.timezones import VN
from cchc.documents.models import (
    Delivery,
    IncomingDocument,
    OfficialMailDomain,
    OutgoingDocument,
    SignatureEvent,
    SigningCertificate,
)
from cchc.kpi.registry import Period, get, measure
from cchc.organizations.models import Unit
from cchc.plans.parsing import match_kpi
from tests.factories import StaffFactory

YEAR = Period.year(2026)
AT = datetime(2026, 3, 4, 9, 30, tzinfo=VN)


def _incoming(school, n: int, **kw) -> IncomingDocument:
    return IncomingDocument.objects.create(
        unit=school,
        year=2026,
        incoming_number=n,
        received_at=AT,
        author="UBND xã",
        reference=f"{n}/KH-UBND",
        reference_normalized=f"{n:02d}/KH-UBND",
        issued_on=date(2026, 3, 2),
        doc_type="Kế hoạch",
        summary="x",
        **kw,
    )


def _released(school, n: int, **kw) -> OutgoingDocument:
    return OutgoingDocument.objects.create(
        unit=school,
        status="released",
        doc_type="Kế hoạch",
        type_code="KH",
        summary="x",
        recipients="x",
        year=2026,
        number=n,
        symbol=f"{n:02d}/KH-X",
        issued_on=date(2026, 3, 4),
        released_at=AT,
        secret_sequence=bool(kw.get("secrecy")),
        **kw,
    )


@pytest.mark.django_db
def test_e_document_rate_counts_exchanges_and_excludes_secrets(school) -> None:
    units = Unit.objects.filter(pk=school.pk)
    _incoming(school, 1, channel="electronic")
    _incoming(school, 2, channel="paper")
    _incoming(school, 3, channel="paper", secrecy="mat")
    mailed = _released(school, 1, signed_pdf="documents/signed/a.pdf")
    Delivery.objects.create(
        outgoing=mailed, recipient="a@b.gov.vn", sender="s@x.edu.vn", status="sent", sent_at=AT
    )
    _released(school, 2, signed_pdf="documents/signed/b.pdf")  # signed but never delivered
    _released(school, 1, secrecy="mat")

    result = measure("e_document_rate", units, YEAR)
    assert (result.numerator, result.denominator) == (2, 4)
    assert measure("outgoing_signed_rate", units, YEAR).display() == "100% (2/2)"


@pytest.mark.django_db
def test_signature_rate_counts_signers_not_certificate_holders(school, principal, colleague, ca):
    from cchc.documents.tests import pki

    units = Unit.objects.filter(pk=school.pk)
    for person in (principal, colleague):
        cert = pki.p12_record(ca, person.full_name)
        cert.unit, cert.staff = school, person
        cert.save()
    assert measure("digital_signature_rate", units, YEAR).numerator == 0  # holding ≠ using
    SignatureEvent.objects.create(
        unit=school,
        staff=principal,
        kind="personal",
        purpose="x",
        certificate=SigningCertificate.objects.get(staff=principal),
        signed_at=AT,
    )
    SignatureEvent.objects.create(
        unit=school,
        staff=colleague,
        kind="personal",
        purpose="x",
        certificate=SigningCertificate.objects.get(staff=colleague),
        signed_at=datetime(2025, 12, 31, 16, 59, tzinfo=VN),
    )

    result = measure("digital_signature_rate", units, YEAR)
    assert (result.numerator, result.denominator) == (1, 2)
    assert "sử dụng chữ ký số" in get("digital_signature_rate").name


@pytest.mark.django_db
def test_official_email_rate_needs_official_domain_and_actual_use(
    commune, school, principal, clerk, colleague
) -> None:
    units = Unit.objects.filter(pk=school.pk)
    OfficialMailDomain.objects.create(unit=commune, domain="hanoi.gov.vn")  # inherited from above
    principal.email, clerk.email = "ntttrang@hanoi.gov.vn", "lttthuy@gmail.com"
    principal.save()
    clerk.save()
    vice = StaffFactory(unit=school, email="pho@c2.hanoi.gov.vn", roles=[Role.VICE_PRINCIPAL])
    doc = _released(school, 1)
    for n, person in enumerate((principal, clerk)):
        Delivery.objects.create(
            outgoing=doc,
            recipient=f"r{n}@x.gov.vn",
            sender="s@x.edu.vn",
            sent_by=person,
            status="sent",
            sent_at=AT,
        )

    result = measure("official_email_rate", units, YEAR)
    # principal: official domain and sent → counts; clerk sent from a gmail address on file → no;
    # vice principal: official address, sent nothing → no; colleague is not in charge.
    assert (result.numerator, result.denominator) == (1, 3)
    assert vice.pk != colleague.pk


@pytest.mark.parametrize(
    ("target", "code"),
    [
        ("100% văn bản (trừ văn bản mật) được trao đổi dưới dạng điện tử", "e_document_rate"),
        ("100% viên chức sử dụng chữ ký số trong thực hiện nhiệm vụ", "digital_signature_rate"),
        ("viên chức phụ trách bộ phận sử dụng hệ thống thư điện tử công vụ", "official_email_rate"),
    ],
)
def test_plan_targets_bind_to_these_indicators(target: str, code: str) -> None:
    assert match_kpi(target) == code
    assert get(code).compute.__module__ == "cchc.documents.kpis"
