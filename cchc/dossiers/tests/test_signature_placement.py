"""The signer's image on the signed one-stop papers sits between "(Ký và ghi rõ họ tên)" and the
printed name, over no text (domain.md 6.2: "centred between the signer's title and name").

Read back from the signed PDFs themselves: the signature field's rectangle (where pyHanko draws
the image) against every word's box as poppler's `pdftotext -bbox` reads the page. The receipt
(Mẫu 01, the clerk's signature beside the QR codes) and the apology (Mẫu 04, the principal's,
with the seal) are the two papers the QA walk found overlapped."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from cchc.documents.signing import Box, _page_boxes
from cchc.documents.tests import pki
from cchc.documents.tests.conftest import ca as ca
from cchc.dossiers.models import Apology, Dossier
from cchc.dossiers.tests.factories import at, frozen_at
from cchc.dossiers.tests.paper_reading import require_tools
from cchc.dossiers.tests.test_apology_letters import _act, _apologize
from cchc.dossiers.tests.test_apology_letters import certificates as certificates
from cchc.dossiers.tests.test_paper_signatures import _download, _receive
from cchc.dossiers.tests.test_paper_signatures import clerk_certificate as clerk_certificate
from tests.fixtures import client_for

STAMP_LINES = ("Ký bởi: ", "Ngày ký: ")
SIGN_HERE = ["(Ký", "và", "ghi", "rõ", "họ", "tên)"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PDF_STORE_DIR = str(tmp_path / "papers")


def _signer_rect(pdf: bytes) -> tuple[int, Box]:
    """(page number, rectangle) of the signer's field, in pdftotext's top-down coordinates."""
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    for reference in reader.root["/AcroForm"]["/Fields"]:
        field = reference.get_object()
        if field.get("/T") != "ChuKyNguoiKy":
            continue
        page_id = field.raw_get("/P").idnum
        count = int(reader.root["/Pages"]["/Count"])
        index = next(
            i for i in range(count) if reader.find_page_for_modification(i)[0].idnum == page_id
        )
        height = float(field["/P"]["/MediaBox"][3])
        x0, y0, x1, y1 = (float(v) for v in field["/Rect"])
        return index + 1, (x0, height - y1, x1, height - y0)
    raise AssertionError("the PDF has no signer's signature field")


def _assert_between_note_and_name(pdf: bytes, name: str) -> None:
    page, (left, top, right, bottom) = _signer_rect(pdf)
    _height, words = _page_boxes(pdf, page)
    overlapping = [
        word
        for word, (x0, y0, x1, y1) in words
        if x0 < right
        and x1 > left
        and y0 < bottom
        and y1 > top
        and not word.startswith(STAMP_LINES)  # the field's own "Ký bởi: …", "Ngày ký: …"
    ]
    assert overlapping == []  # the image covers no printed word
    texts = [w for w, _ in words]
    first = name.split()[0]
    name_at = max(i for i, w in enumerate(texts) if w == first and texts[i : i + 4] == name.split())
    name_top = words[name_at][1][1]
    note_at = max(i for i in range(name_at) if texts[i : i + len(SIGN_HERE)] == SIGN_HERE)
    note_bottom = max(b[3] for _w, b in words[note_at : note_at + len(SIGN_HERE)])
    assert note_bottom <= top  # under "(Ký và ghi rõ họ tên)"
    assert bottom <= name_top  # above the name
    assert bottom - top >= 30  # room for a legible signature, not a sliver
    note_left = words[note_at][1][0]
    note_right = words[note_at + len(SIGN_HERE) - 1][1][2]
    assert left < (note_left + note_right) / 2 < right  # in the signer's column


@pytest.mark.django_db
def test_the_signers_image_sits_between_sign_here_and_the_name_on_receipt_and_apology(
    school, principal, clerk, transfer, clerk_certificate, certificates
) -> None:
    require_tools()
    dossier: Dossier = _receive(clerk, school, transfer)
    sign_url = reverse("dossiers:paper_sign", args=[dossier.pk, "tiep-nhan"])
    with frozen_at(at(2026, 11, 30, 9, 30)):
        assert client_for(clerk).post(sign_url, {"pin": pki.PIN}).status_code == 302
    _assert_between_note_and_name(_download(clerk, dossier, "tiep-nhan"), clerk.full_name)

    with frozen_at(at(2026, 12, 8, 9, 0)):
        assert _apologize(principal, dossier).status_code == 302
    doc = Apology.objects.get(dossier=dossier).outgoing
    assert doc is not None
    with frozen_at(at(2026, 12, 8, 10, 0)):
        assert _act(clerk, doc, "number").status_code == 302
        assert _act(principal, doc, "sign", pki.PIN).status_code == 302
        assert _act(clerk, doc, "release", pki.PIN).status_code == 302
    doc.refresh_from_db()
    _assert_between_note_and_name(doc.signed_pdf.read(), principal.full_name)
