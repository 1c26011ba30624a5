"""Retention 7/4/12, the nightly job run twice, and the admin's page with its warning."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cchc.backups import services, tasks
from cchc.backups.archive import archive_name, list_archives
from cchc.backups.models import BackupRun, BackupStatus
from cchc.core.timezones import VN
from tests.factories import UserFactory


def test_retention_keeps_seven_days_four_weeks_twelve_months() -> None:
    # One archive a night at 02:00 for two years, plus a second one on the last day.
    last = datetime(2026, 11, 30, 2, 0, tzinfo=VN)
    times = [last - timedelta(days=n) for n in range(730)] + [last.replace(hour=14)]

    keep = services.archives_to_keep(times)

    days = {t.date() for t in keep}
    # The 7 newest days (the last day's newest archive only), then week and month ends.
    assert {last.date() - timedelta(days=n) for n in range(7)} <= days
    assert last.replace(hour=14) in keep
    assert last not in keep
    weeks = {t.isocalendar()[:2] for t in keep}
    assert len(weeks) >= 4
    months = {(t.year, t.month) for t in keep}
    assert len(months) == 12
    assert min(keep) >= datetime(2025, 12, 1, tzinfo=VN)
    assert len(keep) <= 7 + 4 + 12


def test_prune_removes_archives_outside_the_retention(tmp_path: Path, db) -> None:
    start = datetime(2026, 1, 1, 2, 0, tzinfo=VN)
    for n in range(60):
        path = tmp_path / archive_name(start + timedelta(days=n))
        path.write_bytes(b"x")
        (tmp_path / (path.name + ".sha256")).write_text("x")

    removed = services.prune(tmp_path)

    kept = list_archives(tmp_path)
    assert len(kept) + len(removed) == 60
    assert 7 <= len(kept) <= 7 + 4 + 12
    assert all(not (tmp_path / (p.name + ".sha256")).exists() for p in removed)


@pytest.mark.django_db(transaction=True)
def test_nightly_job_verifies_and_does_nothing_when_run_again(media, settings, tmp_path) -> None:
    settings.CCHC_BACKUP_DIR = tmp_path / "backups"

    first = tasks.nightly_backup.enqueue().return_value
    second = tasks.nightly_backup.enqueue().return_value

    run = BackupRun.objects.get()
    assert run.status == BackupStatus.OK
    assert run.trigger == "nightly"
    assert run.verified, run.verify_note
    if connection.vendor == "sqlite":  # restored into a scratch SQLite file and audited
        assert "Toàn vẹn" in run.verify_note
    else:  # the dump is read back by pg_restore
        assert "pg_restore đọc được" in run.verify_note
    assert first["verified"] is True
    assert second["skipped"] is True
    assert len(list_archives(tmp_path / "backups")) == 1


@pytest.mark.django_db
def test_interrupted_run_is_marked_failed_and_its_leftovers_removed(settings, tmp_path) -> None:
    settings.CCHC_BACKUP_DIR = tmp_path
    (tmp_path / "cchc-20261129-020000.tar.gz.part").write_bytes(b"half")
    BackupRun.objects.create(started_at=timezone.now() - timedelta(hours=5))

    run = services.run_backup(verify=False)

    assert run.status == BackupStatus.OK
    assert not list(tmp_path.glob("*.part"))
    interrupted = BackupRun.objects.exclude(pk=run.pk).get()
    assert interrupted.status == BackupStatus.FAILED
    assert "gián đoạn" in interrupted.message


@pytest.fixture
def admin_client(db) -> Client:
    client = Client()
    client.force_login(UserFactory(username="quantri", is_superuser=True, is_staff=True))
    return client


@pytest.mark.django_db
def test_page_shows_last_backup_and_warns_after_two_days(admin_client) -> None:
    url = reverse("backups:status")
    body = admin_client.get(url).content.decode()
    assert "Chưa có lần sao lưu nào thành công" in body

    BackupRun.objects.create(
        started_at=timezone.now() - timedelta(days=3),
        status=BackupStatus.OK,
        size=5 * 1024 * 1024,
        verified=True,
        path="/srv/cchc/var/backups/cchc-x.tar.gz",
    )
    body = admin_client.get(url).content.decode()
    assert "Chưa có lần sao lưu nào thành công trong 2 ngày qua" in body
    assert "5,0\xa0MB" in body

    BackupRun.objects.create(
        started_at=timezone.now() - timedelta(hours=3),
        status=BackupStatus.OK,
        size=1,
        verified=True,
    )
    BackupRun.objects.create(
        started_at=timezone.now() - timedelta(hours=1),
        status=BackupStatus.FAILED,
        message="pg_dump thất bại",
    )
    body = admin_client.get(url).content.decode()
    assert "Cảnh báo" not in body
    assert "Đã kiểm tra" in body
    assert "pg_dump thất bại" in body


@pytest.mark.django_db
def test_page_is_for_the_system_admin_only(principal) -> None:
    client = Client()
    client.force_login(principal.user)

    assert client.get(reverse("backups:status")).status_code == 403
