"""The public look-up is never stale, whichever server process answers (issue 11 item 2).

Two real granian servers on the suite's database with the production settings: a dossier looked
up through both, changed through the services in this process (as a clerk on a third worker
would), then looked up again through both. There is no page cache to forget, so both show the
change on the very next request.
"""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from datetime import datetime
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection

from cchc.core.timezones import VN
from cchc.dossiers import procedures, services
from tests.servers import database_url, free_port, wait_until_serving

ROOT = Path(__file__).resolve().parent.parent


def _page(port: int, code: str) -> str:
    url = f"http://127.0.0.1:{port}/tra-cuu/{code}/?phone_last4=5678"
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


@pytest.mark.django_db(transaction=True)
def test_a_changed_dossier_is_never_stale_on_either_server(
    tmp_path, clerk, principal, school
) -> None:
    transfer = next(
        p
        for p in procedures.procedure_seed_defaults(actor=clerk.user, unit=school)
        if p.name.startswith("Chuyển trường")
    )
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 3, 2, 9, tzinfo=VN)):
        dossier = services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=transfer,
            applicant={"applicant_name": "Nguyễn Văn An", "applicant_phone": "0912345678"},
            provided_documents=[d["name"] for d in transfer.documents],
        )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CACHE"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SECRET_KEY": "two-process-lookup-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "DEBUG": "0",
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(),
        "CCHC_VAR_DIR": str(tmp_path),
        "CCHC_PUBLIC_RATE_PER_MINUTE": "1000",
        "AUDIT_KEY_FILE": str(tmp_path / "audit_key"),
    }
    bin_dir = Path(sys.executable).parent
    for command in (["createcachetable"], ["collectstatic", "--noinput", "-v0"]):  # the page
        subprocess.run([str(bin_dir / "cchc"), *command], env=env, check=True, cwd=ROOT)  # noqa: S603
    ports = [free_port(), free_port()]
    servers = [
        subprocess.Popen(  # noqa: S603
            [
                str(bin_dir / "granian"),
                *("--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port)),
                *("--workers", "1", "config.wsgi:application"),
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_until_serving(port, server)
        before = [_page(port, dossier.code) for port in ports for _ in range(2)]
        with mock.patch(
            "django.utils.timezone.now", return_value=datetime(2026, 3, 3, 9, tzinfo=VN)
        ):
            services.dossier_request_supplement(
                actor=principal.user, dossier=dossier, items=["Học bạ"], reason="Thiếu học bạ"
            )
        after = [_page(port, dossier.code) for port in ports]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=10)
        # The servers' rate-limit slots: leave none behind (on SQLite they are in tmp_path).
        if "cchc_ratelimit" in connection.introspection.table_names():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM cchc_ratelimit")

    assert all("Nguyễn Văn An" in page and "Thiếu học bạ" not in page for page in before)
    assert all("Cần bổ sung" in page and "Thiếu học bạ" in page for page in after)
