"""Test PKI: a demo CA, signer certificates as PKCS#12 and on a real SoftHSM2 token."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cchc.documents import democa, signing
from cchc.documents.models import SigningCertificate

SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
PIN = "123456"


def p12_record(
    ca: democa.Issued,
    name: str,
    *,
    days: int = 365,
    starts: datetime | None = None,
    pin: str = PIN,
    image: bytes | None = None,
) -> SigningCertificate:
    issued = democa.issue(ca, name, "Trường THCS Nguyễn Trãi", days=days, starts=starts)
    info = signing.read_pkcs12(democa.to_pkcs12(issued, ca, pin), pin) if days > 0 else None
    info = info or signing.cert_info(issued.cert, [ca.cert])
    return SigningCertificate(
        kind="pkcs12",
        pkcs12_encrypted=signing.encrypt_blob(democa.to_pkcs12(issued, ca, pin)),
        certificate_pem=info.pem,
        chain_pem=info.chain_pem,
        subject=info.subject,
        issuer=info.issuer,
        serial=info.serial,
        not_before=info.not_before,
        not_after=info.not_after,
        image=image or democa.signature_png(),
    )


def softhsm_record(ca: democa.Issued, name: str, workdir: Path) -> SigningCertificate:
    """Import a fresh key and certificate into a private SoftHSM2 token (recipes.md 3)."""
    issued = democa.issue(ca, name, "Trường THCS Nguyễn Trãi")
    tokens = workdir / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = workdir / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    label = f"cchc{os.getpid()}"
    run = lambda *argv: subprocess.run(argv, check=True, capture_output=True)  # noqa: E731, S603
    run(
        "softhsm2-util",
        "--init-token",
        "--free",
        "--label",
        label,
        "--pin",
        PIN,
        "--so-pin",
        "87654321",
    )
    key_file = workdir / "signer.p8.pem"
    key_file.write_bytes(issued.key_pkcs8_pem())
    run(
        "softhsm2-util",
        "--import",
        str(key_file),
        "--token",
        label,
        "--label",
        "signer",
        "--id",
        "01",
        "--pin",
        PIN,
    )
    key_file.unlink()
    info = signing.cert_info(issued.cert, [ca.cert])
    return SigningCertificate(
        kind="pkcs11",
        pkcs11_module=SOFTHSM_MODULE,
        token_label=label,
        key_label="signer",
        certificate_pem=info.pem,
        chain_pem=info.chain_pem,
        subject=info.subject,
        issuer=info.issuer,
        serial=info.serial,
        not_before=info.not_before,
        not_after=info.not_after,
        image=democa.signature_png(2),
    )


def expired_window() -> tuple[datetime, int]:
    return datetime.now(UTC) - timedelta(days=400), 30
