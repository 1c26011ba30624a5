"""PAdES signing and validation with pyHanko (recipes.md section 3; domain.md 6.2).

* Keys: a PKCS#12 file kept encrypted at rest (Fernet, key derived from SECRET_KEY, on top of
  the file's own PIN, which is never stored), or a PKCS#11 token (module, token label, key
  label), e.g. a USB token or SoftHSM2 in tests.
* Before any use the certificate is checked: validity dates, revocation mark, PIN. Every
  failure raises :class:`SigningError` with a Vietnamese message; nothing is written.
* Visible stamps use Liberation Serif (metric twin of Times New Roman, Decree 30) rescaled once
  to 1000 units per em: pyHanko writes CID widths in font units, so a 2048-upem font draws its
  letters twice too far apart (the recipe's pitfall).
* Validation never fetches anything (no outside calls): trust comes from the roots the admin
  configured.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import dataclasses
import functools
import hashlib
import logging
import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings
from django.utils import timezone

from cchc.core.timezones import VN

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer

    from cchc.documents.models import SigningCertificate

MAX_PDF_BYTES = 20 * 1024 * 1024
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


class SigningError(Exception):
    """A signing or validation problem; the message is Vietnamese, for the user."""


F = TypeVar("F", bound=Callable[..., Any])


def _off_event_loop(func: F) -> F:
    """pyHanko runs its own asyncio loop: inside a thread that already has one (an async view,
    Playwright's sync API in tests) the call goes to a short-lived worker thread instead."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return func(*args, **kwargs)
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(func, *args, **kwargs).result()

    return wrapper  # type: ignore[return-value]


# ---------------------------------------------------------------- encryption at rest


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"cchc.documents.pkcs12:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def encrypt_blob(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt_blob(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(bytes(token))
    except InvalidToken:
        raise SigningError(
            "Không giải mã được tệp chứng thư đã lưu (khóa hệ thống đã thay đổi). "
            "Hãy nạp lại tệp .p12."
        ) from None


# ---------------------------------------------------------------- certificates


@dataclass(frozen=True)
class CertInfo:
    subject: str
    issuer: str
    serial: str
    not_before: datetime
    not_after: datetime
    pem: str
    chain_pem: str = ""


def _name(name: x509.Name) -> str:
    return asn1_x509.Name.load(name.public_bytes()).human_friendly


def cert_info(cert: x509.Certificate, chain: list[x509.Certificate] | None = None) -> CertInfo:
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    chain_pem = "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in chain or [])
    return CertInfo(
        subject=_name(cert.subject),
        issuer=_name(cert.issuer),
        serial=format(cert.serial_number, "X"),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        pem=pem,
        chain_pem=chain_pem,
    )


def read_pkcs12(data: bytes, pin: str) -> CertInfo:
    """Open an uploaded .p12/.pfx with its PIN and describe its certificate."""
    if not data:
        raise SigningError("Chưa chọn tệp chứng thư số (.p12/.pfx).")
    if len(data) > 100_000:
        raise SigningError("Tệp chứng thư quá lớn (tối đa 100 KB).")
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, pin.encode() if pin else None)
    except ValueError:
        raise SigningError(
            "Mã PIN không đúng hoặc tệp không phải chứng thư số PKCS#12 (.p12/.pfx)."
        ) from None
    if key is None or cert is None:
        raise SigningError("Tệp .p12 không chứa khóa bí mật và chứng thư của người ký.")
    return cert_info(cert, list(chain or []))


def load_pem_certs(text: str) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(text.encode()) if text.strip() else []


