"""`one_stop_paper_signed_rate`: forms 01–03 are signed only when the officer types his PIN, so
target 8 also needs the share of papers handed over that carry his digital signature. Every
receipt, supplement request and refusal issued in the period is counted; those signed through
`paper_signing.sign_paper` (pyHanko, the officer's certificate) are the numerator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cchc.documents.tests import pki
from cchc.documents.tests.conftest import ca as ca
from cchc.dossiers import paper_signing, services
from cchc.dossiers.kpis import PAPERS_SIGNED
from cchc.dossiers.tests.factories import at, frozen_at
from cchc.dossiers.tests.paper_reading import require_tools
from cchc.kpi import registry
from cchc.kpi.definitions import DEFINITIONS
from cchc.kpi.registry import Period
from cchc.organizations.models import Unit
from tests.fixtures import client_for


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PDF_STORE_DIR = str(tmp_path / "papers")


@pytest.fixture
def clerk_certificate(ca, school, clerk):
    record = pki.p12_record(ca, clerk.full_name, starts=at(2026, 11, 1), days=3650)
    record.unit, record.staff = school, clerk
    record.save()
    return record


def _receive(clerk, school, transfer, name: str, day: int):
    with frozen_at(at(2026, 11, day, 9, 0)):
        return services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={"applicant_name": name},
            provided_documents=[d["name"] for d in transfer.documents],
        )


def _rate(school, period: Period) -> str:
    return registry.measure(PAPERS_SIGNED, Unit.objects.filter(pk=school.pk), period).display()


@pytest.mark.django_db
def test_papers_issued_unsigned_count_against_the_signed_ones(
    school, other_school, principal, clerk, transfer, clerk_certificate
) -> None:
    require_tools()
    signed = _receive(clerk, school, transfer, "Nguyễn Văn An", 30)
    _receive(clerk, school, transfer, "Trần Thị Bình", 30)  # its receipt handed over unsigned
    with frozen_at(at(2026, 11, 30, 10, 0)):
        services.dossier_counter_refusal(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={"applicant_name": "Lê Văn Cường"},
            provided_documents=[],
            reason="Hồ sơ không thuộc thẩm quyền giải quyết của trường.",
        )
    with frozen_at(at(2026, 11, 30, 9, 30)):
        paper_signing.sign_paper(actor=clerk.user, dossier=signed, kind="tiep-nhan", pin=pki.PIN)
    with frozen_at(at(2026, 12, 1, 9, 0)):
        services.dossier_request_supplement(
            actor=clerk.user, dossier=signed, items=["Học bạ"], reason="Thiếu học bạ"
        )

    # 2 receipts and 1 refusal in November, the supplement request in December.
    assert _rate(school, Period.parse("2026-11")) == "33,33% (1/3)"
    assert _rate(school, Period.year(2026)) == "25% (1/4)"
    with frozen_at(at(2026, 12, 1, 9, 10)):
        signed.refresh_from_db()
        paper_signing.sign_paper(actor=clerk.user, dossier=signed, kind="bo-sung", pin=pki.PIN)
    assert _rate(school, Period.year(2026)) == "50% (2/4)"
    assert _rate(school, Period.parse("2026-12")) == "100% (1/1)"
    # The commune's roll-up counts every unit in one grouped pass: the same figures.
    units = Unit.objects.filter(pk__in=[school.pk, other_school.pk])
    grouped = registry.measure_by_unit(
        [PAPERS_SIGNED, "dossier_online_rate"], units, Period.year(2026)
    )
    assert grouped[school.pk][PAPERS_SIGNED].display() == "50% (2/4)"
    assert not grouped[other_school.pk][PAPERS_SIGNED].is_measurable

    # Listed with the other indicators, with its definition.
    page = client_for(principal).get(reverse("kpi:unit") + "?ky=2026").content.decode()
    assert "Tỷ lệ giấy tờ một cửa (Mẫu 01, 02, 03) được ký số" in page
    assert DEFINITIONS[PAPERS_SIGNED] in page
