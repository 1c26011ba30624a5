"""Django's database cache with two atomic operations for the rate limits, one statement each.

`take_slot(key, limit, window)` counts a sliding window in ONE row per client and bucket: the row
holds the expiry times (milliseconds by the database's clock) of the last `limit` accepted
requests, oldest first, as fixed-width digits. A request is accepted when the oldest of them has
passed, and then that expiry is dropped and the new one appended; all of it is a single
`INSERT … ON CONFLICT DO UPDATE … WHERE`, so the database's row lock decides between processes and
hosts and the statement's row count says whether the request got through. The clock is the
database's own, so hosts whose clocks differ still share one exact window. A refused request
writes nothing. This replaced one row per slot (a read of all `limit` slots, then an insert), which
cost the public look-up two statements per request (issue 11).

`add` is a single upsert too: insert the key, or take over its row only when that row has
expired. Django's DatabaseCache.add is atomic for a key that does not exist (the primary key
decides) but not for one whose row has expired, and it counts the whole table before every write
(to cull it).

Expired rows are swept now and then (one write in CULL_EVERY) through the index on `expires`, so
the table stays the size of the live windows without a count per request. Redis/Valkey
(`CACHE_URL=redis://…`) need none of this: cchc.core.ratelimit falls back to one entry per slot,
taken with `add` (SET NX with an expiry, atomic there).
"""

from __future__ import annotations

import base64
import fcntl
import os
import pickle
import random
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils.timezone import now as tz_now

from cchc.core import driver_sql

_T = TypeVar("_T")

# On average one write in this many also deletes the expired rows.
CULL_EVERY = 200

# Digits of one expiry in a window's row: milliseconds since 1970 have 13 digits from 2001 to 2286.
WIDTH = 13

# The database's clock: now in milliseconds since 1970, and now as an `expires` value.
_NOW_MS = {
    "sqlite": "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)",
    "postgresql": "CAST(EXTRACT(EPOCH FROM statement_timestamp()) * 1000 AS BIGINT)",
}
_NOW = {"sqlite": "datetime('now')", "postgresql": "statement_timestamp()"}


class _SQLiteWriters:
    """One rate-limit write at a time on an SQLite file, for every thread and process of the host.

    SQLite admits one writer; a second one that finds the file locked is put to sleep by
    SQLite's busy handler for 1, 2, 5, … ms and tries again. Every look-up writes its client's
    row, so under load most of them slept a millisecond or more (strace: 1.2 sleeps per
    request) while the lock itself is held for some 40 µs. Here the writers queue instead: a
    thread lock within the process, then an exclusive `flock` on a file beside the database
    across processes; the kernel wakes the next one the moment the lock is released (and drops
    it if its holder dies). Nothing is cached: SQLite still decides every write; this only
    orders them, and an SQLite file is only ever shared by the processes of one host.
    """

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[threading.Lock, int]] = {}
        os.register_at_fork(after_in_child=self._forked)

    def _forked(self) -> None:
        """A forked worker takes its own locks (an inherited thread lock may be held)."""
        self._guard = threading.Lock()
        self._locks = {}

    def _lock_for(self, database: str) -> tuple[threading.Lock, int]:
        with self._guard:
            found = self._locks.get(database)
            if found is None:
                fd = os.open(f"{database}-ratelimit.lock", os.O_RDWR | os.O_CREAT, 0o600)
                found = self._locks[database] = (threading.Lock(), fd)
            return found

    @contextmanager
    def held(self, connection: BaseDatabaseWrapper) -> Iterator[None]:
        database = str(connection.settings_dict["NAME"])
        if connection.vendor != "sqlite" or database == ":memory:" or "mode=memory" in database:
            yield
            return
        in_process, fd = self._lock_for(database)
        with in_process:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)


_writers = _SQLiteWriters()


def _expires_in(vendor: str, seconds: int) -> str:
    """SQL for the database's now plus `seconds`, as the `expires` column stores it."""
    if vendor == "sqlite":
        return f"datetime('now', '+{int(seconds)} seconds')"
    return f"statement_timestamp() + interval '{int(seconds)} seconds'"


def _sweep_sql(vendor: str, table: str, expires: str) -> str:
    return f"DELETE FROM {table} WHERE {expires} < {_NOW[vendor]}"  # noqa: S608


@lru_cache(maxsize=64)
def _window_sql(
    vendor: str, table: str, column: str, value_column: str, expires: str, limit: int, window: int
) -> str:
    """`take_slot`'s statement, written once per table, limit and window; its one parameter is
    the key. The padding (`limit` expired, zero, expiries put in front of the stored ones, so
    there are always `limit` to look at) is a literal of the statement: sent as four parameters
    it was 1.5 kB to encode, send and decode on every look-up."""
    padded = f"('{'0' * (WIDTH * limit)}' || {table}.{value_column})"
    last = f"length({padded}) - {WIDTH * limit}"
    oldest = f"CAST(substr({padded}, {last} + 1, {WIDTH}) AS BIGINT)"
    kept = f"substr({padded}, {last} + {WIDTH} + 1)"
    return (
        f"INSERT INTO {table} ({column}, {value_column}, {expires}) "  # noqa: S608
        f"VALUES (%s, CAST({_NOW_MS[vendor]} + {window * 1000} AS TEXT), "
        f"{_expires_in(vendor, window + 1)}) "
        f"ON CONFLICT ({column}) DO UPDATE SET "
        f"{value_column} = {kept} || excluded.{value_column}, "
        f"{expires} = excluded.{expires} "
        f"WHERE {oldest} <= {_NOW_MS[vendor]}"
    )


