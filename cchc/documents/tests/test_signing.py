"""Real PAdES signatures with pyHanko: PKCS#12 and a SoftHSM2 token, stamps, validation."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone

from cchc.core.official_docs import (
    OfficialDocument,
    OfficialHeader,
    Paragraph,
    SignatureBlock,
    build_docx,
    docx_to_pdf,
)
from cchc.documents import democa, signing
from cchc.documents.tests import pki

SIGNER = "Nguyễn Thị Hồng Nhung"


@pytest.fixture(scope="module")
def ca() -> democa.Issued:
    return democa.make_ca()


@pytest.fixture(scope="module")
def pdf() -> bytes:
    doc = OfficialDocument(
        header=OfficialHeader(
            "UBND XÃ BÌNH HƯNG",
            "TRƯỜNG THCS NGUYỄN TRÃI",
            "05",
            "KH-THCSNT",
            "Bình Hưng",
            date(2026, 3, 5),
        ),
        doc_type="KẾ HOẠCH",
        summary="Ứng dụng chữ ký số trong trường học năm 2026",
        body=[Paragraph("Thực hiện chuyển đổi số, nhà trường ban hành kế hoạch như sau.")],
        signature=SignatureBlock(title="HIỆU TRƯỞNG", name=SIGNER),
        recipients=["Phòng GD&ĐT;", "Lưu: VT."],
    )
    return docx_to_pdf(build_docx(doc))


def _sign_both(pdf: bytes, person: object, unit: object) -> bytes:
    page, signer_box, seal_box = signing.signature_boxes(pdf, SIGNER)
    with signing.open_signer(person, pki.PIN) as signer:
        once = signing.sign_pdf(
            pdf,
            signer,
            field_name="ChuKyNguoiKy",
            reason="Phê duyệt",
            location="Bình Hưng",
            appearance=signing.Appearance(page, signer_box, [f"Ký bởi: {SIGNER}"], person.image),
        )
    with signing.open_signer(unit, pki.PIN) as signer:
        return signing.sign_pdf(
            once,
            signer,
            field_name="ChuKyCoQuan",
            reason="Phát hành",
            location="Bình Hưng",
            appearance=signing.Appearance(
                page, seal_box, ["Trường THCS Nguyễn Trãi"], democa.seal_png()
            ),
        )


def test_pkcs12_signer_and_unit_seal_validate_trusted_and_intact(ca, pdf, tmp_path) -> None:
    person = pki.p12_record(ca, SIGNER)
    unit = pki.p12_record(ca, "Trường THCS Nguyễn Trãi")

    signed = _sign_both(pdf, person, unit)

    reports = signing.verify_pdf(signed, [ca.pem])
    assert [r.ok for r in reports] == [True, True], [r.verdict for r in reports]
    assert SIGNER in reports[0].signer
    assert not signing.verify_pdf(signed, [])[0].trusted
    # The stamp's Vietnamese text is real text in the page, and the page renders.
    text = subprocess.run(
        ["/usr/bin/pdftotext", "-", "-"], input=signed, capture_output=True
    ).stdout
    assert f"Ký bởi: {SIGNER}" in text.decode()
    (tmp_path / "s.pdf").write_bytes(signed)
    subprocess.run(  # noqa: S603
        [
            "/usr/bin/pdftoppm",
            "-r",
            "40",
            "-png",
            "-singlefile",
            str(tmp_path / "s.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    from PIL import Image

    pixels = Image.open(tmp_path / "page.png").convert("RGB").get_flattened_data()
    assert any(r > 150 and g < 80 and b < 80 for r, g, b in pixels), "no red seal rendered"
    assert any(b > 120 and r < 80 for r, g, b in pixels), "no blue signature rendered"


def test_one_changed_byte_is_detected(ca, pdf) -> None:
    person = pki.p12_record(ca, SIGNER)
    page, box, _ = signing.signature_boxes(pdf, SIGNER)
    with signing.open_signer(person, pki.PIN) as signer:
        signed = signing.sign_pdf(
            pdf,
            signer,
            field_name="S",
            reason="r",
            location="l",
            appearance=signing.Appearance(page, box, ["x"]),
        )
    at = len(pdf) // 2  # inside the original page content, covered by the signature
    tampered = bytearray(signed)
    tampered[at] = (tampered[at] + 1) % 256

    [report] = signing.verify_pdf(bytes(tampered), [ca.pem])
    assert not report.intact
    assert not report.ok
    assert "thay đổi" in report.verdict


def test_softhsm2_token_signs(ca, pdf, tmp_path: Path) -> None:
    record = pki.softhsm_record(ca, SIGNER, tmp_path)
    page, box, _ = signing.signature_boxes(pdf, SIGNER)

    with signing.open_signer(record, pki.PIN) as signer:
        signed = signing.sign_pdf(
            pdf,
            signer,
            field_name="Token",
            reason="Ký",
            location="BH",
            appearance=signing.Appearance(page, box, ["Ký bằng token"], record.image),
        )

    [report] = signing.verify_pdf(signed, [ca.pem])
    assert report.ok
    assert SIGNER in report.signer
    with (
        pytest.raises(signing.SigningError, match="PIN của thiết bị ký không đúng"),
        signing.open_signer(record, "000000"),
    ):
        pass


def test_wrong_pin_expired_and_revoked_are_refused_in_vietnamese(ca) -> None:
    person = pki.p12_record(ca, SIGNER)
    with (
        pytest.raises(signing.SigningError, match="Mã PIN của chứng thư số không đúng"),
        signing.open_signer(person, "sai-pin"),
    ):
        pass
    start, days = pki.expired_window()
    expired = pki.p12_record(ca, SIGNER, starts=start, days=days)
    with (
        pytest.raises(signing.SigningError, match="đã hết hạn ngày"),
        signing.open_signer(expired, pki.PIN),
    ):
        pass
    person.revoked_at = timezone.now()
    with (
        pytest.raises(signing.SigningError, match="đã bị thu hồi"),
        signing.open_signer(person, pki.PIN),
    ):
        pass
    with pytest.raises(signing.SigningError, match="Mã PIN không đúng"):
        signing.read_pkcs12(democa.to_pkcs12(democa.issue(ca, "A"), ca, "1"), "2")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Tệp rỗng"),
        (b"PK\x03\x04 docx", "không phải PDF"),
        (b"%PDF-1.7\n garbage", "bị hỏng"),
        (b"%PDF-" + b"0" * (signing.MAX_PDF_BYTES), "quá lớn"),
    ],
)
def test_bad_files_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(signing.SigningError, match=message):
        signing.verify_pdf(data, [])


def test_unsigned_pdf_has_no_signatures(pdf) -> None:
    assert signing.verify_pdf(pdf, []) == []


def test_a_field_too_short_for_image_and_caption_still_signs(ca, pdf) -> None:
    """Where the paper leaves only the 18 pt minimum to sign, the image takes the whole field
    (no room for it above the two caption lines) instead of the stamp failing to lay out."""
    assert signing.image_area((0, 0, 150, 62), 2) == (1, 19, 149, 61)  # above the caption
    assert signing.image_area((0, 0, 150, 18), 2) == (1, 1, 149, 17)  # too short: all of it
    person = pki.p12_record(ca, SIGNER)
    page, box, _ = signing.signature_boxes(pdf, SIGNER)
    short = (box[0], box[1], box[2], box[1] + 18)
    with signing.open_signer(person, pki.PIN) as signer:
        signed = signing.sign_pdf(
            pdf,
            signer,
            field_name="S",
            reason="r",
            location="l",
            appearance=signing.Appearance(
                page, short, [f"Ký bởi: {SIGNER}", "Ngày ký: 08/12/2026 10:00"], person.image
            ),
        )
    [report] = signing.verify_pdf(signed, [ca.pem])
    assert report.ok