def check_usable(record: SigningCertificate, at: datetime | None = None) -> None:
    """Refuse a revoked, expired or not-yet-valid certificate, in Vietnamese."""
    at = at or timezone.now()
    fmt = "%d/%m/%Y"
    if getattr(record, "revoked_at", None):
        raise SigningError(
            f"Chứng thư số {record.serial} đã bị thu hồi ngày "
            f"{timezone.localtime(record.revoked_at, VN):{fmt}}: không dùng để ký được."
        )
    if at > record.not_after:
        raise SigningError(
            f"Chứng thư số {record.serial} đã hết hạn ngày "
            f"{timezone.localtime(record.not_after, VN):{fmt}}: hãy gia hạn hoặc nạp chứng thư mới."
        )
    if at < record.not_before:
        raise SigningError(
            f"Chứng thư số {record.serial} chỉ có hiệu lực từ ngày "
            f"{timezone.localtime(record.not_before, VN):{fmt}}."
        )
    if not getattr(record, "is_active", True):
        raise SigningError("Chứng thư số này đã được ngừng sử dụng.")


@contextmanager
def open_signer(record: SigningCertificate, pin: str) -> Iterator[Signer]:
    """A pyHanko signer for a stored certificate: decrypt the PKCS#12 or log in to the token."""
    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.sign import signers

    check_usable(record)
    chain = list(load_certs_from_pemder_data(record.chain_pem.encode())) if record.chain_pem else []
    if record.kind == "pkcs12":
        try:
            signer = signers.SimpleSigner.load_pkcs12_data(
                decrypt_blob(bytes(record.pkcs12_encrypted)), chain, passphrase=pin.encode()
            )
        except ValueError:
            raise SigningError("Mã PIN của chứng thư số không đúng.") from None
        yield signer
        return
    import pkcs11.exceptions as p11
    from pyhanko.sign.pkcs11 import PKCS11Signer, TokenCriteria, open_pkcs11_session

    if not Path(record.pkcs11_module).is_file():
        raise SigningError(f"Không tìm thấy thư viện PKCS#11 “{record.pkcs11_module}”.")
    try:
        session = open_pkcs11_session(
            record.pkcs11_module,
            token_criteria=TokenCriteria(label=record.token_label or None),
            user_pin=pin,
        )
    except p11.PinIncorrect:
        raise SigningError("Mã PIN của thiết bị ký không đúng.") from None
    except p11.PinLocked:
        raise SigningError("Thiết bị ký đã bị khóa do nhập sai PIN nhiều lần.") from None
    except (p11.PKCS11Error, Exception) as error:
        if isinstance(error, SigningError):
            raise
        raise SigningError(
            f"Không mở được thiết bị ký “{record.token_label}”: hãy cắm thiết bị và thử lại."
        ) from None
    try:
        yield PKCS11Signer(
            session,
            key_label=record.key_label,
            signing_cert=next(iter(load_certs_from_pemder_data(record.certificate_pem.encode()))),
            ca_chain=chain,
        )
    finally:
        session.close()


# ---------------------------------------------------------------- fonts and placement


def stamp_font_path() -> Path:
    """Liberation Serif at 1000 upem, cut down to Latin and Vietnamese, built once in VAR_DIR.

    1000 upem avoids pyHanko's width bug (the recipe's pitfall); the subset (about a tenth of
    the font) makes each stamp several times faster, since pyHanko parses the font per stamp.
    """
    target = Path(settings.VAR_DIR) / "fonts" / "LiberationSerif-vi-1000upem.ttf"
    if target.exists():
        return target
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    source = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
    if not source.exists():
        source = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
    font = TTFont(source)
    scale_upem(font, 1000)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(
        unicodes=[
            *range(0x20, 0x250),
            *range(0x300, 0x370),
            *range(0x1EA0, 0x1F00),
            *range(0x2010, 0x2070),
            0x20AB,
        ]
    )
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    # A draft of this process's own: two workers building the font at once (first signature
    # after install) must not write into one .tmp file; the rename then puts one whole font.
    fd, draft = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.fchmod(fd, 0o644)  # as a plain file would be: the font is no secret
    os.close(fd)
    try:
        font.save(draft)
        os.replace(draft, target)
    finally:
        with suppress(FileNotFoundError):
            os.unlink(draft)
    return target


Box = tuple[float, float, float, float]


