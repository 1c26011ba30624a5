"""Django's database cache with an `add` that is atomic across processes.

The rate limits count requests with `cache.add` (see cchc.core.ratelimit): only one process may
take a given slot. Django's DatabaseCache.add is atomic for a key that does not exist (the
primary key decides) but not for one whose row has expired: two processes both see the expired
row and both overwrite it. Deleting the expired row first turns that case into the first one.
Redis/Valkey (`CACHE_URL=redis://…`) need none of this: SET NX with an expiry is atomic.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now


class DatabaseCache(DjangoDatabaseCache):
    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        # `_table` and `_base_set` are DatabaseCache's own (private, so absent from the stubs).
        table = connection.ops.quote_name(self._table)  # type: ignore[attr-defined]
        column = connection.ops.quote_name("cache_key")
        expires = connection.ops.quote_name("expires")
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE {column} = %s AND {expires} < %s",  # noqa: S608
                [key, now],
            )
        return self._base_set("add", key, value, timeout)  # type: ignore[attr-defined]
