"""The citizen's address (domain.md 1.4, 1.5: the receipt, the supplement request and the
apology letter go to him): asked at the counter and online, kept normalised, refused with a
Vietnamese 422 when malformed, shown and printed only to those who may see the school's personal
data, corrected later by the desk (audited without the address itself), and needed before the
apology letter may be recorded as posted."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.dossiers import exports
from cchc.dossiers.models import Dossier
from cchc.dossiers.tests.factories import receive_dossier
from cchc.dossiers.tests.paper_reading import require_tools, run_tool
from tests.fixtures import client_for

ADDRESS = "Số 27, tổ 4, ấp 3, xã Bình Hưng, Thành phố Hồ Chí Minh"


def _intake(transfer, **extra: str) -> dict:
    return {
        "procedure": transfer.pk,
        "applicant_name": "Trần Thị Bích",
        "applicant_phone": "0912345678",
        "channel": "in_person",
        "documents": [d["name"] for d in transfer.documents],
        "outcome": "receive",
        **extra,
    }


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "paper.pdf"
    path.write_bytes(data)
    return " ".join(run_tool("pdftotext", str(path), "-").split())


def _body(response) -> bytes:
    streamed = getattr(response, "streaming_content", None)
    return b"".join(streamed) if streamed is not None else response.content


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
def test_the_counter_asks_for_the_address_and_keeps_it_on_one_line(clerk, transfer) -> None:
    client = client_for(clerk)
    page = client.get(reverse("dossiers:intake")).content.decode()
    assert "Địa chỉ liên hệ của người nộp" in page
    assert "văn bản xin lỗi gửi qua bưu điện" in page  # the help says why it is asked

    typed = "  Số 27, tổ 4,\r\n  ấp 3,   xã Bình Hưng, Thành phố Hồ Chí Minh "
    response = client.post(reverse("dossiers:intake"), _intake(transfer, applicant_address=typed))
    assert response.status_code == 302, response.context["form"].errors
    assert Dossier.objects.get().applicant_address == ADDRESS
    # Optional, as on the paper form.
    response = client.post(reverse("dossiers:intake"), _intake(transfer))
    assert response.status_code == 302
    assert Dossier.objects.filter(applicant_address="").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "status", "message"),
    [
        # A NUL is refused before any view by the one guard of the site (cchc.core.middleware,
        # 400 with its Vietnamese page); the forms and the service refuse it too (422).
        ("Số 1\x00 ấp 2", 400, "ký tự điều khiển không hợp lệ (ví dụ ký tự NUL)"),
        ("Số 1 " + "ấp 2 " * 80, 422, "Địa chỉ quá dài (tối đa 300 ký tự)."),
    ],
)
def test_a_malformed_address_is_refused_in_vietnamese_and_nothing_is_kept(
    clerk, transfer, citizen, typed, status, message
) -> None:
    counter = client_for(clerk).post(
        reverse("dossiers:intake"), _intake(transfer, applicant_address=typed)
    )
    transfer.channels = ["in_person", "online"]
    transfer.save()
    files = {
        f"file_{i}": SimpleUploadedFile(f"giay-{i}.pdf", b"%PDF-1.4 test", "application/pdf")
        for i, _ in enumerate(transfer.documents)
    }
    online = citizen.post(
        reverse("portal:submit", args=[transfer.pk]),
        {"applicant_name": "Lê Thị Hoa", "applicant_phone": "0911222333",
         "applicant_address": typed, **files},
    )  # fmt: skip
    for response in (counter, online):
        assert response.status_code == status
        assert message in response.content.decode()
    assert not Dossier.objects.exists()


def test_the_forms_and_the_service_refuse_a_nul_in_vietnamese_too() -> None:
    """Behind the middleware (a direct call, an import): never Django's English message."""
    from django.core.exceptions import ValidationError

    from cchc.dossiers.forms import OnlineSubmissionForm
    from cchc.dossiers.models import Procedure
    from cchc.dossiers.services import clean_address

    form = OnlineSubmissionForm(
        {"applicant_name": "Lê Thị Hoa", "applicant_address": "ấp\x002"},
        procedure=Procedure(documents=[]),
    )
    assert not form.is_valid()
    assert form.errors["applicant_address"] == [
        "Dữ liệu chứa ký tự không hợp lệ (ký tự NUL); hãy nhập lại."
    ]
    with pytest.raises(ValidationError, match="ký tự không hợp lệ"):
        clean_address("ấp\x002")
    assert clean_address("  Số 1,\n  ấp 2 ") == "Số 1, ấp 2"