@lru_cache(maxsize=1)
def _prepared_cursor_class() -> type:
    import psycopg  # PostgreSQL only

    class PreparedCursor(psycopg.Cursor):
        """Binds on the server, prepares each statement (once per connection) and reads the
        results in binary: psycopg's C loaders then read them (for text results Django puts
        its own timestamptz loader, written in Python, in their place; the binary one gives the
        same instant, aware, in the connection's time zone)."""

        def execute(self, query: Any, params: Any = None, **options: Any) -> Any:
            options.setdefault("prepare", True)
            options.setdefault("binary", True)
            return super().execute(query, params, **options)

    return PreparedCursor


def _prepared_cursor(connection: BaseDatabaseWrapper) -> Any:
    """A PostgreSQL cursor whose statements the server plans once per connection.

    Django's psycopg cursors bind parameters on the client (OPTIONS "server_side_binding" is
    off) and never prepare, so the server parses and plans every statement afresh: for the
    look-up's statement planning took 0.35 ms and execution 0.11–0.15 ms (EXPLAIN ANALYZE,
    100,000 dossiers), on the same cores as the application. This cursor binds on the server
    and prepares the statement the first time a connection runs it; PostgreSQL then reuses the
    plan. It is wrapped as Django wraps its own cursors (query log, execute wrappers, database
    errors as Django's). Only for the statements written here: the ORM's SQL is written for
    client-side binding. While queries are logged (DEBUG, a test counting them) Django's own
    cursor is used: the log can only show a statement that was not prepared.
    """
    if connection.queries_logged:
        return connection.cursor()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    psycopg_connection = connection.connection
    if psycopg_connection.prepare_threshold is None:
        # Django turns psycopg's preparation off (None), which refuses even an explicit one;
        # a threshold no query reaches prepares only what asks for it. Django's own cursors bind
        # on the client and never prepare whatever the threshold.
        psycopg_connection.prepare_threshold = 2**31 - 1
    raw: Any = _prepared_cursor_class()(psycopg_connection)
    return connection.make_cursor(raw)


def _as_health_check(connection: BaseDatabaseWrapper, run: Callable[[], _T]) -> _T:
    """`run()`, whose statement stands in for the request's health check (CONN_HEALTH_CHECKS).

    Django checks a kept connection before a request's first statement with a `SELECT 1`: a
    round trip of its own, a third of the public look-up's on PostgreSQL. Here the statement is
    the check: on a kept connection not yet checked in this request, an error is followed by
    Django's own check, and when the connection proves dead it is reopened and `run()` is tried
    once more (an error of a live connection is raised as before). If the connection died after
    the server had counted the request, the client is counted twice: the safe direction.
    """
    if (
        connection.connection is None
        or not getattr(connection, "health_check_enabled", False)  # Django's, not in the stubs
        or getattr(connection, "health_check_done", True)
        or connection.in_atomic_block
    ):
        return run()
    connection.health_check_done = True  # type: ignore[attr-defined]
    try:
        return run()
    except (OperationalError, InterfaceError):
        if connection.is_usable():
            raise
        connection.close()
    return run()


