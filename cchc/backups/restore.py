"""Restore an archive into an empty database, then prove the result.

Order: read and check the whole archive (checksums, schema not newer than the code) before
touching anything; refuse a database or media folder that already holds data; load the database
(SQLite file copy, `pg_restore`, or — SQLite archive into PostgreSQL — the snapshot migrated
forward in a scratch SQLite file, dumped with `dumpdata` by this code and loaded with `loaddata`);
migrate forward; put files and keys in place; then run `cchc audit verify`, compare every table's
count and every audit chain head with the manifest, and look for referenced files that are
missing. The report says what was found; `ok` is False when anything differs.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from cchc.backups import precise_json
from cchc.backups.archive import (
    ArchiveError,
    audit_key_path,
    copy_tree,
    read_archive,
    secret_key_path,
)
from cchc.backups.snapshot import (
    audit_head_table,
    extra_connection,
    pg_env,
    pg_tool,
    sqlite_facts,
)
from cchc.backups.storage import PENDING_DIR

SCRATCH_ALIAS = "cchc_restore_scratch"
# Tables whose row count legitimately differs after a restore.
NOT_COMPARED = frozenset({"django_migrations", "sqlite_sequence"})


@dataclass
class RestoreReport:
    archive: str
    manifest: dict[str, Any]
    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    migrated: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def say(self, line: str) -> None:
        self.lines.append(line)

    def problem(self, line: str) -> None:
        self.problems.append(line)


def newer_migrations(manifest: dict[str, Any]) -> list[str]:
    """Migrations the archive's database had applied that this code does not know."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    # A squashed migration's replaced names count as known.
    for key, migration in loader.disk_migrations.items():
        for replaced in getattr(migration, "replaces", []) or []:
            known.add(tuple(replaced))
        known.add(key)
    missing = []
    for app, names in manifest.get("migrations", {}).items():
        for name in names:
            if (app, name) not in known:
                missing.append(f"{app}.{name}")
    return missing


def check_archive(archive: Path, extract_to: Path | None = None) -> dict[str, Any]:
    manifest = read_archive(archive, extract_to)
    newer = newer_migrations(manifest)
    if newer:
        shown = ", ".join(newer[:5]) + ("…" if len(newer) > 5 else "")
        raise ArchiveError(
            f"Bản sao lưu {archive.name} được tạo bởi phiên bản {manifest.get('version')} có cấu "
            f"trúc CSDL mới hơn mã nguồn đang chạy (có các bước chuyển đổi chưa biết: {shown}). "
            "Hãy cập nhật cchc lên phiên bản đó hoặc mới hơn rồi khôi phục lại."
        )
    return manifest


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return [t for t in connection.introspection.table_names(cursor) if t not in NOT_COMPARED]


def _target_is_empty() -> None:
    tables = _tables()
    if tables:
        raise ArchiveError(
            f"CSDL đích ({_describe_target()}) đã có {len(tables)} bảng dữ liệu. Khôi phục chỉ "
            "ghi vào một CSDL trống, để không trộn hay ghi đè dữ liệu đang có. Hãy tạo CSDL mới "
            "(hoặc chỉ định --into) rồi chạy lại."
        )


def _describe_target() -> str:
    data = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"SQLite {data['NAME']}"
    return f"PostgreSQL {data.get('HOST') or 'localhost'}:{data.get('PORT') or 5432}/{data['NAME']}"


