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

import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

STATIC_ROOT = Path(tempfile.gettempdir()) / "cchc-test-static"
STATIC_ROOT.mkdir(exist_ok=True)
AUDIT_KEY_FILE = str(Path(tempfile.gettempdir()) / "cchc-test-audit-key")
AUDIT_CHECKPOINT_DIR = str(
    Path(tempfile.gettempdir()) / f"cchc-test-audit-checkpoints-{os.getpid()}"
)

# Papers are converted afresh in tests unless a test asks for the store; the warm converter is
# the session's own (conftest.py starts one when LibreOffice and python3-uno are there).
PDF_STORE_DIR = ""
PDF_SERVER = ""

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
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"cchc-test-{os.getpid()}.sqlite3")
    }
