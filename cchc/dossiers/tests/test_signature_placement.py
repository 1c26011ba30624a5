"""The signer's image on the signed one-stop papers sits between "(Ký và ghi rõ họ tên)" and the
printed name, over no text (domain.md 6.2: "centred between the signer's title and name").

Read back from the signed PDFs themselves: the signature field's rectangle (where pyHanko draws
the image) against every word's box as poppler's `pdftotext -bbox` reads the page. The receipt
(Mẫu 01, the clerk's signature beside the QR codes) and the apology (Mẫu 04, the principal's,
with the seal) are the two papers the QA walk found overlapped."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from cchc.documents.signing import Box, _page_boxes
from cchc.documents.tests import pki
from cchc.documents.tests.conftest import ca as ca
from cchc.dossiers.models import Apology, Dossier
from cchc.dossiers.tests.conftest import released_letter
from cchc.dossiers.tests.factories import at, frozen_at
from cchc.dossiers.tests.paper_reading import require_tools
from cchc.dossiers.tests.test_apology_letters import _apologize
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


# pyHanko draws a stamp's background image with one `cm` (scale and place) and then the
# image's own pixel-size `cm`: read back, that is the image's rectangle inside the field.
IMAGE_DRAW = re.compile(
    rb"/BackgroundGS gs\s+([-\d.]+) 0 0 ([-\d.]+) ([-\d.]+) ([-\d.]+) cm\s+q\s+"
    rb"([\d.]+) 0 0 ([\d.]+) 0 0 cm\s+/\S+ Do"
)


def _field(pdf: bytes, prefix: str) -> tuple[int, Box, Box]:
    """(page number, field rectangle, drawn image rectangle) of the first signature field whose
    name starts with `prefix`, in pdftotext's top-down coordinates."""
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    for reference in reader.root["/AcroForm"]["/Fields"]:
        field = reference.get_object()
        if not str(field.get("/T", "")).startswith(prefix):
            continue
        page_id = field.raw_get("/P").idnum
        count = int(reader.root["/Pages"]["/Count"])
        index = next(
            i for i in range(count) if reader.find_page_for_modification(i)[0].idnum == page_id
        )
        height = float(field["/P"]["/MediaBox"][3])
        x0, y0, x1, y1 = (float(v) for v in field["/Rect"])
        drawn = IMAGE_DRAW.search(field["/AP"]["/N"].data)
        assert drawn is not None, "the field draws no image"
        sx, sy, dx, dy, width, tall = (float(v) for v in drawn.groups())
        ix0, iy0 = x0 + dx, y0 + dy
        image = (ix0, height - (iy0 + sy * tall), ix0 + sx * width, height - iy0)
        return index + 1, (x0, height - y1, x1, height - y0), image
    raise AssertionError(f"the PDF has no signature field {prefix}…")


def _signer_rect(pdf: bytes) -> tuple[int, Box]:
    """(page number, rectangle) of the signer's field, in pdftotext's top-down coordinates."""
    page, rect, _image = _field(pdf, "ChuKyNguoiKy")
    return page, rect


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]


def _run(words: list[tuple[str, Box]], run: list[str], before: int | None = None) -> Box:
    """The box around the last occurrence of the words `run` (before index `before`)."""
    texts = [w for w, _ in words]
    end = len(texts) if before is None else before
    at = max(i for i in range(end) if texts[i : i + len(run)] == run)
    boxes = [b for _w, b in words[at : at + len(run)]]
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _signed_receipt_and_released_apology(school, principal, clerk, transfer) -> tuple[bytes, bytes]:
    """The receipt the clerk signed and the apology the principal signed and the clerk released
    with the school's seal."""
    dossier: Dossier = _receive(clerk, school, transfer)
    sign_url = reverse("dossiers:paper_sign", args=[dossier.pk, "tiep-nhan"])
    with frozen_at(at(2026, 11, 30, 9, 30)):
        assert client_for(clerk).post(sign_url, {"pin": pki.PIN}).status_code == 302
    receipt = _download(clerk, dossier, "tiep-nhan")
    with frozen_at(at(2026, 12, 8, 9, 0)):
        assert _apologize(principal, dossier).status_code == 302
    doc = Apology.objects.get(dossier=dossier).outgoing
    assert doc is not None
    with frozen_at(at(2026, 12, 8, 10, 0)):
        doc = released_letter(doc, clerk=clerk, principal=principal)
    return receipt, doc.signed_pdf.read()


