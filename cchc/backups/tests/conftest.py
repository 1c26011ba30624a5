from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.dossiers import procedures, services
from cchc.dossiers.uploads import dossier_attach_scan

APPLICANT = {
    "applicant_name": "Nguyễn Văn An",
    "applicant_phone": "0912345678",
    "applicant_email": "",
}
PDF = b"%PDF-1.4\n% cchc test scan\n"


def scan(name: str = "scan.pdf", body: bytes = b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF + body, content_type="application/pdf")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def transfer(school, clerk):
    loaded = procedures.procedure_seed_defaults(actor=clerk.user, unit=school)
    return next(p for p in loaded if p.name.startswith("Chuyển trường"))


def receive_with_scan(clerk: Any, school: Any, procedure: Any, *, body: bytes = b"") -> Any:
    """A counter receipt and its scan in one transaction, as the intake page does."""
    from django.db import transaction

    with transaction.atomic():
        dossier = services.dossier_receive(
            actor=clerk.user,
            unit=school,
            procedure=procedure,
            applicant=APPLICANT,
            provided_documents=[d["name"] for d in procedure.documents],
        )
        dossier_attach_scan(actor=clerk.user, dossier=dossier, upload=scan(body=body))
    return dossier


def pg_admin_url() -> str | None:
    """A PostgreSQL server to create scratch restore targets on (the suite's, or the local one)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = os.environ.get("CCHC_TEST_PG_URL", "postgres://postgres@127.0.0.1:54329/postgres")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def pg_url_for(name: str) -> str:
    parts = urlsplit(pg_admin_url())
    return urlunsplit(parts._replace(path=f"/{name}"))


def pg_reachable() -> bool:
    import psycopg

    try:
        with psycopg.connect(pg_admin_url(), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def pg_drop(name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(pg_admin_url(), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
