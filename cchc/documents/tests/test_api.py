"""The e-office API: the docref contract, registering, numbering twice, tenancy."""

from __future__ import annotations

import pytest

from cchc.documents import services
from tests.fixtures import client_for


@pytest.mark.django_db
def test_docref_contract_and_reject(colleague) -> None:
    client = client_for(colleague)
    ok = client.get("/api/v1/docref", {"text": "15/2026/TT-BGDĐT"})
    assert ok.json() == {
        "number": 15,
        "year": 2026,
        "type_code": "TT",
        "type": "Thông tư",
        "issuer_code": "BGDĐT",
        "unit_code": None,
        "normalized": "15/2026/TT-BGDĐT",
    }
    bad = client.get("/api/v1/docref", {"text": "1.000948.H38"})
    assert bad.status_code == 422
    assert "mã thủ tục" in bad.json()["detail"]


@pytest.mark.django_db
def test_register_list_and_number_twice(clerk, principal, outsider, school) -> None:
    client = client_for(clerk)
    created = client.post(
        "/api/v1/documents/incoming",
        {
            "reference": "Số: 01 /KH-UBND",
            "issued_on": "2026-03-02",
            "author": "UBND xã",
            "summary": "Kế hoạch",
            "channel": "paper",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["reference_normalized"] == "01/KH-UBND"
    assert client_for(outsider).get("/api/v1/documents/incoming").json() == []

    doc = services.outgoing_create(
        actor=clerk.user,
        unit=school,
        signer=principal,
        data={"type_code": "TB", "summary": "Thông báo", "recipients": "Lưu: VT."},
    )
    doc = services.outgoing_transition(actor=clerk.user, doc=doc, to="review")
    doc = services.outgoing_transition(actor=principal.user, doc=doc, to="approved")
    url = f"/api/v1/documents/outgoing/{doc.pk}/number"
    first = client.post(url, {"version": 3}, content_type="application/json")
    again = client.post(url, {"version": 4}, content_type="application/json")
    assert first.json()["symbol"] == f"01/TB-{school.symbol}"
    assert again.status_code == 409
    assert (
        client_for(outsider).post(url, {"version": 4}, content_type="application/json").status_code
        == 404
    )
