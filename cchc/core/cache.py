"""Django's database cache with an `add` that is one atomic statement across processes.

The rate limits count requests with `cache.add` (see cchc.core.ratelimit): only one process may
take a given slot. Django's DatabaseCache.add is atomic for a key that does not exist (the
primary key decides) but not for one whose row has expired: two processes both see the expired
row and both overwrite it. It also counts the whole table before every write (to cull it), which
made each public look-up pay for every live slot of every visitor (issue 11).

Here `add` is a single upsert: insert the key, or take over its row only when that row has
expired; the database's row lock decides between two processes, and the statement's row count
says who won. Expired rows are swept now and then (one request in CULL_EVERY) through the index
on `expires`, so the table stays the size of the live slots without a count per request.
Redis/Valkey (`CACHE_URL=redis://…`) need none of this: SET NX with an expiry is atomic.
"""

from __future__ import annotations

import base64
import pickle
import random
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now

# On average one add in this many also deletes the expired rows.
CULL_EVERY = 200


class DatabaseCache(DjangoDatabaseCache):
    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        if connection.vendor not in ("sqlite", "postgresql"):
            return super().add(key, value, timeout, version=version)
        key = self.make_and_validate_key(key, version=version)
        ops = connection.ops
        table = ops.quote_name(self._table)  # type: ignore[attr-defined]  # Django's own, private
        column = ops.quote_name("cache_key")
        expires = ops.quote_name("expires")
        backend_timeout = self.get_backend_timeout(timeout)
        if backend_timeout is None:
            expiry = datetime.max  # noqa: DTZ901 (as Django stores "never")
        else:
            expiry = datetime.fromtimestamp(backend_timeout, tz=UTC if settings.USE_TZ else None)
        expiry = expiry.replace(microsecond=0)
        encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        now = ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
        with connection.cursor() as cursor:
            if random.random() < 1 / CULL_EVERY:  # noqa: S311 (a sweep schedule, not a secret)
                cursor.execute(f"DELETE FROM {table} WHERE {expires} < %s", [now])  # noqa: S608
            cursor.execute(
                f"INSERT INTO {table} ({column}, {ops.quote_name('value')}, {expires}) "  # noqa: S608
                f"VALUES (%s, %s, %s) ON CONFLICT ({column}) DO UPDATE SET "
                f"{ops.quote_name('value')} = excluded.{ops.quote_name('value')}, "
                f"{expires} = excluded.{expires} WHERE {table}.{expires} < %s",
                [key, encoded, ops.adapt_datetimefield_value(expiry), now],
            )
            return cursor.rowcount == 1

    def live_keys(self, keys: list[str], version: int | None = None) -> set[str]:
        """Which of `keys` hold a live entry: one indexed query that reads no values.

        The rate limit only asks whether its slots are taken, so it skips `get_many`'s
        unpickling of thirty values per request.
        """
        made = {self.make_and_validate_key(key, version=version): key for key in keys}
        db = router.db_for_read(self.cache_model_class)
        connection = connections[db]
        ops = connection.ops
        table = ops.quote_name(self._table)  # type: ignore[attr-defined]  # Django's own, private
        column = ops.quote_name("cache_key")
        placeholders = ", ".join(["%s"] * len(made))
        now = ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {column} FROM {table} WHERE {column} IN ({placeholders}) "  # noqa: S608
                f"AND {ops.quote_name('expires')} >= %s",
                [*made, now],
            )
            return {made[row[0]] for row in cursor.fetchall()}
