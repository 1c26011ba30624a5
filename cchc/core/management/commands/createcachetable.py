"""Django's `createcachetable`, which also makes the rate limits' table in the "ratelimit"
database when there is one (an SQLite deployment: `cchc.core.db_routers`), so every place that
sets a site up (`make demo`, the deployment guide, a restore, an upgrade) keeps running the one
command.

On PostgreSQL the rate limits' table is made UNLOGGED: every public look-up writes its visitor's
row, and a logged write is a WAL record that the commit then waits to flush to disk (with
`synchronous_commit` on, as in production: a disk flush per look-up). The windows are a cache of
the last minute: after a crash PostgreSQL empties an unlogged table, which forgets at most a
minute's counts, and a standby does not need them. Run again on an existing site (an upgrade), it
turns the table unlogged in place.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.commands import createcachetable
from django.db import DEFAULT_DB_ALIAS, connections, router

from cchc.core.cache import DatabaseCache
from cchc.core.db_routers import ALIAS, DATABASE_CACHES, limit_table


def _limit_table_on_postgresql() -> tuple[str, str] | None:
    """(database alias, table) of the rate limits' cache table on PostgreSQL, or None."""
    cache = settings.CACHES.get("ratelimit") or {}
    if cache.get("BACKEND") not in DATABASE_CACHES or not cache.get("LOCATION"):
        return None
    table = str(cache["LOCATION"])
    alias = router.db_for_write(DatabaseCache(table, {}).cache_model_class) or DEFAULT_DB_ALIAS
    if connections[alias].vendor != "postgresql":
        return None
    return alias, table


class Command(createcachetable.Command):
    def handle(self, *tablenames: Any, **options: Any) -> None:
        super().handle(*tablenames, **options)
        if options["database"] == DEFAULT_DB_ALIAS and limit_table() is not None:
            super().handle(*tablenames, **{**options, "database": ALIAS})
        found = _limit_table_on_postgresql()
        if found is not None and not options.get("dry_run"):
            alias, table = found
            connection = connections[alias]
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT relpersistence FROM pg_class WHERE oid = to_regclass(%s)", [table]
                )
                row = cursor.fetchone()
                if row is not None and row[0] == "p":
                    cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} SET UNLOGGED")
