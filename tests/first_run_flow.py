"""The first install as a principal does it, in a browser: shared by the browser test and
`bench/first_run.py` so that what is measured is what is tested.

From an empty database: "/" → set-up page → the school, its commune and her account → the
plan import → the review (every proposal kept as offered) → save → the landing page.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

SCHOOL = {
    "#id_unit_name": "Trường Trung học cơ sở Nguyễn Thái Bình",
    "#id_unit_code": "000.31.41.H29",
    "#id_unit_address": "Xã Bình Hưng, Thành phố Hồ Chí Minh",
    "#id_unit_phone": "028 3758 0001",
    "#id_unit_email": "thcsnguyenthaibinh@binhhung.example",
    "#id_parent_name": "Ủy ban nhân dân xã Bình Hưng",
    "#id_parent_code": "000.31.41",
    "#id_admin_full_name": "Nguyễn Thị Thanh Trang",
    "#id_admin_username": "trangntt",
    "#id_admin_email": "trangntt@binhhung.example",
}
PASSWORD = "Truong@BinhHung2026"
SEED_PLAN = (
    Path(__file__).resolve().parent.parent
    / "cchc"
    / "plans"
    / "demo_data"
    / ("ke-hoach-cchc-2026.txt")
)


def first_run(
    page: Any,
    base_url: str,
    plan_file: Path = SEED_PLAN,
    mark: Callable[[str], None] = lambda step: None,
) -> None:
    """Drive the whole path; ends on the landing page with the targets table shown.

    `mark(step)` is called as each step ends (the benchmark times the steps with it).
    """
    page.goto(f"{base_url}/")
    page.wait_for_url("**/cai-dat/")
    for selector, value in SCHOOL.items():
        page.fill(selector, value)
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password_again", PASSWORD)
    page.get_by_role("button", name="Cài đặt và nhập kế hoạch").click()
    page.wait_for_url("**/quan-ly/ke-hoach/nhap/")
    mark("cài đặt đơn vị và tài khoản")
    page.set_input_files("#id_file", str(plan_file))
    page.get_by_role("button", name="Đọc tệp").click()
    page.wait_for_url("**/quan-ly/ke-hoach/nhap/*/")
    mark("tải lên và đọc kế hoạch")
    page.get_by_role("button", name="Lưu kế hoạch").click()
    page.wait_for_selector("#targets")
    mark("lưu kế hoạch (tạo người, gắn việc)")
    page.goto(f"{base_url}/quan-ly/")
    page.wait_for_selector("#landing-targets")
    mark("trang tổng quan")
