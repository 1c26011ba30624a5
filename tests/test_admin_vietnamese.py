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


@pytest.mark.django_db
def test_audit_log_admin_names_verbs_and_object_types_in_vietnamese(client, school) -> None:
    """QA: the admin's log listed "dossier.applicant_address" and "dossiers.dossier"."""
    from cchc.core.audit import audit_record
    from cchc.core.audit_verbs import AuditVerb
    from cchc.core.models import AuditEvent

    event = audit_record(
        actor=None,
        verb=AuditVerb.DOSSIER_APPLICANT_ADDRESS,
        unit=school,
        object_type="dossiers.dossier",
        object_id="5",
    )
    # An event older than its verb's label (or of a removed model) falls back to its codes.
    old = AuditEvent.objects.create(
        chain_key=-1, seq=1, verb="legacy.verb", object_type="gone.model", at=event.at
    )
    client.force_login(User.objects.create_superuser("quantri", "qt@example.vn", "MatKhau@2026"))

    listing = client.get(reverse("admin:core_auditevent_changelist")).content.decode()
    detail = client.get(reverse("admin:core_auditevent_change", args=[event.pk])).content.decode()
    filtered = client.get(
        reverse("admin:core_auditevent_changelist"), {"verb": "dossier.applicant_address"}
    ).content.decode()

    for page in (listing, detail):
        assert "Sửa địa chỉ người nộp hồ sơ" in page
        assert "Hồ sơ TTHC" in page  # the Dossier model's own Vietnamese name
        assert ">dossier.applicant_address<" not in page
        assert ">dossiers.dossier<" not in page
    assert str(event) == "Sửa địa chỉ người nộp hồ sơ: Hồ sơ TTHC #5"
    assert str(old) == "legacy.verb: gone.model"
    assert '<td class="field-verb_name">legacy.verb</td>' in listing  # the unknown code
    assert '<td class="field-actor_display">Hệ thống</td>' in listing  # no actor: the system
    # The verb filter (offered by its words) keeps only the chosen verb's rows.
    assert '<td class="field-verb_name">Sửa địa chỉ người nộp hồ sơ</td>' in filtered
    assert '<td class="field-verb_name">legacy.verb</td>' not in filtered


@pytest.mark.django_db
def test_library_admins_are_re_registered_in_vietnamese(client) -> None:
    """QA: django-otp's search hint ("Search by user's …") and django-tasks' "TASK NAME" column
    are plain English strings in the libraries (no catalogue can translate them)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_tasks_db.models import DBTaskResult, get_date_max

    admin_user = User.objects.create_superuser("quantri", "qt@example.vn", "MatKhau@2026")
    device = TOTPDevice.objects.create(user=admin_user, name="Điện thoại")
    result = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="cchc.audit.tasks.write_audit_checkpoint",
        backend_name="default",
        run_after=get_date_max(),
        exception_class_path="",
        traceback="",
    )
    client.force_login(admin_user)

    def page(name: str, *args: object) -> str:
        response = client.get(reverse(f"admin:{name}", args=args))
        assert response.status_code == 200, name
        return response.content.decode()

    devices = page("otp_totp_totpdevice_changelist")
    device_form = page("otp_totp_totpdevice_change", device.pk)
    page("otp_totp_totpdevice_add")
    tasks = page("django_tasks_database_dbtaskresult_changelist")
    task = page("django_tasks_database_dbtaskresult_change", result.pk)

    assert "Tìm theo tên đăng nhập hoặc địa chỉ thư điện tử của người dùng." in devices
    for words in ("Người dùng", "Tên thiết bị", "Thời điểm tạo", "Lần dùng gần nhất", "Mã QR"):
        assert words in devices
    for words in ("Thiết bị xác thực hai lớp", "Khóa bí mật", "Chống dò mã", "Xem mã QR"):
        assert words in device_form
    for english in ("Search by", "TOTP device", ">Name<", "Created at", "Identity", "Throttling"):
        assert english not in devices + device_form
    assert ">Tác vụ<" in tasks
    assert ">write_audit_checkpoint<" in tasks
    assert "Chi tiết lỗi" in task
    assert "Chạy sau" in task
    assert "Tác vụ write_audit_checkpoint" in task  # its title and breadcrumbs
    for english in ("Task name", "Task Name", ">Traceback", "Run after", ">Id:", "DBTaskResult"):
        assert english not in tasks + task


@pytest.mark.django_db
def test_admin_date_boxes_show_and_take_dd_mm_yyyy(client, school) -> None:
    """A date typed in the admin is read day first: Django's fallback formats took "05/12/2026"
    as 12 May (American order) and showed stored dates as "2026-12-01"."""
    from django.utils import formats

    from cchc.workdays.models import CalendarOverride

    override = CalendarOverride.objects.create(
        unit=school, date=date(2026, 12, 1), is_working=False, reason="Nghỉ bù"
    )
    client.force_login(User.objects.create_superuser("quantri", "qt@example.vn", "MatKhau@2026"))

    form = client.get(
        reverse("admin:workdays_calendaroverride_change", args=[override.pk])
    ).content.decode()
    response = client.post(
        reverse("admin:workdays_calendaroverride_add"),
        {"unit": school.pk, "date": "05/12/2026", "reason": "Nghỉ bù ngày lễ"},
    )

    assert 'value="01/12/2026"' in form
    assert "2026-12-01" not in form
    assert response.status_code == 302
    assert CalendarOverride.objects.get(reason="Nghỉ bù ngày lễ").date == date(2026, 12, 5)
    # The calendar pop-up beside the box (its formats come from the same module).
    assert formats.get_format("DATE_INPUT_FORMATS")[0] == "%d/%m/%Y"
    assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