def _media_is_empty(media_root: Path) -> None:
    files = [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []
    if any(p.name != ".lock" or p.parent.name != PENDING_DIR for p in files):
        raise ArchiveError(
            f"Thư mục tệp tải lên {media_root} không trống. Hãy chuyển nó đi nơi khác (hoặc chỉ "
            "định --media-root) rồi chạy lại."
        )


# ---------------------------------------------------------------- loading the database


def _load_sqlite_file(snapshot: Path) -> None:
    target = Path(connection.settings_dict["NAME"])
    connection.close()
    for suffix in ("-wal", "-shm", "-journal"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(snapshot, target)


def _load_pg_dump(dump: Path) -> None:
    connection.close()
    done = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
        [
            pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            str(connection.settings_dict["NAME"]),
            str(dump),
        ],
        env=pg_env(connection.settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise ArchiveError(f"pg_restore thất bại: {done.stderr.strip()[:2000]}")


def _flush_all() -> None:
    """Empty every table the migrations (and their post_migrate signals) filled."""
    with connection.cursor() as cursor:
        tables = connection.introspection.django_table_names(only_existing=True)
        statements = connection.ops.sql_flush(
            no_style(), tables, reset_sequences=True, allow_cascade=True
        )
        for sql in statements:
            cursor.execute(sql)


def _load_sqlite_into_other(snapshot: Path, work: Path) -> None:
    """SQLite archive into PostgreSQL: migrate a scratch copy with this code, dump, load.

    Migrating the copy first runs any data migrations the way they were written; dumping with
    this code then matches the target's schema exactly.
    """
    scratch = work / "scratch.sqlite3"
    shutil.copyfile(snapshot, scratch)
    precise_json.register()
    dump = work / f"data.{precise_json.FORMAT}"
    base = connections["default"].settings_dict
    scratch_settings = {
        **base,
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(scratch),
        "HOST": "",
        "PORT": "",
        "USER": "",
        "PASSWORD": "",
        "OPTIONS": {},
        "TEST": {"NAME": str(scratch)},
    }
    with extra_connection(SCRATCH_ALIAS, scratch_settings):
        call_command("migrate", database=SCRATCH_ALIAS, interactive=False, verbosity=0)
        call_command(
            "dumpdata",
            database=SCRATCH_ALIAS,
            output=str(dump),
            format=precise_json.FORMAT,
            verbosity=0,
            natural_foreign=False,
            natural_primary=False,
        )
    call_command("migrate", interactive=False, verbosity=0)
    _flush_all()
    call_command("loaddata", str(dump), verbosity=0)


# ---------------------------------------------------------------- checks


def _applied() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        return {(a, n) for a, n in cursor.fetchall()}


def _compare_counts(report: RestoreReport, manifest: dict[str, Any]) -> None:
    present = set(_tables())
    cache_tables = {
        str(c.get("LOCATION"))
        for c in settings.CACHES.values()
        if c.get("BACKEND", "").endswith("DatabaseCache")
    }
    quote = connection.ops.quote_name
    differ = 0
    with connection.cursor() as cursor:
        for table, expected in sorted(manifest.get("counts", {}).items()):
            if table in NOT_COMPARED or table in cache_tables:
                continue
            if table not in present:
                report.problem(f"Bảng {table} có trong bản sao lưu nhưng không có sau khôi phục.")
                differ += 1
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
            got = int(cursor.fetchone()[0])
            if got != expected:
                differ += 1
                message = f"Bảng {table}: {got} dòng, bản sao lưu ghi {expected} dòng."
                if report.migrated:
                    report.say("Lưu ý (đã chuyển đổi CSDL): " + message)
                else:
                    report.problem(message)
    compared = len(manifest.get("counts", {}))
    if not differ:
        report.say(f"Số dòng: {compared} bảng khớp với bản kê (manifest).")


def _compare_heads(report: RestoreReport, manifest: dict[str, Any]) -> None:
    table = audit_head_table()
    expected = manifest.get("audit_heads", [])
    if table is None or table not in set(_tables()):
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT chain_key, seq, hash FROM {connection.ops.quote_name(table)} "  # noqa: S608
            "ORDER BY chain_key"
        )
        got = [{"chain_key": int(k), "seq": int(s), "hash": h} for k, s, h in cursor.fetchall()]
    if got == expected:
        report.say(f"Đầu chuỗi nhật ký: {len(got)} chuỗi khớp với bản kê.")
    else:
        report.problem("Đầu chuỗi nhật ký thay đổi không khớp với bản kê (manifest).")


def _audit_verify(report: RestoreReport) -> None:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except CommandError as error:
        report.problem(f"Kiểm tra nhật ký thay đổi: {error}")
        for line in err.getvalue().splitlines()[:20]:
            report.problem("  " + line)
        return
    report.say("Kiểm tra nhật ký thay đổi: " + out.getvalue().strip())


def _restore_media(report: RestoreReport, extracted: Path, media_root: Path) -> None:
    from cchc.backups.sweep import sweep_uploads

    source = extracted / "media"
    if source.exists():
        copy_tree(source, media_root)
    if not (media_root / PENDING_DIR).exists() and not media_root.exists():
        media_root.mkdir(parents=True, exist_ok=True)
    result = sweep_uploads(grace_seconds=0)
    count = sum(1 for p in media_root.rglob("*") if p.is_file() and PENDING_DIR not in p.parts)
    report.say(
        f"Tệp tải lên: {count} tệp"
        + (f", hoàn tất {len(result.published)} tệp đang chờ" if result.published else "")
        + (f", bỏ {len(result.discarded)} tệp của giao dịch chưa xong" if result.discarded else "")
        + (
            f", để riêng {len(result.set_aside)} tệp không thuộc hồ sơ nào"
            if result.set_aside
            else ""
        )
        + "."
    )
    for name in result.missing[:20]:
        report.problem(f"Thiếu tệp được dữ liệu tham chiếu: {name}")
    if len(result.missing) > 20:
        report.problem(f"… và {len(result.missing) - 20} tệp thiếu khác.")


def _place_key(report: RestoreReport, source: Path, target: Path, label: str) -> None:
    if not source.is_file():
        return
    data = source.read_bytes()
    if target.is_file() and target.read_bytes().strip() == data.strip():
        report.say(f"{label}: đã có tại {target}, trùng với bản sao lưu.")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        kept = target.with_name(f"{target.name}.replaced-{timezone.localtime():%Y%m%d%H%M%S}")
        target.rename(kept)
        report.say(f"{label}: khóa cũ được giữ lại ở {kept}.")
    target.write_bytes(data)
    target.chmod(0o600)
    report.say(f"{label}: đã ghi vào {target}.")


# ---------------------------------------------------------------- the whole restore


def restore_archive(archive: Path, *, keys_dir: Path | None = None) -> RestoreReport:
    """Restore `archive` into the default database and MEDIA_ROOT (both must be empty), check.

    Another database or media folder is chosen through the environment (DATABASE_URL,
    MEDIA_ROOT): `cchc restore --into/--media-root` runs itself again with them set.
    """
    media_root = Path(settings.MEDIA_ROOT)
    _target_is_empty()
    _media_is_empty(media_root)
    with tempfile.TemporaryDirectory(prefix="cchc-restore-") as work_dir:
        work = Path(work_dir)
        extracted = work / "archive"
        extracted.mkdir()
        manifest = check_archive(archive, extracted)
        report = RestoreReport(archive=str(archive), manifest=manifest)
        report.say(
            f"Bản sao lưu {archive.name}: phiên bản {manifest.get('version')}, tạo lúc "
            f"{_local(manifest.get('created_at'))}, CSDL {manifest['database']['engine']}, "
            f"{len(manifest['files'])} tệp, mã băm khớp."
        )
        source_engine = manifest["database"]["engine"]
        snapshot = extracted / manifest["database"]["file"]
        if source_engine == "sqlite":
            integrity = sqlite_facts(snapshot).integrity
            if integrity != "ok":
                raise ArchiveError(f"Bản sao CSDL trong tệp sao lưu không toàn vẹn: {integrity}")
        before: set[tuple[str, str]] = set()
        if source_engine == connection.vendor == "sqlite":
            _load_sqlite_file(snapshot)
            before = _applied()
        elif source_engine == connection.vendor == "postgresql":
            _load_pg_dump(snapshot)
            before = _applied()
        elif source_engine == "sqlite":
            _load_sqlite_into_other(snapshot, work)
            report.say(f"Đã chuyển dữ liệu từ SQLite sang {connection.vendor} (dumpdata/loaddata).")
            before = {(a, n) for a, names in manifest["migrations"].items() for n in names}
        else:
            raise ArchiveError(
                f"Chưa hỗ trợ khôi phục bản sao lưu {source_engine} vào {connection.vendor}. "
                "Hãy khôi phục vào PostgreSQL."
            )
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        _close_own_run(manifest)
        report.migrated = sorted(f"{a}.{n}" for a, n in _applied() - before)
        if report.migrated:
            report.say(
                f"Đã chuyển đổi CSDL lên phiên bản hiện tại: {len(report.migrated)} bước "
                f"({', '.join(report.migrated[:5])}{'…' if len(report.migrated) > 5 else ''})."
            )
        report.say(f"CSDL đã khôi phục vào {_describe_target()}.")
        keys = extracted / "keys"
        _place_key(
            report,
            keys / "secret_key",
            (keys_dir / "secret_key") if keys_dir else secret_key_path(),
            "Khóa bí mật (SECRET_KEY)",
        )
        _place_key(
            report,
            keys / "audit_key",
            (keys_dir / "audit_key") if keys_dir else audit_key_path(),
            "Khóa nhật ký (AUDIT_KEY)",
        )
        _restore_media(report, extracted, media_root)
    _audit_verify(report)
    _compare_counts(report, manifest)
    _compare_heads(report, manifest)
    return report


def _close_own_run(manifest: dict[str, Any]) -> None:
    """The archive holds the record of the run that made it, still "running": close it."""
    from cchc.backups.models import BackupRun, BackupStatus

    created = manifest.get("created_at")
    if not created:
        return
    BackupRun.objects.filter(
        status=BackupStatus.RUNNING, started_at=datetime.fromisoformat(created)
    ).update(
        status=BackupStatus.OK,
        finished_at=datetime.fromisoformat(created),
        message="Bản sao lưu này đã được dùng để khôi phục.",
    )


def _local(value: str | None) -> str:
    if not value:
        return "?"
    return timezone.localtime(datetime.fromisoformat(value)).strftime("%d/%m/%Y %H:%M")
