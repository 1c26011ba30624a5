"""The database cache's `add`: one statement that takes a free or expired slot, exactly once
across concurrent processes (issue 11 item 3), with no count of the table per request."""

from __future__ import annotations

import threading
import time

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
