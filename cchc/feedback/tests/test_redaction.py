"""Redaction before publication: realistic Vietnamese text with personal data in many spellings
never leaks a phone number, an e-mail address or an ID number."""

from __future__ import annotations

import io
import re
import sys

import pytest
from django.core.management import call_command

from cchc.feedback.redaction import ADDRESS, EMAIL, ID_NUMBER, NAME, PHONE, leaks, redact

LETTER = """Kính gửi Ban Giám hiệu Trường THCS Nguyễn Thái Bình,
Tôi tên là Nguyễn Văn Bình, sinh năm 1980, CCCD số 079080012345, thường trú tại số 45/12 đường
Trần Hưng Đạo, khu phố 3, phường Phú Cường. Con tôi là cháu Nguyễn Minh Khang học lớp 8A.
Ngày 12/09/2026 cô giáo chủ nhiệm thu 1.500.000 đồng tiền học thêm. Khi tôi hỏi, cô Hương
trả lời không rõ ràng. Đề nghị nhà trường trả lời qua số 0912 345 678 hoặc 0912.345.678,
Zalo (+84) 912-345-678, máy bàn 0274 3822 123, email binh.nguyen80@gmail.com hoặc
BINH.NGUYEN@YAHOO.COM.VN. Vợ tôi là chị Lê Thị Hoa, CMND 281 234 567, số máy +84 98 765 4321.
Địa chỉ nhận thư: ấp Bình Hòa, xã Tân Phú.
"""

SPELLINGS = [
    ("SĐT 0912345678.", PHONE),
    ("gọi 0912 345 678 nhé", PHONE),
    ("gọi 091 234 5678 nhé", PHONE),
    ("gọi 0912-345-678 nhé", PHONE),
    ("gọi 0912.345.678 nhé", PHONE),
    ("gọi +84912345678 nhé", PHONE),
    ("gọi +84 912 345 678 nhé", PHONE),
    ("gọi (+84) 912.345.678 nhé", PHONE),
    ("gọi 84912345678 nhé", PHONE),
    ("gọi 0 9 1 2 3 4 5 6 7 8 nhé", PHONE),
    ("số không chín một hai ba bốn năm sáu bảy tám", PHONE),
    ("số Không Chín Một Hai, Ba Bốn Năm, Sáu Bảy Tám", PHONE),
    ("máy bàn (0274) 3822 123", PHONE),
    ("CCCD 079080012345", ID_NUMBER),
    ("CCCD 079 080 012 345", ID_NUMBER),
    ("CCCD 079.080.012.345", ID_NUMBER),
    ("CMND 281234567", ID_NUMBER),
    ("CMND 281 234 567", ID_NUMBER),
    ("thư binh.nguyen@gmail.com nhé", EMAIL),
    ("thư binh_nguyen+pakn@truong.edu.vn nhé", EMAIL),
    ("thư BINH@GMAIL.COM nhé", EMAIL),
    ("thư binh @ gmail . com nhé", EMAIL),
    ("thư binh[at]gmail[dot]com nhé", EMAIL),
    ("thư binh (at) gmail (dot) com nhé", EMAIL),
    ("thư binh a còng gmail chấm com nhé", EMAIL),
    ("tôi tên là Trần Thị Hoa", NAME),
    ("phụ huynh Phạm Quốc Tuấn", NAME),
    ("Họ và tên: Đặng Thu Hà", NAME),
    ("trú tại 12 Nguyễn Trãi, phường 3", ADDRESS),
    ("nhà ở số 7 hẻm 45", ADDRESS),
    ("thôn Đông Hòa", ADDRESS),
]


@pytest.mark.parametrize(("text", "label"), SPELLINGS)
def test_each_spelling_is_replaced_by_its_label(text, label) -> None:
    out = redact(text)

    assert label in out
    assert not re.search(r"\d{3}", out.replace("nhé", "")), out
    assert "@" not in out
    assert leaks(out) == []


def test_realistic_letter_leaks_nothing_and_keeps_the_substance() -> None:
    out = redact(LETTER, names=["Nguyễn Văn Bình"], addresses=["ấp Bình Hòa, xã Tân Phú"])

    for secret in (
        "079080012345",
        "0912",
        "345 678",
        "912-345",
        "3822",
        "gmail",
        "YAHOO",
        "281 234 567",
        "765 4321",
        "Văn Bình",
        "Khang",
        "Hoa",
        "Hương",
        "45/12",
    ):
        assert secret not in out, secret
    assert leaks(out) == []
    # What the reader needs stays: the school, the class, the date and the amount.
    assert "Trường THCS Nguyễn Thái Bình" in out
    assert "lớp 8A" in out
    assert "12/09/2026" in out
    assert "1.500.000 đồng" in out
    assert out.count(PHONE) >= 5


def test_sender_name_without_diacritics_is_removed_too() -> None:
    out = redact("Nguyen Van Binh kính gửi nhà trường.", names=["Nguyễn Văn Bình"])

    assert "Nguyen" not in out


def test_redaction_is_stable_when_run_twice() -> None:
    once = redact(LETTER, names=["Nguyễn Văn Bình"])

    assert redact(once, names=["Nguyễn Văn Bình"]) == once


def test_command_reads_stdin_and_prints_redacted(monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Liên hệ chị Mai 0903 111 222, mai@x.vn\n"))
    out = io.StringIO()

    call_command("feedback", "redact", stdout=out)

    assert out.getvalue() == f"Liên hệ chị {NAME} {PHONE}, {EMAIL}\n"
