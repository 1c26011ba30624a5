"""Where the rate limits' windows are kept on an SQLite deployment (issue 11).

Every public look-up writes its visitor's row in the shared limit. In SQLite a write to a file
empties every other connection's page cache of that file, so while the slots lived in the main
database each look-up re-read the dossiers' pages that the last writer had just thrown out
(about 13 pages per look-up under load). With the slots in a file of their own (the "ratelimit"
database, `config/settings/base.py`) a write there leaves the main file's caches whole. The file
holds nothing but the cache table: the slots are a cache, so it is not backed up, and a lost file
only forgets the last minute's counts.

PostgreSQL has no such cache to lose (one shared buffer pool), and every host must see the same
windows, so there the table stays in the main database: the router only routes when the
"ratelimit" database is configured.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

ALIAS = "ratelimit"
DATABASE_CACHES = ("django.core.cache.backends.db.DatabaseCache", "cchc.core.cache.DatabaseCache")


def limit_table() -> str | None:
    """The rate limits' cache table, when the "ratelimit" database is configured and the
    rate-limit cache is a database cache; else None (nothing is routed)."""
    if ALIAS not in settings.DATABASES:
        return None
    cache = settings.CACHES.get("ratelimit") or {}
    if cache.get("BACKEND") not in DATABASE_CACHES:
        return None
    return str(cache.get("LOCATION") or "") or None


def _is_limit_table(model: Any) -> bool:
    meta = model._meta
    return meta.app_label == "django_cache" and meta.db_table == limit_table()


class RateLimitRouter:
    """The rate-limit cache's table to the "ratelimit" database; nothing else goes there."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return ALIAS if _is_limit_table(model) else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return ALIAS if _is_limit_table(model) else None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        if limit_table() is None:
            return None
        model = hints.get("model")
        routed = model is not None and _is_limit_table(model)
        if db == ALIAS:
            return routed
        return False if routed else None
