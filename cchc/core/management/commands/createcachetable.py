"""Django's `createcachetable`, which also makes the rate limits' table in the "ratelimit"
database when there is one (an SQLite deployment: `cchc.core.db_routers`), so every place that
sets a site up (`make demo`, the deployment guide, a restore) keeps running the one command."""

from __future__ import annotations

from typing import Any

from django.core.management.commands import createcachetable
from django.db import DEFAULT_DB_ALIAS

from cchc.core.db_routers import ALIAS, limit_table


class Command(createcachetable.Command):
    def handle(self, *tablenames: Any, **options: Any) -> None:
        super().handle(*tablenames, **options)
        if options["database"] == DEFAULT_DB_ALIAS and limit_table() is not None:
            super().handle(*tablenames, **{**options, "database": ALIAS})
