"""Our hot statements through SQLite's own cursor (`cchc.core.driver_sql`): the same rows and
row counts as Django's cursor, Django's errors, and still logged while queries are logged."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from cchc.core import driver_sql

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's path (PostgreSQL prepares)"),
]


def test_rows_and_row_count_as_djangos_cursor() -> None:
    sql = "SELECT %s, %s || 'x', '100%%'"
    with connection.cursor() as cursor:
        cursor.execute(sql, [1, "a"])
        expected = cursor.fetchall()
    rows = driver_sql.execute(connection, sql, [1, "a"]).fetchall()
    assert rows == expected == [(1, "ax", "100%")]
    driver_sql.execute(connection, "CREATE TEMP TABLE driver_sql_t (n INTEGER)", [])
    done = driver_sql.execute(connection, "INSERT INTO driver_sql_t VALUES (%s), (%s)", [1, 2])
    assert done.rowcount == 2


def test_an_error_is_djangos() -> None:
    with pytest.raises(OperationalError):
        driver_sql.execute(connection, "SELECT * FROM no_such_table WHERE n = %s", [1])


def test_logged_while_queries_are_logged() -> None:
    with CaptureQueriesContext(connection) as queries:
        driver_sql.execute(connection, "SELECT %s", [7])
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 7"]
