"""Test settings: base settings plus what a test run must not depend on."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("HTTPS", "0")

from config.settings.base import *  # noqa: F403
from config.settings.base import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ALLOWED_HOSTS = ["*"]
AXES_FAILURE_LIMIT = 3

import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

# Every test process (a plain run, each pytest-xdist worker `gw0`, `gw1`…, and each developer's
# run on a shared machine) writes its files in a folder of its own, removed when it exits: two
# workers sharing one file race (the audit key written by one while the other reads it empty,
# collectstatic into one STATIC_ROOT, one SQLite file, one MEDIA_ROOT).
RUN_DIR = Path(
    tempfile.mkdtemp(prefix=f"cchc-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-")
)
atexit.register(shutil.rmtree, RUN_DIR, ignore_errors=True)
STATIC_ROOT = RUN_DIR / "static"
STATIC_ROOT.mkdir()
# Uploads, the audit key and checkpoints of tests that set no tmp_path of their own: not the
# repository's var/ (where `uploads sweep` in one worker would delete another worker's pending
# files). A variable set by the caller still wins, as in base.py: `cchc restore` run by a test
# in a subprocess with these settings writes and checks the restored key and media where the
# test told it to.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or RUN_DIR / "media")
AUDIT_KEY_FILE = os.environ.get("AUDIT_KEY_FILE") or str(RUN_DIR / "audit_key")
AUDIT_CHECKPOINT_DIR = os.environ.get("AUDIT_CHECKPOINT_DIR") or str(RUN_DIR / "audit-checkpoints")

# Papers are converted afresh in tests unless a test asks for the store; the warm converter is
# the session's own (conftest.py starts one when LibreOffice and python3-uno are there).
PDF_STORE_DIR = ""
PDF_SERVER = ""
# Tests make cold papers in parallel threads of one process (2-3 s each on a loaded machine): the
# bound of a web process (one paper at a time) would refuse them; its own test sets it.
PDF_MAX_WAITING = 8

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"},
}

# In-process tests keep the rate limits in the test database (their cache is local memory, or a
# test's own database cache table); servers started by tests use the base settings' "ratelimit"
# file, and tests/test_shared_limits.py checks it there.
DATABASES.pop("ratelimit", None)  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory, so concurrent-transaction tests see real SQLite locking
    # (WAL + busy timeout) rather than "table is locked" errors of the shared cache.
    DATABASES["default"]["TEST"] = {"NAME": str(RUN_DIR / "test.sqlite3")}  # noqa: F405
