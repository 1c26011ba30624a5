from __future__ import annotations

import pytest


@pytest.fixture
def bank_school(school):
    """The test school with a VietinBank account for its VietQR codes."""
    school.bank_bin = "970415"
    school.bank_account = "113000041410"
    school.bank_account_holder = "TRUONG THCS THU NGHIEM A"
    school.save()
    return school
