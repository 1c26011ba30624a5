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


def test_live_keys_names_only_unexpired_entries(db_cache) -> None:
    db_cache.add("short", 1, timeout=1)
    db_cache.add("long", 1, timeout=60)
    assert db_cache.live_keys(["short", "long", "never"]) == {"short", "long"}
    time.sleep(2.1)
    assert db_cache.live_keys(["short", "long", "never"]) == {"long"}
