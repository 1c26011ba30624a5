"""Vietnamese names for the apps of the libraries we use, as the admin lists them.

Their strings marked for translation are translated in `cchc/locale/vi` (LOCALE_PATHS); an app's
name that the library does not mark (e.g. "Otp_Totp", "Tasks Database Backend") is set here.
Only app names: a model's verbose name is part of its migration state, so changing it at run
time would make `makemigrations --check` fail for the library.
"""

from __future__ import annotations

from django.apps import apps

APP_NAMES = {
    "axes": "Khóa đăng nhập",
    "otp_totp": "Xác thực hai lớp (TOTP)",
    "django_otp": "Xác thực hai lớp",
    "django_tasks_database": "Tác vụ nền",
    "django_tasks": "Tác vụ nền",
}


def apply() -> None:
    for label, name in APP_NAMES.items():
        if apps.is_installed(label) or label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
