"""Uploads appear only after commit; the sweep finishes or undoes what a crash interrupted."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction

from cchc.backups.storage import PENDING_DIR, CommitSafeStorage
from cchc.backups.sweep import sweep_uploads
from cchc.backups.tests.conftest import receive_with_scan
from cchc.dossiers.models import Dossier, DossierAttachment

pytestmark = pytest.mark.django_db(transaction=True)


def _age(path: Path, seconds: int) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_storage_is_configured() -> None:
    assert isinstance(default_storage, CommitSafeStorage)


def test_file_is_published_only_when_the_transaction_commits(media, clerk, school, transfer):
    with transaction.atomic():
        dossier = receive_with_scan(clerk, school, transfer)
        name = dossier.attachments.get().file.name
        assert not (media / name).exists()
        assert (media / PENDING_DIR / name).read_bytes().startswith(b"%PDF")
        # Read back inside the transaction: the storage finds the pending file.
        assert dossier.attachments.get().file.open("rb").read(4) == b"%PDF"

    assert (media / name).read_bytes().startswith(b"%PDF")
    assert not (media / PENDING_DIR / name).exists()


def test_rolled_back_upload_never_reaches_its_place_and_is_swept(media, clerk, school, transfer):
    names: list[str] = []

    def failing_request() -> None:
        with transaction.atomic():
            dossier = receive_with_scan(clerk, school, transfer)
            names.append(dossier.attachments.get().file.name)
            raise RuntimeError("the request failed after the upload")

    with pytest.raises(RuntimeError):
        failing_request()
    name = names[0]

    assert Dossier.objects.count() == 0
    assert not (media / name).exists()
    pending = media / PENDING_DIR / name
    assert pending.exists()

    assert sweep_uploads().discarded == []  # young: its transaction might still be open
    _age(pending, 7200)
    result = sweep_uploads()

    assert result.discarded == [name]
    assert not pending.exists()


def test_commit_without_the_move_is_finished_by_the_sweep(media, clerk, school, transfer):
    """The process died between COMMIT and the on_commit move: the row points at a pending file."""
    dossier = receive_with_scan(clerk, school, transfer)
    name = dossier.attachments.get().file.name
    os.replace(media / name, media / PENDING_DIR / name)  # as it was before the move

    result = sweep_uploads()

    assert result.published == [name]
    assert result.missing == []
    assert (media / name).read_bytes().startswith(b"%PDF")


def test_unreferenced_file_is_set_aside_not_deleted(media, clerk, school, transfer):
    receive_with_scan(clerk, school, transfer)
    stray = media / "dossiers" / "stray.pdf"
    stray.write_bytes(b"%PDF-stray")
    _age(stray, 7200)

    result = sweep_uploads()

    assert result.set_aside == ["dossiers/stray.pdf"]
    assert not stray.exists()
    assert list((media / ".orphans").rglob("stray.pdf"))
    assert DossierAttachment.objects.get().file.storage.exists(
        DossierAttachment.objects.get().file.name
    )


def test_same_name_twice_gets_two_files(media) -> None:
    with transaction.atomic():
        first = default_storage.save("dossiers/a.pdf", ContentFile(b"%PDF-1"))
        second = default_storage.save("dossiers/a.pdf", ContentFile(b"%PDF-2"))

    assert first != second
    assert (media / first).read_bytes() == b"%PDF-1"
    assert (media / second).read_bytes() == b"%PDF-2"


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout")
        timeout_ms = cursor.fetchone()[0]
    assert mode == "wal"
    assert timeout_ms >= 5000