def _page_boxes(pdf: bytes, page: int) -> tuple[float, list[tuple[str, Box]]]:
    """Words and their boxes on one page (1-based), via poppler's pdftotext -bbox."""
    result = subprocess.run(  # noqa: S603 - fixed argv, no shell
        ["/usr/bin/pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"],
        input=pdf,
        capture_output=True,
        timeout=30,
        check=False,
    )
    html = result.stdout.decode("utf-8", "replace")
    height_match = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', html)
    height = float(height_match[2]) if height_match else 842.0
    words = [
        (m[5], (float(m[1]), float(m[2]), float(m[3]), float(m[4])))
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            html,
        )
    ]
    return height, words


# The signer's image: at most this size (pt), at least this tall and half as wide where the
# paper leaves less room, and this far from the text around it. Words closer than `_RUN_GAP`
# on a line are one run of text (a title, "(Ký và ghi rõ họ tên)", a QR code's caption).
_SIGNER_BOX = (150.0, 62.0)
_SIGNER_MIN = (60.0, 18.0)
_SIGNER_CLEARANCE = 2.0
_RUN_GAP = 10.0
_SEAL_SIZE = 86.0
_SEAL_MIN = 40.0
# The seal's image has its own transparent rim, and a word's box its line's leading: the seal
# may come this close to the boxes of the lines above and below.
_SEAL_CLEARANCE = 0.5


def _text_runs(words: list[tuple[str, Box]]) -> list[Box]:
    """The words' boxes merged into runs: same line (top within 2 pt), gaps under 10 pt."""
    runs: list[list[float]] = []
    for _word, (x0, y0, x1, y1) in sorted(words, key=lambda w: (round(w[1][1] / 2), w[1][0])):
        last = runs[-1] if runs else None
        if last is not None and abs(last[1] - y0) <= 2 and x0 - last[2] < _RUN_GAP:
            last[1], last[2], last[3] = min(last[1], y0), max(last[2], x1), max(last[3], y1)
        else:
            runs.append([x0, y0, x1, y1])
    return [(r[0], r[1], r[2], r[3]) for r in runs]


def _signer_room(words: list[tuple[str, Box]], name: Box) -> tuple[float, float, float]:
    """(centre x, top y, half width) of the room for the signer's image above `name`, in
    pdftotext's coordinates (y grows downwards): up to the lowest run of text above the name
    in its own column, and no wider than the runs beside it (the other signer, a QR code's
    caption) allow."""
    name_x0, name_top, name_x1, _ = name
    centre = (name_x0 + name_x1) / 2
    width, tallest = _SIGNER_BOX
    half = width / 2
    band = name_top - tallest - 2 * _SIGNER_CLEARANCE
    runs = _text_runs(words)
    for x0, y0, x1, y1 in runs:
        beside = x1 < name_x0 - 1 or x0 > name_x1 + 1
        if beside and y1 > band and y0 < name_top - 0.5:
            gap = x0 - centre if x0 >= centre else centre - x1
            half = min(half, gap - _SIGNER_CLEARANCE)
    half = max(half, _SIGNER_MIN[0] / 2)
    above = [
        y1
        for x0, _y0, x1, y1 in runs
        if y1 <= name_top + 0.5 and x0 < centre + half and x1 > centre - half
    ]
    return centre, max(above, default=band), half


