"""Backup runs: one at a time, recorded, verified, pruned by the 7/4/12 retention."""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from cchc.backups.archive import (
    PREFIX,
    SUFFIX,
    ArchiveError,
    create_backup,
    list_archives,
    read_archive,
    remove_archive,
)
from cchc.backups.models import BackupRun, BackupStatus
from cchc.backups.snapshot import pg_tool

log = logging.getLogger(__name__)

KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
# A second nightly run within this window (the worker re-ran the job after a crash) does nothing.
NIGHTLY_WINDOW = timedelta(hours=20)
# The page warns when no backup succeeded for this long.
STALE_AFTER = timedelta(days=2)


class BackupBusy(RuntimeError):
    pass


def backup_dir() -> Path:
    configured = getattr(settings, "CCHC_BACKUP_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "backups"


@contextlib.contextmanager
def _exclusive(directory: Path) -> Iterator[None]:
    """One backup at a time per directory, across processes (cron, worker, a person)."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "a+b") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupBusy("Một lần sao lưu khác đang chạy vào cùng thư mục.") from None
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _clean_leftovers(directory: Path) -> None:
    """Under the lock, anything half-made belongs to a run that died (power cut, kill)."""
    for item in directory.iterdir():
        if item.name.endswith(".part") or (item.is_dir() and item.name.startswith("cchc-backup-")):
            if item.is_dir():
                shutil.rmtree(item, ignore_errors=True)
            else:
                item.unlink(missing_ok=True)
    BackupRun.objects.filter(status=BackupStatus.RUNNING).update(
        status=BackupStatus.FAILED,
        finished_at=timezone.now(),
        message="Bị gián đoạn (máy tắt hoặc tiến trình bị dừng giữa chừng).",
    )


def _archive_time(path: Path) -> datetime | None:
    stem = path.name[len(PREFIX) : -len(SUFFIX)]
    try:
        naive = datetime.strptime(stem, "%Y%m%d-%H%M%S")  # noqa: DTZ007 - local time, made aware
    except ValueError:
        return None
    return timezone.make_aware(naive)


def archives_to_keep(times: list[datetime]) -> set[datetime]:
    """Grandfather-father-son: the newest archive of each of the last 7 days, 4 ISO weeks and
    12 months that have one."""
    keep: set[datetime] = set()
    ordered = sorted(times, reverse=True)
    for limit, bucket in (
        (KEEP_DAILY, lambda t: timezone.localtime(t).date()),
        (KEEP_WEEKLY, lambda t: timezone.localtime(t).isocalendar()[:2]),
        (KEEP_MONTHLY, lambda t: (timezone.localtime(t).year, timezone.localtime(t).month)),
    ):
        seen: list[object] = []
        for moment in ordered:
            key = bucket(moment)
            if key in seen:
                continue
            if len(seen) == limit:
                break
            seen.append(key)
            keep.add(moment)
    return keep


def prune(directory: Path) -> list[Path]:
    """Delete archives outside the retention; returns what was removed."""
    dated = {p: t for p in list_archives(directory) if (t := _archive_time(p)) is not None}
    keep = archives_to_keep(list(dated.values()))
    removed = [p for p, t in dated.items() if t not in keep]
    for path in removed:
        remove_archive(path)
    if removed:
        BackupRun.objects.filter(path__in=[str(p) for p in removed]).update(removed=True)
    return removed


def verify_backup(path: Path) -> tuple[bool, str]:
    """Read the archive back; for SQLite also restore it into a scratch folder and check it."""
    try:
        manifest = read_archive(path)
    except ArchiveError as error:
        return False, str(error)
    if manifest["database"]["engine"] == "postgresql":
        return _verify_pg_dump(path)
    with tempfile.TemporaryDirectory(prefix="cchc-verify-") as scratch:
        root = Path(scratch)
        env = {
            **os.environ,
            "CCHC_VAR_DIR": str(root),
            "AUDIT_KEY_FILE": str(root / "keys" / "audit_key"),
        }
        env.pop("SECRET_KEY_FILE", None)
        env.setdefault("SECRET_KEY", str(settings.SECRET_KEY))
        done = subprocess.run(  # noqa: S603 - our own console script
            [
                sys.executable,
                "-m",
                "cchc.cli",
                "restore",
                str(path),
                "--into",
                f"sqlite:///{root / 'verify.sqlite3'}",
                "--media-root",
                str(root / "media"),
                "--keys-dir",
                str(root / "keys"),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=3600,
        )
    note = (done.stdout + done.stderr).strip()
    return done.returncode == 0, "Khôi phục thử vào CSDL tạm: " + note[-3000:]


def _verify_pg_dump(path: Path) -> tuple[bool, str]:
    import tarfile

    with tempfile.TemporaryDirectory(prefix="cchc-verify-") as scratch:
        with tarfile.open(path, "r:gz") as tar:
            member = tar.getmember("db/cchc.pgdump")
            tar.extract(member, scratch, filter="data")
        done = subprocess.run(  # noqa: S603
            [pg_tool("pg_restore"), "--list", str(Path(scratch) / "db" / "cchc.pgdump")],
            capture_output=True,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        return False, "pg_restore không đọc được bản sao CSDL: " + done.stderr.strip()[:2000]
    entries = sum(1 for line in done.stdout.splitlines() if line and not line.startswith(";"))
    return True, f"Mã băm khớp; pg_restore đọc được {entries} mục của bản sao CSDL."


def run_backup(
    *, to: Path | None = None, trigger: str = "manual", verify: bool = True
) -> BackupRun:
    """Make one archive, record it, verify it and prune the default folder."""
    directory = to or backup_dir()
    with _exclusive(directory):
        _clean_leftovers(directory)
        run = BackupRun.objects.create(started_at=timezone.now(), trigger=trigger)
        try:
            result = create_backup(directory, at=run.started_at)
        except Exception as error:
            log.exception("backup failed")
            run.status, run.finished_at = BackupStatus.FAILED, timezone.now()
            run.message = f"{type(error).__name__}: {error}"[:4000]
            run.save()
            raise
        run.path, run.size, run.sha256 = str(result.path), result.size, result.sha256
        counts = result.manifest.get("counts", {})
        run.counts = {
            k: v for k, v in counts.items() if k in ("dossiers_dossier", "core_auditevent")
        } | {"tables": len(counts), "files": len(result.manifest.get("files", {}))}
        if verify:
            run.verified, run.verify_note = verify_backup(result.path)
        run.status, run.finished_at = BackupStatus.OK, timezone.now()
        run.save()
        if to is None or directory == backup_dir():
            removed = prune(directory)
            if removed:
                run.message = f"Đã xóa {len(removed)} bản cũ theo lịch giữ 7 ngày/4 tuần/12 tháng."
                run.save(update_fields=["message"])
    return run


def nightly_backup() -> BackupRun | None:
    """The worker's job; a repeat within the window (re-run after a crash) does nothing."""
    recent = BackupRun.objects.filter(
        trigger="nightly",
        status=BackupStatus.OK,
        started_at__gte=timezone.now() - NIGHTLY_WINDOW,
    ).exists()
    if recent:
        return None
    return run_backup(trigger="nightly")


def backup_health(now: datetime | None = None) -> dict[str, object]:
    """What the admin's page shows: the last success and whether it is too old."""
    now = now or timezone.now()
    last_ok = BackupRun.objects.filter(status=BackupStatus.OK).first()
    last = BackupRun.objects.first()
    stale = last_ok is None or now - last_ok.started_at > STALE_AFTER
    return {"last_ok": last_ok, "last": last, "stale": stale}