def _assert_image_above_its_caption(pdf: bytes) -> None:
    """The signer's handwritten image and the stamp's "Ký bởi / Ngày ký" caption do not overlap:
    the image above the caption, both in the signer's field."""
    page, field, image = _field(pdf, "ChuKyNguoiKy")
    _height, words = _page_boxes(pdf, page)
    caption = [b for w, b in words if w.startswith(STAMP_LINES) and _overlap(b, field)]
    assert len(caption) == 2  # "Ký bởi: …" and "Ngày ký: …", both printed
    for box in caption:
        assert not _overlap(image, box), (image, box)
    assert image[3] <= min(b[1] for b in caption)  # the image above the caption
    assert image[3] - image[1] >= 15  # still a legible signature
    # Inside the field.
    assert field[0] - 0.5 <= image[0]
    assert image[2] <= field[2] + 0.5
    assert field[1] - 0.5 <= image[1]
    assert image[3] <= field[3] + 0.5


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
        doc = released_letter(doc, clerk=clerk, principal=principal)
    _assert_between_note_and_name(doc.signed_pdf.read(), principal.full_name)


@pytest.mark.django_db
def test_the_signers_image_sits_above_its_caption_on_receipt_and_apology(
    school, principal, clerk, transfer, clerk_certificate, certificates
) -> None:
    """The signer's image never crosses its own "Ký bởi / Ngày ký" caption."""
    require_tools()
    receipt, apology = _signed_receipt_and_released_apology(school, principal, clerk, transfer)
    _assert_image_above_its_caption(receipt)
    _assert_image_above_its_caption(apology)


@pytest.mark.django_db
def test_the_released_apologys_seal_overlaps_the_signature_not_the_title(
    school, principal, clerk, transfer, clerk_certificate, certificates
) -> None:
    """The seal, at real size, overlaps the left third of the principal's image without
    covering "HIỆU TRƯỞNG", "(Ký và ghi rõ họ tên)" or the name (domain.md 6.2)."""
    require_tools()
    _receipt, pdf = _signed_receipt_and_released_apology(school, principal, clerk, transfer)
    page, _signer, image = _field(pdf, "ChuKyNguoiKy")
    seal_page, _seal_field, seal = _field(pdf, "ChuKyCoQuan")
    assert seal_page == page
    _height, words = _page_boxes(pdf, page)
    name = _run(words, principal.full_name.split())
    texts = [w for w, _ in words]
    parts = principal.full_name.split()
    name_at = max(i for i in range(len(texts)) if texts[i : i + len(parts)] == parts)
    title = _run(words, ["HIỆU", "TRƯỞNG"], before=name_at)
    note = _run(words, SIGN_HERE, before=name_at)
    for printed in (title, note, name):
        assert not _overlap(seal, printed), (seal, printed)
    # Nor the signature's own caption: the seal's ring crossed the first letters of "Ký bởi"
    # (QA); the caption now starts right of the seal, still inside the signer's field.
    caption = [b for w, b in words if w.startswith(STAMP_LINES) and _overlap(b, _signer)]
    assert len(caption) == 2
    for box in caption:
        assert not _overlap(seal, box), (seal, box)
        assert box[2] <= _signer[2] + 0.5, (box, _signer)
    # Over the left third of the signer's image: its right edge a third of the way in, its
    # left edge out beyond the image, level with the image's middle.
    third = image[0] + (image[2] - image[0]) / 3
    assert abs(seal[2] - third) <= 3, (seal, image)
    assert seal[0] < image[0]
    assert seal[1] < (image[1] + image[3]) / 2 < seal[3]
    assert seal[2] - seal[0] >= 80  # the seal at real size (86 pt, about 30 mm)
