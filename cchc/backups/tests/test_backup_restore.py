"""A backup taken under load restores into a database whose audit verifies and counts match;
damaged, tampered and too-new archives are refused before anything is written."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from cchc.backups.archive import MANIFEST, read_archive
from cchc.backups.services import run_backup
from cchc.backups.tests.conftest import (
    pg_drop,
    pg_reachable,
    pg_url_for,
    receive_with_scan,
)
from cchc.dossiers.models import Dossier

ROOT = Path(__file__).resolve().parents[3]


def restore_cli(archive: Path, into: str, root: Path) -> subprocess.CompletedProcess[str]:
    """`cchc restore` as an operator runs it, into a fresh database and folders."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CCHC_VAR_DIR": str(root),
        "AUDIT_KEY_FILE": str(root / "keys" / "audit_key"),
    }
    env.pop("SECRET_KEY_FILE", None)
    return subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "cchc.cli",
            "restore",
            str(archive),
            "--into",
            into,
            "--media-root",
            str(root / "media"),
            "--keys-dir",
            str(root / "keys"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def _codes_of_sqlite(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    try:
        return [r[0] for r in db.execute("SELECT code FROM dossiers_dossier ORDER BY code")]
    finally:
        db.close()


@pytest.mark.django_db(transaction=True)
def test_backup_during_twenty_concurrent_receipts_restores_and_verifies(
    media, clerk, school, transfer, tmp_path
) -> None:
    errors: list[BaseException] = []
    started = threading.Barrier(21)
    archive: list[Path] = []

    def receipt(i: int) -> None:
        try:
            started.wait()
            receive_with_scan(clerk, school, transfer, body=f"scan {i}".encode())
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    def backup() -> None:
        try:
            started.wait()
            archive.append(Path(run_backup(to=tmp_path / "backups", verify=False).path))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=receipt, args=(i,)) for i in range(20)]
    threads.append(threading.Thread(target=backup))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Dossier.objects.count() == 20

    manifest = read_archive(archive[0])
    in_backup = manifest["counts"]["dossiers_dossier"]
    assert manifest["counts"]["dossiers_dossierattachment"] == in_backup
    # Files are read after the database snapshot: every committed file is there, perhaps more
    # (restore sets those aside); never fewer.
    assert len([f for f in manifest["files"] if f.startswith("media/")]) >= in_backup

    targets: list[tuple[str, str]] = []
    if connection.vendor == "sqlite":
        targets.append(("sqlite", f"sqlite:///{tmp_path / 'restored.sqlite3'}"))
    pg_name = f"cchc_bk_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    use_pg = connection.vendor == "postgresql" or pg_reachable()
    if use_pg:  # SQLite -> PostgreSQL on the SQLite pass, PostgreSQL -> PostgreSQL on the other
        targets.append(("postgresql", pg_url_for(pg_name)))
    try:
        for label, into in targets:
            done = restore_cli(archive[0], into, tmp_path / f"restore-{label}")
            out = done.stdout + done.stderr
            assert done.returncode == 0, out
            assert "Toàn vẹn:" in out
            assert "khớp với bản kê" in out
            assert "Thiếu tệp" not in out
            restored_media = tmp_path / f"restore-{label}" / "media" / "dossiers"
            assert len([p for p in restored_media.rglob("*") if p.is_file()]) == in_backup
    finally:
        if use_pg:
            pg_drop(pg_name)

    if connection.vendor == "sqlite":
        codes = _codes_of_sqlite(tmp_path / "restored.sqlite3")
        # Committed receipts only, numbered without a gap from 0001.
        assert [int(c.rsplit("-", 1)[1]) for c in codes] == list(range(1, in_backup + 1))


def _rewrite(archive: Path, target: Path, change) -> None:
    """Copy an archive member by member, letting `change(name, data)` alter the bytes."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read()
            data = change(member.name, data)
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))


@pytest.fixture
def small_archive(media, clerk, school, transfer, tmp_path) -> Path:
    receive_with_scan(clerk, school, transfer)
    return Path(run_backup(to=tmp_path / "backups", verify=False).path)


@pytest.mark.django_db(transaction=True)
def test_tampered_truncated_and_newer_archives_are_refused(small_archive, tmp_path) -> None:
    assert read_archive(small_archive)["format"] == 1

    tampered = tmp_path / "tampered" / "cchc-20261130-010000.tar.gz"
    tampered.parent.mkdir()
    _rewrite(
        small_archive,
        tampered,
        lambda name, data: data.replace(b"%PDF", b"%PDX") if name.startswith("media/") else data,
    )
    with pytest.raises(CommandError, match="đã bị thay đổi sau khi tạo"):
        call_command("restore", str(tampered), "--check")

    truncated = tmp_path / "truncated" / small_archive.name
    truncated.parent.mkdir()
    truncated.write_bytes(small_archive.read_bytes()[: small_archive.stat().st_size // 2])
    with pytest.raises(CommandError, match="bị hỏng hoặc không đầy đủ"):
        call_command("restore", str(truncated), "--check")

    # A careful forger rewrites the manifest's checksums too: the .sha256 beside it still differs.
    changed: dict[str, dict[str, object]] = {}

    def forge(name: str, data: bytes) -> bytes:
        if name.startswith("media/"):
            data = data + b"forged"
            changed[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        elif name == MANIFEST:
            manifest = json.loads(data)
            manifest["files"].update(changed)
            data = json.dumps(manifest).encode()
        return data

    forged = tmp_path / "forged" / small_archive.name
    forged.parent.mkdir()
    _rewrite(small_archive, forged, forge)
    assert changed
    (forged.parent / (forged.name + ".sha256")).write_text(
        (small_archive.parent / (small_archive.name + ".sha256")).read_text()
    )
    with pytest.raises(CommandError, match=r"không khớp tệp \.sha256"):
        call_command("restore", str(forged), "--check")

    def future(name: str, data: bytes) -> bytes:
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["migrations"].setdefault("dossiers", []).append("9999_from_the_future")
        manifest["version"] = "9.0.0"
        return json.dumps(manifest).encode()

    newer = tmp_path / "newer" / small_archive.name
    newer.parent.mkdir()
    _rewrite(small_archive, newer, future)
    with pytest.raises(CommandError, match="mới hơn mã nguồn đang chạy"):
        call_command("restore", str(newer), "--check")


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_holds_data(small_archive) -> None:
    dossiers = Dossier.objects.count()

    with pytest.raises(CommandError, match=r"đã có \d+ bảng dữ liệu"):
        call_command("restore", str(small_archive))

    assert Dossier.objects.count() == dossiers