def _find_name(pdf: bytes, signer_name: str) -> tuple[int, float, list[tuple[str, Box]], Box]:
    """(1-based page, page height, the page's words, the name's box) of the last page that
    prints `signer_name`, in pdftotext's top-down coordinates."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    pages = int(PdfFileReader(BytesIO(pdf), strict=False).root["/Pages"]["/Count"])
    parts = signer_name.split()
    first = parts[0] if parts else ""
    for page in range(pages, 0, -1):
        height, words = _page_boxes(pdf, page)
        for i, (word, (x0, y0, _x1, y1)) in enumerate(words):
            if word != first:
                continue
            tail = words[i : i + len(parts)]
            if [w for w, _ in tail] != parts:
                continue
            return page, height, words, (x0, y0, tail[-1][1][2], y1)
    raise SigningError(
        f"Không tìm thấy tên người ký “{signer_name}” trong văn bản để đặt chữ ký số."
    )


def _signer_box(words: list[tuple[str, Box]], height: float, name: Box) -> Box:
    """The signer's field in PDF points (bottom-left origin): centred in the room between the
    lowest line above the name in its column and the name."""
    centre, ceiling, half = _signer_room(words, name)
    room = name[1] - ceiling - 2 * _SIGNER_CLEARANCE
    h = max(min(_SIGNER_BOX[1], room), _SIGNER_MIN[1])
    middle = height - (ceiling + name[1]) / 2  # back to PDF points, bottom-left origin
    return (centre - half, middle - h / 2, centre + half, middle + h / 2)


def signature_boxes(pdf: bytes, signer_name: str) -> tuple[int, Box, Box]:
    """(page index, signer box, seal box) in PDF points, bottom-left origin.

    The signer's image goes between the title and the name, centred in the room between them
    (domain.md 6.2: "centred between the signer's title and name"), on the last page that
    shows the name. The room ends at the lowest line printed above the name in its column,
    such as "(Ký và ghi rõ họ tên)" under the title of a one-stop form, so the image never
    covers that line; the image is as tall as the room allows, up to 62 pt. The seal box is
    where the seal would go over an image filling the field (see :func:`seal_box`).
    """
    page, height, words, name = _find_name(pdf, signer_name)
    signer = _signer_box(words, height, name)
    return page - 1, signer, _seal_over(words, height, image_area(signer, 2))


# The caption under the signer's image ("Ký bởi: …", "Ngày ký: …"): 7 pt lines, 1 pt inside the
# field, and this much space between it and the image above.
_CAPTION_PT = 7
_CAPTION_GAP = 2.0


def caption_height(lines: int) -> float:
    """Height (pt) of a caption of `lines` lines at the field's bottom, with its margins."""
    return lines * _CAPTION_PT + 2 + 1 if lines else 0.0


# Below this height (pt) above the caption an image would be a smear: a field that short (a
# paper with almost no room to sign) gets the image over its whole height, as a seal would.
_IMAGE_MIN = 10.0


def image_area(box: Box, caption_lines: int) -> Box:
    """The part of a field the image is fitted into: above the caption, never across it (unless
    the field is too short for both, see `_IMAGE_MIN`)."""
    x0, y0, x1, y1 = box
    bottom = y0 + (caption_height(caption_lines) + _CAPTION_GAP if caption_lines else 1)
    if y1 - 1 - bottom < _IMAGE_MIN:
        bottom = y0 + 1
    return (x0 + 1, bottom, x1 - 1, y1 - 1)


_IMAGE_DRAW = re.compile(
    rb"/BackgroundGS gs\s+([-\d.]+) 0 0 ([-\d.]+) ([-\d.]+) ([-\d.]+) cm\s+q\s+"
    rb"([\d.]+) 0 0 ([\d.]+) 0 0 cm\s+/\S+ Do"
)


