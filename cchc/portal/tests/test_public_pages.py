"""Issue 8 points 16-20 on the public pages (the browser parts are in test_public_browser.py)."""

from __future__ import annotations

import io
import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document

from cchc.dossiers import procedures, services
from cchc.dossiers.models import Dossier, Procedure
from tests.fixtures import client_for

APPLICANT = {"applicant_name": "Lê Thị Hoa", "applicant_phone": "0911 222 333"}


def files(procedure: Procedure) -> dict:
    return {
        f"file_{i}": SimpleUploadedFile(f"giay-{i}.pdf", b"%PDF-1.4 test", "application/pdf")
        for i, d in enumerate(procedure.documents)
        if d.get("required", True)
    }


@pytest.fixture
def online(transfer) -> Procedure:
    assert transfer.accepts_online
    return transfer


# ---------------------------------------------------------------- 16. submission


@pytest.mark.django_db
def test_submission_is_post_redirect_get_and_a_second_post_creates_nothing(
    school, online, citizen, smtp_server, django_capture_on_commit_callbacks
) -> None:
    url = reverse("portal:unit_submit", args=[school.code, online.pk])
    token = re.search(r'name="token" value="([^"]+)"', citizen.get(url).content.decode())[1]
    data = {**APPLICANT, "applicant_email": "hoa@nguoidan.example", "token": token}

    with django_capture_on_commit_callbacks(execute=True):
        first = citizen.post(url, {**data, **files(online)})
    again = citizen.post(url, {**data, **files(online)})  # the back button, a double click
    dossier = Dossier.objects.get()
    confirmation = citizen.get(first["Location"])
    reloaded = citizen.get(first["Location"])

    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert Dossier.objects.count() == 1
    body = confirmation.content.decode()
    assert reloaded.status_code == 200
    assert dossier.code in body
    assert "…2333" in body  # the phone hint
    assert 'id="expected-due"' in body
    assert reverse("portal:lookup_code", args=[dossier.code]) in body
    assert smtp_server.received.wait(5)
    assert smtp_server.envelopes[0][1] == ["hoa@nguoidan.example"]
    assert dossier.code in smtp_server.messages[0]["Subject"]


@pytest.mark.django_db
def test_the_confirmation_is_only_for_the_browser_that_submitted(school, online, citizen):
    url = reverse("portal:unit_submit", args=[school.code, online.pk])
    done = citizen.post(url, {**APPLICANT, **files(online)})

    assert Client().get(done["Location"]).status_code == 404


@pytest.mark.django_db
def test_rate_limit_counts_accepted_submissions_not_rejected_tries(school, online, citizen):
    url = reverse("portal:unit_submit", args=[school.code, online.pk])
    for _ in range(6):
        assert citizen.post(url, {"applicant_name": ""}).status_code == 422
    accepted = [citizen.post(url, {**APPLICANT, **files(online)}) for _ in range(5)]
    over = citizen.post(url, {**APPLICANT, **files(online)})

    assert [r.status_code for r in accepted] == [302] * 5
    assert over.status_code == 429
    assert 1 <= int(over["Retry-After"]) <= 60
    assert Dossier.objects.count() == 5


# ---------------------------------------------------------------- 17. each unit's catalogue


@pytest.mark.django_db
def test_each_unit_has_its_own_catalogue_and_submission(
    school, other_school, clerk, catalogue, citizen
) -> None:
    other = {p.name: p for p in procedures.procedure_seed_defaults(actor=None, unit=other_school)}
    theirs = next(p for n, p in other.items() if n.startswith("Chuyển trường"))
    ours = next(p for n, p in catalogue.items() if n.startswith("Chuyển trường"))

    home = citizen.get(reverse("portal:unit_home", args=[other_school.code])).content.decode()
    listing = citizen.get(reverse("portal:unit_procedures", args=[other_school.code]))
    wrong = citizen.get(reverse("portal:unit_submit", args=[other_school.code, ours.pk]))
    url = reverse("portal:unit_submit", args=[other_school.code, theirs.pk])
    citizen.post(url, {**APPLICANT, **files(theirs)})

    assert reverse("portal:unit_procedures", args=[other_school.code]) in home
    assert reverse("portal:unit_procedure_detail", args=[other_school.code, theirs.pk]) in (
        listing.content.decode()
    )
    assert wrong.status_code == 404  # another school's procedure is not theirs to receive
    assert Dossier.objects.get().unit == other_school


# ---------------------------------------------------------------- 18. search, forms, counter


@pytest.mark.django_db
def test_search_matches_the_papers_and_content(clerk, school, catalogue, citizen) -> None:
    readmission = next(p for n, p in catalogue.items() if n.startswith("Xin học lại"))
    record = procedures.procedure_record(readmission)
    record.update(time_limit_value="5", unconfirmed=[])
    procedures.procedure_upsert(actor=clerk.user, unit=school, record=record)
    url = reverse("portal:unit_procedures", args=[school.code])

    found = citizen.get(url, {"q": "hoc ba"}).content.decode()

    assert "Xin học lại" in found
    assert "Chuyển trường" not in found  # "ba" alone must not match every "bản"
    assert "Chuyển trường" in citizen.get(url, {"q": "giao duc ca nhan"}).content.decode()


