"""DOCX build benchmark: how long `build_docx` takes for a plan and for the fullest receipt.

Usage (from the repository root, after `make install`):
    .venv/bin/python bench/official_docs.py [--repeats 20]

Pure python-docx, no database and no LibreOffice: it times only the DOCX builder of
cchc/core/official_docs, for a twelve-task plan (A4, Decree 30 layout) and for the receipt
Mẫu 01 with four papers and three QR codes beside the side-by-side signatures (A5, the layout
options of the one-stop papers). It prints milliseconds per document (median and slowest of
the repeats, after one warm-up build); it asserts nothing. This replaces the wall-clock
assertion the test suite used to make (`test_build_is_fast`, under 500 ms per document).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cchc.core.official_docs import (
    OfficialDocument,
    OfficialHeader,
    Paragraph,
    SignatureBlock,
    Table,
    build_docx,
)
from cchc.dossiers import papers


def plan(tasks: int = 12) -> OfficialDocument:
    """A school's reform plan: headings, bullets and a table, `tasks` tasks long."""
    body: list[Paragraph | Table] = [
        Paragraph(
            "Căn cứ Kế hoạch số 211/KH-UBND ngày 19 tháng 01 năm 2026 của Ủy ban nhân dân xã;"
        ),
        Paragraph("I. Mục đích, yêu cầu", "heading1"),
        Table(
            columns=["STT", "Chỉ tiêu", "Giá trị", "Người phụ trách"],
            rows=[
                [str(n), "Hồ sơ giải quyết đúng hạn", "100%", "Đặng Thị Mỹ Hạnh"] for n in range(9)
            ],
            widths_cm=[1.2, 8.3, 2.5, 4.5],
        ),
    ]
    for number in range(2, 2 + tasks):
        body.append(Paragraph(f"{number}. Nhiệm vụ trọng tâm số {number}", "heading2"))
        body.append(
            Paragraph(
                "Thường xuyên rà soát, cập nhật niêm yết công khai thủ tục hành chính thuộc thẩm "
                "quyền giải quyết của cơ quan về lĩnh vực giáo dục trên Cổng thông tin điện tử.",
                "bullet",
            )
        )
    return OfficialDocument(
        header=OfficialHeader(
            parent_body="ỦY BAN NHÂN DÂN XÃ BÌNH HƯNG",
            issuer="TRƯỜNG TRUNG HỌC CƠ SỞ NGUYỄN THÁI BÌNH",
            number="05",
            symbol="KH-THCSNTB",
            place="Bình Hưng",
            date=date(2026, 1, 26),
        ),
        doc_type="Kế hoạch",
        summary="Thực hiện công tác cải cách hành chính năm 2026",
        body=body,
        signature=SignatureBlock(title="Hiệu trưởng", name="Nguyễn Thị Thanh Trang"),
        recipients=["Phòng GD&ĐT (để b/c);", "Lưu: VT."],
    )


def fullest_receipt() -> OfficialDocument:
    """Mẫu 01 with four papers, the fee's and the rating's codes beside the look-up one."""
    unit = papers.UnitInfo(
        name="Trường Trung học cơ sở Nguyễn Thái Bình",
        parent_name="Ủy ban nhân dân xã Bình Hưng",
        place="Bình Hưng",
        symbol="THCSNTB",
    )
    dossier = papers.DossierInfo(
        code="000.31.41.H29-260302-0001",
        procedure_name="Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
        procedure_code="1.010020",
        received_at=datetime(2026, 3, 2, 2, 0, tzinfo=UTC),
        due_at=datetime(2026, 3, 2, 10, 0, tzinfo=UTC),
        time_limit_text="Trong ngày",
        documents=[
            papers.DocumentLine("Đơn đề nghị cấp bản sao văn bằng, chứng chỉ", originals=1),
            papers.DocumentLine("Căn cước công dân còn giá trị sử dụng", originals=1),
            papers.DocumentLine("Giấy ủy quyền hoặc giấy tờ chứng minh quan hệ", originals=1),
            papers.DocumentLine("Phong bì dán tem ghi rõ họ tên, địa chỉ người nhận", originals=1),
        ],
        sets=1,
        applicant=papers.ApplicantInfo(
            name="Nguyễn Thị Hoàng Phương Thảo",
            id_number="079123456789",
            phone="0912345678",
            email="phuongthao.nguyen@nguoidan.example",
            address="Số 123/45 đường Nguyễn Văn Linh, ấp 4, xã Bình Hưng, TP. Hồ Chí Minh",
        ),
        receiver_name="Lê Thị Thanh Thủy",
        return_place="Văn phòng Trường THCS Nguyễn Thái Bình",
        lookup_url="https://truong.example/tra-cuu/000.31.41.H29-260302-0001/",
        book_entry=1,
        notes=(
            papers.CodeNote(
                lines=("Lệ phí: 20.000 đ – Mã khoản thu: LP26W5240V",),
                payload="00020101021238570010A000000727012700069704150113113000041410",
                caption="Quét VietQR nộp lệ phí",
            ),
            papers.CodeNote(
                payload="https://truong.example/danh-gia/abc123/",
                caption="Đánh giá mức độ hài lòng",
            ),
        ),
    )
    return papers.receipt_slip(unit, dossier)


def time_builds(doc: OfficialDocument, repeats: int) -> list[float]:
    build_docx(doc)  # warm-up: imports, python-docx's template
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        build_docx(doc)
        seconds.append(time.perf_counter() - started)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    for name, doc in (
        ("plan, 12 tasks (A4)", plan()),
        ("receipt, fullest (A5)", fullest_receipt()),
    ):
        seconds = time_builds(doc, args.repeats)
        print(
            f"{name:<24} median {median(seconds) * 1000:7.1f} ms   "
            f"slowest {max(seconds) * 1000:7.1f} ms   ({args.repeats} builds)"
        )


if __name__ == "__main__":
    main()