def drawn_image(pdf: bytes, field_name: str) -> tuple[int, Box] | None:
    """(page index, rectangle in PDF points) of the image a signature field draws, read from
    its appearance stream (pyHanko draws the background image with one `cm`), or None."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(BytesIO(pdf), strict=False)
    if "/AcroForm" not in reader.root:
        return None
    for reference in reader.root["/AcroForm"]["/Fields"]:
        field = reference.get_object()
        if field.get("/T") != field_name or "/AP" not in field:
            continue
        found = _IMAGE_DRAW.search(field["/AP"]["/N"].data)
        if found is None:
            return None
        sx, sy, dx, dy, width, height = (float(v) for v in found.groups())
        x0, y0 = float(field["/Rect"][0]), float(field["/Rect"][1])
        page_id = field.raw_get("/P").idnum
        count = int(reader.root["/Pages"]["/Count"])
        index = next(
            i for i in range(count) if reader.find_page_for_modification(i)[0].idnum == page_id
        )
        left, bottom = x0 + dx, y0 + dy
        return index, (left, bottom, left + sx * width, bottom + sy * height)
    return None


def _seal_over(words: list[tuple[str, Box]], height: float, image: Box) -> Box:
    """The seal (PDF points) over the left third of the signer's drawn `image` (domain.md 6.2),
    at real size (86 pt, 30 mm) where the paper leaves room and never over printed text: it
    fits between the lowest line above the image (the title, "(Ký và ghi rõ họ tên)") and the
    highest line below it (the name), shrinking to that room if needed. The signature's own
    caption ("Ký bởi …") is not an obstacle here: a signer who will be sealed has it drawn right
    of the seal's edge (`Appearance.sealed_later`)."""
    ix0, iy0, ix1, iy1 = image
    right = ix0 + (ix1 - ix0) / 3
    middle = height - (iy0 + iy1) / 2  # top-down, as the words
    ceiling, floor = 0.0, height
    for word, (x0, y0, x1, y1) in words:
        if word.startswith(("Ký bởi: ", "Ngày ký: ")):
            continue
        if x1 <= right - _SEAL_SIZE or x0 >= right:
            continue
        if y1 <= middle:
            ceiling = max(ceiling, y1)
        elif y0 >= middle:
            floor = min(floor, y0)
    size = max(min(_SEAL_SIZE, floor - ceiling - 2 * _SEAL_CLEARANCE), _SEAL_MIN)
    # Centred on the image, moved up or down only as far as the room requires.
    top = min(max(middle - size / 2, ceiling + _SEAL_CLEARANCE), floor - _SEAL_CLEARANCE - size)
    return (right - size, height - top - size, right, height - top)


def seal_box(pdf: bytes, signer_name: str) -> tuple[int, Box]:
    """(page index, box) for the unit's seal on a paper the signer has signed: placed against
    the image the signer's field actually draws (read back from the PDF); on an unsigned paper
    against the image area of the field the signer would get."""
    page, height, words, name = _find_name(pdf, signer_name)
    drawn = drawn_image(pdf, "ChuKyNguoiKy")
    if drawn is not None and drawn[0] == page - 1:
        image = drawn[1]
    else:
        image = image_area(_signer_box(words, height, name), 2)
    return page - 1, _seal_over(words, height, image)


# ---------------------------------------------------------------- signing


@dataclass
class Appearance:
    page: int
    box: Box
    lines: list[str]
    image_png: bytes | None = None
    # The unit's seal will overlap the left third of this image (`seal_box`, domain.md 6.2): the
    # caption then starts right of the seal's edge, so the seal's ring never crosses "Ký bởi".
    sealed_later: bool = False


# Space (pt) between the seal's right edge (a third into the image) and the caption.
_CAPTION_SEAL_GAP = 3.0