@pytest.mark.django_db
def test_procedure_page_offers_blank_forms_address_and_hours(school, online, citizen) -> None:
    school.address, school.phone = "Ấp 4, xã Bình Hưng", "0283 123 4567"
    school.save()
    page = citizen.get(
        reverse("portal:unit_procedure_detail", args=[school.code, online.pk])
    ).content.decode()
    docx = citizen.get(reverse("portal:unit_blank_form", args=[school.code, online.pk, 0, "docx"]))
    pdf = citizen.get(reverse("portal:unit_blank_form", args=[school.code, online.pk, 0, "pdf"]))

    assert "Ấp 4, xã Bình Hưng" in page
    assert "07:30–11:30 và 13:00–17:00" in page
    assert 'id="blank-forms"' in page
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "ĐƠN ĐỀ NGHỊ CHUYỂN TRƯỜNG" in text
    assert "(Ký và ghi rõ họ tên)" in text
    assert pdf.content.startswith(b"%PDF")


# ---------------------------------------------------------------- 19. look-up


@pytest.fixture
def submitted(school, online) -> Dossier:
    return services.dossier_submit_online(unit=school, procedure=online, applicant=APPLICANT)


@pytest.mark.django_db
def test_lookup_accepts_inner_spaces_and_a_whole_phone_number(submitted, citizen) -> None:
    spaced = submitted.code.replace("-", " - ")  # as read aloud or copied from a slip
    response = citizen.get(
        reverse("portal:lookup"), {"code": spaced.lower(), "phone_last4": "0911 222 333"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Lê Thị Hoa" in body  # verified with the last 4 digits of the whole number


@pytest.mark.django_db
def test_lookup_says_when_the_digits_do_not_match(submitted, citizen) -> None:
    response = citizen.get(
        reverse("portal:lookup"), {"code": submitted.code, "phone_last4": "9999"}
    )

    body = response.content.decode()
    assert 'id="phone-mismatch"' in body
    assert "Lê Thị Hoa" not in body


@pytest.mark.django_db
def test_lookup_form_posts_so_the_phone_digits_stay_out_of_the_address(submitted) -> None:
    """The post only reads, so it needs no CSRF token or cookie: a citizen whose browser keeps
    no cookie (or who opened the page long ago) is answered, with CSRF checks enforced."""
    citizen = Client(enforce_csrf_checks=True)
    page = citizen.get(reverse("portal:lookup_code", args=[submitted.code]))
    form = re.search(r'<form method="(\w+)" action="([^"]+)"', page.content.decode())
    assert form is not None
    assert form.group(1) == "post"
    assert "csrfmiddlewaretoken" not in page.content.decode()
    assert not page.cookies

    response = citizen.post(form.group(2), {"code": submitted.code, "phone_last4": "2333"})

    assert response.status_code == 200
    assert "Lê Thị Hoa" in response.content.decode()
    assert "2333" not in response.request["PATH_INFO"] + response.request.get("QUERY_STRING", "")


@pytest.mark.django_db
def test_too_many_lookups_answer_429_with_retry_after(submitted, citizen, settings) -> None:
    settings.CCHC_PUBLIC_RATE_PER_MINUTE = 2
    for _ in range(2):
        citizen.get(reverse("portal:lookup"), {"code": "X"})

    response = citizen.get(reverse("portal:lookup"), {"code": "X"})

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    # QA: the page said "Bạn" where the look-up says "ông/bà", and led only to the home page.
    page = response.content.decode()
    assert "Ông/bà đã gửi quá nhiều yêu cầu" in page
    assert "Bạn " not in page
    assert '<a href="/tra-cuu/">Về trang tra cứu hồ sơ</a>' in page


# ---------------------------------------------------------------- 20. accessibility


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: Counter[str] = Counter()
        self.described: list[str] = []
        self.icons: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids[values["id"]] += 1
        if values.get("aria-describedby"):
            self.described += values["aria-describedby"].split()
        if tag == "link" and values.get("rel") == "icon":
            self.icons.append(values["href"])


def _parse(html: str) -> _Ids:
    parser = _Ids()
    parser.feed(html)
    return parser


@pytest.mark.django_db
def test_ids_are_unique_and_every_description_exists(
    school, online, clerk, principal, citizen
) -> None:
    dossier = services.dossier_receive(
        actor=clerk.user,
        unit=school,
        procedure=online,
        applicant=APPLICANT,
        provided_documents=[d["name"] for d in online.documents],
    )
    pages = [
        citizen.get(reverse("portal:unit_submit", args=[school.code, online.pk])),
        citizen.post(reverse("portal:unit_submit", args=[school.code, online.pk]), {}),
        client_for(principal).get(reverse("dossiers:detail", args=[dossier.pk])),
        client_for(clerk).get(reverse("dossiers:intake")),
        citizen.get(reverse("portal:lookup"), {"code": dossier.code, "phone_last4": "12"}),
    ]
    for response in pages:
        parsed = _parse(response.content.decode())
        duplicated = [i for i, n in parsed.ids.items() if n > 1]
        assert duplicated == [], response.wsgi_request.path
        missing = [i for i in parsed.described if i not in parsed.ids]
        assert missing == [], response.wsgi_request.path
        assert parsed.icons, "no favicon"
    from django.contrib.staticfiles import finders

    assert finders.find(parsed.icons[0].removeprefix("/static/"))  # served by the app
