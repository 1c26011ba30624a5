"""A demo certification authority made at run time (seeding, tests): no private key is committed.

Also draws the images Decree 30 asks for (domain.md 6.2): a blue handwritten-looking signature
and a red round seal, both PNG with a transparent background.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import BytesIO
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

if TYPE_CHECKING:
    from PIL import Image


@dataclass
class Issued:
    key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
    cert: x509.Certificate

    @property
    def pem(self) -> str:
        return self.cert.public_bytes(serialization.Encoding.PEM).decode()

    def key_pkcs8_pem(self) -> bytes:
        return self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def _name(common_name: str, organization: str = "") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organization:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attrs)


def make_ca(name: str = "CA thử nghiệm CCHC (không dùng thật)") -> Issued:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(name))
        .issuer_name(_name(name))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return Issued(key, cert)


def issue(
    ca: Issued,
    common_name: str,
    organization: str = "",
    *,
    days: int = 730,
    starts: datetime | None = None,
    curve: bool = False,
) -> Issued:
    """A signer certificate: RSA 2048 as Vietnamese CAs issue, or ECDSA P-256 (``curve``),
    which the demo uses because loading an RSA key validates it (about 0.2 s each time)."""
    key = (
        ec.generate_private_key(ec.SECP256R1())
        if curve
        else rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    start = starts or datetime.now(UTC) - timedelta(hours=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organization))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(ca.key, hashes.SHA256())
    )
    return Issued(key, cert)


def to_pkcs12(issued: Issued, ca: Issued, pin: str) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        b"cchc",
        issued.key,
        issued.cert,
        [ca.cert],
        serialization.BestAvailableEncryption(pin.encode()),
    )


def _png(image: Image.Image) -> bytes:
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def signature_png(seed: int = 1) -> bytes:
    """A blue scribble on a transparent background, 300×120 px."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = [
        (20 + x * 2.6, 60 + 28 * math.sin(x / (6 + seed % 3)) * math.cos(x / 17))
        for x in range(100)
    ]
    draw.line(points, fill=(20, 40, 170, 255), width=4, joint="curve")
    draw.line([(40, 95), (260, 85)], fill=(20, 40, 170, 255), width=3)
    return _png(image)


def seal_png(text: str = "TRƯỜNG THCS") -> bytes:
    """A red round seal on a transparent background, 240×240 px."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGBA", (240, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (210, 20, 30, 230)
    draw.ellipse((6, 6, 234, 234), outline=red, width=8)
    draw.ellipse((40, 40, 200, 200), outline=red, width=3)
    draw.regular_polygon((120, 120, 30), 5, rotation=-90, fill=red)
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    try:
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 16)
    except OSError:
        font = ImageFont.load_default()
    for i, letter in enumerate(text[:18]):
        angle = math.radians(-160 + i * (140 / max(1, len(text[:18]) - 1)))
        x, y = 120 + 92 * math.cos(angle), 120 + 92 * math.sin(angle)
        draw.text((x, y), letter, fill=red, font=font, anchor="mm")
    return _png(image)