@pytest.mark.django_db
def test_the_online_form_asks_for_the_address_and_keeps_it(transfer, citizen) -> None:
    transfer.channels = ["in_person", "online"]
    transfer.save()
    url = reverse("portal:submit", args=[transfer.pk])
    form = citizen.get(url).content.decode()
    assert "Địa chỉ liên hệ của người nộp" in form
    assert "hãy ghi nếu muốn nhận giấy tờ, văn bản của đơn vị qua bưu điện" in form
    files = {
        f"file_{i}": SimpleUploadedFile(f"giay-{i}.pdf", b"%PDF-1.4 test", "application/pdf")
        for i, _ in enumerate(transfer.documents)
    }
    response = citizen.post(
        url,
        {"applicant_name": "Lê Thị Hoa", "applicant_phone": "0911222333",
         "applicant_address": f" {ADDRESS}\n", **files},
    )  # fmt: skip
    assert response.status_code == 302
    assert Dossier.objects.get().applicant_address == ADDRESS


@pytest.mark.django_db
def test_the_address_reaches_the_desk_and_its_papers_never_the_commune_or_the_public(
    clerk, commune_officer, transfer, tmp_path
) -> None:
    """The dossier page and Mẫu 01 show it to the school (who may see the phone); the commune's
    oversight reads the same page and receipt without it; the public look-up never has it."""
    require_tools()
    applicant = {"applicant_name": "Nguyễn Văn An", "applicant_phone": "0912345678",
                 "applicant_address": ADDRESS}  # fmt: skip
    dossier = receive_dossier(clerk, transfer, applicant=applicant)
    page_url = reverse("dossiers:detail", args=[dossier.pk])
    receipt_url = reverse("dossiers:paper", args=[dossier.pk, "tiep-nhan", "pdf"])

    desk = client_for(clerk)
    assert ADDRESS in desk.get(page_url).content.decode()
    receipt = desk.get(receipt_url)
    assert receipt.status_code == 200
    assert f"Địa chỉ: {ADDRESS}" in _pdf_text(_body(receipt), tmp_path)

    oversight = client_for(commune_officer)
    page = oversight.get(page_url)
    assert page.status_code == 200
    assert "xã Bình Hưng" not in page.content.decode()
    assert 'id="applicant-address"' not in page.content.decode()
    copy = oversight.get(receipt_url)
    assert copy.status_code == 200
    text = _pdf_text(_body(copy), tmp_path)
    assert "Nguyễn Văn An" in text  # the same receipt ...
    assert "xã Bình Hưng" not in text  # ... without the address

    lookup = reverse("portal:lookup_code", args=[dossier.code])
    for query in ("", "?phone_last4=5678"):
        public = Client().get(lookup + query)
        assert public.status_code == 200
        assert "xã Bình Hưng" not in public.content.decode()


@pytest.mark.django_db
def test_the_desk_corrects_the_address_audited_without_the_address_itself(
    clerk, commune_officer, transfer
) -> None:
    dossier = receive_dossier(clerk, transfer)  # "12 Lê Lợi" from the counter
    url = reverse("dossiers:act", args=[dossier.pk])
    page = client_for(clerk).get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert "Sửa địa chỉ người nộp" in page
    assert 'value="12 Lê Lợi"' in page  # opened with the address kept

    def post(staff, address: str, version: int) -> int:
        data = {"action": "applicant_address", "address": address, "version": version}
        return client_for(staff).post(url, data).status_code

    assert post(commune_officer, ADDRESS, dossier.version) == 403
    assert post(clerk, "Số 1\x00", dossier.version) == 400  # the site's one guard
    assert post(clerk, "x" * 301, dossier.version) == 422
    dossier.refresh_from_db()
    assert dossier.applicant_address == "12 Lê Lợi"
    assert not AuditEvent.objects.filter(verb="dossier.applicant_address").exists()

    assert post(clerk, f"  {ADDRESS} ", dossier.version) == 302
    assert post(clerk, "Số 9 ấp 1", dossier.version) == 409  # opened before the change
    dossier.refresh_from_db()
    assert dossier.applicant_address == ADDRESS
    [event] = AuditEvent.objects.filter(verb="dossier.applicant_address")
    assert event.before["applicant_address"] == "đã ghi"
    assert "Bình Hưng" not in str(event.before) + str(event.after)  # the log is the commune's


