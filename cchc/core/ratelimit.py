"""Sliding-window rate limits for public pages and log-in, kept in the shared "ratelimit" cache.

The cache is shared by every worker and host (the database cache by default, Redis/Valkey with
CACHE_URL), so "30 per minute" means 30 whatever the number of workers (issue 11).

Behind nginx every request comes from the proxy's address. Only when REMOTE_ADDR is one of
TRUSTED_PROXIES are X-Forwarded-For / X-Real-IP read, and only addresses that parse as IP
addresses are ever returned: a header sent by anyone else is ignored.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest

from cchc.core import driver_sql

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network

#: The WSGI environ's key where a request already counted says so: (bucket, accepted). The
#: look-up's WSGI path (`cchc.portal.lookup_wsgi`) counts a request, then leaves any answer but
#: a found dossier to Django's chain, whose view must not count it again. A client cannot set
#: it: headers reach the environ as HTTP_* keys.
COUNTED = "cchc.ratelimit.counted"


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[_Network, ...]:
    """TRUSTED_PROXIES as networks: "127.0.0.1", "10.0.0.0/8" and "::1" are all accepted."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue  # a typo in the setting trusts nothing rather than everything
    return tuple(networks)


@lru_cache(maxsize=1024)  # pure: the proxies' own addresses come with every request
def _parse_ip(value: str | None) -> str | None:
    """The address in canonical form, or None when `value` is not an IP address."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


@lru_cache(maxsize=1024)
def _is_trusted(address: str, networks: tuple[_Network, ...]) -> bool:
    ip = ipaddress.ip_address(address)
    mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
    return any(ip in network or (mapped is not None and mapped in network) for network in networks)


def client_ip(request: HttpRequest) -> str | None:
    """The visitor's IP address, looking through trusted proxies only; None when unknown.

    Also django-axes' AXES_CLIENT_IP_CALLABLE, so log-in lock-outs are per real client.
    """
    remote = _parse_ip(request.META.get("REMOTE_ADDR"))
    trusted = getattr(settings, "TRUSTED_PROXIES", None) or ()
    if isinstance(trusted, str):
        trusted = trusted.split(",")
    networks = _networks(tuple(trusted))
    if remote is None or not networks or not _is_trusted(remote, networks):
        return remote
    # Each proxy appends the address it saw; walk from the right past our own proxies. The first
    # address that is not a trusted proxy is the client; anything further left is client-supplied.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        for part in reversed(forwarded.split(",")):
            address = _parse_ip(part)
            if address is None:
                break  # garbage: stop rather than trust what lies to its left
            if not _is_trusted(address, networks):
                return address
    real_ip = _parse_ip(request.META.get("HTTP_X_REAL_IP"))
    if real_ip is not None:
        return real_ip
    return remote


def client_address(request: HttpRequest) -> str:
    """The rate-limit key for a visitor: their IP address, or "unknown"."""
    return client_ip(request) or "unknown"


def take_slot(key: str, *, limit: int, window: int = 60) -> bool:
    """Take one of `limit` slots that each stay taken `window` seconds; False when all are taken.

    A sliding window that is exact across processes and hosts: at most `limit` requests are
    accepted in any `window` seconds, wherever they start (a fixed per-minute counter would let
    2 x limit through across a minute boundary). The database cache does it in one statement on
    one row per client (`cchc.core.cache.DatabaseCache.take_slot`); any other shared cache keeps
    a slot as an entry created with `add` (atomic there: SET NX on Redis/Valkey) that expires
    `window` seconds later.
    """
    cache = caches["ratelimit"]
    in_one_row = getattr(cache, "take_slot", None)
    if in_one_row is not None:
        taken = in_one_row(key, limit=limit, window=window)
        if taken is not None:
            return taken
    slots = [f"rl:{key}:{n}" for n in range(limit)]
    used = cache.get_many(slots)
    # Each slot holds the moment it frees, so `seconds_until_free` can tell a refused client.
    ends = time.time() + window
    return any(slot not in used and cache.add(slot, ends, timeout=window) for slot in slots)


def seconds_until_free(key: str, *, limit: int, window: int = 60) -> int:
    """Whole seconds until `key`'s window accepts a request again (at least 1): when the oldest
    of the requests it counts leaves the sliding window, not when the clock's minute turns.

    `window` is the answer when the cache cannot tell (a slot written before slots held their
    end): a refused client then waits the longest it may have to, never too little.
    """
    cache = caches["ratelimit"]
    in_one_row = getattr(cache, "next_free_in_ms", None)
    if in_one_row is not None:
        wait_ms = in_one_row(key, limit=limit)
        if wait_ms is not None:
            return max(1, math.ceil(wait_ms / 1000))
    ends = cache.get_many([f"rl:{key}:{n}" for n in range(limit)]).values()
    if len(ends) < limit:
        return 1  # a slot freed meanwhile
    if not all(isinstance(end, float) for end in ends):
        return window
    return max(1, math.ceil(min(ends) - time.time()))


@dataclass(frozen=True)
class Refusal:
    """Which window refused a request, kept on the request for the 429 page's Retry-After."""

    key: str
    limit: int
    window: int