class DatabaseCache(DjangoDatabaseCache):
    def _connection(self, *, write: bool = True) -> BaseDatabaseWrapper:
        route = router.db_for_write if write else router.db_for_read
        return connections[route(self.cache_model_class)]

    def _names(self, connection: BaseDatabaseWrapper) -> tuple[str, str, str, str]:
        quote = connection.ops.quote_name
        table = quote(self._table)  # type: ignore[attr-defined]  # Django's own, private
        return table, quote("cache_key"), quote("value"), quote("expires")

    def _sweep(self, cursor: Any, vendor: str, table: str, expires: str) -> None:
        if random.random() < 1 / CULL_EVERY:  # noqa: S311 (a sweep schedule, not a secret)
            cursor.execute(_sweep_sql(vendor, table, expires))

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        connection = self._connection()
        if connection.vendor not in _NOW:
            return super().add(key, value, timeout, version=version)
        key = self.make_and_validate_key(key, version=version)
        ops = connection.ops
        table, column, value_column, expires = self._names(connection)
        backend_timeout = self.get_backend_timeout(timeout)
        if backend_timeout is None:
            expiry = datetime.max  # noqa: DTZ901 (as Django stores "never")
        else:
            expiry = datetime.fromtimestamp(backend_timeout, tz=UTC if settings.USE_TZ else None)
        expiry = expiry.replace(microsecond=0)
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        now = ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
        with connection.cursor() as cursor:
            self._sweep(cursor, connection.vendor, table, expires)
            cursor.execute(
                f"INSERT INTO {table} ({column}, {value_column}, {expires}) "  # noqa: S608
                f"VALUES (%s, %s, %s) ON CONFLICT ({column}) DO UPDATE SET "
                f"{value_column} = excluded.{value_column}, "
                f"{expires} = excluded.{expires} WHERE {table}.{expires} < %s",
                [key, encoded, ops.adapt_datetimefield_value(expiry), now],
            )
            return cursor.rowcount == 1

    def take_slot(self, key: str, *, limit: int, window: int) -> bool | None:
        """Count one request in `key`'s sliding window: True when fewer than `limit` were
        accepted in the last `window` seconds (this one is then counted), else False. None when
        the database cannot do it in one statement (the caller then uses slots with `add`).

        The row's value is only ever read and written by SQL here (it is not a pickle: `get`
        does not apply to it). A row of another width (the limit was changed) still works: it
        is padded with expired zeros on the left, and the last `limit` expiries are kept.
        """
        connection = self._connection()
        vendor = connection.vendor
        if vendor not in _NOW or limit < 1:
            return None
        key = self.make_and_validate_key(f"rl:{key}")
        table, column, value_column, expires = self._names(connection)
        sql = _window_sql(vendor, table, column, value_column, expires, int(limit), int(window))
        if vendor == "sqlite":
            with _writers.held(connection):
                if random.random() < 1 / CULL_EVERY:  # noqa: S311 (a schedule, not a secret)
                    driver_sql.execute(connection, _sweep_sql(vendor, table, expires), [])
                return driver_sql.execute(connection, sql, [key]).rowcount == 1
        with connection.cursor() as cursor:
            self._sweep(cursor, vendor, table, expires)
            cursor.execute(sql, [key])
            return cursor.rowcount == 1

    def take_slot_and_read(
        self,
        key: str,
        *,
        limit: int,
        window: int,
        sql: str,
        params: Sequence[Any],
        using: str = DEFAULT_DB_ALIAS,
    ) -> tuple[bool, list[tuple[Any, ...]]] | None:
        """`take_slot` and a read-only SELECT on the same database in ONE statement, so one
        round trip (issue 11: the public look-up): (taken, the SELECT's rows; none when not
        taken). A data-modifying WITH runs whether or not the query reads it, and the SELECT
        sees the database as the statement began, so the count is exactly `take_slot`'s.

        PostgreSQL only (SQLite has no INSERT inside WITH, and there the two statements are two
        calls into the same process, not two trips); None elsewhere or when the cache lives in
        another database than `using`. The rows come in no particular order.
        """
        connection = self._connection()
        if connection.vendor != "postgresql" or limit < 1 or connection.alias != using:
            return None
        key = self.make_and_validate_key(f"rl:{key}")
        table, column, value_column, expires = self._names(connection)
        upsert = _window_sql("postgresql", table, column, value_column, expires, limit, window)
        statement = (
            f"WITH slot AS ({upsert} RETURNING 1), found AS ({sql}) "  # noqa: S608 - ours
            "SELECT (SELECT count(*) FROM slot), found.* FROM (SELECT 1) AS one "
            "LEFT JOIN found ON TRUE"
        )

        def run() -> list[tuple[Any, ...]]:
            with _prepared_cursor(connection) as cursor:
                self._sweep(cursor, "postgresql", table, expires)
                cursor.execute(statement, [key, *params])
                return cursor.fetchall()

        rows = _as_health_check(connection, run)
        if not rows or not rows[0][0]:
            return False, []
        return True, [row[1:] for row in rows]

    def slots_left(self, key: str, *, limit: int) -> int | None:
        """How many requests `key`'s window would still accept now (nothing is counted); None
        when `take_slot` does not apply to this database."""
        live = self._live_expiries(key, limit=limit)
        if live is None:
            return None
        return limit - len(live[1])

    def next_free_in_ms(self, key: str, *, limit: int) -> int | None:
        """Milliseconds until `key`'s window accepts a request again (0: it would now), by the
        database's clock; None when `take_slot` does not apply to this database."""
        live = self._live_expiries(key, limit=limit)
        if live is None:
            return None
        now_ms, expiries = live
        return 0 if len(expiries) < limit else min(expiries) - now_ms

    def _live_expiries(self, key: str, *, limit: int) -> tuple[int, list[int]] | None:
        """The database's now (ms) and the expiries still ahead among `key`'s last `limit`."""
        connection = self._connection(write=False)
        vendor = connection.vendor
        if vendor not in _NOW or limit < 1:
            return None
        key = self.make_and_validate_key(f"rl:{key}")
        table, column, value_column, _expires = self._names(connection)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {_NOW_MS[vendor]}, "  # noqa: S608
                f"(SELECT {value_column} FROM {table} WHERE {column} = %s)",
                [key],
            )
            now_ms, value = cursor.fetchone()
        stored = value or ""
        expiries = [int(stored[i : i + WIDTH]) for i in range(0, len(stored), WIDTH)][-limit:]
        return now_ms, [expiry for expiry in expiries if expiry > now_ms]
