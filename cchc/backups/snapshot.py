"""A consistent copy of the live database and the facts a manifest records about that copy.

SQLite: the online backup API copies every page in one step while writers continue (WAL), so the
copy is one committed state. PostgreSQL: a REPEATABLE READ transaction exports its snapshot and
`pg_dump --snapshot` dumps exactly that state, while the same transaction counts the rows; the
counts therefore describe the dump, not the database a moment later.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connections


class SnapshotError(RuntimeError):
    pass


@dataclass
class DatabaseFacts:
    """What a manifest says about the database copy."""

    engine: str
    counts: dict[str, int] = field(default_factory=dict)
    migrations: dict[str, list[str]] = field(default_factory=dict)
    audit_heads: list[dict[str, Any]] = field(default_factory=list)
    integrity: str = ""


def audit_head_table() -> str | None:
    """The audit chain-head table, wherever the audit app lives (it is moving between apps)."""
    for model in apps.get_models():
        if model.__name__ == "AuditChainHead":
            return model._meta.db_table
    return None


def read_facts(
    execute: Callable[[str], list[tuple[Any, ...]]], tables: list[str], quote: Callable[[str], str]
) -> DatabaseFacts:
    """Counts per table, applied migrations and audit chain heads, through one cursor."""
    facts = DatabaseFacts(engine="")
    for table in sorted(tables):
        facts.counts[table] = int(execute(f"SELECT COUNT(*) FROM {quote(table)}")[0][0])  # noqa: S608
    if "django_migrations" in tables:
        for app, name in execute("SELECT app, name FROM django_migrations ORDER BY id"):
            facts.migrations.setdefault(app, []).append(name)
    heads = audit_head_table()
    if heads and heads in tables:
        rows = execute(f"SELECT chain_key, seq, hash FROM {quote(heads)} ORDER BY chain_key")  # noqa: S608
        facts.audit_heads = [{"chain_key": int(k), "seq": int(s), "hash": h} for k, s, h in rows]
    return facts


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_facts(path: Path) -> DatabaseFacts:
    db = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        facts = read_facts(lambda sql: db.execute(sql).fetchall(), tables, _sqlite_quote)
        facts.integrity = str(db.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        db.close()
    facts.engine = "sqlite"
    return facts


def snapshot_sqlite(source: str, target: Path) -> DatabaseFacts:
    """Copy the live SQLite database into `target` (one file, no WAL) and describe the copy."""
    src = sqlite3.connect(source, timeout=60)
    dst = sqlite3.connect(target)
    try:
        # pages=-1: the whole database in one step, under one read transaction = one state.
        src.backup(dst, pages=-1)
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()
    facts = sqlite_facts(target)
    if facts.integrity != "ok":
        raise SnapshotError(f"Bản sao CSDL SQLite không toàn vẹn: {facts.integrity}")
    return facts


def pg_tool(name: str) -> str:
    """Absolute path of a PostgreSQL client program (Debian: package postgresql-client)."""
    found = shutil.which(name)
    if not found:
        raise SnapshotError(f"Không tìm thấy chương trình {name}: hãy cài gói postgresql-client.")
    return found


def pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """libpq variables for pg_dump/pg_restore from a Django database entry."""
    env = dict(os.environ)
    options = settings_dict.get("OPTIONS") or {}
    pairs = {
        "PGHOST": settings_dict.get("HOST") or options.get("host"),
        "PGPORT": settings_dict.get("PORT") or options.get("port"),
        "PGUSER": settings_dict.get("USER") or options.get("user"),
        "PGPASSWORD": settings_dict.get("PASSWORD") or options.get("password"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    for key, value in pairs.items():
        if value:
            env[key] = str(value)
    return env


@contextmanager
def extra_connection(alias: str, settings_dict: dict[str, Any]) -> Iterator[Any]:
    """A second connection (own transaction) configured like `settings_dict`."""
    connections.settings[alias] = {**settings_dict}
    try:
        yield connections[alias]
    finally:
        try:
            connections[alias].close()
        finally:
            del connections[alias]
            connections.settings.pop(alias, None)


def pg_connect_params(settings_dict: dict[str, Any]) -> dict[str, Any]:
    env = pg_env(settings_dict)
    params = {
        "host": env.get("PGHOST"),
        "port": env.get("PGPORT"),
        "user": env.get("PGUSER"),
        "password": env.get("PGPASSWORD"),
        "dbname": settings_dict.get("NAME"),
    }
    return {k: v for k, v in params.items() if v}


def snapshot_postgresql(target: Path) -> DatabaseFacts:
    """pg_dump (custom format) of one exported snapshot, plus counts taken in that snapshot.

    A connection of its own (not Django's), so the snapshot transaction never mixes with the
    caller's.
    """
    import psycopg

    base = connections["default"].settings_dict
    with psycopg.connect(**pg_connect_params(base), autocommit=True) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        row = conn.execute("SELECT pg_export_snapshot()").fetchone()
        snapshot_id = row[0] if row else ""
        done = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            [
                pg_tool("pg_dump"),
                "--format=custom",
                f"--snapshot={snapshot_id}",
                "--file",
                str(target),
            ],
            env=pg_env(base),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise SnapshotError(f"pg_dump thất bại: {done.stderr.strip()}")
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            ).fetchall()
        ]

        def execute(sql: str) -> list[tuple[Any, ...]]:
            return list(conn.execute(sql).fetchall())

        quote = connections["default"].ops.quote_name
        facts = read_facts(execute, tables, quote)
        conn.execute("ROLLBACK")
    facts.engine = "postgresql"
    facts.integrity = "ok"
    return facts


def snapshot_database(target_dir: Path) -> tuple[Path, DatabaseFacts]:
    """Snapshot the default database into `target_dir`; returns the file and its facts."""
    conn = connections["default"]
    if conn.vendor == "sqlite":
        target = target_dir / "cchc.sqlite3"
        return target, snapshot_sqlite(str(conn.settings_dict["NAME"]), target)
    if conn.vendor == "postgresql":
        target = target_dir / "cchc.pgdump"
        return target, snapshot_postgresql(target)
    raise SnapshotError(f"Chưa hỗ trợ sao lưu CSDL loại {conn.vendor}.")
