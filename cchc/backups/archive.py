"""One backup archive: database snapshot, uploaded files, keys and a manifest, in a .tar.gz.

Layout inside the archive::

    db/cchc.sqlite3 | db/cchc.pgdump   the snapshot (snapshot.py)
    media/<name>                       every uploaded file (media/.pending/... for uploads whose
                                       move was still due: restore finishes or drops them)
    keys/secret_key, keys/audit_key    Django's SECRET_KEY and the audit HMAC key (when present)
    manifest.json                      last member: version, migrations, counts, audit chain heads,
                                       sha256 and size of every other member

The archive is written as `<name>.part` and renamed when complete, so a half-written file never
looks like a backup; `<name>.sha256` beside it (sha256sum format) lets anyone check the copy on a
USB disk with `sha256sum -c`.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

from cchc.backups.snapshot import DatabaseFacts, snapshot_database
from cchc.backups.storage import PENDING_DIR, CommitSafeStorage

FORMAT = 1
MANIFEST = "manifest.json"
SUFFIX = ".tar.gz"
PREFIX = "cchc-"


class ArchiveError(ValueError):
    """The archive cannot be trusted; the message is for the person restoring (Vietnamese)."""


def app_version() -> str:
    try:
        return metadata.version("cchc")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def audit_key_path() -> Path:
    """Where the audit HMAC key lives (setting AUDIT_KEY_FILE, default var/audit_key)."""
    configured = getattr(settings, "AUDIT_KEY_FILE", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "audit_key"


def secret_key_path() -> Path:
    configured = os.environ.get("SECRET_KEY_FILE", "")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "secret_key"


class _HashingReader:
    """Hashes what tarfile reads, so each file is read once."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        chunk = self.raw.read(n)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk


@dataclass
class BackupResult:
    path: Path
    size: int
    sha256: str
    manifest: dict[str, Any]


class _Writer:
    def __init__(self, tar: tarfile.TarFile) -> None:
        self.tar = tar
        self.files: dict[str, dict[str, Any]] = {}

    def _info(self, name: str, size: int, mtime: float) -> tarfile.TarInfo:
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, int(mtime), 0o600
        return info

    def add_path(self, name: str, path: Path) -> None:
        stat = path.stat()
        with open(path, "rb") as raw:
            reader = _HashingReader(raw)
            self.tar.addfile(self._info(name, stat.st_size, stat.st_mtime), reader)
        self.files[name] = {"sha256": reader.digest.hexdigest(), "size": reader.size}

    def add_bytes(self, name: str, data: bytes) -> None:
        now = timezone.now().timestamp()
        self.tar.addfile(self._info(name, len(data), now), io.BytesIO(data))
        self.files[name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def _media_files() -> list[tuple[str, Path]]:
    store = default_storage
    root = Path(settings.MEDIA_ROOT)
    if isinstance(store, CommitSafeStorage):
        found = list(store.listdir_all())
        found += [(f"{PENDING_DIR}/{n}", p) for n, p in store.pending_all()]
        return found
    if not root.exists():
        return []
    return [(p.relative_to(root).as_posix(), p) for p in root.rglob("*") if p.is_file()]


def archive_name(at: datetime) -> str:
    return f"{PREFIX}{timezone.localtime(at):%Y%m%d-%H%M%S}{SUFFIX}"


def create_backup(dest_dir: Path, *, at: datetime | None = None) -> BackupResult:
    """Write one complete archive into `dest_dir` (created, mode 0700) and return it."""
    at = at or timezone.now()
    dest_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(dest_dir, 0o700)
    final = dest_dir / archive_name(at)
    part = final.with_name(final.name + ".part")
    with tempfile.TemporaryDirectory(prefix="cchc-backup-", dir=dest_dir) as work:
        db_file, facts = snapshot_database(Path(work))
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=1) as tar:
                writer = _Writer(tar)
                writer.add_path(f"db/{db_file.name}", db_file)
                db_file.unlink()
                for name, path in sorted(_media_files()):
                    try:
                        writer.add_path(f"media/{name}", path)
                    except FileNotFoundError:
                        continue  # a pending file published or dropped while we read
                writer.add_bytes("keys/secret_key", str(settings.SECRET_KEY).encode())
                key = audit_key_path()
                if key.is_file():
                    writer.add_bytes("keys/audit_key", key.read_bytes())
                manifest = build_manifest(at, facts, f"db/{db_file.name}", writer.files)
                writer.add_bytes(
                    MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                )
            raw.flush()
            os.fsync(raw.fileno())
    os.replace(part, final)
    digest = file_sha256(final)
    sidecar = final.with_name(final.name + ".sha256")
    sidecar.write_text(f"{digest}  {final.name}\n", encoding="utf-8")
    os.chmod(sidecar, 0o600)
    return BackupResult(path=final, size=final.stat().st_size, sha256=digest, manifest=manifest)


