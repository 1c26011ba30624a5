"""The 429 answer of the public rate limits: the page says the same wait as its Retry-After, and
that wait is when the refusing sliding window frees a slot (not when the clock's minute turns).

In the lean public layout for a visitor without a session (the look-up's chain,
`cchc.portal.lean_wsgi`), in the full layout for one with a session."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse

from cchc.core import cache as cache_module
from cchc.portal.tests.test_lookup_lean import _call, apps  # noqa: F401 (the fixture)

WAIT = re.compile(r"Vui lòng thử lại sau (\d+) giây\.")


def _said_wait(body: str) -> int:
    found = WAIT.findall(body)
    assert len(found) == 1, body
    return int(found[0])


def _window_ends_in(key: str, *seconds: int) -> None:
    """Store `key`'s window as if its requests leave it in `seconds` from now (database clock)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {cache_module._NOW_MS[connection.vendor]}")
        now_ms = cursor.fetchone()[0]
    value = "".join(f"{now_ms + s * 1000:0{cache_module.WIDTH}d}" for s in seconds)
    cache = caches["ratelimit"]
    assert cache.take_slot(key, limit=len(seconds), window=60)
    stored = cache.make_and_validate_key(f"rl:{key}")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cchc_test_lookup_rl SET value = %s WHERE cache_key = %s", [value, stored]
        )
        assert cursor.rowcount == 1


@pytest.mark.django_db
def test_the_lean_429_page_says_the_sliding_windows_real_wait(apps, settings) -> None:  # noqa: F811
    settings.CCHC_PUBLIC_RATE_PER_MINUTE = 2
    _, app = apps
    _window_ends_in("lookup:10.9.9.9", 23, 40)

    answer = _call(app, "/tra-cuu/", post="code=X", client="10.9.9.9")

    assert answer["status"] == 429
    assert dict(answer["headers"])["Retry-After"] == "23"
    assert _said_wait(answer["body"]) == 23
    assert "Đăng nhập cán bộ" in answer["body"]  # the public layout
    assert "phút" not in answer["body"]


@pytest.mark.django_db
def test_a_refused_qr_look_up_says_the_same_wait(apps, settings) -> None:  # noqa: F811
    """Counted beside Django's handler (`cchc.portal.lookup_wsgi`), answered by the chain."""
    settings.CCHC_PUBLIC_RATE_PER_MINUTE = 2
    _, app = apps
    _window_ends_in("lookup:10.9.9.7", 17, 30)

    answer = _call(app, "/tra-cuu/X/", client="10.9.9.7")

    assert answer["status"] == 429
    assert dict(answer["headers"])["Retry-After"] == "17"
    assert _said_wait(answer["body"]) == 17
    # Addressed as the look-up addresses the citizen, with the way back to the look-up.
    assert "Ông/bà đã gửi quá nhiều yêu cầu" in answer["body"]
    assert '<a href="/tra-cuu/">Về trang tra cứu hồ sơ</a>' in answer["body"]


@pytest.mark.django_db
def test_the_full_layouts_429_page_says_the_same_wait(apps, settings) -> None:  # noqa: F811
    settings.CCHC_PUBLIC_RATE_PER_MINUTE = 2
    full, _ = apps
    _window_ends_in("lookup:10.9.9.8", 41, 50)

    answer = _call(full, "/tra-cuu/X/", cookie="sessionid=abc", client="10.9.9.8")

    assert answer["status"] == 429
    assert dict(answer["headers"])["Retry-After"] == "41"
    assert _said_wait(answer["body"]) == 41


@pytest.mark.django_db
def test_header_and_page_agree_with_a_cache_of_slots(school, settings) -> None:
    """The test settings' local-memory cache: one entry per slot, each holding when it frees."""
    settings.CCHC_PUBLIC_RATE_PER_MINUTE = 2
    visitor = Client()
    for url in (reverse("portal:lookup"), reverse("portal:payment", args=["KHONG-CO"])):
        for _ in range(2):
            visitor.get(url, {"code": "X"})
        refused = visitor.get(url, {"code": "X"})

        assert refused.status_code == 429, url
        wait = int(refused["Retry-After"])
        assert 58 <= wait <= 60, url  # refused right after the two it counts
        assert _said_wait(refused.content.decode()) == wait, url