def check_pdf(data: bytes) -> None:
    """Refuse what is not a readable, unencrypted PDF of reasonable size, in Vietnamese."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader

    if not data:
        raise SigningError("Tệp rỗng.")
    if len(data) > MAX_PDF_BYTES:
        raise SigningError("Tệp quá lớn (tối đa 20 MB).")
    if not data.lstrip()[:5] == b"%PDF-":
        raise SigningError("Tệp không phải PDF.")
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        encrypted = reader.encrypted
        _ = reader.root
    except (PdfReadError, ValueError, KeyError, IndexError, TypeError):
        raise SigningError("Tệp PDF bị hỏng, không đọc được.") from None
    if encrypted:
        raise SigningError("Tệp PDF đã được đặt mật khẩu (mã hóa): hãy gỡ mật khẩu rồi tải lại.")


@_off_event_loop
def sign_pdf(
    pdf: bytes,
    signer: Signer,
    *,
    field_name: str,
    reason: str,
    location: str,
    appearance: Appearance | None,
    signing_time: datetime | None = None,
) -> bytes:
    """One PAdES signature (B-B level, whole file) as an incremental update; returns new bytes.

    `signing_time` is the moment written as the CMS signing-time attribute and the signature
    dictionary's /M (what `pyhanko sign validate` and `pdfsig` report); the caller passes the
    same moment its caption prints, so the two never disagree. None: pyHanko's own clock."""
    from pyhanko import stamp
    from pyhanko.pdf_utils import images
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.layout import (
        AxisAlignment,
        BoxConstraints,
        Margins,
        SimpleBoxLayoutRule,
    )
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.sign.general import SigningError as HankoSigningError

    check_pdf(pdf)
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    spec = fields.SigFieldSpec(
        sig_field_name=field_name,
        on_page=appearance.page if appearance else 0,
        # pyHanko annotates the box as ints; a PDF rectangle takes any real (and pyHanko too).
        box=appearance.box if appearance else None,  # type: ignore[arg-type]
    )
    fields.append_signature_field(writer, spec)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location,
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    style = None
    if appearance:
        font = GlyphAccumulatorFactory(str(stamp_font_path()), font_size=_CAPTION_PT)
        background = None
        if appearance.image_png:
            from PIL import Image

            background = images.PdfImage(Image.open(BytesIO(appearance.image_png)))
        # The image is fitted above the caption, never across it: the caption's lines (7 pt,
        # no padding of their own) sit at the bottom of the field, the image in the rest.
        caption = [line for line in appearance.lines if line.strip()]
        x0, y0, x1, y1 = appearance.box
        area = image_area(appearance.box, len(caption))
        image_layout = SimpleBoxLayoutRule(
            x_align=AxisAlignment.ALIGN_MID,
            y_align=AxisAlignment.ALIGN_MID,
            # Whole points (pyHanko types margins as int; these are whole by construction).
            margins=Margins(
                left=round(area[0] - x0),
                right=round(x1 - area[2]),
                top=round(y1 - area[3]),
                bottom=round(area[1] - y0),
            ),
        )
        caption_left = 1
        if appearance.sealed_later and background is not None:
            # Where pyHanko will draw the image (the same fit it makes), hence where the seal's
            # right edge will be: a third into the image (`_seal_over`).
            fitted = image_layout.fit(
                BoxConstraints(width=x1 - x0, height=y1 - y0),
                background.box.width,
                background.box.height,
            )
            third = fitted.x_pos + fitted.x_scale * background.box.width / 3
            caption_left = min(round(third + _CAPTION_SEAL_GAP), round((x1 - x0) / 2))
        style = stamp.TextStampStyle(
            stamp_text="\n".join(appearance.lines),
            text_box_style=TextBoxStyle(
                font=font,
                font_size=_CAPTION_PT,
                box_layout_rule=SimpleBoxLayoutRule(
                    x_align=AxisAlignment.ALIGN_MID,
                    y_align=AxisAlignment.ALIGN_MID,
                    margins=Margins.uniform(1),
                ),
            ),
            background=background,
            background_opacity=1.0,
            background_layout=image_layout,
            # The caption centred in the room left to it (shrunk to fit if need be).
            inner_content_layout=SimpleBoxLayoutRule(
                x_align=AxisAlignment.ALIGN_MID,
                y_align=AxisAlignment.ALIGN_MIN,
                margins=Margins(left=caption_left, right=1, top=1, bottom=1),
            ),
            border_width=0,
        )
    out = BytesIO()
    try:
        pdf_signer = (
            signers.PdfSigner(meta, signer=signer, stamp_style=style)
            if signing_time is None
            else _signer_at(signing_time)(meta, signer=signer, stamp_style=style)
        )
        pdf_signer.sign_pdf(writer, output=out)
    except HankoSigningError as error:
        raise SigningError(f"Ký số không thành công: {error}") from None
    return out.getvalue()


def _signer_at(moment: datetime) -> type:
    """A `PdfSigner` whose session signs at `moment`: pyHanko takes the signing time from the
    session's `system_time` (otherwise its own clock, read when the session starts) for the CMS
    signing-time attribute, /M and the appearance, and offers no other way to set it."""
    from pyhanko.sign import signers

    class PdfSignerAt(signers.PdfSigner):
        def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
            session = super().init_signing_session(pdf_out, existing_fields_only)
            session.system_time = moment
            return session

    return PdfSignerAt


# ---------------------------------------------------------------- validation


