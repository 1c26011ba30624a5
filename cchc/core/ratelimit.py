"""A small fixed-window rate limit for public pages, kept in the "ratelimit" cache.

By default that cache is in-process memory: counting costs no database write, so look-ups stay
fast under load; with W app workers an address may get up to W times the limit. Point
RATELIMIT_CACHE_BACKEND at a shared cache (the database cache, memcached) for an exact limit.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(request: HttpRequest, bucket: str, *, per_minute: int | None = None) -> bool:
    """Count one request; False when the address has used up its minute."""
    limit = per_minute or settings.CCHC_PUBLIC_RATE_PER_MINUTE
    window = int(time.time() // 60)
    key = f"rl:{bucket}:{client_address(request)}:{window}"
    cache = caches["ratelimit"]
    if cache.add(key, 1, timeout=70):
        return True
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=70)
        return True
    return count <= limit
