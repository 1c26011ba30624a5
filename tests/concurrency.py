"""Requests sent at the same moment from many threads, for the race tests of every app."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections
from django.test import Client

THREADS = 12


def race(request: Callable[[Client], int], client_factory: Callable[[], Client]) -> list[int]:
    """Run `request` on THREADS clients at once; the status codes they got."""
    clients = [client_factory() for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []

    def worker(client: Client) -> None:
        try:
            barrier.wait()
            statuses.append(request(client))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def logged_in(staff) -> Callable[[], Client]:
    """A factory of clients logged in as `staff` (one client per thread)."""

    def make() -> Client:
        client = Client(raise_request_exception=False)
        client.force_login(staff.user)
        return client

    return make
