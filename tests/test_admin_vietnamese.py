"""The admin (/quan-tri/) names our models and columns in Vietnamese (QA: "Chọn delivery attempt
để xem", columns DELIVERY / AT / UNIT, rows "Delivery object (1)").

Django makes a field's label from its name ("last_number" → "LAST NUMBER") and a model's from
its class name ("DeliveryAttempt" → "delivery attempt") when none is given: those defaults are
English, so any of them left on a model the admin shows is a bug the IT lead sees.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.text import camel_case_to_spaces

from cchc.accounts.models import User

# Apps left out of the walk (none: every app of ours names its fields in Vietnamese).
SKIPPED_APPS: set[str] = set()


def _our_models() -> list[type[models.Model]]:
    return [
        model
        for model in admin.site._registry
        if model.__module__.startswith("cchc.") and model._meta.app_label not in SKIPPED_APPS
    ]


def test_our_admin_models_and_fields_have_vietnamese_names() -> None:
    ours = _our_models()
    assert len(ours) > 40  # the walk really sees our apps' registered models

    english = []
    for model in ours:
        opts = model._meta
        if str(opts.verbose_name) == camel_case_to_spaces(opts.object_name):
            english.append(f"{opts.label} (model)")
        if str(opts.verbose_name_plural) == f"{opts.verbose_name}s":
            english.append(f"{opts.label} (model, plural)")
        for field in opts.get_fields():
            if not field.concrete or field.auto_created or field.name == "id":
                continue
            if str(field.verbose_name) == field.name.replace("_", " "):
                english.append(f"{opts.label}.{field.name}")
    assert english == []


@pytest.mark.django_db
def test_every_changelist_of_ours_opens_for_the_it_lead(client) -> None:
    client.force_login(User.objects.create_superuser("quantri", "qt@example.vn", "MatKhau@2026"))

    for model in _our_models():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.django_db
def test_delivery_attempts_read_in_vietnamese(client, school) -> None:
    from cchc.documents.models import Delivery, DeliveryAttempt, OutgoingDocument

    outgoing = OutgoingDocument.objects.create(
        unit=school,
        status="released",
        doc_type="Công văn",
        type_code="CV",
        summary="V/v báo cáo",
        recipients="UBND xã",
        year=2026,
        number=7,
        symbol="07/CV-THCS",
        issued_on=date(2026, 3, 4),
    )
    delivery = Delivery.objects.create(
        outgoing=outgoing, recipient="ubnd@xa.gov.vn", sender="thcs@truong.edu.vn"
    )
    # 01:30 UTC is 08:30 in Hanoi: the row shows the local time.
    at = datetime(2026, 3, 4, 1, 30, tzinfo=ZoneInfo("UTC"))
    DeliveryAttempt.objects.create(delivery=delivery, at=at, ok=False, error="Máy chủ từ chối")
    client.force_login(User.objects.create_superuser("quantri", "qt@example.vn", "MatKhau@2026"))

    page = client.get(reverse("admin:documents_deliveryattempt_changelist")).content.decode()

    assert "Chọn Lần thử gửi văn bản để xem" in page
    assert "07/CV-THCS → ubnd@xa.gov.vn" in page
    for column in ("Lượt gửi văn bản", "Thời điểm", "Thành công", "Lỗi"):
        assert column in page
    for english in ("delivery attempt", "Delivery object", ">Delivery<", ">At<", ">Error<"):
        assert english not in page
    assert str(DeliveryAttempt.objects.get()) == "04/03/2026 08:30 Máy chủ từ chối"


@pytest.mark.django_db
def test_admin_dates_read_dd_mm_yyyy(client, school) -> None:
    """Django's own "vi" formats say "08:30 Ngày 04 tháng 3 năm 2026": ours say dd/mm/yyyy."""
    from django.utils import formats

    from cchc.documents.models import Delivery, DeliveryAttempt, OutgoingDocument

    outgoing = OutgoingDocument.objects.create(
        unit=school,
        status="released",
        doc_type="Công văn",
        type_code="CV",
        summary="V/v báo cáo",
        recipients="UBND xã",
        year=2026,
        number=7,
        symbol="07/CV-THCS",
        issued_on=date(2026, 3, 4),
    )
    delivery = Delivery.objects.create(
        outgoing=outgoing, recipient="ubnd@xa.gov.vn", sender="thcs@truong.edu.vn"
    )
    at = datetime(2026, 3, 4, 1, 30, tzinfo=ZoneInfo("UTC"))
    DeliveryAttempt.objects.create(delivery=delivery, at=at, ok=True)
    client.force_login(User.objects.create_superuser("quantri", "qt@example.vn", "MatKhau@2026"))

    attempts = client.get(reverse("admin:documents_deliveryattempt_changelist")).content.decode()
    document = client.get(
        reverse("admin:documents_outgoingdocument_change", args=[outgoing.pk])
    ).content.decode()

    assert ">04/03/2026 08:30<" in attempts
    assert "04/03/2026" in document
    for page in (attempts, document):
        assert "Ngày 04 tháng 3 năm 2026" not in page
        assert "04-03-2026" not in page
    assert formats.date_format(date(2026, 3, 4)) == "04/03/2026"
    assert formats.date_format(date(2026, 3, 4), "SHORT_DATE_FORMAT") == "04/03/2026"
    assert formats.date_format(datetime(2026, 3, 4, 8, 30), "DATETIME_FORMAT") == "04/03/2026 08:30"
