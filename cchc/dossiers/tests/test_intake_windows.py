"""Admission "theo kế hoạch" (Circular 30/2024): the approved plan's windows publish the
procedure, open and close the desk, and give each dossier its due date (the results day)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cchc.core.models import AuditEvent
from cchc.dossiers import intake_windows
from cchc.dossiers.models import IntakeWindow, Procedure
from cchc.dossiers.tests.factories import at, receive_dossier
from tests.fixtures import client_for

WINDOW = {
    "opens_on": "2026-07-01",
    "closes_on": "2026-07-10",
    "results_on": "2026-07-20",
    "basis": "Kế hoạch số 08/KH-THCS ngày 02/6/2026, được UBND xã phê duyệt",
}


@pytest.fixture
def admission(catalogue) -> Procedure:
    return next(p for name, p in catalogue.items() if name.startswith("Tuyển sinh"))


@pytest.mark.django_db
def test_admission_without_a_window_is_unpublished_and_receives_nothing(
    clerk, admission, citizen
) -> None:
    assert not admission.is_published
    with pytest.raises(ValidationError, match="chưa có thời hạn giải quyết"):
        receive_dossier(clerk, admission, at(2026, 7, 2, 9, 0))
    page = client_for(clerk).get(reverse("dossiers:procedures")).content.decode()
    assert "chưa có đợt tiếp nhận theo kế hoạch" in page
    assert reverse("dossiers:procedure_windows", args=[admission.pk]) in page


@pytest.mark.django_db
def test_clerk_enters_the_plans_window_and_the_procedure_opens_within_it(
    clerk, admission, citizen
) -> None:
    response = client_for(clerk).post(
        reverse("dossiers:procedure_windows", args=[admission.pk]), WINDOW
    )

    assert response.status_code == 302
    admission.refresh_from_db()
    assert admission.is_published
    assert "time_limit_unit" not in admission.unconfirmed  # the approved plan confirms it
    assert AuditEvent.objects.filter(verb="procedure.window_add").count() == 1
    inside = receive_dossier(clerk, admission, at(2026, 7, 3, 16, 30))
    assert inside.due_at == at(2026, 7, 20, 17, 0)
    with pytest.raises(ValidationError, match="chỉ nhận hồ sơ trong thời gian của kế hoạch"):
        receive_dossier(clerk, admission, at(2026, 7, 13, 9, 0))
    with frozen_before_window():
        public = citizen.get(reverse("portal:procedure_detail", args=[admission.pk]))
    body = public.content.decode()
    assert "Từ 01/07/2026 đến 10/07/2026; công bố kết quả ngày 20/07/2026" in body
    assert "08/KH-THCS" in body
    assert "không áp dụng giờ chốt" not in body


def frozen_before_window():
    from cchc.dossiers.tests.factories import frozen_at

    return frozen_at(at(2026, 6, 15, 9, 0))


@pytest.mark.django_db
def test_outside_the_window_the_message_names_the_next_one(clerk, admission) -> None:
    intake_windows.window_add(
        actor=clerk.user,
        procedure=admission,
        opens_on=date(2026, 7, 1),
        closes_on=date(2026, 7, 10),
        results_on=date(2026, 7, 20),
        basis="Kế hoạch",
    )
    admission.refresh_from_db()

    with pytest.raises(ValidationError, match="đợt tới từ 01/07/2026 đến 10/07/2026"):
        receive_dossier(clerk, admission, at(2026, 6, 29, 9, 0))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"closes_on": "2026-06-30"}, "Ngày cuối nhận hồ sơ phải từ ngày bắt đầu"),
        ({"results_on": "2026-07-09"}, "Ngày công bố kết quả phải từ ngày cuối"),
        ({"opens_on": "2026-07-05"}, "là ngày nghỉ của đơn vị"),  # a Sunday
        ({"basis": ""}, "Hãy ghi kế hoạch được phê duyệt"),
        ({"results_on": "20/13/2026"}, "Ngày không hợp lệ"),
    ],
)
def test_bad_windows_are_refused_in_vietnamese(clerk, admission, change, message) -> None:
    response = client_for(clerk).post(
        reverse("dossiers:procedure_windows", args=[admission.pk]), {**WINDOW, **change}
    )

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not IntakeWindow.objects.exists()


@pytest.mark.django_db
def test_an_overlapping_window_is_refused(clerk, admission) -> None:
    client = client_for(clerk)
    url = reverse("dossiers:procedure_windows", args=[admission.pk])
    client.post(url, WINDOW)

    response = client.post(url, {**WINDOW, "opens_on": "2026-07-08", "closes_on": "2026-07-15"})

    assert response.status_code == 422
    assert "Trùng với đợt tiếp nhận từ 01/07/2026" in response.content.decode()
    assert IntakeWindow.objects.count() == 1


@pytest.mark.django_db
def test_a_teacher_cannot_open_or_add_windows(colleague, admission) -> None:
    client = client_for(colleague)
    url = reverse("dossiers:procedure_windows", args=[admission.pk])

    assert client.get(url).status_code == 403
    assert client.post(url, WINDOW).status_code == 403
    assert not IntakeWindow.objects.exists()


@pytest.mark.django_db
def test_a_procedure_counted_in_days_has_no_window_page(clerk, transfer) -> None:
    response = client_for(clerk).get(reverse("dossiers:procedure_windows", args=[transfer.pk]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_a_window_that_received_dossiers_is_kept_an_empty_one_goes(clerk, admission) -> None:
    client = client_for(clerk)
    client.post(reverse("dossiers:procedure_windows", args=[admission.pk]), WINDOW)
    window = IntakeWindow.objects.get()
    admission.refresh_from_db()
    receive_dossier(clerk, admission, at(2026, 7, 2, 9, 0))

    kept = client.post(reverse("dossiers:window_delete", args=[window.pk]))

    assert kept.status_code == 409
    assert "đã tiếp nhận hồ sơ" in kept.content.decode()
    assert IntakeWindow.objects.filter(pk=window.pk).exists()

    admission.dossiers.all().delete()
    gone = client.post(reverse("dossiers:window_delete", args=[window.pk]))

    assert gone.status_code == 302
    assert not IntakeWindow.objects.exists()
    admission.refresh_from_db()
    assert not admission.is_published
    assert AuditEvent.objects.filter(verb="procedure.window_delete").count() == 1
