"""The dossier lists never apply a filter silently wrong: a value that is not one of the list's
choices (`?thu_tuc=abc`, another school's procedure, an unknown status, a date that is not one)
is named in Vietnamese with a 400, and the page says what it shows instead."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from cchc.dossiers import services
from cchc.dossiers.models import Procedure
from tests.fixtures import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def received(clerk, school, transfer):
    return services.dossier_receive(
        actor=clerk.user,
        unit=school,
        procedure=transfer,
        applicant={"applicant_name": "Nguyễn Văn An"},
        provided_documents=[d["name"] for d in transfer.documents],
    )


def _alerts(body: str) -> list[str]:
    return [part.split("</p>")[0] for part in body.split('class="alert error filter-error"')[1:]]


def test_queue_names_a_procedure_that_is_not_one(received, principal, transfer):
    client = client_for(principal)

    bad = client.get(reverse("dossiers:queue") + "?thu_tuc=abc")
    good = client.get(reverse("dossiers:queue") + f"?thu_tuc={transfer.pk}")

    body = bad.content.decode()
    assert bad.status_code == 400
    assert "Thủ tục «abc» không có trong danh sách để lọc" in body
    assert "đang hiển thị mọi thủ tục" in body
    assert received.code in body
    assert good.status_code == 200
    assert _alerts(good.content.decode()) == []


def test_queue_refuses_another_schools_procedure_and_an_unknown_status(
    received, principal, other_school
):
    foreign = Procedure.objects.create(
        unit=other_school, name="Chuyển trường", valid_from=date(2025, 1, 1)
    )

    response = client_for(principal).get(
        reverse("dossiers:queue") + f"?thu_tuc={foreign.pk}&trang_thai=bay-gio&nguoi_xu_ly=9x"
    )

    alerts = _alerts(response.content.decode())
    assert response.status_code == 400
    assert len(alerts) == 3
    assert any(f"Thủ tục «{foreign.pk}»" in a for a in alerts)
    assert any("Trạng thái «bay-gio»" in a for a in alerts)
    assert any("Người xử lý «9x»" in a for a in alerts)


def test_book_names_every_filter_it_cannot_apply_and_exports_nothing(received, principal):
    client = client_for(principal)
    book = reverse("dossiers:book")

    bad = client.get(book + "?thu_tuc=abc&tu_ngay=2026-02-31&ky=2026-Q5")
    export = client.get(book + "?thu_tuc=abc&xuat=xlsx")
    good = client.get(book + "?tre_han=1&chua_xin_loi=1")

    alerts = _alerts(bad.content.decode())
    assert bad.status_code == 400
    assert len(alerts) == 3
    assert any("Thủ tục «abc»" in a for a in alerts)
    assert any("Từ ngày «2026-02-31» không phải là ngày" in a for a in alerts)
    assert any("Kỳ «2026-Q5»" in a for a in alerts)
    assert export.status_code == 400
    assert "spreadsheet" not in export["Content-Type"]
    assert good.status_code == 200


def test_a_refused_export_does_not_say_it_skipped_the_bad_filter(received, principal):
    """QA: the export answered 400 while its message said "…bỏ qua điều kiện này"."""
    client = client_for(principal)
    book = reverse("dossiers:book")

    export = client.get(book + "?tu_ngay=2026-02-31&thu_tuc=abc&ky=2026-Q5&xuat=xlsx")
    page = client.get(book + "?tu_ngay=2026-02-31")
    text = export.content.decode()

    assert export.status_code == 400
    assert "Từ ngày «2026-02-31» không phải là ngày (dd/mm/yyyy)." in text
    assert "Hãy sửa điều kiện lọc rồi xuất lại." in text
    assert "bỏ qua điều kiện" not in text.lower()
    assert "đang hiển thị" not in text
    assert "bỏ qua điều kiện này" in page.content.decode()  # the page does show the list