def _refused(request: HttpRequest, key: str, limit: int, window: int) -> bool:
    """Note on `request` which window refused it (the 429 answer reads it); always False."""
    request.rate_limit_refusal = Refusal(key, limit, window)  # type: ignore[attr-defined]
    return False


def retry_after(request: HttpRequest) -> int:
    """Seconds the client of a refused `request` must wait before its window accepts it again;
    a full minute when no window refused it here (the caller counted elsewhere)."""
    refusal: Refusal | None = getattr(request, "rate_limit_refusal", None)
    if refusal is None:
        return 60
    return seconds_until_free(refusal.key, limit=refusal.limit, window=refusal.window)


def slots_left(key: str, *, limit: int) -> int:
    """How many of the `limit` slots are free now (nothing is taken)."""
    cache = caches["ratelimit"]
    in_one_row = getattr(cache, "slots_left", None)
    if in_one_row is not None:
        left = in_one_row(key, limit=limit)
        if left is not None:
            return left
    return limit - len(cache.get_many([f"rl:{key}:{n}" for n in range(limit)]))


def hit(
    request: HttpRequest, bucket: str, *, per_minute: int | None = None, window: int = 60
) -> bool:
    """Count one request of this client in `bucket`; False when it has used up its window."""
    limit = per_minute or settings.CCHC_PUBLIC_RATE_PER_MINUTE
    key = f"{bucket}:{client_address(request)}"
    counted = _counted(request, bucket)
    taken = take_slot(key, limit=limit, window=window) if counted is None else counted
    return taken or _refused(request, key, limit, window)


def _counted(request: HttpRequest, bucket: str) -> bool | None:
    """Whether this request, already counted in `bucket`, was accepted; None when it was not
    counted yet (COUNTED)."""
    counted = request.META.get(COUNTED)
    if counted is not None and counted[0] == bucket:
        return bool(counted[1])
    return None


def hit_and_read(
    request: HttpRequest,
    bucket: str,
    sql: str,
    params: Sequence[Any],
    *,
    per_minute: int | None = None,
    window: int = 60,
) -> tuple[bool, list[tuple[Any, ...]]]:
    """`hit`, then the read-only query `sql` when the request is accepted: (accepted, its rows).

    With the database cache on PostgreSQL both go in one statement (one round trip instead of
    two, `DatabaseCache.take_slot_and_read`), in no particular row order; elsewhere they run
    in turn, and a refused request runs no query.
    """
    limit = per_minute or settings.CCHC_PUBLIC_RATE_PER_MINUTE
    key = f"{bucket}:{client_address(request)}"
    counted = _counted(request, bucket)
    if counted is not None:
        if not counted:
            return _refused(request, key, limit, window), []
        return True, _read(sql, params)
    together = getattr(caches["ratelimit"], "take_slot_and_read", None)
    if together is not None:
        done = together(key, limit=limit, window=window, sql=sql, params=params)
        if done is not None:
            return done if done[0] else (_refused(request, key, limit, window), [])
    if not take_slot(key, limit=limit, window=window):
        return _refused(request, key, limit, window), []
    return True, _read(sql, params)


def _read(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    if connection.vendor == "sqlite":
        return driver_sql.execute(connection, sql, params).fetchall()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
