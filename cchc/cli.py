"""The `cchc` console script: manage.py with the settings preset, usable from any directory.

Three things make it work without ceremony (issue 9, item 6):

* the secret key that `make demo` wrote to `var/secret_key` is used when neither SECRET_KEY nor
  SECRET_KEY_FILE is set, so `cchc workdays add 2026-02-10 5` runs as the README shows;
* `cchc --help` (and `cchc COMMAND --help`) works on a machine with no configuration at all:
  reading help needs no secret;
* a missing or broken configuration ends in one Vietnamese line saying what to set, with exit
  status 2, never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELP_FLAGS = frozenset({"-h", "--help", "help"})
# Reading help needs settings to list the commands, but never signs anything with the key.
HELP_ONLY_KEY = "help-only-key-never-used-to-sign-anything-0123456789"


def var_dir() -> Path:
    """Where `make demo` keeps the database and the secret key (CCHC_VAR_DIR overrides)."""
    return Path(os.environ.get("CCHC_VAR_DIR") or ROOT / "var")


def is_help(argv: list[str]) -> bool:
    return len(argv) < 2 or any(arg in HELP_FLAGS for arg in argv[1:])


def prepare_environment(argv: list[str]) -> None:
    """Fill in what a fresh install leaves unset, without overriding anything the user set."""
    for i, arg in enumerate(argv):
        # Settings are loaded before Django parses the options, so honour --settings here.
        if arg.startswith("--settings="):
            os.environ["DJANGO_SETTINGS_MODULE"] = arg.partition("=")[2]
        elif arg == "--settings" and i + 1 < len(argv):
            os.environ["DJANGO_SETTINGS_MODULE"] = argv[i + 1]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    if os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE"):
        return
    key_file = var_dir() / "secret_key"
    if key_file.is_file():
        os.environ["SECRET_KEY_FILE"] = str(key_file)
    elif is_help(argv):
        os.environ["SECRET_KEY"] = HELP_ONLY_KEY


def configuration_message(error: BaseException) -> str:
    """One line for a configuration error: what is wrong and what to set."""
    text = " ".join(str(error).split())
    if "SECRET_KEY" in text:
        return (
            "Lỗi cấu hình: chưa có khóa bí mật. Đặt SECRET_KEY hoặc SECRET_KEY_FILE, hoặc tạo tệp "
            f"{var_dir() / 'secret_key'} (lệnh: make var/secret_key). Xem docs/configuration.md."
        )
    return f"Lỗi cấu hình: {text}. Xem docs/configuration.md."


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    prepare_environment(argv)
    from django.core.exceptions import ImproperlyConfigured
    from django.db.utils import OperationalError

    try:
        import django
        from django.conf import settings

        settings.INSTALLED_APPS  # noqa: B018 - loads the settings now, inside this try
        django.setup()
    except ImproperlyConfigured as error:
        sys.stderr.write(configuration_message(error) + "\n")
        raise SystemExit(2) from None
    except OSError as error:  # e.g. SECRET_KEY_FILE names a missing file, var/ not writable
        sys.stderr.write(f"Lỗi cấu hình: {error.strerror}: {error.filename}.\n")
        raise SystemExit(2) from None
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except OperationalError as error:
        sys.stderr.write(
            f"Không mở được cơ sở dữ liệu ({' '.join(str(error).split())}). Kiểm tra "
            "DATABASE_URL, rồi chạy: cchc migrate.\n"
        )
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
