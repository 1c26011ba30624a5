"""Uploaded files (dossier scans, plan evidence) are served only through scoped download views."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cchc.dossiers.models import Dossier, DossierAttachment, Procedure
from cchc.plans.models import Activity, Evidence, Plan, Task
from tests.fixtures import client_for

PDF = b"%PDF-1.4 ban quet can cuoc cong dan\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def attachment(school):
    procedure = Procedure.objects.create(
        unit=school, name="Chuyển trường", valid_from=date(2025, 1, 1)
    )
    dossier = Dossier.objects.create(
        code=f"{school.code}-261120-0001",
        unit=school,
        procedure=procedure,
        channel="in_person",
        status="accepted",
        applicant_name="Nguyễn Văn An",
        received_at=timezone.now(),
        due_at=timezone.now(),
    )
    attachment = DossierAttachment(dossier=dossier, document_name="Căn cước công dân")
    attachment.file.save("cccd-nguyen-van-an.pdf", ContentFile(PDF), save=True)
    return attachment


@pytest.fixture
def task(school):
    plan = Plan.objects.create(unit=school, title="Kế hoạch CCHC năm 2026", year=2026)
    parent = Task.objects.create(plan=plan, number="1", title="Cải cách thủ tục hành chính")
    return Task.objects.create(plan=plan, parent=parent, number="1.1", title="Rà soát thủ tục")


@pytest.fixture
def evidence(task):
    evidence = Evidence(task=task, title="Báo cáo rà soát")
    evidence.file.save("bao-cao-ra-soat.pdf", ContentFile(PDF), save=True)
    return evidence


@pytest.fixture
def activity(school):
    activity = Activity(
        unit=school, kind="training", title="Tập huấn CCHC", held_on=date(2026, 3, 2)
    )
    activity.evidence_file.save("danh-sach-tham-du.pdf", ContentFile(PDF), save=False)
    activity.save()
    return activity


def _url(obj) -> str:
    if isinstance(obj, DossierAttachment):
        return reverse("dossiers:attachment", args=[obj.pk])
    if isinstance(obj, Evidence):
        return reverse("plans:evidence_file", args=[obj.pk])
    return reverse("plans:activity_file", args=[obj.pk])


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


# ---------------------------------------------------------------- dossier attachments


@pytest.mark.django_db
def test_clerk_downloads_the_scan_as_uploaded(clerk, attachment) -> None:
    response = client_for(clerk).get(_url(attachment))

    assert response.status_code == 200
    assert _body(response) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert "cccd-nguyen-van-an" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_dossier_page_links_to_the_download_view(principal, attachment) -> None:
    page = client_for(principal).get(reverse("dossiers:detail", args=[attachment.dossier.pk]))

    body = page.content.decode()
    assert _url(attachment) in body
    assert attachment.file.url not in body


@pytest.mark.django_db
def test_outsider_gets_404_for_another_schools_scan(outsider, attachment) -> None:
    response = client_for(outsider).get(_url(attachment))

    assert response.status_code == 404
    assert PDF not in response.content


@pytest.mark.django_db
def test_teacher_not_handed_the_dossier_gets_404(colleague, attachment) -> None:
    response = client_for(colleague).get(_url(attachment))

    assert response.status_code == 404


@pytest.mark.django_db
def test_commune_officer_reads_scans_of_schools_below(commune_officer, attachment) -> None:
    response = client_for(commune_officer).get(_url(attachment))

    assert response.status_code == 200
    assert _body(response) == PDF


@pytest.mark.django_db
def test_media_path_itself_is_not_served(clerk, attachment) -> None:
    response = client_for(clerk).get(attachment.file.url)

    assert response.status_code == 404


@pytest.mark.django_db
def test_download_accepts_no_post(clerk, attachment) -> None:
    response = client_for(clerk).post(_url(attachment))

    assert response.status_code == 405


# ---------------------------------------------------------------- every kind of file


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["attachment", "evidence", "activity"])
def test_staff_of_the_unit_downloads_it(kind, principal, request) -> None:
    obj = request.getfixturevalue(kind)

    response = client_for(principal).get(_url(obj))

    assert response.status_code == 200
    assert _body(response) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["attachment", "evidence", "activity"])
def test_outsider_gets_404(kind, outsider, request) -> None:
    obj = request.getfixturevalue(kind)

    response = client_for(outsider).get(_url(obj))

    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["attachment", "evidence", "activity"])
def test_anonymous_is_sent_to_login(kind, request) -> None:
    obj = request.getfixturevalue(kind)

    response = Client().get(_url(obj))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["attachment", "evidence", "activity"])
def test_file_missing_on_disk_is_a_vietnamese_404(kind, principal, request) -> None:
    obj = request.getfixturevalue(kind)
    field = obj.evidence_file if isinstance(obj, Activity) else obj.file
    field.storage.delete(field.name)

    response = client_for(principal).get(_url(obj))

    assert response.status_code == 404
    assert "Tệp không còn trên máy chủ" in response.content.decode()


@pytest.mark.django_db
def test_link_only_evidence_has_no_file_to_download(principal, task) -> None:
    link = Evidence.objects.create(task=task, title="Bài đăng", url="https://truong.edu.vn/a")

    response = client_for(principal).get(_url(link))

    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


@pytest.mark.django_db
def test_task_and_activity_pages_link_to_the_download_views(principal, evidence, activity) -> None:
    client = client_for(principal)

    task_page = client.get(reverse("plans:task_detail", args=[evidence.task.pk])).content.decode()
    activity_page = client.get(reverse("plans:activity_list")).content.decode()

    assert _url(evidence) in task_page
    assert _url(activity) in activity_page
    assert "/media/" not in task_page + activity_page
