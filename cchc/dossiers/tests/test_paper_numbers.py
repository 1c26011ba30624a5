"""The supplement request (Mẫu 02) and the refusal (Mẫu 03) are numbered when issued: a running
sequence per unit, per year and per form ("Số: 01/PBS-…", "Số: 01/PTC-…"; domain-2025.md 4,
domain.md 6.3), printed on the unsigned and the signed paper and kept when downloaded again;
two clerks issuing at once never share a number, and a race on the database's constraint
answers 409 with nothing written."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from cchc.core.conflicts import Conflict
from cchc.core.timezones import VN
from cchc.documents.tests import pki
from cchc.documents.tests.conftest import ca as ca
from cchc.dossiers import procedures, services
from cchc.dossiers.models import Dossier, DossierPause, PaperNumber
from cchc.dossiers.tests.factories import at, frozen_at, receive_dossier
from cchc.dossiers.tests.paper_reading import docx_text, require_tools, run_tool
from cchc.dossiers.workflow import DossierStatus
from tests.fixtures import client_for

S = DossierStatus


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PDF_STORE_DIR = str(tmp_path / "papers")


def _numbers(form: str, year: int = 2026) -> list[tuple[str, int]]:
    return list(
        PaperNumber.objects.filter(form=form, year=year)
        .order_by("number")
        .values_list("dossier__code", "number")
    )


def _paper(staff, dossier: Dossier, kind: str, fmt: str) -> bytes:
    response = client_for(staff).get(reverse("dossiers:paper", args=[dossier.pk, kind, fmt]))
    assert response.status_code == 200, response.content[:300]
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)
    return response.content


def _pdf_text(data: bytes, tmp_path, name: str = "paper.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return " ".join(run_tool("pdftotext", str(path), "-").split())


def _counter_post(transfer, outcome: str, **extra) -> dict:
    return {
        "procedure": transfer.pk,
        "applicant_name": "Trần Thị Bích",
        "applicant_phone": "0912345678",
        "channel": "in_person",
        "documents": [transfer.documents[0]["name"]],
        "outcome": outcome,
        **extra,
    }


@pytest.mark.django_db
def test_each_form_runs_its_own_sequence_per_unit_and_year_in_issue_order(
    school, other_school, clerk, principal, outsider, transfer
) -> None:
    symbol = school.symbol
    first = receive_dossier(clerk, transfer, at(2026, 12, 1, 8, 0))
    with frozen_at(at(2026, 12, 1, 9, 0)):  # Mẫu 02 on the dossier page: 01
        services.dossier_request_supplement(
            actor=clerk.user, dossier=first, items=["Học bạ"], reason="Thiếu học bạ"
        )
    with frozen_at(at(2026, 12, 1, 10, 0)):  # at the counter: Mẫu 02 02, then Mẫu 03 01
        client = client_for(clerk)
        assert (
            client.post(reverse("dossiers:intake"), _counter_post(transfer, "guidance")).status_code
            == 302
        )
        refused = client.post(
            reverse("dossiers:intake"),
            _counter_post(transfer, "refuse", counter_reason="Học sinh không thuộc địa bàn"),
        )
        assert refused.status_code == 302
    with frozen_at(at(2026, 12, 2, 9, 0)):  # refused after appraisal: Mẫu 03 02
        first = services.dossier_supplement_received(actor=clerk.user, dossier=first)
        services.dossier_decide(
            actor=principal.user, dossier=first, granted=False, note="Lớp 7 đã đủ sĩ số"
        )
    guided = Dossier.objects.get(status=S.SUPPLEMENT)
    counter_refused = Dossier.objects.get(status=S.REJECTED)
    assert _numbers("02") == [(first.code, 1), (guided.code, 2)]
    assert _numbers("03") == [(counter_refused.code, 1), (first.code, 2)]

    # Another school runs its own sequences; a new year starts again at 01.
    other_transfer = next(
        p
        for p in procedures.procedure_seed_defaults(actor=outsider.user, unit=other_school)
        if p.name.startswith("Chuyển trường")
    )
    elsewhere = receive_dossier(outsider, other_transfer, at(2026, 12, 3, 8, 0))
    next_year = receive_dossier(clerk, transfer, at(2027, 1, 5, 8, 0))
    with frozen_at(at(2026, 12, 3, 9, 0)):
        services.dossier_request_supplement(
            actor=outsider.user, dossier=elsewhere, items=["Học bạ"], reason="Thiếu học bạ"
        )
    with frozen_at(at(2027, 1, 5, 9, 0)):
        services.dossier_request_supplement(
            actor=clerk.user, dossier=next_year, items=["Học bạ"], reason="Thiếu học bạ"
        )
    assert PaperNumber.objects.get(dossier=elsewhere).number == 1
    assert PaperNumber.objects.get(dossier=next_year).number == 1
    assert _numbers("02", 2027) == [(next_year.code, 1)]

    # Printed in box 3 with the form's code and the unit's symbol (the Word file; the PDFs are
    # read in the test below).
    guidance = docx_text(_paper(clerk, guided, "bo-sung", "docx"))
    assert f"Số: 02/PBS-{symbol}" in guidance
    assert clerk.full_name in guidance  # the counter's officer, who signs it
    at_counter = docx_text(_paper(clerk, counter_refused, "tu-choi", "docx"))
    assert f"Số: 01/PTC-{symbol}" in at_counter
    assert clerk.full_name in at_counter
    page = client_for(clerk).get(reverse("dossiers:detail", args=[counter_refused.pk]))
    # Named as the signer (she has no certificate here), not "không rõ cán bộ tiếp nhận".
    assert f"Chưa ký số: {clerk.full_name} chưa có chứng thư số" in page.content.decode()
    assert f"Số: 02/PTC-{symbol}" in docx_text(_paper(principal, first, "tu-choi", "docx"))
    assert f"Số: 01/PBS-{symbol}" in docx_text(_paper(clerk, first, "bo-sung", "docx"))

    # The database allows a number once per unit, year and form.
    with pytest.raises(IntegrityError), transaction.atomic():
        PaperNumber.objects.create(
            unit=school, form="02", year=2026, number=1, dossier=guided, subject="x",
            issued_at=at(2026, 12, 4, 9, 0),
        )  # fmt: skip


@pytest.mark.django_db
def test_the_number_is_on_the_unsigned_and_the_signed_pdf_and_stays_on_download(
    school, clerk, principal, transfer, ca, tmp_path
) -> None:
    require_tools()
    record = pki.p12_record(ca, clerk.full_name, starts=at(2026, 11, 1), days=3650)
    record.unit, record.staff = school, clerk
    record.save()
    symbol = school.symbol
    earlier = receive_dossier(clerk, transfer, at(2026, 12, 1, 8, 0))
    dossier = receive_dossier(clerk, transfer, at(2026, 12, 1, 8, 30))
    with frozen_at(at(2026, 12, 1, 9, 0)):
        services.dossier_request_supplement(
            actor=clerk.user, dossier=earlier, items=["Học bạ"], reason="Thiếu học bạ"
        )
        dossier = services.dossier_request_supplement(
            actor=clerk.user, dossier=dossier, items=["Giấy khai sinh"], reason="Thiếu bản sao"
        )

    unsigned = _pdf_text(_paper(clerk, dossier, "bo-sung", "pdf"), tmp_path)
    assert f"Số: 02/PBS-{symbol}" in unsigned
    assert "Số: /" not in unsigned
    # Downloaded again (the stored PDF), and after a later request has taken the next number.
    later = receive_dossier(clerk, transfer, at(2026, 12, 1, 9, 30))
    with frozen_at(at(2026, 12, 1, 10, 0)):
        services.dossier_request_supplement(
            actor=clerk.user, dossier=later, items=["Học bạ"], reason="Thiếu học bạ"
        )
    assert f"Số: 02/PBS-{symbol}" in _pdf_text(_paper(clerk, dossier, "bo-sung", "pdf"), tmp_path)

    with frozen_at(at(2026, 12, 2, 9, 5)):  # signed the next day: the same number
        sign_url = reverse("dossiers:paper_sign", args=[dossier.pk, "bo-sung"])
        assert client_for(clerk).post(sign_url, {"pin": pki.PIN}).status_code == 302
    signed = _pdf_text(_paper(clerk, dossier, "bo-sung", "pdf"), tmp_path, "signed.pdf")
    assert f"Số: 02/PBS-{symbol}" in signed
    assert "ngày 01 tháng 12 năm 2026" in signed

    # The refusal after appraisal (the first Mẫu 03 of the year): numbered on its PDF, and on
    # the one the receiving clerk it names signs.
    with frozen_at(at(2026, 12, 2, 10, 0)):
        earlier = services.dossier_supplement_received(actor=clerk.user, dossier=earlier)
        services.dossier_decide(
            actor=principal.user, dossier=earlier, granted=False, note="Lớp 7 đã đủ sĩ số"
        )
        refusal = _pdf_text(_paper(clerk, earlier, "tu-choi", "pdf"), tmp_path)
    assert f"Số: 01/PTC-{symbol}" in refusal
    assert "Lớp 7 đã đủ sĩ số" in refusal
    with frozen_at(at(2026, 12, 2, 10, 5)):
        sign_url = reverse("dossiers:paper_sign", args=[earlier.pk, "tu-choi"])
        assert client_for(clerk).post(sign_url, {"pin": pki.PIN}).status_code == 302
    signed = _pdf_text(_paper(clerk, earlier, "tu-choi", "pdf"), tmp_path, "signed-03.pdf")
    assert f"Số: 01/PTC-{symbol}" in signed


@pytest.mark.django_db(transaction=True)
def test_two_clerks_issuing_at_once_get_distinct_numbers(clerk, school, transfer) -> None:
    dossiers = [receive_dossier(clerk, transfer, None) for _ in range(4)]
    barrier = threading.Barrier(len(dossiers))
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def worker(dossier: Dossier) -> None:
        try:
            barrier.wait()
            services.dossier_request_supplement(
                actor=clerk.user, dossier=dossier, items=["Học bạ"], reason="Thiếu học bạ"
            )
            outcomes.append("ok")
        except Conflict:  # allowed: a 409, never a duplicate
            outcomes.append("409")
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(d,)) for d in dossiers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = list(PaperNumber.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == outcomes.count("ok")
    assert sorted(numbers) == list(range(1, len(numbers) + 1))
    # Every request issued has its number, and none without one.
    assert DossierPause.objects.count() == len(numbers)


@pytest.mark.django_db(transaction=True)
def test_a_race_on_the_constraint_answers_409_and_writes_nothing(clerk, school, transfer) -> None:
    """A number taken by a concurrent transaction not yet committed (written past the counter)
    is only caught by the unique constraint: the clerk gets 409 and a message, nothing of the
    request is written, and trying again gives the next number."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer at a time: the race needs PostgreSQL (CI runs it)")
    dossier = receive_dossier(clerk, transfer, None)
    other = receive_dossier(clerk, transfer, None)
    holding, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def squatter() -> None:
        try:
            with transaction.atomic():
                now = timezone.now()
                PaperNumber.objects.create(
                    unit=school, form="02", year=now.astimezone(VN).year, number=1,
                    dossier=other, subject="pause:0", issued_at=now,
                )  # fmt: skip
                holding.set()
                release.wait(10)
                # Commit only once the clerk's insert of the same number waits on the index.
                with connection.cursor() as cursor:
                    for _ in range(200):
                        cursor.execute(
                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                            " AND datname = current_database()"
                        )
                        if cursor.fetchone()[0]:
                            break
                        time.sleep(0.05)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=squatter)
    thread.start()
    assert holding.wait(10)
    release.set()
    response = client_for(clerk).post(
        reverse("dossiers:act", args=[dossier.pk]),
        {"action": "supplement", "version": dossier.version, "items": "Học bạ", "reason": "Thiếu"},
    )
    thread.join()
    assert PaperNumber.objects.get(dossier=other).number == 1  # the squatter's, committed

    assert errors == []
    assert response.status_code == 409
    assert "Số phiếu vừa được cấp cho phiếu khác cùng lúc" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status != S.SUPPLEMENT
    assert not dossier.pauses.exists()
    again = client_for(clerk).post(
        reverse("dossiers:act", args=[dossier.pk]),
        {"action": "supplement", "version": dossier.version, "items": "Học bạ", "reason": "Thiếu"},
    )
    assert again.status_code == 302
    assert PaperNumber.objects.get(dossier=dossier).number == 2