@pytest.mark.django_db
def test_the_tracking_book_writes_the_address_as_text_for_the_school_only(clerk, transfer) -> None:
    from openpyxl import load_workbook

    forged = '=HYPERLINK("http://x.example","ấp 3")'
    applicant = {"applicant_name": "Nguyễn Văn An", "applicant_phone": "0912345678",
                 "applicant_address": forged}  # fmt: skip
    dossier = receive_dossier(clerk, transfer, applicant=applicant)
    book = Dossier.objects.filter(pk=dossier.pk)
    for show_personal in (True, False):
        xlsx, _, _ = exports.tracking_book(book, "xlsx", dossier.unit, show_personal=show_personal)
        cells = [c for r in load_workbook(BytesIO(xlsx)).active.iter_rows() for c in r]
        contact = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
        if show_personal:
            [cell] = contact
            assert cell.data_type == "s"
            assert cell.value == f"{forged}, 0912345678"
        else:
            assert contact == []


@pytest.mark.django_db
def test_every_demo_dossier_has_an_address_in_the_schools_commune() -> None:
    from cchc.dossiers import demo as dossiers_demo
    from cchc.organizations.demo import seed_base
    from cchc.organizations.models import Unit

    seed_base()
    dossiers_demo.seed_demo_data(dossiers=25)
    school = Unit.objects.get(code=dossiers_demo.SCHOOL_CODE)
    addresses = list(
        Dossier.objects.filter(unit=school)
        .order_by("received_at", "pk")
        .values_list("applicant_address", flat=True)
    )
    assert len(addresses) >= 10
    for address in addresses:
        assert address.startswith("Số ")
        assert address.endswith(", ấp " + address.split(", ấp ")[1])
        assert address.endswith("xã Bình Hưng, Thành phố Hồ Chí Minh")
    assert len(set(addresses)) > len(addresses) // 2  # varied house numbers and hamlets
    # Seeded: the same addresses, in reception order, on every run.
    again = dossiers_demo.address_maker(school, 2026)
    assert addresses == [again() for _ in addresses]


@pytest.mark.django_db
def test_a_closed_dossier_keeps_the_correction_only_for_a_letter_still_to_post(
    clerk, transfer
) -> None:
    """An ended dossier has nothing left to do (its action panel stays empty), unless its
    apology letter has still to be handed over or posted: posting it needs the address."""
    from datetime import timedelta

    from django.utils import timezone

    from cchc.dossiers.models import Apology
    from cchc.dossiers.workflow import ACTIONS, DossierStatus, refusal

    dossier = receive_dossier(clerk, transfer)
    action = ACTIONS["applicant_address"]

    def allowed() -> bool:
        fresh = Dossier.objects.get(pk=dossier.pk)
        return refusal(clerk.user, fresh, action) is None

    assert allowed()  # open
    Dossier.objects.filter(pk=dossier.pk).update(status=DossierStatus.RETURNED)
    assert not allowed()  # ended, no letter
    now = timezone.now()
    apology = Apology.objects.create(
        dossier=dossier,
        reason="Chậm",
        original_due_at=now,
        new_due_at=now + timedelta(days=2),
        signer_name="Nguyễn Thị Thanh Trang",
    )
    assert allowed()  # the letter has still to go out
    Apology.objects.filter(pk=apology.pk).update(handed_over_at=now, handed_over_how="in_person")
    assert not allowed()