def build_manifest(
    at: datetime, facts: DatabaseFacts, db_member: str, files: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "app": "cchc",
        "version": app_version(),
        "created_at": at.isoformat(),
        "database": {"engine": facts.engine, "file": db_member, "integrity": facts.integrity},
        "migrations": facts.migrations,
        "counts": facts.counts,
        "audit_heads": facts.audit_heads,
        "files": files,
    }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------- reading

BROKEN = (
    "Tệp sao lưu {name} bị hỏng hoặc không đầy đủ (có thể bị cắt cụt khi sao chép): {detail}. "
    "Hãy dùng một bản sao lưu khác."
)
TAMPERED = (
    "Tệp sao lưu {name} đã bị thay đổi sau khi tạo: {detail}. "
    "Không khôi phục từ bản này; hãy dùng một bản sao lưu khác."
)


def _safe_member(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ArchiveError(f"Tệp sao lưu chứa đường dẫn không hợp lệ: {name}")
    if path.parts[0] not in ("db", "media", "keys", MANIFEST):
        raise ArchiveError(f"Tệp sao lưu chứa mục lạ: {name}")
    return path


def read_archive(archive: Path, extract_to: Path | None = None) -> dict[str, Any]:
    """Stream through the archive, check every member against the manifest, return the manifest.

    With `extract_to`, members are written there as they are read (into a fresh directory the
    caller throws away if this raises). Raises ArchiveError with a Vietnamese message.
    """
    name = archive.name
    sidecar = archive.with_name(archive.name + ".sha256")
    if sidecar.is_file():
        expected = sidecar.read_text(encoding="utf-8").split()[0:1]
        if expected and expected[0] != file_sha256(archive):
            raise ArchiveError(
                TAMPERED.format(name=name, detail="mã băm SHA-256 không khớp tệp .sha256 kèm theo")
            )
    seen: dict[str, dict[str, Any]] = {}
    manifest_bytes = b""
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            for member in tar:
                if member.isdir():
                    continue
                if not member.isfile():
                    raise ArchiveError(f"Tệp sao lưu chứa mục không phải tệp thường: {member.name}")
                path = _safe_member(member.name)
                source = tar.extractfile(member)
                if source is None:
                    continue
                digest, size = hashlib.sha256(), 0
                out = None
                if extract_to is not None and member.name != MANIFEST:
                    target = extract_to.joinpath(*path.parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    out = open(target, "wb")  # noqa: SIM115 - closed below
                try:
                    while chunk := source.read(1024 * 1024):
                        digest.update(chunk)
                        size += len(chunk)
                        if member.name == MANIFEST:
                            manifest_bytes += chunk
                        elif out is not None:
                            out.write(chunk)
                finally:
                    if out is not None:
                        out.close()
                seen[member.name] = {"sha256": digest.hexdigest(), "size": size}
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise ArchiveError(
            BROKEN.format(name=name, detail=str(error) or type(error).__name__)
        ) from None
    if MANIFEST not in seen:
        raise ArchiveError(BROKEN.format(name=name, detail="không có tệp manifest.json"))
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
        listed = manifest["files"]
        db_member = manifest["database"]["file"]
    except (ValueError, KeyError, TypeError):
        raise ArchiveError(
            BROKEN.format(name=name, detail="manifest.json không đọc được")
        ) from None
    if manifest.get("format") != FORMAT or manifest.get("app") != "cchc":
        raise ArchiveError(f"{name} không phải bản sao lưu cchc định dạng {FORMAT}.")
    for member, expected in listed.items():
        got = seen.get(member)
        if got is None:
            raise ArchiveError(BROKEN.format(name=name, detail=f"thiếu tệp {member}"))
        if got != {"sha256": expected.get("sha256"), "size": expected.get("size")}:
            raise ArchiveError(TAMPERED.format(name=name, detail=f"tệp {member} không khớp mã băm"))
    extra = sorted(set(seen) - set(listed) - {MANIFEST})
    if extra:
        raise ArchiveError(TAMPERED.format(name=name, detail=f"có tệp lạ {extra[0]}"))
    if db_member not in listed:
        raise ArchiveError(BROKEN.format(name=name, detail="thiếu bản sao CSDL"))
    return manifest


def list_archives(directory: Path) -> list[Path]:
    if not directory.exists():
        return []
    return sorted(
        p for p in directory.iterdir() if p.name.startswith(PREFIX) and p.name.endswith(SUFFIX)
    )


def remove_archive(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.with_name(path.name + ".sha256").unlink(missing_ok=True)


def copy_tree(source: Path, target: Path) -> None:
    """Move restored media into place (same file system: rename; otherwise copy)."""
    target.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        shutil.move(str(item), str(target / item.name))