@dataclass
class SignatureReport:
    field: str
    signer: str
    issuer: str
    serial: str
    signed_at: datetime | None
    intact: bool
    valid: bool
    trusted: bool
    covers_whole_file: bool
    changed_after: bool
    # `dataclasses.field`, not the `field` attribute above (which would shadow it for mypy).
    problems: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and not self.changed_after

    @property
    def verdict(self) -> str:
        if not self.intact or not self.valid:
            return "Chữ ký không hợp lệ: nội dung đã bị thay đổi sau khi ký hoặc chữ ký bị hỏng."
        if self.changed_after:
            return "Chữ ký đúng, nhưng văn bản có nội dung được thêm hoặc sửa sau khi ký."
        if not self.trusted:
            return "Chữ ký toàn vẹn nhưng chứng thư không thuộc tổ chức chứng thực tin cậy."
        return "Chữ ký hợp lệ: văn bản toàn vẹn, chứng thư tin cậy."


def _common_name(name: object) -> str:
    """The CN of an asn1crypto Name ("Nguyễn Thị Thanh Trang"), else its readable form."""
    native = getattr(name, "native", {}) or {}
    return str(native.get("common_name") or getattr(name, "human_friendly", ""))


@_off_event_loop
def verify_pdf(data: bytes, roots_pem: list[str]) -> list[SignatureReport]:
    """Validate every signature in a PDF against the configured roots, offline."""
    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext

    check_pdf(data)
    roots = [c for pem in roots_pem for c in load_certs_from_pemder_data(pem.encode())]
    reader = PdfFileReader(BytesIO(data), strict=False)
    reports: list[SignatureReport] = []
    for embedded in reader.embedded_signatures:
        context = ValidationContext(trust_roots=roots, allow_fetching=False)
        cert = embedded.signer_cert
        problems: list[str] = []
        try:
            status = validate_pdf_signature(embedded, context)
        except (SignatureValidationError, ValueError) as error:
            reports.append(
                SignatureReport(
                    embedded.field_name,
                    _common_name(cert.subject) if cert else "",
                    _common_name(cert.issuer) if cert else "",
                    format(cert.serial_number, "X") if cert else "",
                    embedded.self_reported_timestamp,
                    False,
                    False,
                    False,
                    False,
                    True,
                    [f"Không kiểm tra được chữ ký: {error}"],
                )
            )
            continue
        level = status.modification_level
        whole_file = status.coverage is not None and status.coverage.name == "ENTIRE_FILE"
        changed_after = not whole_file and level not in (
            None,
            ModificationLevel.NONE,
            ModificationLevel.LTA_UPDATES,
        )
        # A later signature by the unit is an allowed form-filling update, not a change.
        if level == ModificationLevel.FORM_FILLING:
            changed_after = False
        if not status.trusted:
            problems.append("Chứng thư không xác minh được tới chứng thư gốc tin cậy nào.")
        if (
            status.signer_reported_dt
            and cert
            and (
                status.signer_reported_dt > cert.not_valid_after
                or status.signer_reported_dt < cert.not_valid_before
            )
        ):
            problems.append("Thời điểm ký nằm ngoài thời hạn hiệu lực của chứng thư.")
        reports.append(
            SignatureReport(
                field=embedded.field_name,
                signer=_common_name(status.signing_cert.subject),
                issuer=_common_name(status.signing_cert.issuer),
                serial=format(status.signing_cert.serial_number, "X"),
                signed_at=status.signer_reported_dt,
                intact=status.intact,
                valid=status.valid,
                trusted=status.trusted,
                covers_whole_file=whole_file,
                changed_after=changed_after,
                problems=problems,
            )
        )
    return reports


def fingerprint(pem: str) -> str:
    """SHA-256 of a PEM certificate's DER bytes; SigningError if the text is not a certificate."""
    from cryptography.hazmat.primitives import hashes

    try:
        cert = x509.load_pem_x509_certificate(pem.encode())
    except ValueError:
        raise SigningError("Nội dung không phải chứng thư số dạng PEM.") from None
    return cert.fingerprint(hashes.SHA256()).hex()
