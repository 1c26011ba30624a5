"""Settings for every environment.

Production differs from development only through environment variables (see docs/configuration.md);
there is deliberately no prod.py, so what is tested is what runs.
"""

from __future__ import annotations

from pathlib import Path

import environ

from cchc.core.timezones import VN_TIME_ZONE_NAME

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(environ.Env().str("CCHC_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()


def _secret(name: str, default: str | None = None) -> str | None:
    """Read a secret from NAME or from the file named by NAME_FILE (Docker/systemd credentials)."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return env.str(name, default=default)


DEBUG = env.bool("DEBUG", default=False)
HTTPS = env.bool("HTTPS", default=not DEBUG)

SECRET_KEY = (
    _secret("SECRET_KEY", default="insecure-development-key-change-me" if DEBUG else None) or ""
)
if not SECRET_KEY:
    raise environ.ImproperlyConfigured(
        "SECRET_KEY (hoặc SECRET_KEY_FILE) phải được đặt khi DEBUG=0. Xem docs/configuration.md."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Addresses (or networks) of our own reverse proxies, e.g. 127.0.0.1 for nginx on the same host.
# Only requests from these have X-Forwarded-For / X-Real-IP read (rate limits, log-in lock-outs).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves /api/v1/docs from its own static files instead of a CDN
    "csp",
    "cchc.core",
    "cchc.accounts",
    "cchc.organizations",
    "cchc.workdays",
    "cchc.kpi",
    "cchc.plans",
    "cchc.dossiers",
    "cchc.feedback",
    "cchc.surveys",
    "cchc.payments",
    "cchc.documents",
    "cchc.api",
    "cchc.portal",
    "cchc.audit",
    "cchc.backups",
    "cchc.reports",
    "cchc.simplification",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cchc.core.csp.CSPMiddleware",
    "cchc.core.middleware.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cchc.core.middleware.RejectControlCharactersMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cchc.accounts.middleware.RequireOtpMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "cchc.core.middleware.ConflictMiddleware",
    "cchc.core.middleware.ErrorPageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cchc.core.context_processors.shell",
            ],
            "builtins": ["cchc.core.templatetags.vn"],
        },
    }
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'cchc.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers run beside the single writer; IMMEDIATE takes the write lock at BEGIN so
    # two writers queue instead of failing with "database is locked" on lock upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    # The rate limits' windows in an SQLite file of their own (`cchc.core.db_routers`): a
    # look-up's write there leaves the main file's page caches whole. A cache, not backed up.
    # (A database in memory is one process's: nothing to share, no file to make.)
    if DATABASES["default"]["NAME"] != ":memory:":
        DATABASES["ratelimit"] = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env.str("RATELIMIT_DATABASE", default=str(VAR_DIR / "ratelimit.sqlite3")),
            "OPTIONS": dict(DATABASES["default"]["OPTIONS"]),
        }
        Path(DATABASES["ratelimit"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: compiling a reporting aggregate (the KPI pages, over a school's year) costs 30–100
    # ms, more than running it; a deployment may still set its own `options`.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DATABASE_ROUTERS = ["cchc.core.db_routers.RateLimitRouter"]
# Keep connections open between requests: opening one (and, for SQLite, re-running the PRAGMAs)
# costs more than most of our queries.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
for _alias in DATABASES.keys() - {"default"}:
    DATABASES[_alias]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    DATABASES[_alias]["CONN_HEALTH_CHECKS"] = DATABASES["default"]["CONN_HEALTH_CHECKS"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: lock an account+address after repeated failures (Decision 05/2017 asks for it).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_HTTP_RESPONSE_CODE = 403
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Failed log-ins one client address may make across all usernames within the cool-off (django-axes
# counts per username + address; this stops one address trying a few passwords on every account).
LOGIN_FAILURES_PER_CLIENT = env.int("LOGIN_FAILURES_PER_CLIENT", default=20)
# Password-reset requests an hour: per e-mail address and per client address (silently dropped).
PASSWORD_RESET_PER_ADDRESS = env.int("PASSWORD_RESET_PER_ADDRESS", default=3)
PASSWORD_RESET_PER_CLIENT = env.int("PASSWORD_RESET_PER_CLIENT", default=10)
# Days an API bearer token works after it is issued.
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
# Lock out the real client, not the proxy: the same address resolution as the public rate limit.
AXES_CLIENT_IP_CALLABLE = "cchc.core.ratelimit.client_ip"

OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="CCHC")

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = VN_TIME_ZONE_NAME
USE_I18N = True
# Vietnamese for strings of Django and the libraries that their own catalogues lack.
LOCALE_PATHS = [BASE_DIR / "cchc" / "locale"]
USE_TZ = True
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
# Localised values (the admin, `|date` with no argument) use the locale's formats, not the four
# above: our "vi" module makes them dd/mm/yyyy too (Django's own says "Ngày 01 tháng 12 năm 2026").
FORMAT_MODULE_PATH = ["cchc.core.formats"]
USE_THOUSAND_SEPARATOR = True
THOUSAND_SEPARATOR = "."
DECIMAL_SEPARATOR = ","

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Where `cchc backup` and the nightly job write archives (7 daily, 4 weekly, 12 monthly kept).
CCHC_BACKUP_DIR = Path(env.str("CCHC_BACKUP_DIR", default=str(VAR_DIR / "backups")))
STORAGES = {
    # New uploads appear only after their transaction commits (cchc/backups/storage.py).
    "default": {"BACKEND": "cchc.backups.storage.CommitSafeStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# No EMAIL_HOST (make demo): no mail is attempted, senders record it as not sent
# (cchc/core/unsent_mail.py); set EMAIL_HOST for real mail (docs/configuration.md).
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "cchc.core.unsent_mail.UnsentMailBackend",
)
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = _secret("EMAIL_HOST_PASSWORD", default="") or ""
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="cchc@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Security: with HTTPS=1 (the default when DEBUG=0) cookies are secure and HSTS is sent.
# Behind nginx terminating TLS, nginx must set X-Forwarded-Proto (docs/deployment.md).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_FAILURE_VIEW = "cchc.core.views.csrf_failure"  # Django's own page is English
SECURE_SSL_REDIRECT = HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): everything from our own origin, no inline script, no
# outside host at all (no CDN: every asset is served by the app).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# The unit whose public page is served at "/" (its electronic identifier code); the first school
# is used when unset.
CCHC_HOME_UNIT = env.str("CCHC_HOME_UNIT", default="")
# Absolute address of the public site, printed in QR codes on receipts (e.g. https://truong.edu.vn).
CCHC_PUBLIC_URL = env.str("CCHC_PUBLIC_URL", default="http://127.0.0.1:8000")
# Public look-ups allowed per address per minute (dossier look-up, online submission).
CCHC_PUBLIC_RATE_PER_MINUTE = env.int("CCHC_PUBLIC_RATE_PER_MINUTE", default=30)
# Caches shared by every worker and host: the database cache by default (`cchc createcachetable`
# once), or Redis/Valkey for a larger deployment, e.g. CACHE_URL=redis://127.0.0.1:6379/0 (needs
# `pip install redis`). The rate limits and the log-in throttle count in "ratelimit", so a limit
# holds whatever the number of workers. RATELIMIT_CACHE_URL defaults to CACHE_URL, or to its own
# table when CACHE_URL is unset.
_DB_CACHE = "django.core.cache.backends.db.DatabaseCache"


def _cache(name: str, default: str, **options: object) -> dict:
    config = env.cache_url(name, default=default)
    if config["BACKEND"] == _DB_CACHE:  # with an add() that is atomic across processes
        config["BACKEND"] = "cchc.core.cache.DatabaseCache"
        config.setdefault("OPTIONS", {}).update(options)
    return config


CACHES = {
    "default": _cache("CACHE_URL", "dbcache://cchc_cache"),
    # Slots of the sliding windows: many entries, never culled while alive.
    "ratelimit": _cache(
        "RATELIMIT_CACHE_URL",
        env.str("CACHE_URL", default="dbcache://cchc_ratelimit"),
        MAX_ENTRIES=1_000_000,
    ),
}
# The audit log's HMAC key: a file outside the database, like the secret key (created on first use
# when missing; `make demo` writes var/audit_key). Back it up with the database: without it the
# log cannot be verified. Signed checkpoints of every chain head go to AUDIT_CHECKPOINT_DIR.
AUDIT_KEY_FILE = env.str("AUDIT_KEY_FILE", default=str(VAR_DIR / "audit_key"))
AUDIT_CHECKPOINT_DIR = env.str("AUDIT_CHECKPOINT_DIR", default=str(VAR_DIR / "audit_checkpoints"))
# Official papers (PDF): the warm LibreOffice supervised by `cchc pdf_server` (empty: always start
# a LibreOffice per paper), the seconds one conversion may take, how many papers one process may
# wait for at once, and where converted papers are kept (content-addressed, a cache: not backed up).
PDF_SERVER = env.str("PDF_SERVER", default="127.0.0.1:2003")
PDF_TIMEOUT = env.int("PDF_TIMEOUT", default=60)
# How long a paper waits for the warm converter before its own LibreOffice makes it.
PDF_WARM_TIMEOUT = env.int("PDF_WARM_TIMEOUT", default=15)
# granian's threads per worker (`--blocking-threads`, `make serve`'s WEB_THREADS): papers being
# made may hold all of a web process's threads but one, which stays for every other request.
WEB_THREADS = env.int("WEB_THREADS", default=2)
PDF_MAX_WAITING = env.int("PDF_MAX_WAITING", default=max(1, WEB_THREADS - 1))
PDF_STORE_DIR = env.str("PDF_STORE_DIR", default=str(VAR_DIR / "cache" / "papers"))
# The Python that has LibreOffice's uno module (Debian's python3-uno), used by `cchc pdf_server`.
UNO_PYTHON = env.str("UNO_PYTHON", default="/usr/bin/python3")
CCHC_SITE_NAME = env.str("CCHC_SITE_NAME", default="Hệ thống quản lý cải cách hành chính")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "no_403_traceback": {"()": "cchc.core.log_filters.PermissionDeniedWithoutTraceback"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "fontTools.subset": {"level": "WARNING"},
        # A 403 is logged as one line, without its traceback (cchc/core/log_filters.py).
        "django.request": {"filters": ["no_403_traceback"]},
    },
}
