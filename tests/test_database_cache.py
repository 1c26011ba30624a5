"""The database cache's `add`: one statement that takes a free or expired slot, exactly once
across concurrent processes (issue 11 item 3), with no count of the table per request."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from cchc.core import cache as cache_module
from cchc.core.cache import DatabaseCache

TABLE = "cchc_test_add_cache"


@pytest.fixture
def db_cache(transactional_db):
    # The table exactly as `cchc createcachetable` makes it (with its index on `expires`).
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table("default", TABLE, dry_run=False)
    cache = DatabaseCache(TABLE, {})
    yield cache
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(TABLE)}")


def test_add_takes_a_free_key_once_and_an_expired_one_again(db_cache) -> None:
    assert db_cache.add("slot", 1, timeout=1) is True
    assert db_cache.add("slot", 2, timeout=1) is False
    assert db_cache.get("slot") == 1
    time.sleep(2.1)  # expiry is stored to the second
    assert db_cache.add("slot", 3, timeout=60) is True
    assert db_cache.get("slot") == 3


def test_add_does_not_count_the_table(db_cache, monkeypatch) -> None:
    monkeypatch.setattr(cache_module, "CULL_EVERY", 10**9)
    with CaptureQueriesContext(connection) as queries:
        db_cache.add("one", 1, timeout=60)
    sql = [q["sql"].upper() for q in queries.captured_queries]
    assert len(sql) == 1
    assert sql[0].startswith("INSERT")
    assert not any("COUNT(" in statement for statement in sql)


def test_expired_rows_are_swept(db_cache, monkeypatch) -> None:
    for n in range(5):
        db_cache.add(f"old-{n}", 1, timeout=1)
    time.sleep(2.1)
    monkeypatch.setattr(cache_module, "CULL_EVERY", 1)
    db_cache.add("new", 1, timeout=60)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(TABLE)}")  # noqa: S608
        assert cursor.fetchone()[0] == 1


def test_concurrent_adds_of_one_key_have_one_winner(db_cache) -> None:
    """Eight threads, each with its own database connection, race for the same slots (the test
    settings keep SQLite in a file, so the connections share it as PostgreSQL's do)."""
    results: list[bool] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def race(key: str) -> None:
        try:
            barrier.wait()
            won = DatabaseCache(TABLE, {}).add(key, 1, timeout=60)
            with lock:
                results.append(won)
        finally:
            connections.close_all()

    for round_ in range(5):
        results.clear()
        barrier.reset()
        threads = [threading.Thread(target=race, args=(f"race-{round_}",)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == [False] * 7 + [True]


def test_a_window_is_one_statement_on_one_row(db_cache, monkeypatch) -> None:
    monkeypatch.setattr(cache_module, "CULL_EVERY", 10**9)
    with CaptureQueriesContext(connection) as queries:
        accepted = [db_cache.take_slot("client", limit=3, window=60) for _ in range(5)]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(TABLE)}")  # noqa: S608
        rows = cursor.fetchone()[0]

    assert accepted == [True] * 3 + [False] * 2
    assert len(queries.captured_queries) == 5
    assert all(q["sql"].upper().startswith("INSERT") for q in queries.captured_queries)
    assert rows == 1
    assert db_cache.slots_left("client", limit=3) == 0
    assert db_cache.slots_left("someone-else", limit=3) == 3


def test_a_window_slides_and_a_refusal_takes_nothing(db_cache) -> None:
    start = time.monotonic()
    first = [db_cache.take_slot("slide", limit=2, window=2) for _ in range(3)]
    time.sleep(1.0)
    late = [db_cache.take_slot("slide", limit=2, window=2) for _ in range(2)]
    assert time.monotonic() - start < 2  # both first expiries are still ahead
    time.sleep(1.3)  # the first two have passed; the refusals at 1 s took no slot
    freed = [db_cache.take_slot("slide", limit=2, window=2) for _ in range(3)]

    assert first == [True, True, False]
    assert late == [False, False]
    assert freed == [True, True, False]
    assert db_cache.slots_left("slide", limit=2) == 0


def test_a_changed_limit_reads_the_same_row(db_cache) -> None:
    assert [db_cache.take_slot("grow", limit=2, window=60) for _ in range(3)] == [
        True,
        True,
        False,
    ]
    # Raised to 4: the two taken still count, two more get through.
    assert [db_cache.take_slot("grow", limit=4, window=60) for _ in range(3)] == [
        True,
        True,
        False,
    ]
    assert db_cache.slots_left("grow", limit=4) == 0
    # Lowered to 1: the newest expiry alone is still ahead.
    assert db_cache.take_slot("grow", limit=1, window=60) is False


def test_concurrent_requests_get_exactly_the_limit(db_cache) -> None:
    """Twelve threads, each with its own connection, take a window of 5 at once, five times
    over: exactly 5 win each time (SQLite in a file locks as PostgreSQL's rows do)."""
    results: list[bool] = []
    lock = threading.Lock()
    barrier = threading.Barrier(12)

    def race(key: str) -> None:
        try:
            barrier.wait()
            won = DatabaseCache(TABLE, {}).take_slot(key, limit=5, window=60)
            with lock:
                results.append(bool(won))
        finally:
            connections.close_all()

    for round_ in range(5):
        results.clear()
        barrier.reset()
        threads = [threading.Thread(target=race, args=(f"crowd-{round_}",)) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == [False] * 7 + [True] * 5


def test_take_slot_and_read_is_one_statement_on_postgresql(db_cache, monkeypatch) -> None:
    """The public look-up's limit and select in one round trip (issue 11 item 2); SQLite has
    no INSERT inside WITH, and the caller then runs the two in turn."""
    monkeypatch.setattr(cache_module, "CULL_EVERY", 10**9)
    if connection.vendor != "postgresql":
        assert (
            db_cache.take_slot_and_read("c", limit=2, window=60, sql="SELECT 1", params=[]) is None
        )
        return
    sql = "SELECT %s::text AS a, n FROM (VALUES (1), (2)) AS v(n)"
    with CaptureQueriesContext(connection) as queries:
        answers = [
            db_cache.take_slot_and_read("c", limit=2, window=60, sql=sql, params=["x"])
            for _ in range(3)
        ]
    nothing = db_cache.take_slot_and_read(
        "d", limit=2, window=60, sql="SELECT 1 WHERE %s = 'no'", params=["yes"]
    )

    assert [accepted for accepted, _rows in answers] == [True, True, False]  # type: ignore[misc]
    assert sorted(answers[0][1]) == [("x", 1), ("x", 2)]  # type: ignore[index]
    assert answers[2] == (False, [])  # a refused request is shown nothing
    assert len(queries.captured_queries) == 3
    assert db_cache.slots_left("c", limit=2) == 0
    assert nothing == (True, [(None,)])  # no row found: the outer join's empty row, counted


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_take_slot_and_read_gives_the_values_the_orm_would(db_cache) -> None:
    """Its results are read in binary (psycopg's C loaders): the same instants, aware, the same
    text, flags, numbers and NULLs as Django's text loaders give."""
    moment = datetime(2026, 11, 30, 7, 45, 12, 345678, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    sql = "SELECT %s::timestamptz, %s::boolean, %s::varchar, NULL::timestamptz, %s::bigint"
    params = [moment, True, "Lê Thị Thanh Thủy", 2**40]

    accepted, rows = db_cache.take_slot_and_read("v", limit=2, window=60, sql=sql, params=params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        expected = cursor.fetchone()

    assert accepted
    assert rows == [expected] == [(moment, True, "Lê Thị Thanh Thủy", None, 2**40)]
    assert rows[0][0].utcoffset() is not None


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_dead_kept_connection_is_reopened_by_the_look_up(db_cache) -> None:
    """The look-up's statement stands in for Django's per-request health check: a kept
    connection the server has dropped is reopened and the statement run again."""
    import psycopg

    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"], port=settings["PORT"], user=settings["USER"], dbname=settings["NAME"]
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.2)
    connection.health_check_enabled = True  # as CONN_HEALTH_CHECKS sets at connect
    connection.health_check_done = False  # a new request

    answer = db_cache.take_slot_and_read("kept", limit=3, window=60, sql="SELECT 1", params=[])

    assert answer == (True, [(1,)])
    assert connection.connection.info.backend_pid != pid


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_writers_queue_on_the_host_lock(db_cache) -> None:
    """On an SQLite file the limit's writes wait on a lock file beside the database (woken at
    its release) instead of SQLite's sleep-and-retry."""
    import fcntl
    import os

    connection.ensure_connection()
    path = f"{connection.settings_dict['NAME']}-ratelimit.lock"
    db_cache.take_slot("warm", limit=3, window=60)  # the lock file exists from the first write
    assert os.path.exists(path)
    fd = os.open(path, os.O_RDWR)
    results: list[bool | None] = []

    def write() -> None:
        try:
            results.append(DatabaseCache(TABLE, {}).take_slot("queued", limit=3, window=60))
        finally:
            connections.close_all()

    fcntl.flock(fd, fcntl.LOCK_EX)  # another process holds it
    try:
        writer = threading.Thread(target=write)
        writer.start()
        writer.join(0.5)
        assert writer.is_alive()  # waiting, not failing
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    writer.join(5)
    assert results == [True]


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_look_up_statement_is_planned_once_per_connection(db_cache) -> None:
    """PostgreSQL plans the limit-and-select statement once per connection (planning cost
    more than running it), not at every look-up."""
    for n in range(7):
        db_cache.take_slot_and_read(f"p{n}", limit=3, window=60, sql="SELECT %s", params=[n])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans + custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE 'WITH slot AS (INSERT%%'"
        )
        runs = [row[0] for row in cursor.fetchall()]

    assert runs == [7]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's unlogged tables")
@pytest.mark.django_db(transaction=True)
def test_createcachetable_makes_the_rate_limits_table_unlogged_on_postgresql(settings) -> None:
    """Each look-up writes its visitor's window: no WAL record (and no flush at commit) for a
    cache of the last minute; an existing logged table is turned unlogged in place."""
    from django.core.management import call_command

    table = "cchc_test_unlogged_rl"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {"BACKEND": "cchc.core.cache.DatabaseCache", "LOCATION": table},
    }

    def persistence() -> str:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relpersistence FROM pg_class WHERE oid = to_regclass(%s)", [table]
            )
            return cursor.fetchone()[0]

    try:
        call_command("createcachetable", verbosity=0)
        assert persistence() == "u"
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} SET LOGGED")  # as an older release made it
        call_command("createcachetable", verbosity=0)
        assert persistence() == "u"
        assert DatabaseCache(table, {}).take_slot("k", limit=2, window=60) is True
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
