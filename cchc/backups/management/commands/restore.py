"""`cchc restore ARCHIVE [--into DB] [--media-root DIR] [--keys-dir DIR] [--check]`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import environ
from django.core.management.base import BaseCommand, CommandError, CommandParser

CHILD = "CCHC_RESTORE_CHILD"


def database_url(value: str) -> str:
    """A DATABASE_URL from --into: a URL as is, a bare path as an SQLite file."""
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def ensure_pg_database(url: str) -> None:
    """Create the target PostgreSQL database when it does not exist yet (it must be empty)."""
    import psycopg
    from psycopg import sql

    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        return
    params: dict[str, Any] = {
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


class Command(BaseCommand):
    help = (
        "Khôi phục từ một tệp sao lưu vào CSDL trống: kiểm tra mã băm, chuyển đổi CSDL lên "
        "phiên bản hiện tại, kiểm tra nhật ký và đối chiếu số dòng với bản kê."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="Tệp cchc-YYYYMMDD-HHMMSS.tar.gz")
        parser.add_argument(
            "--into",
            help="CSDL đích: postgres://người_dùng@máy:cổng/tên hoặc đường dẫn tệp SQLite "
            "(mặc định: CSDL trong cấu hình, phải trống).",
        )
        parser.add_argument("--media-root", help="Thư mục tệp tải lên đích (mặc định MEDIA_ROOT).")
        parser.add_argument("--keys-dir", help="Ghi các khóa vào thư mục này thay vì chỗ cấu hình.")
        parser.add_argument(
            "--check", action="store_true", help="Chỉ kiểm tra tệp sao lưu, không khôi phục."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"]).expanduser().resolve()
        if not archive.is_file():
            raise CommandError(f"Không tìm thấy tệp {archive}.")
        if (options["into"] or options["media_root"]) and not os.environ.get(CHILD):
            self._run_in_child(archive, options)
            return
        from cchc.backups.archive import ArchiveError
        from cchc.backups.restore import check_archive, restore_archive

        try:
            if options["check"]:
                manifest = check_archive(archive)
                self.stdout.write(
                    f"Tệp sao lưu hợp lệ: phiên bản {manifest.get('version')}, "
                    f"{len(manifest['files'])} tệp, mã băm khớp."
                )
                return
            keys_dir = Path(options["keys_dir"]).resolve() if options["keys_dir"] else None
            report = restore_archive(archive, keys_dir=keys_dir)
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        for line in report.lines:
            self.stdout.write(line)
        if not report.ok:
            for line in report.problems:
                self.stderr.write("SAI LỆCH: " + line)
            raise CommandError(
                f"Khôi phục xong nhưng có {len(report.problems)} điểm không khớp (xem trên)."
            )
        self.stdout.write("Khôi phục thành công: dữ liệu khớp với bản kê của bản sao lưu.")

    def _run_in_child(self, archive: Path, options: dict[str, Any]) -> None:
        """Run again with DATABASE_URL / MEDIA_ROOT of the target, so every step (migrate,
        audit verify, counts) talks to the target through the ordinary settings."""
        env = {**os.environ, CHILD: "1"}
        if options["into"]:
            url = database_url(options["into"])
            try:
                ensure_pg_database(url)
            except Exception as error:
                raise CommandError(f"Không kết nối được CSDL đích: {error}") from None
            env["DATABASE_URL"] = url
        if options["media_root"]:
            env["MEDIA_ROOT"] = str(Path(options["media_root"]).expanduser().resolve())
        argv = [sys.executable, "-m", "cchc.cli", "restore", str(archive)]
        if options["keys_dir"]:
            argv += ["--keys-dir", str(Path(options["keys_dir"]).expanduser().resolve())]
        if options["check"]:
            argv.append("--check")
        done = subprocess.run(argv, env=env, check=False)  # noqa: S603 - our own console script
        if done.returncode != 0:
            raise CommandError(
                "Khôi phục không thành công (xem thông báo ở trên).", returncode=done.returncode
            )
