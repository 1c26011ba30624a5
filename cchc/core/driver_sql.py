"""Our own hot statements on SQLite through the driver's cursor (issue 11).

Django's cursor wraps each `execute` in its execute-wrapper chain and rewrites the statement's
`%s` into SQLite's `?` with a regular expression on every call; for the public look-up's two
statements (the rate limit's upsert and the dossier's select) that wrapping cost as much as
SQLite itself. Here the rewriting is done once per statement and the statement goes straight to
`sqlite3`, with Django's connection handling kept: the request's health check, opening the
connection, and database errors raised as Django's. While queries are logged (DEBUG, a test
counting them) Django's own cursor is used, so the log still shows every statement.

Only for statements written by hand for SQLite or for both databases; the ORM's SQL goes
through Django as always. PostgreSQL has its own path (`cchc.core.cache._prepared_cursor`).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX


@lru_cache(maxsize=128)
def _qmark(sql: str) -> str:
    """As Django's SQLite cursor rewrites a statement (its `convert_query`), once."""
    return FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")


def execute(connection: BaseDatabaseWrapper, sql: str, params: Sequence[Any]) -> Any:
    """Run `sql` (`%s` placeholders) on the SQLite `connection`; the cursor it ran on (with
    `rowcount` and `fetchall`)."""
    if connection.queries_logged:
        cursor = connection.cursor()
        cursor.execute(sql, params)
        return cursor
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection.connection.execute(_qmark(sql), params)
